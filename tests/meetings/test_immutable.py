"""Signed records are immutable in the database too (issue 14): the triggers of migration
meetings 0007 refuse, on SQLite and PostgreSQL alike, any UPDATE of frozen content and any
DELETE of a frozen record, its signatures, a frozen addendum or a signed file, whatever code
issues it — not only the services, which refuse first."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from chibo.core.errors import SIGNED_RECORD_IMMUTABLE, ServiceError
from chibo.meetings import services
from chibo.meetings.immutable import PURGE_TABLE, signed_records_purge
from chibo.meetings.models import Addendum, MeetingRecord, MeetingStatus, Signature, SignedFile
from chibo.meetings.services._base import meeting_change
from tests.conftest import PASSWORD
from tests.meetings.doc_builders import cell_people, run_meeting


@pytest.fixture
def signed(world):
    meeting = run_meeting(world, cell_people(world))
    assert meeting.status == MeetingStatus.SIGNED
    return meeting


@pytest.fixture
def frozen_addendum(world, signed):
    addendum = services.addendum_create(
        actor=world.binh_user, meeting=signed, text="Bổ sung một ý.", reason="Thiếu một ý"
    )
    services.addendum_sign(actor=world.binh_user, addendum=addendum, password=PASSWORD)
    services.addendum_sign(actor=world.an_user, addendum=addendum, password=PASSWORD)
    addendum.refresh_from_db()
    assert addendum.frozen_at is not None
    return addendum


def refused(statement) -> None:
    """The statement fails with the triggers' message and changes nothing."""
    with pytest.raises(IntegrityError, match=SIGNED_RECORD_IMMUTABLE), transaction.atomic():
        statement()


@pytest.mark.django_db
def test_the_frozen_record_cannot_be_changed_or_deleted(signed):
    record = MeetingRecord.objects.filter(meeting=signed)
    fingerprint, content = record.values_list("fingerprint", "frozen_content").get()

    refused(lambda: record.update(fingerprint="0" * 64))
    refused(lambda: record.update(frozen_content={"chair": "someone else"}))
    refused(lambda: record.update(fingerprint=""))  # "unfreezing" is a change too
    refused(lambda: record.delete())

    assert record.values_list("fingerprint", "frozen_content").get() == (fingerprint, content)
    # Saving the whole row unchanged is no change (Django's save() writes every column).
    row = record.get()
    row.save()


@pytest.mark.django_db
def test_signatures_of_frozen_minutes_cannot_be_changed_or_deleted(world, signed):
    signatures = Signature.objects.filter(meeting=signed, addendum__isnull=True)
    assert signatures.count() == 2

    refused(lambda: signatures.update(member=world.dung))
    refused(lambda: signatures.delete())
    refused(lambda: signatures.first().delete())

    assert signatures.count() == 2


@pytest.mark.django_db
def test_signed_files_cannot_be_changed_or_deleted(signed):
    files = SignedFile.objects.filter(meeting=signed)
    assert files.count() == 4
    before = sorted(files.values_list("sha256", flat=True))

    refused(lambda: files.update(content=b"forged"))
    refused(lambda: files.update(sha256="0" * 64))
    refused(lambda: files.delete())

    assert sorted(files.values_list("sha256", flat=True)) == before


@pytest.mark.django_db
def test_a_frozen_addendum_its_signatures_and_files_cannot_be_changed_or_deleted(
    frozen_addendum,
):
    addendum = Addendum.objects.filter(pk=frozen_addendum.pk)

    refused(lambda: addendum.update(text="Một nội dung khác."))
    refused(lambda: addendum.update(fingerprint="0" * 64))
    refused(lambda: addendum.update(frozen_at=None))
    refused(lambda: Signature.objects.filter(addendum=frozen_addendum).delete())
    refused(lambda: SignedFile.objects.filter(addendum=frozen_addendum).update(format="pdf"))
    refused(lambda: SignedFile.objects.filter(addendum=frozen_addendum).delete())

    # Not content: the creator's account may go (SET_NULL) without touching what was signed.
    addendum.update(created_by=None)
    assert addendum.get().text == "Bổ sung một ý."


@pytest.mark.django_db
def test_what_is_not_frozen_yet_changes_as_the_services_allow(world):
    meeting = run_meeting(world, cell_people(world), sign=False)
    services.meeting_sign(actor=world.binh_user, meeting=meeting, password=PASSWORD)
    # One signature of two: the record is not frozen, the signature may be withdrawn.
    services.signature_withdraw(actor=world.binh_user, meeting=meeting, password=PASSWORD)
    assert not Signature.objects.filter(meeting=meeting).exists()
    services.record_update(actor=world.an_user, meeting=meeting, opening_text="Mở đầu mới.")

    services.meeting_sign(actor=world.binh_user, meeting=meeting, password=PASSWORD)
    services.meeting_sign(actor=world.an_user, meeting=meeting, password=PASSWORD)
    # An addendum still waiting for signatures can be withdrawn, signature and all kept.
    pending = services.addendum_create(
        actor=world.binh_user, meeting=meeting, text="Bổ sung.", reason="Thiếu"
    )
    services.addendum_sign(actor=world.binh_user, addendum=pending, password=PASSWORD)
    services.addendum_withdraw(actor=world.binh_user, addendum=pending, reason="Nhầm")
    pending.refresh_from_db()
    assert pending.withdrawn_at is not None
    assert pending.signatures.count() == 1


@pytest.mark.django_db
def test_a_service_meeting_the_trigger_says_so_in_vietnamese_and_saves_nothing(world, signed):
    before = list(
        MeetingRecord.objects.filter(meeting=signed).values_list("fingerprint", flat=True)
    )
    with (
        pytest.raises(ServiceError) as refusal,
        meeting_change(signed, actor=world.an_user, code="minutes.tampered"),
    ):
        MeetingRecord.objects.filter(meeting=signed).update(fingerprint="0" * 64)

    assert "không thể sửa hay xoá" in refusal.value.messages[0]
    assert (
        list(MeetingRecord.objects.filter(meeting=signed).values_list("fingerprint", flat=True))
        == before
    )


@pytest.mark.django_db
def test_the_purge_escape_deletes_only_inside_its_transaction_and_never_updates(signed):
    files = SignedFile.objects.filter(meeting=signed)

    with signed_records_purge():
        refused(lambda: files.update(content=b"forged"))  # updates have no escape
        files.delete()
        Signature.objects.filter(meeting=signed).delete()
        MeetingRecord.objects.filter(meeting=signed).delete()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {PURGE_TABLE}")  # noqa: S608
        assert cursor.fetchone()[0] == 0  # the grant went with its transaction
    assert not files.exists()


@pytest.mark.django_db
def test_a_failed_purge_rolls_back_its_grant_with_everything_else(signed):
    with pytest.raises(RuntimeError), signed_records_purge():
        SignedFile.objects.filter(meeting=signed).delete()
        raise RuntimeError("stop")

    assert SignedFile.objects.filter(meeting=signed).count() == 4
    refused(lambda: SignedFile.objects.filter(meeting=signed).delete())
