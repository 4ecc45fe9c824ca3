"""The member's own data (issue 14, Nghị định 13/2023/NĐ-CP Art. 9): Bình downloads everything
chibo holds about her as JSON and PDF from her handbook; the files hold her rows in every
section and nothing of Dũng or An; no one can download someone else's; the download is audited
without its content and is never cached."""

import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from chibo.core.models import AuditEntry
from chibo.followup import services as followup_services
from chibo.meetings import services as meeting_services
from chibo.meetings.models import AttendanceStatus, CommendationKind
from chibo.members import services as member_services
from chibo.proposals import services as proposal_services
from chibo.reviews.models import Level, MemberReview
from tests.meetings.factories import make_meeting, open_meeting

pytestmark = pytest.mark.django_db

VN = datetime.timezone(datetime.timedelta(hours=7))
NOV_10 = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=VN)
JSON_URL = reverse("accounts:personal_data", args=["json"])
PDF_URL = reverse("accounts:personal_data", args=["pdf"])
SECTIONS = (
    "profile",
    "status_history",
    "positions",
    "meetings_attended",
    "speeches",
    "commendations",
    "assignments",
    "dues",
    "reviews",
    "disciplines",
    "badges",
    "residence",
    "proposals",
    "correction_requests",
)


@pytest.fixture
def frozen():
    with time_machine.travel(NOV_10, tick=False):
        yield


def _pay(member, month, amount):
    member_services.dues_payment_record(
        actor=None,
        member=member,
        month=datetime.date(2026, month, 1),
        amount_paid=amount,
        paid_on=datetime.date(2026, month, 10),
        channel="cash",
    )


@pytest.fixture
def lived(world, frozen):
    """Bình (Khối 1) and Dũng (Khối 2) each attended their cell's November meeting, spoke,
    were praised, got an assignment, paid dues, were reviewed for 2025 and raised a proposal."""
    for cell, member, secretary, speech, task, amount in (
        (
            world.khoi1,
            world.binh,
            world.an,
            "Bình đề nghị sửa đèn đường",
            "Vận động thu gom rác",
            85_000,
        ),
        (world.khoi2, world.dung, world.cuc, "Dũng góp ý kế hoạch", "Kiểm tra hộ nghèo", 72_000),
    ):
        meeting = make_meeting(cell)
        open_meeting(meeting, secretary, member)
        meeting_services.attendance_mark(
            actor=None,
            meeting=meeting,
            member_id=member.pk,
            status=AttendanceStatus.LATE,
            reason="Đi làm về muộn",
        )
        meeting_services.speech_add(actor=None, meeting=meeting, member=member, summary=speech)
        meeting_services.speech_add(
            actor=None,
            meeting=meeting,
            member=secretary,
            summary=f"{secretary.full_name} phát biểu",
        )
        meeting_services.commendation_add(
            actor=None,
            meeting=meeting,
            member=member,
            kind=CommendationKind.PRAISE,
            note=f"Biểu dương {member.full_name}",
        )
        followup_services.assignment_create(
            actor=None,
            meeting=meeting,
            title=task,
            members=[member],
            due_date=datetime.date(2026, 11, 30),
        )
        member_services.dues_basis_set(
            actor=None, member=member, basis="insurable_salary", basis_amount=amount * 100
        )
        _pay(member, 3, amount)
        MemberReview.objects.create(
            member=member,
            year=2025,
            cell=cell,
            grassroots=world.ward,
            self_score=Decimal(82),
            self_level=Level.GOOD,
            self_text=f"Tự đánh giá của {member.full_name}",
            self_submitted_on=datetime.date(2025, 12, 5),
        )
        proposal_services.proposal_raise(
            actor=None,
            cell=cell,
            raised_by=member,
            source="own",
            topic="environment",
            title=f"Kiến nghị của {member.full_name}",
            content="Nội dung kiến nghị",
            raised_on=datetime.date(2026, 10, 1),
        )
    # An (Khối 1's secretary) spoke at the same meeting: not Bình's data.
    return world


def _json(client, user):
    client.force_login(user)
    response = client.get(JSON_URL)
    assert response.status_code == 200
    return response, json.loads(response.content.decode("utf-8"))


def test_json_holds_every_section_with_binhs_rows_only(client, lived):
    response, data = _json(client, lived.binh_user)
    assert data["schema_version"] == 1
    assert data["member_id"] == lived.binh.pk
    assert set(SECTIONS) <= set(data)
    profile = data["profile"]
    assert profile["full_name"] == "Trần Thị Bình"
    assert profile["birth_date"] == "1970-05-01"
    assert profile["party_card_number"] == "10000002"
    assert profile["status"] == "official" and profile["status_label"]
    assert profile["cell"]["name"] == "Chi bộ Khối 1"
    assert data["status_history"][0]["status"] == "official"
    [attended] = data["meetings_attended"]
    assert attended["date"] == "2026-11-03" and attended["cell"] == "Chi bộ Khối 1"
    assert attended["attendance"] == "late" and attended["reason"] == "Đi làm về muộn"
    assert [s["summary"] for s in data["speeches"]] == ["Bình đề nghị sửa đèn đường"]
    assert [c["note"] for c in data["commendations"]] == ["Biểu dương Trần Thị Bình"]
    assert [a["title"] for a in data["assignments"]] == ["Vận động thu gom rác"]
    assert data["dues"]["basis"]["basis"] == "insurable_salary"
    assert data["dues"]["payments"] == [
        {
            "month": "2026-03",
            "amount_due": 85_000,
            "amount_paid": 85_000,
            "paid_on": "2026-03-10",
            "channel": "cash",
            "channel_label": data["dues"]["payments"][0]["channel_label"],
        }
    ]
    [review] = data["reviews"]
    assert review["year"] == 2025 and review["self_text"] == "Tự đánh giá của Trần Thị Bình"
    assert [p["title"] for p in data["proposals"]] == ["Kiến nghị của Trần Thị Bình"]
    # Nothing of the others: Dũng's rows, An's record.
    text = response.content.decode("utf-8")
    for foreign in (
        "Dũng",
        "Phạm Văn",
        "10000004",
        "Kiểm tra hộ nghèo",
        "Nguyễn Văn An",
        "10000001",
    ):
        assert foreign not in text
    # UTF-8 as is (ensure_ascii=False), a download, never cached.
    assert "Trần Thị Bình" in text
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_pdf_holds_every_section_with_binhs_rows_only(client, lived):
    client.force_login(lived.binh_user)
    response = client.get(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for heading in (
        "DỮ LIỆU CÁ NHÂN CỦA ĐẢNG VIÊN",
        "Quá trình biến động",
        "Chức vụ",
        "Tham dự sinh hoạt chi bộ",
        "Nhiệm vụ được phân công",
        "Đảng phí",
        "Đánh giá, xếp loại hằng năm",
        "Huy hiệu Đảng",
        "Kiến nghị, đề xuất",
    ):
        assert heading in text
    for own in (
        "Trần Thị Bình",
        "10000002",
        "03/11/2026",
        "Bình đề nghị sửa đèn đường",
        "Vận động thu gom rác",
        "85.000",
        "Tự đánh giá của Trần Thị Bình",
        "Kiến nghị của Trần Thị Bình",
    ):
        assert own in text
    for foreign in ("Dũng", "10000004", "Kiểm tra hộ nghèo", "Nguyễn Văn An phát biểu"):
        assert foreign not in text


def test_each_download_is_audited_without_its_content(client, lived):
    client.force_login(lived.binh_user)
    client.get(JSON_URL)
    client.get(PDF_URL)
    entries = AuditEntry.objects.filter(code="personal_data.exported").order_by("id")
    assert [e.changes for e in entries] == [{"format": "json"}, {"format": "pdf"}]
    assert {e.actor_id for e in entries} == {lived.binh_user.pk}
    assert {e.target_id for e in entries} == {str(lived.binh.pk)}


def test_each_user_gets_only_their_own_data(client, lived):
    """There is no member in the address: Dũng asking gets Dũng's file, never Bình's."""
    _response, data = _json(client, lived.dung_user)
    assert data["member_id"] == lived.dung.pk
    assert "Trần Thị Bình" not in json.dumps(data, ensure_ascii=False)
    # A secretary (An) downloads An's data, not a member of his cell.
    _response, data = _json(client, lived.an_user)
    assert data["member_id"] == lived.an.pk
    assert data["positions"][0]["role"] == "secretary"


def test_a_user_without_a_member_record_gets_a_clear_message(client, world):
    client.force_login(world.admin_user)
    for url in (JSON_URL, PDF_URL, reverse("accounts:correction_new")):
        response = client.get(url)
        assert response.status_code == 404
        assert 'id="personal-no-member"' in response.content.decode()
    assert not AuditEntry.objects.filter(code="personal_data.exported").exists()


def test_unknown_format_and_anonymous_and_post_are_refused(client, world):
    client.force_login(world.binh_user)
    assert client.get(reverse("accounts:personal_data", args=["xml"])).status_code == 404
    assert client.post(JSON_URL).status_code == 405
    client.logout()
    assert client.get(JSON_URL).status_code == 302  # to the login page


def test_handbook_offers_the_downloads_and_the_correction_form(client, world):
    client.force_login(world.binh_user)
    page = client.get(reverse("accounts:handbook")).content.decode()
    assert 'id="personal-data"' in page
    assert JSON_URL in page and PDF_URL in page
    assert reverse("accounts:correction_new") in page
