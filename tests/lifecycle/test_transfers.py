"""Transfers between cells (issue 4, DOMAIN R3.13): official within 60 working days and
temporary, the transfer slip, the receiving cell's confirmation, and nothing lost in between."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from chibo.core.audit import AuditEntry
from chibo.core.errors import ServiceError
from chibo.lifecycle import transfers
from chibo.lifecycle.models import Transfer, TransferState
from chibo.members import services as member_services
from chibo.members.models import MemberEvent, MemberStatus
from chibo.notify.models import Notification
from tests.conftest import give_position

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
SLIP = datetime.date(2026, 2, 25)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def khoi2_secretary(world):
    """Dũng is the secretary of Khối 2, the receiving cell."""
    give_position(world.dung, world.khoi2, "secretary")
    return world.dung_user


def issue(world, *, kind="official", to_cell=None, slip_date=SLIP, **extra):
    return transfers.transfer_issue(
        actor=world.an_user,
        member=world.binh,
        kind=kind,
        reason=extra.pop("reason", "residence"),
        slip_number=extra.pop("slip_number", "12-GGT/ĐU"),
        slip_date=slip_date,
        to_cell=to_cell if to_cell is not None else world.khoi2,
        **extra,
    )


def client_for(client, user):
    client.force_login(user)
    return client


def test_member_pages_show_a_temporary_attachment(world, client, khoi2_secretary):
    """The life-cycle renders its part of the register's pages (members does not import it)."""
    transfer = issue(world, kind="temporary", reason="job")
    transfers.transfer_confirm(actor=khoi2_secretary, transfer=transfer, received_on=SLIP)
    client = client_for(client, world.an_user)
    home_list = client.get(reverse("members:cell_list", args=[world.khoi1.pk])).content.decode()
    # The host cell's secretary reads the member's record now.
    client = client_for(client, khoi2_secretary)
    detail = client.get(reverse("members:detail", args=[world.binh.pk])).content.decode()
    assert any(label in home_list for label in ("Temporarily away", "Đang sinh hoạt tạm thời"))
    assert reverse("lifecycle:transfer", args=[transfer.pk]) in home_list
    assert reverse("lifecycle:transfer", args=[transfer.pk]) in detail
    # An attached member has no "Transfer" button: the open transfer is ended first.
    assert reverse("lifecycle:transfer_new", args=[world.binh.pk]) not in detail


def test_official_transfer_stays_home_in_flight_then_moves_on_confirmation(world, khoi2_secretary):
    transfer = issue(world)
    world.binh.refresh_from_db()
    # In flight: still on Khối 1's roll, status unchanged; Khối 2's secretary is told.
    assert world.binh.cell == world.khoi1 and world.binh.status == MemberStatus.OFFICIAL
    assert transfer.state == TransferState.ISSUED
    assert Notification.objects.filter(recipient=khoi2_secretary, code="transfer.issued").exists()

    transfers.transfer_confirm(
        actor=khoi2_secretary, transfer=transfer, received_on=datetime.date(2026, 2, 27)
    )
    world.binh.refresh_from_db()
    transfer.refresh_from_db()
    assert world.binh.cell == world.khoi2 and world.binh.status == MemberStatus.OFFICIAL
    assert transfer.state == TransferState.RECEIVED
    assert transfer.received_on == datetime.date(2026, 2, 27)
    history = list(
        MemberEvent.objects.filter(member=world.binh)
        .order_by("effective_date", "id")
        .values_list("cell__name", "status")
    )
    assert history == [("Chi bộ Khối 1", "official"), ("Chi bộ Khối 2", "official")]
    codes = set(
        AuditEntry.objects.filter(
            target_type="lifecycle.transfer", target_id=str(transfer.pk)
        ).values_list("code", flat=True)
    )
    assert codes == {"transfer.issued", "transfer.received"}


def test_temporary_transfer_attaches_the_member_and_home_lists_them_away(world, khoi2_secretary):
    transfer = issue(world, kind="temporary", reason="job")
    assert transfer.deadline is None
    transfers.transfer_confirm(actor=khoi2_secretary, transfer=transfer, received_on=SLIP)
    world.binh.refresh_from_db()
    # On Khối 2's roll as temporarily attached (meetings read its members with ACTIVE_STATUSES).
    assert world.binh.cell == world.khoi2
    assert world.binh.status == MemberStatus.TEMPORARILY_ATTACHED
    assert [t.member_id for t in transfers.temporarily_away(world.khoi1)] == [world.binh.pk]
    # Nothing else moves them while attached.
    with pytest.raises(ServiceError):
        member_services.member_change_status(
            actor=None,
            member=world.binh,
            status=MemberStatus.EXEMPTED,
            effective_date=datetime.date(2026, 3, 1),
        )
    transfers.transfer_end_temporary(
        actor=world.an_user, transfer=transfer, ended_on=datetime.date(2026, 3, 1)
    )
    world.binh.refresh_from_db()
    transfer.refresh_from_db()
    assert world.binh.cell == world.khoi1 and world.binh.status == MemberStatus.OFFICIAL
    assert transfer.state == TransferState.RETURNED
    assert transfers.temporarily_away(world.khoi1) == []


def test_sending_cell_withdraws_a_transfer_not_yet_received(world, client, khoi2_secretary):
    transfer = issue(world)
    response = client_for(client, world.an_user).post(
        reverse("lifecycle:transfer_withdraw", args=[transfer.pk]), {"note": "Nhầm chi bộ"}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    world.binh.refresh_from_db()
    assert transfer.state == TransferState.WITHDRAWN and transfer.closed_on == NOW.date()
    assert world.binh.cell == world.khoi1
    # A withdrawn transfer cannot be received any more.
    with pytest.raises(ServiceError):
        transfers.transfer_confirm(actor=khoi2_secretary, transfer=transfer, received_on=SLIP)
    # The member can be transferred again.
    assert issue(world, slip_number="13-GGT/ĐU").state == TransferState.ISSUED


def test_receiving_cell_refuses_with_a_reason_and_the_member_stays_home(
    world, client, khoi2_secretary
):
    transfer = issue(world)
    client = client_for(client, khoi2_secretary)
    url = reverse("lifecycle:transfer_refuse", args=[transfer.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.ISSUED
    response = client.post(url, {"reason": "Địa chỉ không thuộc địa bàn"}, follow=True)
    transfer.refresh_from_db()
    world.binh.refresh_from_db()
    assert transfer.state == TransferState.REFUSED
    assert transfer.close_note == "Địa chỉ không thuộc địa bàn"
    assert world.binh.cell == world.khoi1 and world.binh.status == MemberStatus.OFFICIAL
    assert response.status_code == 200


def test_a_second_transfer_while_one_is_in_flight_is_refused(world):
    first = issue(world)
    with pytest.raises(ServiceError):
        issue(world, to_cell=world.other_cell, slip_number="99")
    # The database refuses it too, whatever the path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            member=world.binh,
            kind="official",
            reason="other",
            from_cell=world.khoi1,
            to_cell=world.other_cell,
            member_status="official",
            slip_number="99",
            slip_date=SLIP,
            slip_issuer="x",
        )
    assert Transfer.objects.filter(member=world.binh).count() == 1
    # Nor is a member in flight moved by a plain status change.
    with pytest.raises(ServiceError):
        member_services.member_change_status(
            actor=None,
            member=world.binh,
            status=MemberStatus.OFFICIAL,
            effective_date=datetime.date(2026, 3, 1),
            cell=world.khoi2,
        )
    first.refresh_from_db()
    assert first.state == TransferState.ISSUED


def test_confirmation_by_the_sending_cell_is_refused(world, client, khoi2_secretary):
    transfer = issue(world)
    response = client_for(client, world.an_user).post(
        reverse("lifecycle:transfer_confirm", args=[transfer.pk]), {"received_on": "2026-02-27"}
    )
    assert response.status_code == 403
    transfer.refresh_from_db()
    world.binh.refresh_from_db()
    assert transfer.state == TransferState.ISSUED and world.binh.cell == world.khoi1


def test_another_cells_secretary_gets_404_and_nothing_changes(world, client, khoi2_secretary):
    transfer = issue(world, to_cell=world.other_cell)
    client = client_for(client, khoi2_secretary)
    for name in ("transfer", "transfer_slip"):
        assert client.get(reverse(f"lifecycle:{name}", args=[transfer.pk])).status_code == 404
    for name, data in (
        ("transfer_confirm", {"received_on": "2026-02-27"}),
        ("transfer_refuse", {"reason": "x"}),
        ("transfer_withdraw", {}),
    ):
        response = client.post(reverse(f"lifecycle:{name}", args=[transfer.pk]), data)
        assert response.status_code == 404
    assert client.get(reverse("lifecycle:transfers", args=[world.khoi1.pk])).status_code == 404
    assert client.get(reverse("lifecycle:transfer_new", args=[world.binh.pk])).status_code == 404
    transfer.refresh_from_db()
    assert transfer.state == TransferState.ISSUED


def test_plain_member_and_anonymous_cannot_see_transfers(world, client):
    transfer = issue(world)
    url = reverse("lifecycle:transfer", args=[transfer.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(world.binh_user)
    assert client.get(url).status_code == 404
    # Cúc follows the ward (reads) but does not keep its registers: she reads, cannot issue.
    client.force_login(world.cuc_user)
    assert client.get(url).status_code == 200
    new_url = reverse("lifecycle:transfer_new", args=[world.dung.pk])
    assert client.get(new_url).status_code == 403


def test_60_working_days_from_5_1_2026_end_on_6_4_2026_because_tet_is_not_counted(world):
    """Tết 2026 (16–20/2) is 5 working days off: without it the 60th working day after
    5/1/2026 would be 30/3/2026."""
    deadline, rule = transfers.official_deadline(
        start=datetime.date(2026, 1, 5), organization=world.khoi1
    )
    assert rule.value == 60
    assert deadline == datetime.date(2026, 4, 6)
    assert "6.3.1a" in rule.explain()
    transfer = issue(
        world, decision_date=datetime.date(2026, 1, 5), slip_date=datetime.date(2026, 1, 12)
    )
    assert transfer.deadline == datetime.date(2026, 4, 6)


def test_official_transfer_past_its_deadline_is_flagged_overdue(world, client, khoi2_secretary):
    transfer = issue(
        world, decision_date=datetime.date(2025, 10, 1), slip_date=datetime.date(2025, 10, 6)
    )
    assert transfer.deadline < NOW.date()
    rows = transfers.transfer_lists(
        world.khoi2, transfers.scope_for(khoi2_secretary), today=NOW.date()
    )
    assert [(row.transfer.pk, row.overdue, row.can_receive) for row in rows["incoming"]] == [
        (transfer.pk, True, True)
    ]
    on_time = transfers.transfer_lists(
        world.khoi2, transfers.scope_for(khoi2_secretary), today=transfer.deadline
    )
    assert on_time["incoming"][0].overdue is False
    client.force_login(khoi2_secretary)
    page = client.get(reverse("lifecycle:transfers", args=[world.khoi2.pk]))
    assert page.status_code == 200
    assert "Quá hạn" in page.content.decode() or "Overdue" in page.content.decode()


def test_received_before_the_slip_is_refused_with_a_message(world, client, khoi2_secretary):
    transfer = issue(world)
    client = client_for(client, khoi2_secretary)
    response = client.post(
        reverse("lifecycle:transfer_confirm", args=[transfer.pk]),
        {"received_on": "2026-02-20"},
        follow=True,
    )
    text = response.content.decode()
    assert "20/02/2026" in text and "25/02/2026" in text
    transfer.refresh_from_db()
    assert transfer.state == TransferState.ISSUED
    with pytest.raises(ServiceError):
        issue(world, decision_date=datetime.date(2026, 2, 26), slip_number="x")


def test_transfer_out_of_chibo_ends_with_transferred_out_on_the_slip_date(world):
    transfer = transfers.transfer_issue(
        actor=world.an_user,
        member=world.binh,
        kind="official",
        reason="job",
        slip_number="15-GGT/ĐU",
        slip_date=SLIP,
        destination="Đảng bộ Công ty X, tỉnh khác",
    )
    world.binh.refresh_from_db()
    assert transfer.state == TransferState.LEFT_CHIBO
    assert world.binh.status == MemberStatus.TRANSFERRED_OUT
    assert world.binh.events.order_by("-id").first().effective_date == SLIP


def test_confirm_after_withdraw_leaves_one_outcome(world, khoi2_secretary):
    """The later of two conflicting steps, working from a stale copy, is refused."""
    transfer = issue(world)
    stale = Transfer.objects.get(pk=transfer.pk)
    transfers.transfer_withdraw(actor=world.an_user, transfer=transfer)
    with pytest.raises(ServiceError):
        transfers.transfer_confirm(actor=khoi2_secretary, transfer=stale, received_on=SLIP)
    world.binh.refresh_from_db()
    assert world.binh.cell == world.khoi1
    assert Transfer.objects.get(pk=transfer.pk).state == TransferState.WITHDRAWN


def test_pages_issue_a_transfer_and_print_the_slip(world, client, khoi2_secretary):
    client = client_for(client, world.an_user)
    new_url = reverse("lifecycle:transfer_new", args=[world.binh.pk])
    assert client.get(new_url).status_code == 200
    options = client.get(reverse("lifecycle:transfer_cell_search"), {"q": "khoi 2"})
    assert "38.168.000.000.002" in options.content.decode()
    response = client.post(
        new_url,
        {
            "kind": "official",
            "reason": "residence",
            "to_cell_code": "38.168.000.000.002",
            "slip_number": "20-GGT/ĐU",
            "slip_date": "2026-02-25",
            "slip_issuer": "Đảng ủy phường Hưng Phú",
        },
    )
    transfer = Transfer.objects.get(member=world.binh)
    assert response.status_code == 302
    assert response["Location"] == reverse("lifecycle:transfer", args=[transfer.pk])
    listing = client.get(reverse("members:cell_list", args=[world.khoi1.pk])).content.decode()
    detail = client.get(reverse("members:detail", args=[world.binh.pk])).content.decode()
    assert reverse("lifecycle:transfer", args=[transfer.pk]) in detail
    labels = ("Transfer in flight", "Đang chuyển sinh hoạt")
    assert any(label in listing for label in labels)
    assert any(label in detail for label in labels)
    slip = client.get(reverse("lifecycle:transfer_slip", args=[transfer.pk]))
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf"
    assert slip.content.startswith(b"%PDF")
    assert client.get(reverse("lifecycle:transfers", args=[world.khoi1.pk])).status_code == 200
