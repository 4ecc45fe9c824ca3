"""Official records are immutable once signed (DESIGN §2.2, issue 3 acceptance): the signed
content is frozen with its SHA-256 fingerprint; later changes to the people it names do not
change it; no page, form or service changes a signed meeting."""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chibo.meetings import documents, services
from chibo.meetings.models import MeetingRecord, MeetingStatus, SignedFile
from chibo.members import services as member_services
from tests.conftest import PASSWORD
from tests.meetings.doc_builders import cell_people, run_meeting
from tests.meetings.state import meeting_state


@pytest.fixture
def people(world):
    return cell_people(world)


@pytest.fixture
def signed(world, people):
    meeting = run_meeting(world, people)
    assert meeting.status == MeetingStatus.SIGNED
    return meeting


def record_of(meeting) -> MeetingRecord:
    return MeetingRecord.objects.get(meeting=meeting)


@pytest.mark.django_db
def test_the_fingerprint_is_the_sha256_of_the_frozen_content(signed):
    """Re-computing the fingerprint from the frozen content gives the same hash, by the
    service and independently (canonical JSON: sorted keys, UTF-8, no spaces)."""
    record = record_of(signed)
    assert len(record.fingerprint) == 64
    assert services.fingerprint_of(record.frozen_content) == record.fingerprint
    canonical = json.dumps(
        record.frozen_content, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == record.fingerprint
    assert services.fingerprint_of(services.canonical_content(signed)) == record.fingerprint


@pytest.mark.django_db
def test_the_frozen_content_says_what_was_signed(world, people, signed):
    content = record_of(signed).frozen_content
    assert content["chair"] == "Nguyễn Văn An"
    assert content["minute_taker"] == "Trần Thị Bình"
    assert {s["role"] for s in content["signatures"]} == {"chair", "minute_taker"}
    assert [v["title"] for v in content["votes"]] == [
        "Nghị quyết tháng 11",
        "Đề nghị tổ chức tham quan",
    ]


@pytest.mark.django_db
def test_renaming_a_member_later_changes_no_signed_document(world, people, signed):
    """Bình marries and her record is renamed after the minutes are signed: the signed
    content, its fingerprint and the stored files stay exactly as signed."""
    record = record_of(signed)
    fingerprint, frozen = record.fingerprint, record.frozen_content
    files = dict(SignedFile.objects.filter(meeting=signed).values_list("id", "sha256"))
    assert len(files) == 4  # minutes and resolution, PDF and DOCX

    member_services.member_update(
        actor=world.admin_user, member=world.binh, full_name="Trần Thị Bình An"
    )
    member_services.member_update(
        actor=world.admin_user, member=people["cuong"], full_name="Lê Văn Cương"
    )

    record = record_of(signed)
    assert (record.fingerprint, record.frozen_content) == (fingerprint, frozen)
    data = documents.document_data(signed)
    assert data.minute_taker == "Trần Thị Bình"
    assert "Lê Văn Cương" not in json.dumps(data.as_json(), ensure_ascii=False)
    assert services.fingerprint_of(data.as_json()) == fingerprint
    assert services.fingerprint_of(services.canonical_content(signed)) == fingerprint
    assert dict(SignedFile.objects.filter(meeting=signed).values_list("id", "sha256")) == files
    for row in SignedFile.objects.filter(meeting=signed):
        assert hashlib.sha256(bytes(row.content)).hexdigest() == row.sha256
        assert row.fingerprint == fingerprint


@pytest.mark.django_db
def test_an_unsigned_meeting_follows_its_rows(world, people):
    """Before signing the documents are built from the rows, so a rename shows (and there is
    no fingerprint yet)."""
    meeting = run_meeting(world, people, sign=False)
    assert record_of(meeting).fingerprint == ""
    member_services.member_update(
        actor=world.admin_user, member=world.binh, full_name="Trần Thị Bình An"
    )
    assert documents.document_data(meeting).minute_taker == "Trần Thị Bình An"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_no_page_changes_a_signed_meeting(world, people, signed):
    """Every page that changes a meeting, posted with valid-looking data by An (secretary and
    chair) or Cúc (upper-level member): each answers without a server error and nothing
    changes."""
    an, cuc = logged_in(world.an_user), logged_in(world.cuc_user)
    pk = signed.pk
    item = signed.agenda_items.get(step="review")
    speech = signed.speeches.first()
    vote = signed.votes.first()
    day = "2026-11-20"
    posts = [
        (
            an,
            reverse("meetings:attendance_mark", args=[pk, world.binh.pk]),
            {"status": "absent_excused", "reason": "Ốm", "version": 2},
        ),
        (
            an,
            reverse("meetings:speech_add", args=[pk]),
            {"member": world.binh.pk, "summary": "Thêm ý kiến.", "client_token": str(uuid.uuid4())},
        ),
        (an, reverse("meetings:speech_delete", args=[pk, speech.pk]), {}),
        (
            an,
            reverse("meetings:commendation_add", args=[pk]),
            {
                "kind": "criticism",
                "member": world.binh.pk,
                "note": "Phê bình.",
                "client_token": str(uuid.uuid4()),
            },
        ),
        (
            an,
            reverse("meetings:agenda_record", args=[pk, item.pk]),
            {"notes": "Sửa ghi chép.", "conclusion": "", "version": item.version},
        ),
        (
            an,
            reverse("meetings:assignment_add", args=[pk]),
            {
                "title": "Nhiệm vụ mới",
                "members": [world.binh.pk],
                "due_date": day,
                "client_token": str(uuid.uuid4()),
            },
        ),
        (
            an,
            reverse("meetings:vote_record", args=[pk]),
            {
                "title": "Biểu quyết thêm",
                "subject": "decision",
                "in_favour": 1,
                "against": 0,
                "abstain": 0,
                "client_token": str(uuid.uuid4()),
            },
        ),
        (an, reverse("meetings:vote_delete", args=[pk, vote.pk]), {}),
        (
            an,
            reverse("meetings:close", args=[pk]),
            {"started_at": "2026-11-03T19:30", "ended_at": "2026-11-03T22:00"},
        ),
        (
            an,
            reverse("meetings:score_save", args=[pk]),
            {"points_conduct_content": "1", "recompute": "1"},
        ),
        (
            cuc,
            reverse("meetings:score_confirm", args=[pk]),
            {"adjust_conduct_content": "1", "reason": "Điều chỉnh"},
        ),
        (
            an,
            reverse("meetings:record_edit", args=[pk]),
            {"resolution_kind": "resolution", "closing_text": "Sửa sau khi ký.", "version": 99},
        ),
        (an, reverse("meetings:sign", args=[pk]), {"password": PASSWORD}),
        (
            an,
            reverse("meetings:open", args=[pk]),
            {"chair": world.an.pk, "minute_taker": world.binh.pk, "started_at": "2026-11-03T19:30"},
        ),
        (
            an,
            reverse("meetings:reschedule", args=[pk]),
            {"date": day, "time": "19:30", "place": "Nơi khác", "reason": "Dời lịch"},
        ),
        (an, reverse("meetings:cancel", args=[pk]), {"reason": "Hủy"}),
        (
            an,
            reverse("meetings:prepare_details", args=[pk]),
            {"topic": "", "place": "Nơi khác", "resolution_draft": "Khác", "version": 1},
        ),
        (an, reverse("meetings:publish", args=[pk]), {}),
        (an, reverse("meetings:prepare_agenda_build", args=[pk]), {}),
        (
            an,
            reverse("meetings:prepare_agenda_add", args=[pk]),
            {"title": "Nội dung thêm", "guidance": ""},
        ),
        (
            an,
            reverse("meetings:prepare_agenda_edit", args=[pk, item.pk]),
            {"title": "Tiêu đề khác", "guidance": "", "version": item.version},
        ),
        (an, reverse("meetings:prepare_agenda_move", args=[pk, item.pk]), {"offset": "1"}),
        (an, reverse("meetings:prepare_agenda_delete", args=[pk, item.pk]), {}),
        (
            an,
            reverse("meetings:prepare_preparation", args=[pk]),
            {"held_on": "2026-11-01", "participants": [world.an.pk], "agreed": "Họp lại."},
        ),
        (
            an,
            reverse("meetings:prepare_document_add", args=[pk]),
            {
                "title": "Tài liệu",
                "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf"),
            },
        ),
    ]
    before = meeting_state(signed)
    changed, failed = [], []
    for client, url, data in posts:
        response = client.post(url, data)
        if response.status_code >= 500:
            failed.append((url, response.status_code))
        if meeting_state(signed) != before:
            changed.append(url)
            before = meeting_state(signed)
    assert failed == []
    assert changed == []
    # The refusal is said in Vietnamese on the page the phone comes back to.
    url, data = posts[0][1], posts[0][2]
    page = an.post(url, data, follow=True)
    assert "Biên bản cuộc họp này đã được ký và không thể thay đổi nữa." in page.content.decode()


@pytest.mark.django_db
def test_a_correction_is_a_signed_addendum_and_the_original_stays(world, people, signed):
    """After signing, a correction is an addendum with its own signatures; the minutes'
    frozen content and fingerprint do not move."""
    record = record_of(signed)
    addendum = services.addendum_create(
        actor=world.binh_user,
        meeting=signed,
        text="Đồng chí Đỗ Văn Em vắng có lý do: đi công tác Đà Nẵng (không phải Hà Nội).",
        reason="Ghi nhầm nơi công tác",
    )
    services.addendum_sign(actor=world.an_user, addendum=addendum, password=PASSWORD)
    services.addendum_sign(actor=world.binh_user, addendum=addendum, password=PASSWORD)
    addendum.refresh_from_db()
    assert len(addendum.fingerprint) == 64 and addendum.fingerprint != record.fingerprint
    after = record_of(signed)
    assert (after.fingerprint, after.frozen_content) == (record.fingerprint, record.frozen_content)
    signed.refresh_from_db()
    assert signed.status == MeetingStatus.SIGNED
    assert signed.date == datetime.date(2026, 11, 3)
