"""Issue 9, items 9, 10, 11 and 24: what happens around the signed minutes.

- 9: the upper-level member following the cell confirms the score after the minutes are signed
  (the confirmation is not part of the frozen content), is told by a notice, and finds the
  meetings to confirm on the home page.
- 10: the documents use the actual opening and closing times, not the schedule.
- 11: the resolution's recipients name the upper-level member following the cell; the guest's
  title names the upper-level committee; the verification link uses the configured public
  address.
- 24: a pending addendum can be withdrawn (audited), and when the chair or the minute-taker has
  left the cell the cell's current secretary signs in their place.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.meetings import services
from chibo.meetings.documents import files
from chibo.meetings.models import Addendum, MeetingRecord, Signature, SignerRole
from chibo.members import services as member_services
from chibo.members.models import MemberStatus
from chibo.notify.models import Notification
from tests.conftest import PASSWORD, give_position, make_member, make_user
from tests.meetings.doc_builders import cell_people, run_meeting
from tests.meetings.factories import at, make_meeting, mark_all


@pytest.fixture
def people(world):
    return cell_people(world)


@pytest.fixture
def signed(world, people):
    return run_meeting(world, people)


def pdf_text(content: bytes) -> str:
    """The text of a PDF as pypdf extracts it, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def frozen(meeting) -> tuple[str, dict]:
    record = MeetingRecord.objects.get(meeting=meeting)
    return record.fingerprint, record.frozen_content


# -- item 9: confirming the score after signing ---------------------------------------------


@pytest.mark.django_db
def test_the_upper_level_member_confirms_the_score_after_signing(world, signed):
    """The score was not confirmed during the meeting; Cúc confirms it after both have signed.
    The signed content and its fingerprint stay exactly as signed; the confirmation is audited."""
    before = frozen(signed)
    assert signed.score.confirmed_by is None

    services.score_confirm(actor=world.cuc_user, meeting=signed, confirmer=world.cuc)

    signed.score.refresh_from_db()
    assert signed.score.confirmed_by == world.cuc
    assert signed.score.confirmed_at is not None
    assert frozen(signed) == before
    assert AuditEntry.objects.filter(
        code="meeting.score_confirmed", target_id=str(signed.pk)
    ).exists()


@pytest.mark.django_db
def test_after_signing_the_score_is_confirmed_as_signed_not_adjusted(world, signed):
    """Changing a criterion after signing would contradict the signed minutes: refused, and
    nothing changes (a correction is an addendum)."""
    line = signed.score_lines.filter(automatic=False).first()
    with pytest.raises(ServiceError):
        services.score_confirm(
            actor=world.cuc_user,
            meeting=signed,
            confirmer=world.cuc,
            adjustments={line.code: "0"},
            reason="Chưa đạt",
        )
    line.refresh_from_db()
    signed.score.refresh_from_db()
    assert line.points == line.max_points
    assert signed.score.confirmed_by is None


@pytest.mark.django_db
def test_the_score_tab_of_a_signed_meeting_offers_the_confirmation(world, signed):
    client = logged_in(world.cuc_user)
    page = client.get(reverse("meetings:live", args=[signed.pk]) + "?tab=score")
    assert page.status_code == 200
    assert reverse("meetings:score_confirm", args=[signed.pk]).encode() in page.content

    response = client.post(reverse("meetings:score_confirm", args=[signed.pk]))
    assert response.status_code == 302
    signed.score.refresh_from_db()
    assert signed.score.confirmed_by == world.cuc
    # A member of the cell who does not follow it cannot confirm.
    refused = logged_in(world.binh_user).post(reverse("meetings:score_confirm", args=[signed.pk]))
    assert refused.status_code == 403


@pytest.mark.django_db
def test_signing_tells_the_upper_level_member_a_score_awaits_confirmation(world, signed):
    notices = Notification.objects.filter(recipient=world.cuc_user, code="meeting.score_to_confirm")
    assert notices.count() == 1
    assert notices.get().url == reverse("meetings:live", args=[signed.pk]) + "?tab=score"
    # The cell's members are told the minutes are signed, not asked to confirm.
    assert not Notification.objects.filter(
        recipient=world.binh_user, code="meeting.score_to_confirm"
    ).exists()


@pytest.mark.django_db
def test_home_page_lists_the_meetings_to_confirm_until_confirmed(world, signed):
    client = logged_in(world.cuc_user)
    link = reverse("meetings:live", args=[signed.pk]) + "?tab=score"
    page = client.get(reverse("home")).content.decode()
    assert 'id="meetings-to-confirm"' in page
    assert "Buổi sinh hoạt chờ xác nhận điểm" in page
    assert link in page
    # Not on the secretary's page: he does not confirm his own cell's score.
    assert (
        'id="meetings-to-confirm"'
        not in logged_in(world.an_user).get(reverse("home")).content.decode()
    )

    services.score_confirm(actor=world.cuc_user, meeting=signed, confirmer=world.cuc)
    assert link not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_home_page_lists_only_the_cells_the_member_follows(world, people, signed):
    """A member assigned to follow Khối 1 itself is its follower: the ward's member (Cúc, not a
    guest of this meeting) no longer sees it; the cell's own follower does."""
    signed.guests.all().delete()
    follower = make_member(world.khoi2, "Phan Văn Phúc")
    give_position(follower, world.khoi1, "upper_committee_member")
    follower_user = make_user(django_user_model_of(world), "phuc", follower)
    link = reverse("meetings:live", args=[signed.pk]) + "?tab=score"
    assert link in logged_in(follower_user).get(reverse("home")).content.decode()
    assert link not in logged_in(world.cuc_user).get(reverse("home")).content.decode()


def django_user_model_of(world):
    return type(world.an_user)


# -- item 10: the actual times ---------------------------------------------------------------


def held_a_day_early(world):
    """Scheduled on 03/12 at 20:30, actually held on 02/12 from 19:45 to 22:40."""
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 12, 3), time=datetime.time(20, 30))
    services.agenda_build(actor=world.an_user, meeting=meeting)
    services.meeting_publish(actor=world.an_user, meeting=meeting)
    services.meeting_open(
        actor=world.an_user,
        meeting=meeting,
        chair=world.an,
        minute_taker=world.binh,
        started_at=at(datetime.date(2026, 12, 2), 19, 45),
    )
    mark_all(meeting, actor=world.an_user)
    services.meeting_close(
        actor=world.an_user, meeting=meeting, ended_at=at(datetime.date(2026, 12, 2), 22, 40)
    )
    meeting.refresh_from_db()
    manual = {line.code: line.max_points for line in meeting.score_lines.filter(automatic=False)}
    services.score_lines_set(actor=world.an_user, meeting=meeting, points=manual)
    services.meeting_sign(actor=world.an_user, meeting=meeting, password=PASSWORD)
    services.meeting_sign(actor=world.binh_user, meeting=meeting, password=PASSWORD)
    meeting.refresh_from_db()
    return meeting


@pytest.mark.django_db
def test_the_minutes_use_the_actual_opening_date_and_time(world):
    meeting = held_a_day_early(world)
    content = bytes(files.signed_file(meeting, "minutes", "pdf").content)
    text = pdf_text(content)
    assert "Vào lúc 19 giờ 45 phút, ngày 02 tháng 12 năm 2026" in text
    assert "kết thúc lúc 22 giờ 40 phút cùng ngày" in text
    assert "20 giờ 30" not in text and "03 tháng 12" not in text
    assert "Hưng Phú, ngày 02 tháng 12 năm 2026" in text


@pytest.mark.django_db
def test_the_resolution_uses_the_actual_opening_date_and_times(world):
    meeting = held_a_day_early(world)
    content = bytes(files.signed_file(meeting, "resolution", "pdf").content)
    text = pdf_text(content)
    assert "Ngày 02/12/2026" in text
    assert "từ 19 giờ 45 phút đến 22 giờ 40 phút" in text
    assert "03/12/2026" not in text and "03 tháng 12" not in text
    assert "Hưng Phú, ngày 02 tháng 12 năm 2026" in text


# -- item 11: recipients, the guest's title, the public address ------------------------------


@pytest.mark.django_db
def test_recipients_name_the_member_following_the_cell_not_the_wards(world, people):
    """Cúc is the ward's upper-level member (a position on the ward); Phúc is assigned to
    follow Khối 1 itself: the resolution is sent to Phúc, not to Cúc."""
    follower = make_member(world.khoi2, "Phan Văn Phúc")
    give_position(follower, world.khoi1, "upper_committee_member")
    meeting = run_meeting(world, people)
    text = pdf_text(bytes(files.signed_file(meeting, "resolution", "pdf").content))
    assert "Đồng chí Phan Văn Phúc, cấp ủy viên phụ trách chi bộ" in text
    assert "Đồng chí Lê Thị Cúc, cấp ủy viên phụ trách chi bộ" not in text


@pytest.mark.django_db
def test_the_guest_is_titled_by_the_upper_level_committee(world):
    """The opening form suggests the member following the cell (Phúc, assigned to Khối 1
    itself) as the guest, titled as a member of the upper committee (the ward's) following
    the cell — not "upper-level committee member, Chi bộ Khối 1"."""
    follower = make_member(world.khoi2, "Phan Văn Phúc")
    give_position(follower, world.khoi1, "upper_committee_member")
    meeting = make_meeting(world.khoi1)
    services.agenda_build(actor=world.an_user, meeting=meeting)
    services.meeting_publish(actor=world.an_user, meeting=meeting)
    client = logged_in(world.an_user)
    url = reverse("meetings:open", args=[meeting.pk])
    assert client.get(url).context["form"].initial["guest_member"] == follower
    response = client.post(
        url,
        {
            "chair": world.an.pk,
            "minute_taker": world.binh.pk,
            "started_at": "2026-11-03T19:30",
            "guest_member": follower.pk,
        },
    )
    assert response.status_code == 302
    guest = meeting.guests.get()
    assert (guest.member, guest.is_upper_level) == (follower, True)
    assert guest.title == "Ủy viên Đảng ủy phường Hưng Phú, phụ trách Chi bộ Khối 1"


@pytest.mark.django_db
def test_the_verification_link_uses_the_configured_public_address(world, people, settings):
    settings.CHIBO_PUBLIC_URL = "https://chibo.hungphu.example.vn"
    meeting = run_meeting(world, people)
    text = "".join(pdf_text(bytes(files.signed_file(meeting, "minutes", "pdf").content)).split())
    assert "https://chibo.hungphu.example.vn" + reverse("meetings:verify") in text
    assert "127.0.0.1" not in text


# -- item 24: withdrawing an addendum, signers who left --------------------------------------


@pytest.mark.django_db
def test_the_creator_withdraws_a_pending_addendum_and_corrections_are_free_again(world, signed):
    addendum = services.addendum_create(
        actor=world.an_user, meeting=signed, text="Sửa tên người phát biểu.", reason="Ghi nhầm"
    )
    client = logged_in(world.an_user)
    record_tab = reverse("meetings:live", args=[signed.pk]) + "?tab=record"
    url = reverse("meetings:addendum_withdraw", args=[signed.pk, addendum.number])
    assert url in client.get(record_tab).content.decode()
    response = client.post(url, {"reason": "Lập nhầm phụ lục"})
    assert response.status_code == 302
    addendum.refresh_from_db()
    assert addendum.withdrawn_at is not None and addendum.withdrawn_by == world.an_user
    entry = AuditEntry.objects.get(code="addendum.withdrawn")
    assert entry.note == "Lập nhầm phụ lục"
    page = client.get(record_tab).content.decode()
    assert "Đã rút lại" in page and "Lập nhầm phụ lục" in page and url not in page
    # A withdrawn addendum is never signed …
    with pytest.raises(ServiceError):
        services.addendum_sign(actor=world.binh_user, addendum=addendum, password=PASSWORD)
    # … and no longer blocks the next correction.
    second = services.addendum_create(
        actor=world.an_user, meeting=signed, text="Sửa số liệu.", reason="Ghi nhầm số"
    )
    assert second.number == 2


@pytest.mark.django_db
def test_only_the_creator_or_a_manager_withdraws_and_never_a_signed_addendum(world, signed):
    addendum = services.addendum_create(
        actor=world.an_user, meeting=signed, text="Sửa tên.", reason="Ghi nhầm"
    )
    url = reverse("meetings:addendum_withdraw", args=[signed.pk, addendum.number])
    # Bình signs addenda but neither created this one nor manages the cell.
    assert logged_in(world.binh_user).post(url, {"reason": "Không cần"}).status_code == 403
    # Another cell's member does not even see it.
    assert logged_in(world.dung_user).post(url, {"reason": "Không cần"}).status_code == 404
    addendum.refresh_from_db()
    assert addendum.withdrawn_at is None

    services.addendum_sign(actor=world.binh_user, addendum=addendum, password=PASSWORD)
    services.addendum_sign(actor=world.an_user, addendum=addendum, password=PASSWORD)
    with pytest.raises(ServiceError):
        services.addendum_withdraw(actor=world.an_user, addendum=addendum, reason="Muộn rồi")
    with pytest.raises(ServiceError):  # a reason is required
        services.addendum_withdraw(
            actor=world.an_user,
            addendum=services.addendum_create(
                actor=world.an_user, meeting=signed, text="Sửa.", reason="Nhầm"
            ),
            reason=" ",
        )


@pytest.mark.django_db
def test_when_the_minute_taker_has_left_the_secretary_signs_in_her_place(world, signed):
    """Bình, the minute-taker, was transferred out after the meeting: An, the cell's current
    secretary, signs the addendum for her as well as for himself as chair; the signature
    records whom he signed for, and the addendum says so."""
    member_services.member_change_status(
        actor=world.admin_user,
        member=world.binh,
        status=MemberStatus.TRANSFERRED_OUT,
        effective_date=datetime.date(2026, 11, 20),
        reason="Chuyển sinh hoạt đảng ra ngoài tỉnh",
    )
    addendum = services.addendum_create(
        actor=world.an_user, meeting=signed, text="Sửa tên người phát biểu.", reason="Ghi nhầm"
    )
    with pytest.raises(ServiceError):
        services.addendum_sign(actor=world.binh_user, addendum=addendum, password=PASSWORD)
    services.addendum_sign(actor=world.an_user, addendum=addendum, password=PASSWORD)
    addendum.refresh_from_db()
    assert addendum.frozen_at is not None
    taker = Signature.objects.get(addendum=addendum, role=SignerRole.MINUTE_TAKER)
    assert taker.member == world.an and taker.in_place_of == world.binh
    text = pdf_text(bytes(addendum.files.get(format="pdf").content))
    assert "thay đồng chí Trần Thị Bình" in text


@pytest.mark.django_db
def test_signers_who_stay_sign_themselves(world, signed, people):
    """While the chair and the minute-taker are still in the cell, nobody signs for them."""
    addendum = services.addendum_create(
        actor=world.an_user, meeting=signed, text="Sửa.", reason="Nhầm"
    )
    services.addendum_sign(actor=world.an_user, addendum=addendum, password=PASSWORD)
    addendum.refresh_from_db()
    assert addendum.frozen_at is None
    assert list(Addendum.objects.get(pk=addendum.pk).signatures.values_list("role", flat=True)) == [
        SignerRole.CHAIR
    ]


@pytest.mark.django_db
def test_the_home_page_reads_the_meetings_to_confirm_in_a_fixed_number_of_queries(
    world, people, signed
):
    """Query-count guard: one meeting to confirm or three in two cells, the same queries."""
    client = logged_in(world.cuc_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured.captured_queries)

    client.get(reverse("home"))  # warm the session and caches
    one = queries()
    for day, cell in (
        (datetime.date(2026, 11, 10), world.khoi1),
        (datetime.date(2026, 11, 12), world.khoi2),
    ):
        meeting = make_meeting(cell, kind="thematic", date=day, topic="Chuyên đề")
        services.agenda_build(actor=world.admin_user, meeting=meeting)
        services.meeting_publish(actor=world.admin_user, meeting=meeting)
        chair = world.an if cell == world.khoi1 else world.dung
        taker = world.binh if cell == world.khoi1 else world.cuc
        services.meeting_open(
            actor=world.admin_user,
            meeting=meeting,
            chair=chair,
            minute_taker=taker,
            started_at=at(day, 19, 30),
        )
        mark_all(meeting, actor=world.admin_user)
        services.meeting_close(actor=world.admin_user, meeting=meeting, ended_at=at(day, 21, 30))
    page = client.get(reverse("home")).content.decode()
    assert page.count("?tab=score") == 3
    assert queries() == one
