"""The member's own pages (sổ tay, issue 4): the logged-in member sees their own record,
their cell's published meetings, their assignments, dues, badge progress, residence and
notifications, and nothing of anyone else."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chibo.followup import services as followup_services
from chibo.meetings import services as meeting_services
from chibo.meetings.models import MeetingKind
from chibo.members import services as member_services
from chibo.notify.services import notify_users
from tests.meetings.factories import make_meeting, open_meeting

pytestmark = pytest.mark.django_db

VN = datetime.timezone(datetime.timedelta(hours=7))
NOV_10 = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=VN)
URL = "/accounts/handbook/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def frozen():
    with time_machine.travel(NOV_10, tick=False):
        yield


def _publish(cell, day, actor=None):
    meeting = make_meeting(cell, date=day, kind=MeetingKind.EXTRAORDINARY)
    meeting_services.agenda_build(actor=actor, meeting=meeting)
    meeting_services.meeting_publish(actor=actor, meeting=meeting)
    return meeting


def _assign(meeting, title, members, due):
    row, _ = followup_services.assignment_create(
        actor=None, meeting=meeting, title=title, members=members, due_date=due
    )
    return row


@pytest.fixture
def held(world, frozen):
    """Khối 1's November meeting (open) gives Bình an overdue and a later assignment; Khối 2's
    gives Dũng one; Khối 1 has a published meeting on 20/11 and a planned one on 15/12."""
    november = make_meeting(world.khoi1)
    open_meeting(november, world.an, world.binh)
    overdue = _assign(november, "Nộp báo cáo tổ dân phố", [world.binh], datetime.date(2026, 11, 5))
    later = _assign(
        november, "Vận động hộ gia đình phân loại rác", [world.binh], datetime.date(2026, 11, 30)
    )
    khoi2 = make_meeting(world.khoi2)
    open_meeting(khoi2, world.dung, world.cuc)
    dungs = _assign(khoi2, "Kiểm tra sổ đảng phí Khối 2", [world.dung], datetime.date(2026, 11, 25))
    published = _publish(world.khoi1, datetime.date(2026, 11, 20))
    meeting_services.document_attach(
        actor=None,
        meeting=published,
        title="Dự thảo nghị quyết tháng 11",
        upload=SimpleUploadedFile("du-thao.pdf", b"%PDF-1.7 ...", "application/pdf"),
    )
    planned = make_meeting(world.khoi1, date=datetime.date(2026, 12, 15), place="Nhà ông Tư")
    return {
        "overdue": overdue,
        "later": later,
        "dungs": dungs,
        "published": published,
        "planned": planned,
    }


def test_binh_sees_her_own_handbook_and_not_dungs(world, client, held):
    client.force_login(world.binh_user)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    # (1) profile and history
    assert "Trần Thị Bình" in text
    assert "10000002" in text
    assert "Chi bộ Khối 1" in text
    assert "26 năm 8 tháng" in text  # party age from the decision of 1/3/2000
    # (3) assignments: hers, not Dũng's
    assert "Nộp báo cáo tổ dân phố" in text
    assert "Vận động hộ gia đình phân loại rác" in text
    assert "Kiểm tra sổ đảng phí Khối 2" not in text
    assert "Phạm Văn Dũng" not in text
    assert "10000004" not in text
    assert reverse("followup:mine") in text
    # (7) the publication notice reached her inbox
    assert reverse("notify:inbox") in text
    for anchor in ("profile", "meetings", "assignments", "dues", "badge", "residence"):
        assert f'id="{anchor}"' in text


def test_published_meeting_is_listed_with_its_documents_and_planned_is_not(world, client, held):
    client.force_login(world.binh_user)
    text = client.get(URL).content.decode()
    published, planned = held["published"], held["planned"]
    assert reverse("meetings:detail", args=[published.pk]) in text
    document = published.documents.get()
    assert reverse("meetings:document_download", args=[published.pk, document.pk]) in text
    assert "Dự thảo nghị quyết tháng 11" in text
    assert reverse("meetings:detail", args=[planned.pk]) not in text
    assert "Nhà ông Tư" not in text


def test_overdue_assignment_is_marked_and_listed_first(world, client, held):
    client.force_login(world.binh_user)
    text = client.get(URL).content.decode()
    overdue = text.index("Nộp báo cáo tổ dân phố")
    later = text.index("Vận động hộ gia đình phân loại rác")
    assert overdue < later
    block = text[text.rindex("<li", 0, overdue) : later]
    assert "Quá hạn" in block
    assert "border-danger" in block
    later_block = text[later : text.index("</li>", later)]
    assert "Quá hạn" not in later_block


def test_dues_without_basis_say_so_and_residence_is_honest(world, client, frozen):
    client.force_login(world.binh_user)
    text = client.get(URL).content.decode()
    assert 'id="handbook-no-basis"' in text
    assert 'id="handbook-residence-note"' in text
    assert "Quy định 213" in text


def test_dues_with_basis_show_paid_months_arrears_and_rule(world, client, frozen):
    member_services.dues_basis_set(
        actor=None, member=world.binh, basis="insurable_salary", basis_amount=8_500_000
    )
    for month in (1, 2, 3):
        member_services.dues_payment_record(
            actor=None,
            member=world.binh,
            month=datetime.date(2026, month, 1),
            amount_paid=85_000,
            paid_on=datetime.date(2026, month, 10),
            channel="cash",
        )
    client.force_login(world.binh_user)
    text = client.get(URL).content.decode()
    assert "01/2026" in text and "03/2026" in text
    # April to October unpaid: 7 months of arrears of 85,000 đ (1% of 8,500,000 đ).
    assert "7 tháng" in text
    assert "595.000 đ" in text or "595,000 đ" in text
    assert "Quy định 01-QĐ/TW" in text
    assert 'id="handbook-no-basis"' not in text


def test_badge_progress_shows_the_next_milestone(world, client, frozen):
    client.force_login(world.binh_user)
    text = client.get(URL).content.decode()
    # Decision 1/3/2000: 30 years on 1/3/2030, awarded on the first occasion after (19/5/2030).
    assert "01/03/2030" in text
    assert "19/05/2030" in text


def test_user_without_member_record_gets_a_clear_message(world, client):
    client.force_login(world.admin_user)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="handbook-no-member"' in text
    assert "chưa được liên kết" in text


def test_anonymous_is_sent_to_login(client, world):
    page = client.get(URL)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:login"))


def test_post_is_refused(world, client):
    client.force_login(world.binh_user)
    assert client.post(URL).status_code == 405


def test_nav_and_home_link_to_the_handbook(world, client, frozen):
    client.force_login(world.binh_user)
    text = client.get(reverse("home")).content.decode()
    assert text.count(f'href="{URL}"') >= 2  # the nav entry and the button on "Chi bộ của tôi"
    assert "Sổ tay" in text
    client.force_login(world.admin_user)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


def _count(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        page = client.get(URL)
    assert page.status_code == 200
    return len(captured.captured_queries)


def test_query_count_does_not_grow(world, client, held, django_assert_max_num_queries):
    member_services.dues_basis_set(
        actor=None, member=world.binh, basis="insurable_salary", basis_amount=8_500_000
    )
    client.force_login(world.binh_user)
    baseline = _count(client, django_assert_max_num_queries, 25)
    november = held["overdue"].source_meeting
    for number in range(8):
        _assign(november, f"Việc số {number}", [world.binh], datetime.date(2026, 11, 20 + number))
    for day in (21, 22, 23):
        meeting = _publish(world.khoi1, datetime.date(2026, 11, day))
        for number in range(2):
            meeting_services.document_attach(
                actor=None,
                meeting=meeting,
                title=f"Tài liệu {number}",
                upload=SimpleUploadedFile(f"t{number}.pdf", b"%PDF-1.7", "application/pdf"),
            )
    for month in range(1, 10):
        member_services.dues_payment_record(
            actor=None,
            member=world.binh,
            month=datetime.date(2026, month, 1),
            amount_paid=85_000,
            paid_on=datetime.date(2026, month, 10),
            channel="cash",
        )
    for number in range(6):
        notify_users(users=[world.binh_user], code="test.note", title=f"Thông báo {number}")
    assert _count(client, django_assert_max_num_queries, baseline) <= baseline
