"""Scheduling pages: the meeting policy and generation, a cell's meetings, the meeting page
and its documents, moving and cancelling, the committee's thematic-meeting warning, and the
daily jobs. An (secretary of Khối 1) manages; Bình (member) reads; Cúc oversees the ward;
Dũng (Khối 2) is outside Khối 1."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chibo.meetings import jobs, services
from chibo.meetings.models import Meeting, MeetingKind, MeetingPolicy, MeetingStatus
from chibo.notify.models import Notification
from tests.conftest import give_position, make_member, make_org
from tests.meetings.factories import at, make_meeting, mark_all, open_meeting

pytestmark = pytest.mark.django_db

VN = datetime.timezone(datetime.timedelta(hours=7))
# 20 April 2026: May's 3rd is a Sunday, 30/4 and 1/5 are public holidays.
APRIL_20 = datetime.datetime(2026, 4, 20, 9, 0, tzinfo=VN)


@pytest.fixture
def april():
    """Freeze the clock before the world is built (request it before `world`)."""
    with time_machine.travel(APRIL_20, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded documents go to a temporary directory, not the project's var/."""
    settings.MEDIA_ROOT = tmp_path


def _login(client, user):
    client.force_login(user)
    return client


def _policy_data(**overrides):
    data = {
        "day_of_month": "3",
        "non_working_day": "next",
        "default_time": "19:30",
        "default_place": "Nhà văn hóa khu phố",
        "months_ahead": "3",
        "term_start": "2025-10-01",
        "signature_authority": "cell",
    }
    data.update(overrides)
    return data


def _text(response):
    return response.content.decode()


# -- meeting policy -------------------------------------------------------------------------


def test_secretary_sets_the_cells_policy_and_sees_the_next_three_days(april, world, client):
    _login(client, world.an_user)
    url = reverse("meetings:policy", args=[world.khoi1.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Chưa có quy định lịch sinh hoạt" in _text(page)
    response = client.post(url, _policy_data())
    assert response.status_code == 302
    policy = MeetingPolicy.objects.get(organization=world.khoi1)
    assert policy.day_of_month == 3
    page = _text(client.get(url))
    # 3/5/2026 is a Sunday: the meeting moves to Monday 4/5; 3/6 and 3/7 are working days.
    assert "04/05/2026" in page
    assert "03/06/2026" in page
    assert "03/07/2026" in page
    assert "03/05/2026" not in page


def test_policy_shows_the_inherited_policy_of_the_ward(april, world, client):
    services.policy_set(
        actor=None, organization=world.ward, day_of_month=2, non_working_day="previous"
    )
    page = _text(
        _login(client, world.an_user).get(reverse("meetings:policy", args=[world.khoi1.pk]))
    )
    assert "Đang áp dụng quy định lịch sinh hoạt của Đảng ủy phường Hưng Phú" in page
    # 2/5/2026 is a Saturday (kept), 2/6 a Tuesday, 2/7 a Thursday.
    assert "02/05/2026" in page


def test_policy_national_day_moves_to_the_next_or_previous_working_day(world, client):
    # 2/9/2026 (Wednesday) is National Day and 1/9 its adjacent day off (Labour Code art. 112).
    with time_machine.travel(datetime.datetime(2026, 8, 20, 9, 0, tzinfo=VN), tick=False):
        services.policy_set(actor=None, organization=world.khoi1, day_of_month=2)
        url = reverse("meetings:policy", args=[world.khoi1.pk])
        page = _text(_login(client, world.an_user).get(url))
        assert "03/09/2026" in page
        services.policy_set(actor=None, organization=world.khoi1, non_working_day="previous")
        page = _text(client.get(url))
        assert "31/08/2026" in page
        services.policy_set(actor=None, organization=world.khoi1, non_working_day="keep")
        page = _text(client.get(url))
        assert "02/09/2026" in page


def test_policy_day_31_is_refused_and_nothing_changes(world, client):
    _login(client, world.an_user)
    response = client.post(
        reverse("meetings:policy", args=[world.khoi1.pk]), _policy_data(day_of_month="31")
    )
    assert response.status_code == 200
    assert "Ngày sinh hoạt phải từ ngày 1 đến ngày 28." in _text(response)
    assert not MeetingPolicy.objects.filter(organization=world.khoi1).exists()


def test_policy_access(world, client):
    url = reverse("meetings:policy", args=[world.khoi1.pk])
    assert _login(client, world.binh_user).get(url).status_code == 403
    assert _login(client, world.dung_user).get(url).status_code == 404
    # Cúc oversees the ward but keeps no register: she reads, she does not set the schedule.
    assert _login(client, world.cuc_user).get(url).status_code == 403
    ward_url = reverse("meetings:policy", args=[world.ward.pk])
    assert _login(client, world.an_user).get(ward_url).status_code == 404
    assert _login(client, world.an_user).put(url).status_code == 405


def test_generate_is_idempotent_and_says_how_many(april, world, client):
    services.policy_set(actor=None, organization=world.ward, day_of_month=3)
    _login(client, world.admin_user)
    url = reverse("meetings:policy_generate", args=[world.ward.pk])
    response = client.post(url, follow=True)
    # May (moved to Monday 4/5) and June for each of the two cells; April's day has passed.
    assert "Đã tạo 4 buổi sinh hoạt thường kỳ." in _text(response)
    assert set(Meeting.objects.filter(organization=world.khoi1).values_list("date", flat=True)) == {
        datetime.date(2026, 5, 4),
        datetime.date(2026, 6, 3),
    }
    response = client.post(url, follow=True)
    assert "Đã tạo 0 buổi sinh hoạt" in _text(response)
    assert Meeting.objects.count() == 4
    assert client.get(url).status_code == 405
    assert _login(client, world.an_user).post(url).status_code == 404
    assert (
        _login(client, world.binh_user)
        .post(reverse("meetings:policy_generate", args=[world.khoi1.pk]))
        .status_code
        == 403
    )


def test_generation_never_touches_a_published_meeting_or_a_cancelled_month(april, world):
    services.policy_set(actor=None, organization=world.khoi1, day_of_month=3)
    assert services.meetings_generate(actor=None, organization=world.khoi1) == 2
    may, june = Meeting.objects.filter(organization=world.khoi1).order_by("date")
    services.agenda_build(actor=world.an_user, meeting=may)
    services.meeting_publish(actor=world.an_user, meeting=may)
    services.meeting_cancel(actor=world.an_user, meeting=june, reason="Trùng lễ hội khu phố")
    services.policy_set(actor=None, organization=world.khoi1, day_of_month=10, months_ahead=4)
    created = services.meetings_generate(actor=None, organization=world.khoi1)
    assert created == 1  # July only
    may.refresh_from_db()
    june.refresh_from_db()
    assert (may.date, may.status) == (datetime.date(2026, 5, 4), MeetingStatus.PREPARED)
    assert june.status == MeetingStatus.CANCELLED
    assert Meeting.objects.filter(organization=world.khoi1, kind="regular").count() == 3


# -- a cell's meetings ----------------------------------------------------------------------


def test_cell_meetings_lists_and_schedules_for_the_secretary(april, world, client):
    make_meeting(world.khoi1, date=datetime.date(2026, 3, 3))
    make_meeting(world.khoi1, date=datetime.date(2026, 5, 4))
    _login(client, world.an_user)
    url = reverse("meetings:cell_meetings", args=[world.khoi1.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = _text(page)
    assert "04/05/2026" in text and "03/03/2026" in text
    assert "Lên lịch sinh hoạt" in text
    response = client.post(
        url,
        {
            "kind": MeetingKind.THEMATIC,
            "date": "2026-05-20",
            "time": "19:30",
            "topic": "Học tập và làm theo tư tưởng Hồ Chí Minh",
        },
    )
    meeting = Meeting.objects.get(kind=MeetingKind.THEMATIC)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.place == ""  # Khối 1 has no meeting place recorded


def test_cell_meetings_show_the_score_of_a_scored_meeting(world, client):
    meeting = make_meeting(world.khoi1)
    services.agenda_build(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    services.meeting_close(actor=None, meeting=meeting, ended_at=at(meeting.date, 21, 10))
    manual = {line.code: 0 for line in meeting.score_lines.filter(automatic=False)}
    services.score_lines_set(actor=None, meeting=meeting, points=manual)
    score = Meeting.objects.get(pk=meeting.pk).score
    page = _text(
        _login(client, world.binh_user).get(
            reverse("meetings:cell_meetings", args=[world.khoi1.pk]), {"year": 2026}
        )
    )
    # Vietnamese number format: a decimal comma.
    total = str(score.total).replace(".", ",")
    assert f"{total} điểm · {score.get_rating_display()}" in page


def test_thematic_meeting_without_topic_is_refused(world, client):
    _login(client, world.an_user)
    response = client.post(
        reverse("meetings:cell_meetings", args=[world.khoi1.pk]),
        {"kind": MeetingKind.THEMATIC, "date": "2026-12-10", "time": "19:30"},
    )
    assert response.status_code == 200
    assert "Buổi sinh hoạt chuyên đề cần có chủ đề." in _text(response)
    assert not Meeting.objects.exists()


def test_cell_meetings_access(world, client):
    url = reverse("meetings:cell_meetings", args=[world.khoi1.pk])
    page = _login(client, world.binh_user).get(url)
    assert page.status_code == 200
    assert "Lên lịch sinh hoạt" not in _text(page)
    assert client.post(url, {"kind": "regular"}).status_code == 403
    assert _login(client, world.dung_user).get(url).status_code == 404
    assert _login(client, world.cuc_user).get(url).status_code == 200
    assert _login(client, world.an_user).delete(url).status_code == 405


def test_warning_when_the_quarter_has_no_thematic_meeting(april, world, client):
    _login(client, world.an_user)
    url = reverse("meetings:cell_meetings", args=[world.khoi1.pk])
    text = _text(client.get(url))
    assert (
        "Chưa có buổi sinh hoạt chuyên đề nào được tổ chức hoặc lên lịch trong quý 2/2026" in text
    )
    assert "Số buổi sinh hoạt chuyên đề tối thiểu mỗi quý: 1" in text  # the rule explains itself
    make_meeting(
        world.khoi1, date=datetime.date(2026, 5, 4), with_thematic_part=True, topic="Chỉ thị 05"
    )
    assert "Chưa có buổi sinh hoạt chuyên đề" not in _text(client.get(url))


def test_cell_meetings_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    _login(client, world.an_user)
    url = reverse("meetings:cell_meetings", args=[world.khoi1.pk])
    make_meeting(world.khoi1, date=datetime.date(2026, 1, 6))
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    for month in range(2, 13):
        make_meeting(world.khoi1, date=datetime.date(2026, month, 6))
        make_meeting(world.khoi1, kind="extraordinary", date=datetime.date(2026, month, 20))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_ward_page_lists_cells_without_a_thematic_meeting(april, world, client):
    make_meeting(
        world.khoi2,
        kind=MeetingKind.THEMATIC,
        date=datetime.date(2026, 6, 10),
        topic="Chuyển đổi số",
    )
    page = _text(_login(client, world.cuc_user).get(reverse("orgs:detail", args=[world.ward.pk])))
    panel = page.split('id="thematic-panel"')[1].split("</div></div>")[0]
    assert "Chi bộ chưa sinh hoạt chuyên đề trong quý 2/2026" in panel
    assert reverse("meetings:cell_meetings", args=[world.khoi1.pk]) in panel
    assert reverse("meetings:cell_meetings", args=[world.khoi2.pk]) not in panel


def test_ward_page_query_count_does_not_grow_with_cells(
    world, client, django_assert_max_num_queries
):
    _login(client, world.cuc_user)
    url = reverse("orgs:detail", args=[world.ward.pk])
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    for number in range(3, 28):
        make_org(world.ward, f"Chi bộ Khối {number}", "cell", f"38.168.000.000.{number:03d}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_cell_page_and_member_list_link_to_the_meetings(world, client):
    url = reverse("meetings:cell_meetings", args=[world.khoi1.pk])
    assert url in _text(
        _login(client, world.an_user).get(reverse("orgs:detail", args=[world.khoi1.pk]))
    )
    members = _text(
        _login(client, world.binh_user).get(reverse("members:cell_list", args=[world.khoi1.pk]))
    )
    assert url in members
    # The navigation bar takes a member to their cell's meetings too.
    assert f'href="{url}"' in _text(client.get(reverse("home")))


# -- the meeting page -----------------------------------------------------------------------


def _pdf(name="chuong-trinh.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% chibo\n", content_type="application/pdf")


def test_member_reads_the_meeting_documents_and_their_assignments(world, client):
    meeting = make_meeting(world.khoi1)
    services.agenda_build(actor=world.an_user, meeting=meeting)
    document = services.document_attach(
        actor=world.an_user, meeting=meeting, title="Dự thảo nghị quyết", upload=_pdf()
    )
    open_meeting(meeting, world.an, world.binh)
    services.assignment_add(
        actor=world.an_user,
        meeting=meeting,
        title="Vận động hộ gia đình phân loại rác",
        members=[world.binh],
        due_date=datetime.date(2026, 11, 30),
    )
    _login(client, world.binh_user)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert page.status_code == 200
    text = _text(page)
    assert "Thông tin thời sự" in text  # an agenda item of the standard sequence
    assert "Dự thảo nghị quyết" in text
    assert "Vận động hộ gia đình phân loại rác" in text
    assert reverse("meetings:prepare", args=[meeting.pk]) not in text  # no manager actions
    download = client.get(reverse("meetings:document_download", args=[meeting.pk, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_meeting_page_access(world, client):
    meeting = make_meeting(world.khoi1)
    document = services.document_attach(actor=None, meeting=meeting, title="", upload=_pdf())
    other = make_meeting(world.khoi2)
    url = reverse("meetings:detail", args=[meeting.pk])
    download = reverse("meetings:document_download", args=[meeting.pk, document.pk])
    assert _login(client, world.dung_user).get(url).status_code == 404
    assert client.get(download).status_code == 404
    assert _login(client, world.an_user).post(url).status_code == 405
    # A document is only reachable through its own meeting.
    wrong = reverse("meetings:document_download", args=[other.pk, document.pk])
    assert _login(client, world.cuc_user).get(wrong).status_code == 404
    page = _text(_login(client, world.an_user).get(url))
    assert reverse("meetings:prepare", args=[meeting.pk]) in page
    assert reverse("meetings:reschedule", args=[meeting.pk]) in page


def test_reschedule_tells_members_with_the_reason(world, client):
    meeting = make_meeting(world.khoi1)
    _login(client, world.an_user)
    url = reverse("meetings:reschedule", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"date": "2026-11-05", "time": "19:00", "place": "", "reason": "Trùng lịch tiêm chủng"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2026, 11, 5)
    assert meeting.place == "Nhà văn hóa khu phố"
    notified = set(
        Notification.objects.filter(code="meeting.rescheduled").values_list("recipient", flat=True)
    )
    assert notified == {world.an_user.pk, world.binh_user.pk, world.cuc_user.pk}
    assert (
        "Trùng lịch tiêm chủng" in Notification.objects.filter(recipient=world.binh_user).get().body
    )


def test_reschedule_without_reason_is_refused_and_changes_nothing(world, client):
    meeting = make_meeting(world.khoi1)
    _login(client, world.an_user)
    response = client.post(
        reverse("meetings:reschedule", args=[meeting.pk]),
        {"date": "2026-11-05", "time": "19:00", "reason": "  "},
    )
    assert response.status_code == 200
    assert "Nhập lý do dời buổi sinh hoạt." in _text(response)
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2026, 11, 3)
    assert not Notification.objects.exists()


def test_cancel_tells_members_and_is_for_managers_only(world, client):
    meeting = make_meeting(world.khoi1)
    url = reverse("meetings:cancel", args=[meeting.pk])
    assert _login(client, world.binh_user).get(url).status_code == 403
    assert _login(client, world.dung_user).post(url, {"reason": "x"}).status_code == 404
    _login(client, world.an_user)
    response = client.post(url, {"reason": ""})
    assert "Nhập lý do hủy buổi sinh hoạt." in _text(response)
    assert client.post(url, {"reason": "Mưa bão"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert Notification.objects.filter(code="meeting.cancelled", recipient=world.binh_user).exists()
    page = _text(client.get(reverse("meetings:detail", args=[meeting.pk])))
    assert "Lý do: Mưa bão" in page
    # A cancelled meeting can no longer be moved; the page says so.
    response = client.post(
        reverse("meetings:reschedule", args=[meeting.pk]),
        {"date": "2026-11-05", "time": "19:00", "reason": "Lịch mới"},
    )
    assert response.status_code == 200
    assert "alert-danger" in _text(response)


# -- jobs -----------------------------------------------------------------------------------


def test_daily_generation_covers_every_root_and_is_idempotent(april, world):
    services.policy_set(actor=None, organization=world.province, day_of_month=5)
    first = jobs.generate_for_roots()
    # Three cells (Khối 1, Khối 2 and Nà Mò in the other commune): May and June each.
    assert first == 6
    assert jobs.generate_for_roots() == 0


def test_reminder_goes_to_the_secretary_once_a_day_until_published(world):
    deputy = make_member(world.khoi1, "Hoàng Văn Phó", party_card_number="10000009")
    give_position(deputy, world.khoi1, "deputy_secretary")
    meeting = make_meeting(world.khoi1)  # 3/11/2026 19:30; notice due 1 day before
    with time_machine.travel(datetime.datetime(2026, 10, 25, 8, 0, tzinfo=VN), tick=False):
        assert jobs.remind_unpublished() == 0  # too early
    with time_machine.travel(datetime.datetime(2026, 11, 1, 8, 0, tzinfo=VN), tick=False):
        assert jobs.remind_unpublished() == 1
        assert jobs.remind_unpublished() == 0  # already reminded today
    reminder = Notification.objects.get(code=jobs.REMINDER_CODE)
    assert reminder.recipient == world.an_user
    assert reminder.url == reverse("meetings:detail", args=[meeting.pk])
    assert "02/11/2026" in reminder.title
    assert deputy.user_id is None  # no login, nothing to send
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=VN), tick=False):
        services.agenda_build(actor=None, meeting=meeting)
        services.meeting_publish(actor=None, meeting=meeting)
        assert jobs.remind_unpublished() == 0


# -- issue 9, item 21: which list a meeting is in ------------------------------------------


def _sections(text):
    """The cell's meeting page cut into its "Sắp tới" and "Các buổi đã qua" parts."""
    upcoming, _, past = text.partition("Các buổi đã qua")
    return upcoming.partition("Sắp tới")[2], past


@pytest.mark.parametrize("year", [None, 2026, 2027])
def test_signed_meeting_is_past_and_a_2027_meeting_upcoming(demo_data, client, year):
    """'Sắp tới' = not yet held and dated today or later; a signed meeting is past, even on its
    own day; a meeting planned for 2027 is upcoming whatever year the past list shows."""
    from chibo.accounts.models import User
    from chibo.orgs.models import Organization

    cell = Organization.objects.get(name="Chi bộ Khối 3")
    signed = Meeting.objects.get(organization=cell, date=datetime.date(2026, 12, 3))
    planned = Meeting.objects.get(organization=cell, date=datetime.date(2027, 1, 4))
    assert (signed.status, planned.status) == (MeetingStatus.SIGNED, MeetingStatus.PLANNED)
    client.force_login(User.objects.get(username="bithu.phuong"))
    url = reverse("meetings:cell_meetings", args=[cell.pk])
    # The day of the signed meeting, in the evening after it was held and signed.
    with time_machine.travel(datetime.datetime(2026, 12, 3, 22, 0, tzinfo=VN), tick=False):
        page = client.get(url, {"year": year} if year else {})
    upcoming, past = _sections(_text(page))
    signed_link = reverse("meetings:detail", args=[signed.pk]) + '"'
    planned_link = reverse("meetings:detail", args=[planned.pk]) + '"'
    assert signed_link not in upcoming
    assert planned_link in upcoming
    assert planned_link not in past
    if year in (None, 2026):
        assert signed_link in past
