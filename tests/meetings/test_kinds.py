"""Kinds of meeting: a cell-committee meeting calls only the committee and is not scored."""

import pytest

from chibo.core.errors import ServiceError
from chibo.meetings import services
from chibo.meetings.models import MeetingKind, MeetingStatus
from tests.conftest import give_position
from tests.meetings.factories import MEETING_DAY, add_members, at, make_meeting, mark_all


@pytest.mark.django_db
def test_committee_meeting_calls_the_committee_only_and_is_not_scored(world):
    others = add_members(world.khoi1, 7)
    give_position(others[0], world.khoi1, "deputy_secretary")
    give_position(others[1], world.khoi1, "committee_member")
    meeting = make_meeting(world.khoi1, kind=MeetingKind.COMMITTEE)
    services.meeting_open(
        actor=None,
        meeting=meeting,
        chair=world.an,
        minute_taker=others[0],
        started_at=at(MEETING_DAY, 19, 30),
    )
    assert set(meeting.attendance.values_list("member_id", flat=True)) == {
        world.an.pk,
        others[0].pk,
        others[1].pk,
    }
    mark_all(meeting)
    # Two of the three committee members in favour is more than half (Charter Art. 10.5).
    vote, _ = services.vote_record(
        actor=None,
        meeting=meeting,
        title="Dự thảo nội dung sinh hoạt tháng 12",
        subject="decision",
        in_favour=2,
        against=1,
        abstain=0,
    )
    assert vote.eligible == 3 and vote.adopted
    services.meeting_close(actor=None, meeting=meeting, ended_at=at(MEETING_DAY, 20, 30))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    assert not meeting.score_lines.exists()


@pytest.mark.django_db
def test_committee_meeting_without_a_recorded_committee_is_refused(world):
    meeting = make_meeting(world.khoi2, kind=MeetingKind.COMMITTEE)
    with pytest.raises(ServiceError) as refused:
        services.meeting_open(actor=None, meeting=meeting, chair=world.cuc, minute_taker=world.dung)
    assert "chi ủy" in refused.value.message
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
