"""Bad input is refused with a clear Vietnamese message and changes nothing (issue 3,
acceptance): a vote total larger than the eligible voters, a meeting ending before it starts,
signing by someone who is neither chair nor minute-taker (or with a wrong password), editing
a signed record."""

from __future__ import annotations

import datetime
import uuid

import pytest

from chibo.core.errors import ServiceError
from chibo.meetings import services
from chibo.meetings.models import (
    AttendanceStatus,
    CommendationKind,
    MeetingStatus,
    VoteSubject,
)
from tests.conftest import PASSWORD
from tests.meetings.doc_builders import cell_people, run_meeting
from tests.meetings.factories import (
    MEETING_DAY,
    add_members,
    at,
    make_meeting,
    mark_all,
    open_meeting,
)
from tests.meetings.state import meeting_state


def refused(call) -> str:
    with pytest.raises(ServiceError) as error:
        call()
    return error.value.message


# -- votes ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_more_votes_than_eligible_voters_present_is_refused(world):
    """9 official members and 2 probationary members present (R2.4): 11 hands counted is more
    than the 9 who vote. Refused, nothing recorded."""
    add_members(world.khoi1, 7)
    add_members(world.khoi1, 2, official=False, prefix="Dự bị")
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    before = meeting_state(meeting)
    message = refused(
        lambda: services.vote_record(
            actor=world.an_user,
            meeting=meeting,
            title="Nghị quyết tháng 11",
            subject=VoteSubject.RESOLUTION,
            in_favour=11,
            against=0,
            abstain=0,
        )
    )
    assert message == (
        "Đã nhập 11 phiếu, nhưng chỉ có 9 đảng viên chính thức có quyền biểu quyết có mặt "
        "(đảng viên dự bị không biểu quyết). Hãy kiểm tra lại số phiếu."
    )
    assert meeting_state(meeting) == before


@pytest.mark.django_db
def test_more_votes_than_members_present_is_refused_even_if_the_cell_has_them(world):
    """R2.3: 9 official members, 2 absent: 9 eligible but only 7 present can raise a hand;
    8 + 1 = 9 hands is refused."""
    members = [world.an, world.binh, *add_members(world.khoi1, 7)]
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    for member in members[7:]:
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=member.pk,
            status=AttendanceStatus.ABSENT_EXCUSED,
            reason="Ốm",
        )
    mark_all(meeting)
    before = meeting_state(meeting)
    message = refused(
        lambda: services.vote_record(
            actor=world.an_user,
            meeting=meeting,
            title="Nghị quyết tháng 11",
            subject=VoteSubject.RESOLUTION,
            in_favour=8,
            against=1,
            abstain=0,
        )
    )
    assert message.startswith("Đã nhập 9 phiếu, nhưng chỉ có 7 đảng viên chính thức")
    assert meeting_state(meeting) == before


# -- times ----------------------------------------------------------------------------------


@pytest.fixture
def live_meeting(world):
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)  # started 03/11/2026 19:30
    mark_all(meeting)
    return meeting


@pytest.mark.django_db
def test_a_meeting_cannot_end_before_it_starts(world, live_meeting):
    before = meeting_state(live_meeting)
    message = refused(
        lambda: services.meeting_close(
            actor=world.an_user, meeting=live_meeting, ended_at=at(MEETING_DAY, 19, 0)
        )
    )
    assert message == (
        "Giờ kết thúc (03/11/2026 19:00) không thể trước giờ bắt đầu (03/11/2026 19:30) "
        "của buổi sinh hoạt."
    )
    assert meeting_state(live_meeting) == before


@pytest.mark.django_db
def test_a_meeting_cannot_end_the_moment_it_starts(world, live_meeting):
    before = meeting_state(live_meeting)
    refused(
        lambda: services.meeting_close(
            actor=world.an_user, meeting=live_meeting, ended_at=at(MEETING_DAY, 19, 30)
        )
    )
    assert meeting_state(live_meeting) == before


@pytest.mark.django_db
def test_a_corrected_start_after_the_end_is_refused(world, live_meeting):
    before = meeting_state(live_meeting)
    message = refused(
        lambda: services.meeting_close(
            actor=world.an_user,
            meeting=live_meeting,
            started_at=at(MEETING_DAY, 21, 30),
            ended_at=at(MEETING_DAY, 21, 0),
        )
    )
    assert "(03/11/2026 21:00)" in message and "(03/11/2026 21:30)" in message
    assert meeting_state(live_meeting) == before
    assert before["meeting"]["status"] == MeetingStatus.IN_PROGRESS


@pytest.mark.django_db
def test_closing_before_the_roll_call_is_finished_is_refused(world):
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    services.attendance_mark(
        actor=world.an_user, meeting=meeting, member_id=world.an.pk, status=AttendanceStatus.PRESENT
    )
    before = meeting_state(meeting)
    message = refused(
        lambda: services.meeting_close(
            actor=world.an_user, meeting=meeting, ended_at=at(MEETING_DAY, 21)
        )
    )
    assert message == "Còn 1 đảng viên chưa được điểm danh. Hãy điểm danh xong trước."
    assert meeting_state(meeting) == before


# -- signatures -----------------------------------------------------------------------------


@pytest.fixture
def closed_meeting(world):
    """A whole meeting of Khối 1 (An in the chair, Bình taking the minutes), closed and scored,
    not yet signed."""
    return run_meeting(world, cell_people(world), sign=False)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["cuc", "dung", "admin"])
def test_only_the_chair_and_the_minute_taker_sign(world, closed_meeting, who):
    """Cúc (the upper-level guest), Dũng (another cell) and Hà (an administrator) are neither
    chair nor minute-taker: refused, nothing signed."""
    user = {"cuc": world.cuc_user, "dung": world.dung_user, "admin": world.admin_user}[who]
    before = meeting_state(closed_meeting)
    message = refused(
        lambda: services.meeting_sign(actor=user, meeting=closed_meeting, password=PASSWORD)
    )
    assert message == "Chỉ người chủ trì và thư ký của buổi sinh hoạt này mới ký biên bản."
    assert meeting_state(closed_meeting) == before


@pytest.mark.django_db
def test_a_wrong_password_signs_nothing(world, closed_meeting):
    before = meeting_state(closed_meeting)
    message = refused(
        lambda: services.meeting_sign(
            actor=world.an_user, meeting=closed_meeting, password="not-my-password"
        )
    )
    assert message == "Mật khẩu không đúng; chưa có gì được ký."
    assert meeting_state(closed_meeting) == before


@pytest.mark.django_db
def test_signing_twice_is_refused(world, closed_meeting):
    services.meeting_sign(actor=world.an_user, meeting=closed_meeting, password=PASSWORD)
    before = meeting_state(closed_meeting)
    message = refused(
        lambda: services.meeting_sign(
            actor=world.an_user, meeting=closed_meeting, password=PASSWORD
        )
    )
    assert message == "Đồng chí đã ký biên bản này."
    assert meeting_state(closed_meeting) == before


@pytest.mark.django_db
def test_signing_an_open_meeting_is_refused(world, live_meeting):
    before = meeting_state(live_meeting)
    message = refused(
        lambda: services.meeting_sign(actor=world.an_user, meeting=live_meeting, password=PASSWORD)
    )
    assert message == "Chỉ ký được biên bản sau khi buổi sinh hoạt đã bế mạc."
    assert meeting_state(live_meeting) == before


@pytest.mark.django_db
def test_after_the_first_signature_the_facts_are_locked(world, closed_meeting):
    """The chair signs; until the minute-taker signs the same content, nothing that the
    documents say may change (otherwise the second signature would freeze a text the first
    signer never saw)."""
    services.meeting_sign(actor=world.an_user, meeting=closed_meeting, password=PASSWORD)
    before = meeting_state(closed_meeting)
    message = refused(
        lambda: services.attendance_mark(
            actor=world.binh_user,
            meeting=closed_meeting,
            member_id=world.binh.pk,
            status=AttendanceStatus.ABSENT_EXCUSED,
            reason="Ốm",
        )
    )
    assert message == "Đã có người ký biên bản; nội dung đã ký không thể thay đổi nữa."
    refused(
        lambda: services.assignment_add(
            actor=world.binh_user,
            meeting=closed_meeting,
            title="Nhiệm vụ thêm sau khi đã ký",
            members=[world.binh],
            due_date=datetime.date(2026, 11, 30),
        )
    )
    refused(
        lambda: services.record_update(
            actor=world.binh_user, meeting=closed_meeting, closing_text="Sửa sau khi ký."
        )
    )
    assert meeting_state(closed_meeting) == before


# -- a signed record ------------------------------------------------------------------------


def every_change(world, meeting):
    """Every service that changes a meeting's record, aimed at `meeting`, named."""
    item = meeting.agenda_items.get(step="review")
    speech = meeting.speeches.first()
    vote = meeting.votes.first()
    day = meeting.date
    return {
        "attendance_mark": lambda: services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=world.binh.pk,
            status=AttendanceStatus.ABSENT_EXCUSED,
            reason="Ốm",
        ),
        "speech_add": lambda: services.speech_add(
            actor=world.binh_user,
            meeting=meeting,
            member=world.binh,
            summary="Ý kiến bổ sung.",
            client_token=uuid.uuid4(),
        ),
        "speech_delete": lambda: services.speech_delete(actor=world.binh_user, speech=speech),
        "commendation_add": lambda: services.commendation_add(
            actor=world.an_user,
            meeting=meeting,
            member=world.binh,
            kind=CommendationKind.CRITICISM,
            note="Phê bình thêm.",
        ),
        "vote_record": lambda: services.vote_record(
            actor=world.an_user,
            meeting=meeting,
            title="Biểu quyết thêm",
            subject=VoteSubject.DECISION,
            in_favour=1,
            against=0,
            abstain=0,
        ),
        "vote_delete": lambda: services.vote_delete(actor=world.an_user, vote=vote),
        "agenda_item_update": lambda: services.agenda_item_update(
            actor=world.binh_user, item=item, notes="Ghi chép sửa lại."
        ),
        "agenda_item_add": lambda: services.agenda_item_add(
            actor=world.an_user, meeting=meeting, title="Nội dung thêm"
        ),
        "agenda_item_delete": lambda: services.agenda_item_delete(actor=world.an_user, item=item),
        "agenda_item_move": lambda: services.agenda_item_move(
            actor=world.an_user, item=item, offset=1
        ),
        "agenda_build": lambda: services.agenda_build(actor=world.an_user, meeting=meeting),
        "record_update": lambda: services.record_update(
            actor=world.binh_user, meeting=meeting, closing_text="Sửa sau khi ký."
        ),
        "score_lines_set": lambda: services.score_lines_set(
            actor=world.an_user, meeting=meeting, points={"conduct_content": 1}
        ),
        "score_compute": lambda: services.score_compute(actor=world.an_user, meeting=meeting),
        "score_confirm": lambda: services.score_confirm(
            actor=world.cuc_user,
            meeting=meeting,
            confirmer=world.cuc,
            adjustments={"conduct_content": 1},
            reason="Điều chỉnh sau khi ký",
        ),
        "guest_add": lambda: services.guest_add(actor=world.an_user, meeting=meeting, name="Khách"),
        "meeting_update_details": lambda: services.meeting_update_details(
            actor=world.an_user, meeting=meeting, place="Nơi khác"
        ),
        "meeting_reschedule": lambda: services.meeting_reschedule(
            actor=world.an_user,
            meeting=meeting,
            date=day + datetime.timedelta(days=2),
            time=datetime.time(8),
            place="Nơi khác",
            reason="Dời lịch",
        ),
        "meeting_cancel": lambda: services.meeting_cancel(
            actor=world.an_user, meeting=meeting, reason="Hủy"
        ),
        "meeting_publish": lambda: services.meeting_publish(actor=world.an_user, meeting=meeting),
        "meeting_open": lambda: services.meeting_open(
            actor=world.an_user, meeting=meeting, chair=world.an, minute_taker=world.binh
        ),
        "meeting_close": lambda: services.meeting_close(
            actor=world.an_user, meeting=meeting, ended_at=at(day, 22)
        ),
        "meeting_sign": lambda: services.meeting_sign(
            actor=world.an_user, meeting=meeting, password=PASSWORD
        ),
        "preparation_record": lambda: services.preparation_record(
            actor=world.an_user,
            meeting=meeting,
            held_on=day - datetime.timedelta(days=3),
            participants=[world.an],
            agreed="Họp lại.",
        ),
        "assignment_add": lambda: services.assignment_add(
            actor=world.an_user,
            meeting=meeting,
            title="Nhiệm vụ thêm sau khi ký",
            members=[world.binh],
            due_date=day + datetime.timedelta(days=20),
        ),
    }


@pytest.mark.django_db
def test_a_signed_record_cannot_be_changed_by_any_service(world):
    """After both signatures every service that would change the meeting refuses with a
    message, and nothing at all changes (the record, the rows, the audit log, the inbox)."""
    meeting = run_meeting(world, cell_people(world))
    assert meeting.status == MeetingStatus.SIGNED
    before = meeting_state(meeting)
    not_refused, changed = [], []
    for name, change in every_change(world, meeting).items():
        try:
            change()
        except ServiceError as error:
            assert error.message, name
        else:
            not_refused.append(name)
        if meeting_state(meeting) != before:
            changed.append(name)
            before = meeting_state(meeting)
    assert not_refused == []
    assert changed == []


@pytest.mark.django_db
def test_the_signed_message_points_to_an_addendum(world):
    meeting = run_meeting(world, cell_people(world))
    message = refused(
        lambda: services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=world.binh.pk,
            status=AttendanceStatus.ABSENT_EXCUSED,
            reason="Ốm",
        )
    )
    assert message == (
        "Biên bản cuộc họp này đã được ký và không thể thay đổi nữa. Hãy ghi phần đính chính "
        "bằng một phụ lục có chữ ký."
    )
