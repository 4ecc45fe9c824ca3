"""A confirmation and a withdrawal of the same transfer at the same moment, from two threads
with their own database connections (R3.13: nothing is lost in between): exactly one wins."""

from __future__ import annotations

import datetime

import pytest

from chibo.core.errors import ServiceError
from chibo.lifecycle import transfers
from chibo.lifecycle.models import Transfer, TransferState
from chibo.members.models import Member, MemberEvent
from tests.conftest import give_position
from tests.meetings.test_concurrency import run_together, sqlite_as_deployed  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_confirm_and_withdraw_leave_exactly_one_outcome(world):
    give_position(world.dung, world.khoi2, "secretary")
    transfer = transfers.transfer_issue(
        actor=world.an_user,
        member=world.binh,
        kind="official",
        reason="residence",
        slip_number="7-GGT/ĐU",
        slip_date=datetime.date(2025, 1, 6),
        to_cell=world.khoi2,
    )
    events_before = MemberEvent.objects.filter(member=world.binh).count()

    def confirm():
        transfers.transfer_confirm(
            actor=world.dung_user,
            transfer=Transfer.objects.get(pk=transfer.pk),
            received_on=datetime.date(2025, 1, 8),
        )

    def withdraw():
        transfers.transfer_withdraw(
            actor=world.an_user, transfer=Transfer.objects.get(pk=transfer.pk)
        )

    errors = run_together(confirm, withdraw)
    assert len(errors) == 1 and isinstance(errors[0], ServiceError), errors
    state = Transfer.objects.get(pk=transfer.pk).state
    binh = Member.objects.get(pk=world.binh.pk)
    events = MemberEvent.objects.filter(member=world.binh).count()
    if state == TransferState.RECEIVED:
        assert binh.cell_id == world.khoi2.pk and events == events_before + 1
    else:
        assert state == TransferState.WITHDRAWN
        assert binh.cell_id == world.khoi1.pk and events == events_before
