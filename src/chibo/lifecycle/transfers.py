"""Transfers of party activity between cells (DOMAIN R3.13): official (chuyển sinh hoạt đảng
chính thức, within n working days: rule `transfer.official_deadline_working_days`) and
temporary (sinh hoạt tạm thời), with the transfer slip (giấy giới thiệu sinh hoạt đảng) and the
receiving cell's confirmation. This is the ONE way a member changes cell.

The life of a transfer (`Transfer.state`):

- issued (in flight): the sending cell (its managers) issued the slip. The member stays on the
  sending cell's roll: same `Member.cell`, same status; they still attend and pay dues there.
  Lists mark them "transfer in flight". The receiving cell's secretary is notified.
- the receiving cell confirms receipt (the date received):
  - official → received: `member_change_status` moves the member to the receiving cell with
    their status unchanged (official / probationary / exempted); the event is in the receiving
    cell, the earlier events keep the sending cell, so the history shows both.
  - temporary → attached. Choice made with the existing model (one `Member.cell`, the
    TEMPORARILY_ATTACHED status, roll calls reading the members of a cell with ACTIVE_STATUSES):
    the member is moved to the receiving cell with the status TEMPORARILY_ATTACHED, so the
    receiving cell's roll calls, attendance and dues include them with the "temporarily
    attached" category, with no change to the meetings app. Their official registration stays
    with the sending cell through this open transfer: `Transfer.from_cell` is the home cell,
    `temporarily_away(home)` lists them there as "temporarily away", and their status before the
    attachment is kept in the history (`Transfer.member_status`, the events).
  - ending a temporary attachment → returned: the member goes back to the home cell with the
    status they had before the attachment.
- the sending cell withdraws a transfer not yet received → withdrawn; the receiving cell
  refuses it with a reason → refused. The member stays at home in both cases.
- a transfer out of chibo (to an organisation outside the system, free text) ends at once
  with the status TRANSFERRED_OUT on the slip date → left_chibo.

Nothing is lost in between: one open transfer (issued or attached) per member at a time (DB
constraint `transfer_one_open`); a member with an open transfer cannot be moved or transferred
by another path (`members.services.refuse_move_in_flight`, called by `member_change_status`);
every step locks the transfer row then the member (`select_for_update`), so a confirmation and
a withdrawal that race leave exactly one outcome. Every step is audited and dated; a step is
never rewritten.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.calendar import add_working_days
from chibo.core.errors import ServiceError
from chibo.core.rules import Resolved
from chibo.core.text import fold
from chibo.lifecycle.models import (
    OPEN_TRANSFER_STATES,
    Transfer,
    TransferKind,
    TransferReason,
    TransferState,
)
from chibo.lifecycle.rules import rule_for
from chibo.members import services as member_services
from chibo.members.models import Member, MemberStatus
from chibo.notify.services import notify_users
from chibo.orgs.models import CELL_KINDS, Organization, Position, Role
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import natural_key

DEADLINE_KEY = "transfer.official_deadline_working_days"

# Statuses a member can be transferred with.
TRANSFERABLE_STATUSES = (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPTED)


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# -- rules -----------------------------------------------------------------------------------


def official_deadline(*, start: datetime.date, organization: Any) -> tuple[datetime.date, Resolved]:
    """The last day to complete an official transfer: n working days (R3.13: 60) after the
    decision (job move, retirement, discharge, change of residence) or, without one, the slip
    date. Weekends, Tết and the other public holidays are not counted (core.calendar)."""
    rule = rule_for(DEADLINE_KEY, organization=organization, on=start)
    return add_working_days(start, rule.value), rule


def deadline_rule(organization: Any, *, on: datetime.date | None = None) -> Resolved:
    return rule_for(DEADLINE_KEY, organization=organization, on=on or timezone.localdate())


# -- reads used by other modules -------------------------------------------------------------------


def open_transfer(member: Member) -> Transfer | None:
    return Transfer.objects.filter(member=member, state__in=OPEN_TRANSFER_STATES).first()


# -- permissions (the views check them too; services refuse whatever the entry point) -------


def _require_manager(actor: Any, cell: Organization, message: str) -> None:
    if not getattr(actor, "is_authenticated", False):
        return  # system calls (imports, demo, tests of the rules)
    if not scope_for(actor).can_manage_path(cell.path):
        raise PermissionDenied(message)


def _require_sending_side(actor: Any, transfer: Transfer) -> None:
    _require_manager(actor, transfer.from_cell, _("Only the sending cell can do this."))


def _require_receiving_side(actor: Any, transfer: Transfer) -> None:
    if transfer.to_cell is None:
        raise ServiceError(_("This transfer is to an organisation outside chibo."))
    _require_manager(
        actor, transfer.to_cell, _("Only the receiving cell confirms or refuses a transfer.")
    )


# -- services --------------------------------------------------------------------------------


def _check_not_future(day: datetime.date, label: str) -> None:
    if day > timezone.localdate():
        raise ServiceError(_("The %(field)s cannot be in the future.") % {"field": label})


def default_slip_issuer(cell: Organization) -> str:
    """The committee that issues the slip: the one directly above the cell."""
    parent = Organization.objects.get_parent(cell)
    return parent.name if parent is not None else cell.name


def _secretary_users(cell: Organization) -> list[Any]:
    positions = (
        Position.objects.current()
        .filter(organization=cell, role__in=[Role.SECRETARY, Role.DEPUTY_SECRETARY])
        .select_related("member__user")
    )
    return [p.member.user for p in positions if p.member.user_id]


def transfer_url(transfer: Transfer) -> str:
    return reverse("lifecycle:transfer", args=[transfer.pk])


@transaction.atomic
def transfer_issue(
    *,
    actor: Any,
    member: Member,
    kind: str,
    reason: str,
    slip_number: str,
    slip_date: datetime.date,
    to_cell: Organization | None = None,
    destination: str = "",
    slip_issuer: str = "",
    decision_date: datetime.date | None = None,
    reason_note: str = "",
) -> Transfer:
    """The sending cell issues a transfer and its slip. To a cell in chibo, the transfer is in
    flight until the receiving cell confirms it; out of chibo (`destination`), the member leaves
    the rolls with the status TRANSFERRED_OUT on the slip date."""
    locked = Member.objects.select_for_update(of=("self",)).select_related("cell").get(pk=member.pk)
    _require_manager(actor, locked.cell, _("Only the sending cell can issue a transfer."))
    if kind not in TransferKind.values:
        raise ServiceError(_("Choose the kind of transfer."))
    if reason not in TransferReason.values:
        raise ServiceError(_("Choose the reason for the transfer."))
    if locked.status not in TRANSFERABLE_STATUSES:
        raise ServiceError(
            _("A member with the status “%(status)s” cannot be transferred.")
            % {"status": locked.get_status_display()}
        )
    if open_transfer(locked) is not None:
        raise ServiceError(
            _("This member already has a transfer in flight; it must be completed first.")
        )
    slip_number = (slip_number or "").strip()
    if not slip_number:
        raise ServiceError(_("Enter the number of the transfer slip."))
    _check_not_future(slip_date, _("transfer slip date"))
    if decision_date is not None:
        _check_not_future(decision_date, _("date of the decision"))
        if slip_date < decision_date:
            raise ServiceError(
                _("The transfer slip (%(slip)s) cannot be dated before the decision (%(dec)s).")
                % {"slip": _d(slip_date), "dec": _d(decision_date)}
            )
    destination = " ".join((destination or "").split())
    if to_cell is None and not destination:
        raise ServiceError(_("Choose the receiving cell, or name the organisation outside chibo."))
    if to_cell is not None:
        destination = ""
        if not to_cell.is_cell:
            raise ServiceError(_("A member is transferred to a party cell."))
        if to_cell.pk == locked.cell_id:
            raise ServiceError(_("The receiving cell must be another cell."))
        if not to_cell.is_active:
            raise ServiceError(_("The receiving cell is no longer active."))
    elif kind != TransferKind.OFFICIAL:
        raise ServiceError(_("A transfer out of chibo is an official transfer."))
    deadline = None
    if kind == TransferKind.OFFICIAL:
        deadline, _rule = official_deadline(
            start=decision_date or slip_date, organization=locked.cell
        )
    transfer = Transfer(
        member=locked,
        kind=kind,
        reason=reason,
        reason_note=(reason_note or "").strip(),
        from_cell=locked.cell,
        to_cell=to_cell,
        destination=destination,
        member_status=locked.status,
        decision_date=decision_date,
        slip_number=slip_number,
        slip_date=slip_date,
        slip_issuer=(slip_issuer or "").strip() or default_slip_issuer(locked.cell),
        deadline=deadline,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as error:
        raise ServiceError(
            _("This member already has a transfer in flight; it must be completed first.")
        ) from error
    audit.record(
        actor=actor,
        code="transfer.issued",
        target=transfer,
        organization=locked.cell,
        changes={
            "member": [None, locked.pk],
            "kind": [None, kind],
            "to_cell": [None, to_cell.pk if to_cell else None],
            "slip_date": [None, slip_date.isoformat()],
        },
    )
    if to_cell is None:
        member_services.member_change_status(
            actor=actor,
            member=locked,
            status=MemberStatus.TRANSFERRED_OUT,
            effective_date=slip_date,
            reason=_("Transferred to %(destination)s") % {"destination": destination},
            decision_ref=slip_number,
            via_transfer=True,
        )
        transfer.state = TransferState.LEFT_CHIBO
        transfer.closed_on = slip_date
        transfer.closed_by = transfer.issued_by
        transfer.save(update_fields=["state", "closed_on", "closed_by"])
        audit.record(
            actor=actor,
            code="transfer.left_chibo",
            target=transfer,
            organization=locked.cell,
            changes={"state": [TransferState.ISSUED, TransferState.LEFT_CHIBO]},
        )
        return transfer
    notify_users(
        users=_secretary_users(to_cell),
        code="transfer.issued",
        title=_("Incoming transfer to %(cell)s from %(from)s")
        % {"cell": to_cell.name, "from": locked.cell.name},
        body=_("%(kind)s, slip %(number)s of %(date)s. Confirm receipt in chibo.")
        % {"kind": transfer.get_kind_display(), "number": slip_number, "date": _d(slip_date)},
        url=transfer_url(transfer),
    )
    return transfer


def _lock(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member", "from_cell", "to_cell")
        .get(pk=transfer.pk)
    )


def _ensure_in_flight(transfer: Transfer) -> None:
    if transfer.state != TransferState.ISSUED:
        raise ServiceError(
            _("This transfer is no longer in flight (%(state)s).")
            % {"state": transfer.get_state_display()}
        )


@transaction.atomic
def transfer_confirm(*, actor: Any, transfer: Transfer, received_on: datetime.date) -> Transfer:
    """The receiving cell confirms it received the member on `received_on`: an official
    transfer moves the member there (status unchanged); a temporary one attaches them."""
    locked = _lock(transfer)
    _require_receiving_side(actor, locked)
    _ensure_in_flight(locked)
    _check_not_future(received_on, _("date received"))
    if received_on < locked.slip_date:
        raise ServiceError(
            _("The date received (%(received)s) cannot be before the transfer slip (%(slip)s).")
            % {"received": _d(received_on), "slip": _d(locked.slip_date)}
        )
    member = Member.objects.select_for_update().get(pk=locked.member_id)
    if member.status not in TRANSFERABLE_STATUSES or member.cell_id != locked.from_cell_id:
        raise ServiceError(
            _(
                "The member is no longer on the sending cell's rolls; the transfer cannot be "
                "received."
            )
        )
    assert locked.to_cell is not None
    if locked.kind == TransferKind.OFFICIAL:
        new_status = member.status
        reason = _("Official transfer from %(cell)s") % {"cell": locked.from_cell.name}
        locked.state = TransferState.RECEIVED
    else:
        new_status = MemberStatus.TEMPORARILY_ATTACHED
        reason = _("Temporarily attached from %(cell)s") % {"cell": locked.from_cell.name}
        locked.state = TransferState.ATTACHED
    member_services.member_change_status(
        actor=actor,
        member=member,
        status=new_status,
        effective_date=received_on,
        cell=locked.to_cell,
        reason=reason,
        decision_ref=locked.slip_number,
        via_transfer=True,
    )
    locked.received_on = received_on
    locked.received_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.save(update_fields=["state", "received_on", "received_by"])
    audit.record(
        actor=actor,
        code="transfer.received",
        target=locked,
        organization=locked.to_cell,
        changes={
            "state": [TransferState.ISSUED, locked.state],
            "received_on": [None, received_on.isoformat()],
        },
    )
    return locked


def _close(
    *, actor: Any, transfer: Transfer, state: str, on: datetime.date, note: str, code: str
) -> Transfer:
    before = transfer.state
    transfer.state = state
    transfer.closed_on = on
    transfer.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    transfer.close_note = note
    transfer.save(update_fields=["state", "closed_on", "closed_by", "close_note"])
    audit.record(
        actor=actor,
        code=code,
        target=transfer,
        organization=transfer.to_cell if code == "transfer.refused" else transfer.from_cell,
        changes={"state": [before, state], "closed_on": [None, on.isoformat()]},
        note=note,
    )
    return transfer


@transaction.atomic
def transfer_withdraw(*, actor: Any, transfer: Transfer, note: str = "") -> Transfer:
    """The sending cell withdraws a transfer not yet received; the member stays at home."""
    locked = _lock(transfer)
    _require_sending_side(actor, locked)
    _ensure_in_flight(locked)
    return _close(
        actor=actor,
        transfer=locked,
        state=TransferState.WITHDRAWN,
        on=timezone.localdate(),
        note=(note or "").strip(),
        code="transfer.withdrawn",
    )


@transaction.atomic
def transfer_refuse(*, actor: Any, transfer: Transfer, reason: str) -> Transfer:
    """The receiving cell refuses the transfer, with the reason; the member stays at home."""
    locked = _lock(transfer)
    _require_receiving_side(actor, locked)
    _ensure_in_flight(locked)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give the reason for refusing the transfer."))
    return _close(
        actor=actor,
        transfer=locked,
        state=TransferState.REFUSED,
        on=timezone.localdate(),
        note=reason,
        code="transfer.refused",
    )


def _status_before_attachment(member: Member) -> str:
    event = (
        member.events.exclude(status=MemberStatus.TEMPORARILY_ATTACHED)
        .order_by("-effective_date", "-id")
        .first()
    )
    return event.status if event is not None else MemberStatus.OFFICIAL


@transaction.atomic
def transfer_end_temporary(
    *, actor: Any, transfer: Transfer, ended_on: datetime.date, note: str = ""
) -> Transfer:
    """End a temporary attachment (either cell's managers): the member returns to the home
    cell with the status they had before it."""
    locked = _lock(transfer)
    if getattr(actor, "is_authenticated", False):
        scope = scope_for(actor)
        assert locked.to_cell is not None
        if not (
            scope.can_manage_path(locked.from_cell.path)
            or scope.can_manage_path(locked.to_cell.path)
        ):
            raise PermissionDenied
    if locked.state != TransferState.ATTACHED:
        raise ServiceError(_("Only a temporary attachment in progress can be ended."))
    _check_not_future(ended_on, _("end date"))
    assert locked.received_on is not None
    if ended_on < locked.received_on:
        raise ServiceError(
            _("The end (%(end)s) cannot be before the date received (%(received)s).")
            % {"end": _d(ended_on), "received": _d(locked.received_on)}
        )
    member = Member.objects.select_for_update().get(pk=locked.member_id)
    member_services.member_change_status(
        actor=actor,
        member=member,
        status=_status_before_attachment(member),
        effective_date=ended_on,
        cell=locked.from_cell,
        reason=_("Back from the temporary attachment to %(cell)s")
        % {"cell": locked.to_cell.name if locked.to_cell else ""},
        decision_ref=locked.slip_number,
        via_transfer=True,
    )
    return _close(
        actor=actor,
        transfer=locked,
        state=TransferState.RETURNED,
        on=ended_on,
        note=(note or "").strip(),
        code="transfer.returned",
    )


# -- selectors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransferRow:
    transfer: Transfer
    overdue: bool
    can_receive: bool  # confirm or refuse
    can_withdraw: bool
    can_end: bool


def is_overdue(transfer: Transfer, today: datetime.date) -> bool:
    """An official transfer still in flight after its deadline."""
    return (
        transfer.state == TransferState.ISSUED
        and transfer.deadline is not None
        and transfer.deadline < today
    )


def _row(transfer: Transfer, scope: Any, today: datetime.date) -> TransferRow:
    manages_from = scope.can_manage_path(transfer.from_cell.path)
    manages_to = transfer.to_cell is not None and scope.can_manage_path(transfer.to_cell.path)
    in_flight = transfer.state == TransferState.ISSUED
    return TransferRow(
        transfer=transfer,
        overdue=is_overdue(transfer, today),
        can_receive=in_flight and manages_to,
        can_withdraw=in_flight and manages_from,
        can_end=transfer.state == TransferState.ATTACHED and (manages_from or manages_to),
    )


def _base() -> QuerySet[Transfer]:
    return Transfer.objects.select_related("member", "from_cell", "to_cell")


def _in_subtree(field: str, organization: Organization) -> Q:
    if organization.is_cell:
        return Q(**{field: organization})
    return Q(**{f"{field}__path__startswith": organization.path})


def transfer_lists(
    organization: Organization, scope: Any, *, today: datetime.date
) -> dict[str, list[TransferRow]]:
    """Incoming and outgoing transfers of a cell or of a committee's subtree: open ones first
    (in flight, then attachments), then the closed ones of the last two years. Transfers
    between two cells of the subtree appear in both lists."""
    since = today - datetime.timedelta(days=730)
    recent = Q(state__in=OPEN_TRANSFER_STATES) | Q(slip_date__gte=since)
    order = ("-slip_date", "-id")
    incoming = _base().filter(_in_subtree("to_cell", organization)).filter(recent)
    outgoing = _base().filter(_in_subtree("from_cell", organization)).filter(recent)

    def rows(queryset: QuerySet[Transfer]) -> list[TransferRow]:
        items = [_row(t, scope, today) for t in queryset.order_by(*order)]
        rank: dict[str, int] = {TransferState.ISSUED: 0, TransferState.ATTACHED: 1}
        return sorted(items, key=lambda row: rank.get(row.transfer.state, 2))

    return {"incoming": rows(incoming), "outgoing": rows(outgoing)}


def transfer_row(transfer: Transfer, scope: Any, *, today: datetime.date) -> TransferRow:
    return _row(transfer, scope, today)


def open_transfers_by_member(member_ids: list[int]) -> dict[int, Transfer]:
    """The open transfer of each member that has one (for the member list and detail)."""
    if not member_ids:
        return {}
    return {
        t.member_id: t
        for t in Transfer.objects.filter(
            member_id__in=member_ids, state__in=OPEN_TRANSFER_STATES
        ).select_related("from_cell", "to_cell")
    }


def temporarily_away(cell: Organization) -> list[Transfer]:
    """Members registered at `cell` and temporarily attached to another cell: the home cell
    still lists them ("temporarily away")."""
    return list(
        _base()
        .filter(_in_subtree("from_cell", cell), state=TransferState.ATTACHED)
        .order_by("member__name_sort_key", "member_id")
    )


def cell_search(query: str, *, limit: int = 20) -> list[dict[str, str]]:
    """Cells anywhere in the tree whose name or code matches: only names and codes."""
    folded = fold(query or "").strip()
    if len(folded) < 2:
        return []
    cells = Organization.objects.filter(kind__in=CELL_KINDS)
    for word in folded.split():
        cells = cells.filter(Q(name_search__contains=word) | Q(code__startswith=word))
    cells = cells.filter(Q(active_to__isnull=True) | Q(active_to__gte=timezone.localdate()))
    found = cells.order_by("code").values("name", "code")[:limit]
    # Cells in natural order ("Khối 2" before "Khối 10").
    return sorted(found, key=lambda cell: natural_key(cell["name"]))
