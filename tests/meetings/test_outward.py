"""Resolutions outward (issue 10, field report 002): after signing, the cell's resolution (or
its extract for the public) goes to the bodies of the area that carry it out and watch over
it, as recorded recipients with a printable notice; the cell's follow-up shows who received
it and who has not acknowledged."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.demo.meetings.rows import KHOI1_CODE
from chibo.meetings import services
from chibo.meetings.models import MeetingRecord, ResolutionRecipient
from tests.meetings.doc_builders import cell_people, run_meeting
from tests.meetings.factories import make_meeting

SENT = datetime.date(2026, 11, 10)


@pytest.fixture
def signed(world):
    return run_meeting(world, cell_people(world))


def add(world, meeting, **overrides):
    values = {
        "kind": "residents",
        "name": "Ban công tác Mặt trận khu phố 1",
        "content": "resolution",
        "extract": "",
        "sent_on": SENT,
    }
    values.update(overrides)
    return services.recipient_add(actor=world.an_user, meeting=meeting, **values)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.django_db
def test_the_secretary_records_recipients_audited(world, signed):
    row = add(world, signed)
    add(
        world,
        signed,
        kind="women",
        name="Chi hội Phụ nữ khu phố 1",
        content="extract",
        extract="Vận động hội viên giữ vệ sinh đường làng.",
    )
    assert row.meeting_id == signed.pk and row.acknowledged_on is None
    assert ResolutionRecipient.objects.filter(meeting=signed).count() == 2
    assert AuditEntry.objects.filter(code="resolution.recipient_added").count() == 2
    services.recipient_acknowledge(
        actor=world.an_user,
        recipient=row,
        acknowledged_on=datetime.date(2026, 11, 12),
        acknowledged_by="Trưởng ban Hoàng Văn Phúc",
    )
    row.refresh_from_db()
    assert row.acknowledged_on == datetime.date(2026, 11, 12)
    assert row.acknowledged_by == "Trưởng ban Hoàng Văn Phúc"
    assert AuditEntry.objects.filter(code="resolution.recipient_acknowledged").count() == 1


@pytest.mark.django_db
def test_the_signed_resolution_is_never_changed_by_an_extract(world, signed):
    record = MeetingRecord.objects.get(meeting=signed)
    before = (record.fingerprint, record.frozen_content, record.resolution_tasks)
    add(world, signed, content="extract", extract="Trích: dọn vệ sinh khu phố.")
    record.refresh_from_db()
    assert (record.fingerprint, record.frozen_content, record.resolution_tasks) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "   "},
        {"sent_on": datetime.date(2026, 11, 2)},  # the day before the meeting
        {"sent_on": datetime.date(2999, 1, 1)},  # in the future
        {"sent_on": None},
        {"content": "extract", "extract": ""},
        {"kind": "nonsense"},
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world, signed, overrides):
    with pytest.raises(ServiceError):
        add(world, signed, **overrides)
    assert not ResolutionRecipient.objects.exists()
    assert not AuditEntry.objects.filter(code="resolution.recipient_added").exists()


@pytest.mark.django_db
def test_a_duplicate_name_is_refused(world, signed):
    add(world, signed)
    with pytest.raises(ServiceError, match="đã có trong danh sách nơi nhận"):
        add(world, signed, name="ban công tác mặt trận  khu phố 1")
    assert ResolutionRecipient.objects.count() == 1


@pytest.mark.django_db
def test_an_unsigned_meeting_is_refused(world):
    meeting = make_meeting(world.khoi1)
    with pytest.raises(ServiceError):
        add(world, meeting)
    assert not ResolutionRecipient.objects.exists()


@pytest.mark.django_db
def test_receipt_before_sending_is_refused(world, signed):
    row = add(world, signed)
    with pytest.raises(ServiceError):
        services.recipient_acknowledge(
            actor=world.an_user, recipient=row, acknowledged_on=datetime.date(2026, 11, 9)
        )
    row.refresh_from_db()
    assert row.acknowledged_on is None


@pytest.mark.django_db
def test_the_notice_pdf_names_recipient_number_and_date(world, signed):
    row = add(world, signed, content="extract", extract="Giữ gìn vệ sinh đường phố.")
    before = ResolutionRecipient.objects.count(), AuditEntry.objects.count()
    response = client_for(world.an_user).get(
        reverse("meetings:outward_notice", args=[signed.pk, row.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    number = MeetingRecord.objects.get(meeting=signed).resolution_number
    assert "Kính gửi" in text
    assert "Ban công tác Mặt trận khu phố 1" in text
    assert f"{number:02d}-NQ/CB" in text
    assert "03/11/2026" in text
    assert "Giữ gìn vệ sinh đường phố." in text
    assert "BÍ THƯ" in text and "Nguyễn Văn An" in text
    # A GET never writes.
    assert (ResolutionRecipient.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_recording_through_the_page(world, signed):
    client = client_for(world.an_user)
    url = reverse("meetings:outward_add", args=[signed.pk])
    response = client.post(
        url,
        {
            "kind": "youth",
            "name": "Chi đoàn khu phố 1",
            "content": "resolution",
            "sent_on": "2026-11-10",
        },
    )
    assert response.status_code == 302
    row = ResolutionRecipient.objects.get()
    assert row.name == "Chi đoàn khu phố 1"
    response = client.post(
        url, {"kind": "youth", "name": "", "content": "resolution", "sent_on": "2026-11-10"}
    )
    assert response.status_code == 400  # the form again, with its errors
    assert ResolutionRecipient.objects.count() == 1
    client.post(
        reverse("meetings:outward_acknowledge", args=[signed.pk, row.pk]),
        {"acknowledged_on": "2026-11-11", "acknowledged_by": "Bí thư chi đoàn"},
    )
    row.refresh_from_db()
    assert row.acknowledged_on == datetime.date(2026, 11, 11)
    page = client.get(reverse("meetings:outward", args=[signed.pk]))
    assert "Chi đoàn khu phố 1" in page.content.decode()


def _routes(signed, row):
    gets = [
        reverse("meetings:outward", args=[signed.pk]),
        reverse("meetings:outward_notice", args=[signed.pk, row.pk]),
        reverse("meetings:cell_outward", args=[signed.organization_id]),
    ]
    posts = [
        (
            reverse("meetings:outward_add", args=[signed.pk]),
            {"kind": "youth", "name": "Chi đoàn", "content": "resolution", "sent_on": "2026-11-10"},
        ),
        (
            reverse("meetings:outward_acknowledge", args=[signed.pk, row.pk]),
            {"acknowledged_on": "2026-11-11"},
        ),
    ]
    return gets, posts


@pytest.mark.django_db
def test_access_on_every_new_route(world, signed):
    row = add(world, signed)
    gets, posts = _routes(signed, row)
    outsider = client_for(world.dung_user)  # a member of Khối 2
    for url in gets:
        assert outsider.get(url).status_code == 404, url
    for url, data in posts:
        assert outsider.post(url, data).status_code == 404, url
    member = client_for(world.binh_user)  # a plain member of Khối 1
    for url in gets:
        assert member.get(url).status_code == 200, url
    for url, data in posts:
        assert member.post(url, data).status_code == 403, url
    upper = client_for(world.cuc_user)  # upper-level committee member of the ward
    for url in gets:
        assert upper.get(url).status_code == 200, url
    for url, data in posts:
        assert upper.post(url, data).status_code == 403, url
    assert ResolutionRecipient.objects.count() == 1
    row.refresh_from_db()
    assert row.acknowledged_on is None


@pytest.mark.django_db
def test_the_follow_up_lists_recipients_and_who_has_not_acknowledged(world, signed):
    done = add(world, signed)
    add(world, signed, kind="veterans", name="Chi hội Cựu chiến binh khu phố 1")
    services.recipient_acknowledge(
        actor=world.an_user, recipient=done, acknowledged_on=datetime.date(2026, 11, 11)
    )
    client = client_for(world.an_user)
    before = ResolutionRecipient.objects.count(), AuditEntry.objects.count()
    html = client.get(reverse("meetings:cell_outward", args=[world.khoi1.pk])).content.decode()
    assert "Ban công tác Mặt trận khu phố 1" in html
    assert "Chi hội Cựu chiến binh khu phố 1" in html
    assert "11/11/2026" in html
    assert html.count("bi-hourglass-split") == 1  # one not acknowledged
    assert (ResolutionRecipient.objects.count(), AuditEntry.objects.count()) == before
    followup = client.get(reverse("followup:cell", args=[world.khoi1.pk])).content.decode()
    assert reverse("meetings:cell_outward", args=[world.khoi1.pk]) in followup


@pytest.mark.django_db
def test_the_follow_up_query_count_is_bounded(world, signed):
    client = client_for(world.an_user)
    url = reverse("meetings:cell_outward", args=[world.khoi1.pk])
    add(world, signed)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(5):
        add(world, signed, name=f"Tổ dân phố số {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_demo_has_recipients_some_acknowledged(demo_data):
    rows = ResolutionRecipient.objects.filter(
        meeting__organization__code__in=[KHOI1_CODE, KHOI1_CODE[:-1] + "2"]
    )
    cells = set(rows.values_list("meeting__organization__code", flat=True))
    assert len(cells) == 2
    assert rows.filter(acknowledged_on__isnull=False).exists()
    assert rows.filter(acknowledged_on__isnull=True).exists()
    assert rows.filter(content="extract").exclude(extract="").exists()
