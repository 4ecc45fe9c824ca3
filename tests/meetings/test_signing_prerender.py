"""The final signature renders the signed files before its transaction (issue 14): on SQLite a
write transaction holds the database's only write lock, and rendering the PDF and DOCX takes
about a second, during which every other phone's write waited ("database is locked" in the
50-cell load test). The freeze stores the pre-rendered bytes only if they were rendered from
the content it freezes."""

from __future__ import annotations

import hashlib

import pytest
import time_machine
from django.db import connection

from chibo.meetings import services
from chibo.meetings.documents import files
from chibo.meetings.models import MeetingRecord, MeetingStatus, SignedFile
from tests.conftest import PASSWORD
from tests.meetings.doc_builders import SIGNING_MOMENT, cell_people, run_meeting


@pytest.fixture
def closed(world):
    return run_meeting(world, cell_people(world), sign=False)


def _count_renders(monkeypatch) -> list[bool]:
    """Wrap every renderer; each call records whether it ran inside a transaction opened after
    this point (the signing transaction), beyond the test's own."""
    base = len(connection.atomic_blocks)
    inside: list[bool] = []
    for key, renderer in list(files.RENDERERS.items()):

        def counting(data, *, fingerprint="", _renderer=renderer):
            inside.append(len(connection.atomic_blocks) > base)
            return _renderer(data, fingerprint=fingerprint)

        monkeypatch.setitem(files.RENDERERS, key, counting)
    return inside


@pytest.mark.django_db
def test_the_last_signature_renders_before_its_transaction_and_stores_those_bytes(
    closed, world, monkeypatch
):
    with time_machine.travel(SIGNING_MOMENT, tick=False):
        services.meeting_sign(actor=world.binh_user, meeting=closed, password=PASSWORD)
        inside = _count_renders(monkeypatch)
        services.meeting_sign(actor=world.an_user, meeting=closed, password=PASSWORD)
    closed.refresh_from_db()
    assert closed.status == MeetingStatus.SIGNED
    # Four files (minutes and resolution, PDF and DOCX), all rendered outside the transaction.
    assert inside == [False, False, False, False]
    record = MeetingRecord.objects.get(meeting=closed)
    stored = SignedFile.objects.filter(meeting=closed, addendum__isnull=True)
    assert stored.count() == 4
    for signed_file in stored:
        assert signed_file.fingerprint == record.fingerprint
        assert signed_file.sha256 == hashlib.sha256(bytes(signed_file.content)).hexdigest()
    # The stored bytes are exactly what rendering the frozen content gives.
    data = files.DocumentData.from_json(record.frozen_content)
    pdf = stored.get(kind="minutes", format="pdf")
    assert bytes(pdf.content) == files.RENDERERS[("minutes", "pdf")](
        data, fingerprint=record.fingerprint
    )


@pytest.mark.django_db
def test_pre_rendered_files_of_other_content_are_not_stored(closed, world, monkeypatch):
    """If the content changed between the rendering and the transaction, the freeze renders
    again from what it freezes instead of storing the stale bytes."""
    stale = files.Prerendered(
        fingerprint="0" * 64, files=dict.fromkeys(files.RENDERERS, b"stale bytes")
    )
    monkeypatch.setattr(files, "prerender", lambda meeting, signatures: stale)
    with time_machine.travel(SIGNING_MOMENT, tick=False):
        services.meeting_sign(actor=world.binh_user, meeting=closed, password=PASSWORD)
        services.meeting_sign(actor=world.an_user, meeting=closed, password=PASSWORD)
    record = MeetingRecord.objects.get(meeting=closed)
    stored = SignedFile.objects.filter(meeting=closed, addendum__isnull=True)
    assert stored.count() == 4
    assert not stored.filter(content=b"stale bytes").exists()
    assert set(stored.values_list("fingerprint", flat=True)) == {record.fingerprint}


@pytest.mark.django_db
def test_a_wrong_password_renders_nothing(closed, world, monkeypatch):
    services.meeting_sign(actor=world.binh_user, meeting=closed, password=PASSWORD)
    inside = _count_renders(monkeypatch)
    with pytest.raises(services.ServiceError):
        services.meeting_sign(actor=world.an_user, meeting=closed, password="wrong password")
    assert inside == []
    assert not SignedFile.objects.filter(meeting=closed).exists()
