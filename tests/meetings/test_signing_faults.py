"""Faults while signing (issue 14, "Load and faults"): the disk fills while the signed files are
stored. Signing stores them synchronously, as rows of meetings.SignedFile, in the second
signature's transaction (documents.files.freeze): a full disk must leave no half-signed minutes
(no second signature, not frozen, no file), say so in Vietnamese, and a retry once space is back
must sign. The server killed between the two signatures: test_server_killed.py."""

from __future__ import annotations

import errno
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from chibo.meetings import services
from chibo.meetings.models import MeetingRecord, MeetingStatus, Signature, SignedFile
from tests.conftest import PASSWORD
from tests.meetings.doc_builders import cell_people, run_meeting

DISK_FULL_TEXT = "Ổ đĩa của máy chủ đã đầy nên chưa lưu được gì"


@pytest.fixture
def half_signed(world, settings, tmp_path):
    """A closed meeting the minute-taker (Bình) has signed; the chair (An) signs second."""
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = run_meeting(world, cell_people(world), sign=False)
    services.meeting_sign(actor=world.binh_user, meeting=meeting, password=PASSWORD)
    return meeting


def sign_as_chair(client, world, meeting):
    client.force_login(world.an_user)
    return client.post(
        reverse("meetings:sign", args=[meeting.pk]), {"password": PASSWORD}, follow=True
    )


def assert_half_signed(meeting, media_root) -> None:
    """Exactly as before the failed attempt: one signature, nothing frozen, no file."""
    meeting.refresh_from_db()
    record = MeetingRecord.objects.get(meeting=meeting)
    assert meeting.status == MeetingStatus.CLOSED
    assert meeting.signed_at is None
    assert (record.fingerprint, record.frozen_content) == ("", None)
    assert list(Signature.objects.filter(meeting=meeting).values_list("role", flat=True)) == [
        "minute_taker"
    ]
    assert not SignedFile.objects.filter(meeting=meeting).exists()
    assert not media_root.exists() or not any(media_root.rglob("*"))


def assert_signed(meeting) -> None:
    meeting.refresh_from_db()
    record = MeetingRecord.objects.get(meeting=meeting)
    assert meeting.status == MeetingStatus.SIGNED
    assert record.fingerprint == services.fingerprint_of(record.frozen_content)
    assert Signature.objects.filter(meeting=meeting).count() == 2
    files = SignedFile.objects.filter(meeting=meeting)
    assert files.count() == 4
    assert set(files.values_list("fingerprint", flat=True)) == {record.fingerprint}


@pytest.mark.django_db
def test_no_space_left_while_the_signed_files_are_stored(client, world, half_signed, settings):
    """The write of the signed files fails with ENOSPC (the file write is patched; the database
    is real): a clear Vietnamese error, the second signature rolled back, nothing half-written;
    once space is back the same click signs."""
    full = OSError(errno.ENOSPC, "No space left on device")
    with mock.patch.object(SignedFile.objects, "bulk_create", side_effect=full):
        response = sign_as_chair(client, world, half_signed)

    assert response.status_code == 200
    assert DISK_FULL_TEXT in response.content.decode()
    assert_half_signed(half_signed, settings.MEDIA_ROOT)

    again = sign_as_chair(client, world, half_signed)
    assert DISK_FULL_TEXT not in again.content.decode()
    assert_signed(half_signed)


@pytest.mark.django_db
def test_the_database_file_cannot_grow_while_signing(client, world, half_signed, settings):
    """SQLite's own "database or disk is full" (SQLITE_FULL), for real: the database may not
    grow by one page while the second signature writes the four signed documents."""
    if connection.vendor != "sqlite":
        pytest.skip("max_page_count is SQLite's; the ENOSPC test covers PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA max_page_count")
        limit = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
    try:
        response = sign_as_chair(client, world, half_signed)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA max_page_count = {limit}")

    assert DISK_FULL_TEXT in response.content.decode()
    assert_half_signed(half_signed, settings.MEDIA_ROOT)
    sign_as_chair(client, world, half_signed)
    assert_signed(half_signed)
