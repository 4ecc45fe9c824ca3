"""The demo transfers on top of the seeded demo (R3.13)."""

import datetime
import tempfile
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from chibo.demo import transfers as demo_transfers
from chibo.lifecycle import transfers
from chibo.lifecycle.models import Transfer, TransferState
from chibo.members.models import MemberStatus
from chibo.notify.models import Notification
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.django_db
@time_machine.travel(NOW, tick=True)
@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="chibo-transfer-demo-"))
def test_seed_demo_adds_completed_in_flight_temporary_and_overdue_transfers(
    django_user_model,
):
    call_command("seed_demo", stdout=StringIO())  # adds the transfers (chibo.demo.lifecycle)
    assert Transfer.objects.count() == 6
    states = sorted(Transfer.objects.values_list("state", flat=True))
    assert states == ["attached", "issued", "issued", "received", "received", "received"]
    # Completed ones: the history shows both cells.
    for transfer in Transfer.objects.filter(state=TransferState.RECEIVED):
        cells = set(transfer.member.events.values_list("cell_id", flat=True))
        assert {transfer.from_cell_id, transfer.to_cell_id} <= cells
        assert transfer.member.cell_id == transfer.to_cell_id
    attached = Transfer.objects.get(state=TransferState.ATTACHED)
    assert attached.member.status == MemberStatus.TEMPORARILY_ATTACHED
    assert attached.member.cell_id == attached.to_cell_id
    # bithu.khoi1 sees the incoming transfer, and was notified.
    khoi1 = Organization.objects.get(code=demo_transfers.KHOI1)
    secretary = django_user_model.objects.get(username="bithu.khoi1")
    rows = transfers.transfer_lists(khoi1, scope_for(secretary), today=NOW.date())
    assert [(r.transfer.state, r.overdue, r.can_receive) for r in rows["incoming"]] == [
        ("issued", False, True)
    ]
    assert Notification.objects.filter(recipient=secretary, code="transfer.issued").exists()
    ward = Organization.objects.get(code="38.168")
    admin = django_user_model.objects.get(username="admin")
    overdue = [
        r
        for r in transfers.transfer_lists(ward, scope_for(admin), today=NOW.date())["incoming"]
        if r.overdue
    ]
    assert len(overdue) == 1
    assert demo_transfers.seed_demo(NOW.date()) == 0  # idempotent
