"""The whole meeting through the services, start to signature."""

import pytest

from chibo.meetings import services
from chibo.meetings.models import MeetingStatus, VoteSubject
from tests.meetings.factories import MEETING_DAY, at, make_meeting, mark_all, open_meeting


@pytest.mark.django_db
def test_meeting_runs_from_schedule_to_signatures(world):
    meeting = make_meeting(world.khoi1)
    services.agenda_build(actor=world.an_user, meeting=meeting)
    services.meeting_publish(actor=world.an_user, meeting=meeting)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    services.speech_add(actor=world.an_user, meeting=meeting, member=world.binh, summary="Ý kiến")
    vote, _ = services.vote_record(
        actor=world.an_user,
        meeting=meeting,
        title="Nghị quyết tháng 11",
        subject=VoteSubject.RESOLUTION,
        in_favour=2,
        against=0,
        abstain=0,
    )
    assert vote.adopted
    services.meeting_close(actor=world.an_user, meeting=meeting, ended_at=at(MEETING_DAY, 21, 10))
    meeting.refresh_from_db()
    manual = {line.code: 0 for line in meeting.score_lines.filter(automatic=False)}
    services.score_lines_set(actor=world.an_user, meeting=meeting, points=manual)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    assert meeting.record.resolution_number == 1
