"""The live meeting screen through HTTP: who may do what, htmx partials, retries, conflicts."""

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse

from chibo.meetings import services
from chibo.meetings.models import Attendance, MeetingStatus, Speech, Vote
from tests.conftest import PASSWORD
from tests.meetings.factories import MEETING_DAY, at, make_meeting, open_meeting

HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def meeting(world):
    meeting = make_meeting(world.khoi1)
    services.agenda_build(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)
    return meeting


@pytest.mark.django_db
def test_secretary_opens_the_meeting_and_calls_the_roll(client, world, meeting):
    login(client, world.an_user)
    response = client.get(reverse("meetings:open", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Mở buổi sinh hoạt" in response.content.decode() or response.status_code == 200
    response = client.post(
        reverse("meetings:open", args=[meeting.pk]),
        {
            "chair": world.an.pk,
            "minute_taker": world.binh.pk,
            "started_at": "2026-11-03T19:30",
            "guest_member": world.cuc.pk,
            "guest_title": "Đảng ủy viên phường",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_PROGRESS
    assert meeting.guests.get().member == world.cuc
    url = reverse("meetings:attendance_mark", args=[meeting.pk, world.binh.pk])
    response = client.post(url, {"status": "present", "version": 1}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="att-{world.binh.pk}"' in body
    assert 'hx-swap-oob="true"' in body  # the summary is refreshed with the row
    assert Attendance.objects.get(meeting=meeting, member=world.binh).status == "present"


@pytest.mark.django_db
def test_another_cell_gets_404_and_a_plain_member_403(client, world, meeting):
    login(client, world.dung_user)
    assert client.get(reverse("meetings:open", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:live", args=[meeting.pk])).status_code == 404
    client.logout()
    login(client, world.binh_user)
    assert client.get(reverse("meetings:open", args=[meeting.pk])).status_code == 403


@pytest.mark.django_db
def test_minute_taker_records_speeches_and_a_retry_does_not_duplicate(client, world, meeting):
    open_meeting(meeting, world.an, world.binh)
    login(client, world.binh_user)
    token = str(uuid.uuid4())
    data = {
        "member": world.an.pk,
        "summary": "Đề nghị tăng cường vệ sinh môi trường.",
        "client_token": token,
    }
    url = reverse("meetings:speech_add", args=[meeting.pk])
    assert client.post(url, data, **HTMX).status_code == 200
    assert client.post(url, data, **HTMX).status_code == 200
    assert Speech.objects.filter(meeting=meeting).count() == 1
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_stale_attendance_mark_is_reported_not_overwritten(client, world, meeting):
    open_meeting(meeting, world.an, world.binh)
    services.attendance_mark(actor=None, meeting=meeting, member_id=world.binh.pk, status="late")
    login(client, world.an_user)
    url = reverse("meetings:attendance_mark", args=[meeting.pk, world.binh.pk])
    response = client.post(url, {"status": "absent_excused", "reason": "ốm", "version": 1}, **HTMX)
    assert "Trần Thị Bình" in response.content.decode()
    assert Attendance.objects.get(meeting=meeting, member=world.binh).status == "late"


@pytest.mark.django_db
def test_vote_larger_than_the_electorate_is_refused_in_vietnamese(client, world, meeting):
    open_meeting(meeting, world.an, world.binh)
    services.attendance_mark(actor=None, meeting=meeting, member_id=world.an.pk, status="present")
    services.attendance_mark(actor=None, meeting=meeting, member_id=world.binh.pk, status="present")
    login(client, world.an_user)
    response = client.post(
        reverse("meetings:vote_record", args=[meeting.pk]),
        {
            "title": "Nghị quyết tháng 11",
            "subject": "resolution",
            "in_favour": 3,
            "against": 0,
            "abstain": 0,
            "client_token": str(uuid.uuid4()),
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "đảng viên chính thức" in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_close_before_start_is_refused(client, world, meeting):
    open_meeting(meeting, world.an, world.binh)
    for member in (world.an, world.binh):
        services.attendance_mark(actor=None, meeting=meeting, member_id=member.pk, status="present")
    login(client, world.an_user)
    response = client.post(
        reverse("meetings:close", args=[meeting.pk]),
        {"started_at": "2026-11-03T19:30", "ended_at": "2026-11-03T19:00"},
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_PROGRESS
    assert meeting.ended_at is None
    assert at(MEETING_DAY, 19, 30) == meeting.started_at


def _closed(world, meeting):
    open_meeting(meeting, world.an, world.binh)
    for member in (world.an, world.binh):
        services.attendance_mark(actor=None, meeting=meeting, member_id=member.pk, status="present")
    services.meeting_close(actor=None, meeting=meeting, ended_at=at(MEETING_DAY, 21, 0))
    meeting.refresh_from_db()
    return meeting


@pytest.mark.django_db
def test_upper_level_member_confirms_the_score_with_a_reason(client, world, meeting):
    """DOMAIN R1.15: the upper-level committee member assigned to the cell confirms the score,
    or adjusts a criterion with a reason; a member of the cell cannot."""
    meeting = _closed(world, meeting)
    manual = {f"points_{line.code}": 0 for line in meeting.score_lines.filter(automatic=False)}
    login(client, world.an_user)
    assert client.post(reverse("meetings:score_save", args=[meeting.pk]), manual).status_code == 302
    client.logout()
    login(client, world.binh_user)
    url = reverse("meetings:score_confirm", args=[meeting.pk])
    assert client.post(url, {"reason": ""}).status_code == 403
    client.logout()
    login(client, world.cuc_user)
    assert client.get(reverse("meetings:live", args=[meeting.pk]) + "?tab=score").status_code == 200
    client.post(url, {"adjust_conduct_procedure": "4", "reason": ""})
    meeting.score.refresh_from_db()
    assert meeting.score.confirmed_by is None  # an adjustment without a reason is refused
    client.post(url, {"adjust_conduct_procedure": "4", "reason": "Thực hiện đủ quy trình"})
    meeting.score.refresh_from_db()
    assert meeting.score.confirmed_by == world.cuc
    line = meeting.score_lines.get(code="conduct_procedure")
    assert line.points == 4 and "Thực hiện đủ quy trình" in line.evidence


@pytest.mark.django_db
def test_a_signer_withdraws_before_the_other_signs_and_not_after(client, world, meeting):
    meeting = _closed(world, meeting)
    manual = {line.code: 0 for line in meeting.score_lines.filter(automatic=False)}
    services.score_lines_set(actor=None, meeting=meeting, points=manual)
    services.meeting_sign(actor=world.an_user, meeting=meeting, password=PASSWORD)
    login(client, world.an_user)
    url = reverse("meetings:sign_withdraw", args=[meeting.pk])
    client.post(url, {"password": "wrong"})
    assert meeting.signatures.count() == 1  # a wrong password changes nothing
    client.post(url, {"password": PASSWORD})
    assert meeting.signatures.count() == 0
    services.record_update(actor=world.an_user, meeting=meeting, resolution_subject="Sửa lại")
    services.meeting_sign(actor=world.an_user, meeting=meeting, password=PASSWORD)
    services.meeting_sign(actor=world.binh_user, meeting=meeting, password=PASSWORD)
    client.post(url, {"password": PASSWORD})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    assert meeting.signatures.count() == 2


@pytest.mark.django_db
def test_the_roll_call_summary_is_polled_for_the_other_phones(client, world, meeting):
    open_meeting(meeting, world.an, world.binh)
    services.attendance_mark(actor=None, meeting=meeting, member_id=world.binh.pk, status="present")
    login(client, world.an_user)
    url = reverse("meetings:live", args=[meeting.pk]) + "?tab=rollcall&part=summary"
    response = client.get(url, **HTMX)
    body = response.content.decode()
    assert body.strip().startswith('<div id="rollcall-summary"')
    assert 'hx-trigger="every 20s"' in body
    assert "1</strong> có mặt" in body


@pytest.mark.django_db
def test_everyone_not_called_is_marked_present_in_one_step(client, world, meeting):
    open_meeting(meeting, world.an, world.binh)
    services.attendance_mark(
        actor=None, meeting=meeting, member_id=world.binh.pk, status="absent_excused", reason="ốm"
    )
    login(client, world.an_user)
    url = reverse("meetings:attendance_rest_present", args=[meeting.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a retry finds nobody left
    statuses = dict(meeting.attendance.values_list("member_id", "status"))
    assert statuses == {world.an.pk: "present", world.binh.pk: "absent_excused"}


@pytest.mark.django_db
def test_a_late_guest_is_added_and_a_mistaken_speech_removed(client, world, meeting):
    open_meeting(meeting, world.an, world.binh)
    speech, _ = services.speech_add(
        actor=None, meeting=meeting, member=world.an, summary="Nhập nhầm người phát biểu."
    )
    login(client, world.binh_user)  # the minute-taker
    client.post(
        reverse("meetings:guest_add", args=[meeting.pk]),
        {"name": "Lê Thị Cúc", "title": "Đảng ủy viên phường"},
    )
    assert list(meeting.guests.values_list("name", flat=True)) == ["Lê Thị Cúc"]
    page = client.get(reverse("meetings:live", args=[meeting.pk]) + "?tab=agenda")
    delete_url = reverse("meetings:speech_delete", args=[meeting.pk, speech.pk])
    assert delete_url in page.content.decode()
    client.post(delete_url)
    assert not Speech.objects.filter(meeting=meeting).exists()


# -- issue 9, item 16: namesakes are told apart, people are never matched by name ----------


@pytest.fixture
def khoi2_meeting(demo_data):
    """The demo's Chi bộ Khối 2 (two Lương Văn Thuận, two Trần Thị Lý) and its January 2027
    meeting, opened by its secretary, with the ward secretary (who manages the ward) logged in."""
    import datetime

    from chibo.accounts.models import User
    from chibo.meetings.models import Meeting
    from chibo.members.models import Member
    from chibo.orgs.models import Organization, Position, Role

    cell = Organization.objects.get(name="Chi bộ Khối 2")
    meeting = Meeting.objects.get(organization=cell, date=datetime.date(2027, 1, 4))
    secretary = Position.objects.current().get(organization=cell, role=Role.SECRETARY).member
    deputy = Position.objects.current().get(organization=cell, role=Role.DEPUTY_SECRETARY).member
    namesakes = list(
        Member.objects.filter(cell=cell, full_name__in=["Lương Văn Thuận", "Trần Thị Lý"])
    )
    return {
        "meeting": meeting,
        "secretary": secretary,
        "deputy": deputy,
        "namesakes": namesakes,
        "user": User.objects.get(username="bithu.phuong"),
    }


NAMESAKE_LABELS = [
    "Lương Văn Thuận (1954)",
    "Lương Văn Thuận (1968)",
    "Trần Thị Lý (1950)",
    "Trần Thị Lý (1960)",
]


@pytest.mark.django_db
def test_namesakes_show_their_birth_year_wherever_a_person_is_chosen(client, khoi2_meeting):
    meeting = khoi2_meeting["meeting"]
    assert len(khoi2_meeting["namesakes"]) == 4
    client.force_login(khoi2_meeting["user"])
    # The chair and minute-taker pickers of the opening.
    text = client.get(reverse("meetings:open", args=[meeting.pk])).content.decode()
    for label in NAMESAKE_LABELS:
        assert f">{label}</option>" in text
    open_meeting(meeting, khoi2_meeting["secretary"], khoi2_meeting["deputy"])
    live = reverse("meetings:live", args=[meeting.pk])
    # The roll call rows and each tab's member pickers (speaker, praise, assignees, vote).
    for tab in ("rollcall", "agenda", "assignments", "votes"):
        text = client.get(live, {"tab": tab}).content.decode()
        for label in NAMESAKE_LABELS:
            assert label in text, (tab, label)


@pytest.mark.django_db
def test_opening_links_a_guest_by_id_never_by_name(client, world, meeting):
    """A namesake of the upper-level member typed as the guest is not taken for her; the
    upper-level member is pre-selected by her record, not by her name."""
    login(client, world.an_user)
    url = reverse("meetings:open", args=[meeting.pk])
    page = client.get(url)
    data = {
        "chair": world.an.pk,
        "minute_taker": world.binh.pk,
        "started_at": "2026-11-03T19:30",
        "guest_name": "Lê Thị Cúc",  # a namesake from the residents' group, not the ward's Cúc
        "guest_title": "Trưởng khu phố",
    }
    with time_machine.travel(at(MEETING_DAY, 19, 25), tick=False):
        assert client.post(url, data).status_code == 302
    guest = meeting.guests.get()
    assert (guest.name, guest.member, guest.is_upper_level) == ("Lê Thị Cúc", None, False)
    assert page.context["form"].initial["guest_member"] == world.cuc
    assert "Lê Thị Cúc (1970)" in page.content.decode()


# -- issue 9, item 10 (opening): another day than scheduled -----------------------------------


def _open_data(world, started_at):
    return {"chair": world.an.pk, "minute_taker": world.binh.pk, "started_at": started_at}


@pytest.mark.django_db
def test_opening_on_another_day_warns_and_records_the_actual_date(client, world, meeting):
    """Scheduled for 03/11/2026, opened on 05/11/2026: the open screen says so before, the
    answer says so after, and the meeting keeps both the scheduled date and the actual start."""
    login(client, world.an_user)
    url = reverse("meetings:open", args=[meeting.pk])
    with time_machine.travel(at(datetime.date(2026, 11, 5), 19, 25), tick=False):
        text = client.get(url).content.decode()
        assert (
            "Buổi sinh hoạt được lên lịch ngày 03/11/2026, hôm nay là 05/11/2026. Mở buổi "
            "sinh hoạt bây giờ sẽ ghi ngày giờ thực tế bắt đầu." in text
        )
        response = client.post(url, _open_data(world, "2026-11-05T19:30"), follow=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_PROGRESS
    assert meeting.date == MEETING_DAY  # the scheduled date stays
    assert meeting.started_at == at(datetime.date(2026, 11, 5), 19, 30)  # the actual start
    text = response.content.decode()
    assert "Buổi sinh hoạt được mở ngày 05/11/2026, không phải ngày đã lên lịch 03/11/2026" in text
    assert "Bắt đầu thực tế: 05/11/2026 19:30" in text  # the live screen shows it


@pytest.mark.django_db
def test_opening_on_the_scheduled_day_does_not_warn(client, world, meeting):
    login(client, world.an_user)
    url = reverse("meetings:open", args=[meeting.pk])
    with time_machine.travel(at(MEETING_DAY, 19, 25), tick=False):
        assert "được lên lịch ngày" not in client.get(url).content.decode()
        response = client.post(url, _open_data(world, "2026-11-03T19:30"), follow=True)
    assert "không phải ngày đã lên lịch" not in response.content.decode()
    assert "Bắt đầu thực tế" not in response.content.decode()


# -- issue 9, item 19: every action confirms what changed ------------------------------------


@pytest.mark.django_db
def test_saving_agenda_notes_confirms_what_changed(client, world, meeting):
    open_meeting(meeting, world.an, world.binh)
    item = meeting.agenda_items.get(step="news")
    login(client, world.binh_user)
    url = reverse("meetings:agenda_record", args=[meeting.pk, item.pk])
    data = {
        f"item{item.pk}-notes": "Phổ biến Nghị quyết của Đảng ủy phường.",
        f"item{item.pk}-conclusion": "",
        f"item{item.pk}-version": item.version,
    }
    text = client.post(url, data, **HTMX).content.decode()
    assert 'role="status"' in text
    assert f"Đã lưu “{item.title}”: ghi chú." in text
    # Without htmx: the same confirmation after the redirect.
    data.update({f"item{item.pk}-conclusion": "Thống nhất.", f"item{item.pk}-version": 2})
    data[f"item{item.pk}-deferred"] = "on"
    text = client.post(url, data, follow=True).content.decode()
    assert f"Đã lưu “{item.title}”: kết luận của chủ trì, chuyển sang buổi sinh hoạt sau." in text
    # Saving the same text again says that nothing changed.
    data[f"item{item.pk}-version"] = 3
    text = client.post(url, data, **HTMX).content.decode()
    assert f"Không có gì thay đổi ở “{item.title}”." in text


@pytest.mark.django_db
def test_reviewing_an_assignment_confirms_the_result(client, world, meeting):
    from chibo.followup import services as followup_services

    october = make_meeting(world.khoi1, date=datetime.date(2026, 10, 5))
    open_meeting(october, world.an, world.binh)
    task, _ = followup_services.assignment_create(
        actor=None,
        meeting=october,
        title="Vận động hộ gia đình phân loại rác",
        members=[world.binh],
        due_date=datetime.date(2026, 10, 31),
    )
    open_meeting(meeting, world.an, world.binh)
    login(client, world.an_user)
    url = reverse("meetings:assignment_review", args=[meeting.pk, task.pk])
    text = client.post(url, {"status": "done", "progress": "Đạt 90%"}, follow=True)
    text = text.content.decode()
    assert "Đã ghi kết quả “Vận động hộ gia đình phân loại rác”: Hoàn thành." in text


@pytest.mark.django_db
def test_live_actions_confirm_what_they_did(client, world, meeting):
    open_meeting(meeting, world.an, world.binh)
    login(client, world.an_user)
    token = {"client_token": str(uuid.uuid4())}
    text = client.post(
        reverse("meetings:commendation_add", args=[meeting.pk]),
        {"kind": "praise", "member": world.binh.pk, "note": "Tích cực vận động", **token},
        **HTMX,
    ).content.decode()
    assert 'role="status"' in text and "Trần Thị Bình (1970)" in text
    text = client.post(
        reverse("meetings:assignment_add", args=[meeting.pk]),
        {
            "title": "Thăm hỏi gia đình chính sách",
            "members": [world.binh.pk],
            "due_date": "2026-12-31",
            "client_token": str(uuid.uuid4()),
        },
        **HTMX,
    ).content.decode()
    assert "Đã giao “Thăm hỏi gia đình chính sách” cho Trần Thị Bình (1970)." in text
    text = client.post(
        reverse("meetings:guest_add", args=[meeting.pk]),
        {"name": "Lê Văn Tám", "title": "Trưởng khu phố"},
        follow=True,
    ).content.decode()
    assert "Đã thêm khách mời Lê Văn Tám." in text


@pytest.mark.django_db
def test_namesakes_show_their_birth_year_in_the_other_pickers(client, khoi2_meeting):
    """The preparatory meeting's participants, a candidate's mentor and the dues payment pick
    people with the same label (`Member.label`)."""
    import datetime

    from chibo.meetings.models import Meeting

    cell = khoi2_meeting["meeting"].organization
    february = Meeting.objects.get(organization=cell, date=datetime.date(2027, 2, 3))
    client.force_login(khoi2_meeting["user"])
    pages = {
        "prepare": reverse("meetings:prepare", args=[february.pk]),
        "mentor": reverse("lifecycle:candidate_new", args=[cell.pk]),
        "dues": reverse("members:dues", args=[cell.pk]),
        "dues sheet": reverse("members:dues_sheet", args=[cell.pk]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = response.content.decode()
        for label in NAMESAKE_LABELS:
            assert label in text, (name, label)
