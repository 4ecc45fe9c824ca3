"""Demo transfers (DOMAIN R3.13) on top of the seeded demo province: three official transfers
completed last year between demo cells, one official transfer in flight to Chi bộ Khối 1 (so
bithu.khoi1 sees an incoming one, with its notification), one temporary attachment in progress
and one official transfer past its 60-working-day deadline.

The completed moves and the attachment are dated outside the twelve months of demo meetings
(the completed ones before them, the attachment after the last signed one), so every signed
roll call stays consistent with the members' history. Rows are bulk-inserted; one audit entry
("demo.transfers_seeded") stands for the services' per-step entries. Idempotent: nothing is
added when demo transfers exist."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse

from chibo.core import audit
from chibo.core.calendar import add_working_days
from chibo.lifecycle.models import Transfer, TransferKind, TransferReason, TransferState
from chibo.lifecycle.rules import rule_for
from chibo.lifecycle.transfers import DEADLINE_KEY, default_slip_issuer
from chibo.members.models import Member, MemberEvent, MemberStatus
from chibo.notify.models import Notification
from chibo.orgs.models import Organization, Position, Role

KHOI1 = "38.168.000.000.001"
SLIP_SUFFIX = "-GGT/ĐU"


def _cell(code: str) -> Organization | None:
    return Organization.objects.filter(code=code).first()


def _pick(cell: Organization, taken: set[int], *, before: datetime.date) -> Member | None:
    """An official member of `cell` with no login and no position, whose history starts
    before `before` and has no later event: a plain member whose move is believable."""
    candidates = (
        Member.objects.filter(cell=cell, status=MemberStatus.OFFICIAL, user__isnull=True)
        .exclude(pk__in=taken)
        .exclude(positions__isnull=False)
        .exclude(events__effective_date__gte=before)
        .order_by("pk")
    )
    member = candidates.first()
    if member is not None:
        taken.add(member.pk)
    return member


def _deadline(cell: Organization, start: datetime.date) -> datetime.date:
    rule = rule_for(DEADLINE_KEY, organization=cell, on=start)
    return add_working_days(start, rule.value)


def _transfer(
    member: Member,
    *,
    kind: str,
    reason: str,
    to_cell: Organization,
    number: int,
    from_cell: Organization | None = None,
    decision: datetime.date,
    slip: datetime.date,
    state: str,
    received: datetime.date | None = None,
) -> Transfer:
    return Transfer(
        member=member,
        kind=kind,
        reason=reason,
        from_cell=from_cell or member.cell,
        to_cell=to_cell,
        member_status=member.status,
        decision_date=decision,
        slip_number=f"{number}{SLIP_SUFFIX}",
        slip_date=slip,
        slip_issuer=default_slip_issuer(from_cell or member.cell),
        deadline=_deadline(from_cell or member.cell, decision)
        if kind == TransferKind.OFFICIAL
        else None,
        state=state,
        received_on=received,
    )


@transaction.atomic
def seed_demo(today: datetime.date, *, actor: Any = None) -> int:
    """Add the demo transfers; returns how many were created (0 when they exist)."""
    if Transfer.objects.filter(slip_number__endswith=SLIP_SUFFIX).exists():
        return 0
    khoi1 = _cell(KHOI1)
    if khoi1 is None:
        return 0
    year = today.year - 1
    # Short names: "003" is Chi bộ Khối 3 of the ward, "x002" the second village of the commune.
    codes = {
        "002": "38.168.000.000.002",
        "003": "38.168.000.000.003",
        "004": "38.168.000.000.004",
        "005": "38.168.000.000.005",
        "006": "38.168.000.000.006",
        "x002": "38.201.000.000.002",
        "x003": "38.201.000.000.003",
    }
    found = {short: _cell(code) for short, code in codes.items()}
    if any(cell is None for cell in found.values()):
        return 0
    c: dict[str, Organization] = {short: cell for short, cell in found.items() if cell}
    taken: set[int] = set()
    transfers: list[Transfer] = []
    moves: list[tuple[Member, Organization, Organization, datetime.date, str]] = []

    # (a) Completed official transfers last year, before the demo meetings begin: members of
    # the receiving cell (where the demo meetings have them) who came from another cell.
    completed = (
        ("003", "002", TransferReason.RESIDENCE, datetime.date(year, 2, 24), 3),
        ("x002", "005", TransferReason.JOB, datetime.date(year, 4, 7), 2),
        ("006", "x003", TransferReason.RETIREMENT, datetime.date(year, 6, 16), 4),
    )
    for number, (source, target, reason, slip, days) in enumerate(completed, start=31):
        received = slip + datetime.timedelta(days=days * 7)
        member = _pick(c[target], taken, before=received)
        if member is None:
            continue
        transfers.append(
            _transfer(
                member,
                kind=TransferKind.OFFICIAL,
                reason=reason,
                to_cell=c[target],
                from_cell=c[source],
                number=number,
                decision=slip - datetime.timedelta(days=10),
                slip=slip,
                state=TransferState.RECEIVED,
                received=received,
            )
        )
        moves.append((member, c[source], c[target], received, member.status))

    # (b) In flight to Khối 1: issued three weeks ago, still within its deadline.
    incoming = _pick(c["004"], taken, before=today)
    if incoming is not None:
        slip = today - datetime.timedelta(days=21)
        transfers.append(
            _transfer(
                incoming,
                kind=TransferKind.OFFICIAL,
                reason=TransferReason.RESIDENCE,
                to_cell=khoi1,
                number=41,
                decision=slip - datetime.timedelta(days=3),
                slip=slip,
                state=TransferState.ISSUED,
            )
        )

    # (c) A temporary attachment since last week (a job away from home for some months).
    attached_on = today - datetime.timedelta(days=7)
    temporary = _pick(c["005"], taken, before=attached_on)
    if temporary is not None:
        transfers.append(
            _transfer(
                temporary,
                kind=TransferKind.TEMPORARY,
                reason=TransferReason.JOB,
                to_cell=c["002"],
                number=42,
                decision=attached_on - datetime.timedelta(days=9),
                slip=attached_on - datetime.timedelta(days=5),
                state=TransferState.ATTACHED,
                received=attached_on,
            )
        )

    # (d) Overdue: issued about five months ago, never confirmed by the receiving cell.
    overdue = _pick(c["x002"], taken, before=today)
    if overdue is not None:
        slip = today - datetime.timedelta(days=150)
        transfers.append(
            _transfer(
                overdue,
                kind=TransferKind.OFFICIAL,
                reason=TransferReason.RESIDENCE,
                to_cell=c["003"],
                number=43,
                decision=slip - datetime.timedelta(days=5),
                slip=slip,
                state=TransferState.ISSUED,
            )
        )

    Transfer.objects.bulk_create(transfers)

    # The history of the completed moves: the events before the move were in the sending cell.
    events = []
    for member, source, target, received, status in moves:
        MemberEvent.objects.filter(member=member, effective_date__lt=received).update(cell=source)
        events.append(
            MemberEvent(
                member=member,
                status=status,
                effective_date=received,
                cell=target,
                reason=f"Chuyển sinh hoạt chính thức từ {source.name}",
            )
        )
    if temporary is not None:
        events.append(
            MemberEvent(
                member=temporary,
                status=MemberStatus.TEMPORARILY_ATTACHED,
                effective_date=attached_on,
                cell=c["002"],
                reason=f"Sinh hoạt tạm thời từ {c['005'].name}",
            )
        )
    MemberEvent.objects.bulk_create(events)
    if temporary is not None:
        Member.objects.filter(pk=temporary.pk).update(
            cell=c["002"], status=MemberStatus.TEMPORARILY_ATTACHED
        )

    # Khối 1's secretary was told of the incoming transfer.
    if incoming is not None:
        in_flight = next(t for t in transfers if t.member_id == incoming.pk)
        secretaries = Position.objects.current(today).filter(
            organization=khoi1, role=Role.SECRETARY, member__user__isnull=False
        )
        Notification.objects.bulk_create(
            Notification(
                recipient_id=position.member.user_id,
                code="transfer.issued",
                title=f"Chuyển sinh hoạt đến {khoi1.name} từ {c['004'].name}",
                body=f"Chuyển sinh hoạt đảng chính thức, giấy giới thiệu {in_flight.slip_number}.",
                url=reverse("lifecycle:transfer", args=[in_flight.pk]),
            )
            for position in secretaries.select_related("member")
        )
    audit.record(
        actor=actor,
        code="demo.transfers_seeded",
        target=khoi1,
        organization=khoi1,
        changes={"transfers": [None, len(transfers)]},
    )
    return len(transfers)
