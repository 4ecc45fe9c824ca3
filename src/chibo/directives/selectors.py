"""Reads of directives: lists, a cell's pending directives (the agenda takes them), the
coverage of a directive drilled down by level — a bounded number of queries whatever the
number of cells."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.scope import Scope
from chibo.directives.models import Directive, DirectiveDelivery, DirectiveRead
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import Organization

AGENDA_TITLE_LENGTH = 300


def pending_for_cell(
    cell: Organization, *, on: datetime.date | None = None
) -> list[DirectiveDelivery]:
    """The deliveries of `cell` that must be disseminated and are not yet; with `on`, only
    directives issued by that day (a meeting disseminates what existed when it was held)."""
    rows = DirectiveDelivery.objects.filter(
        cell=cell, directive__must_disseminate=True, disseminated_meeting__isnull=True
    )
    if on is not None:
        rows = rows.filter(directive__issued_on__lte=on)
    return list(
        rows.select_related("directive__issuer", "via__issuer").order_by(
            "directive__disseminate_by", "directive__issued_on", "id"
        )
    )


def agenda_title(delivery: DirectiveDelivery) -> str:
    """The agenda item (and so the minutes) naming the directive (DOMAIN §1.4 step 5)."""
    directive = delivery.directive
    text = _("Dissemination of %(number)s of %(date)s of %(issuer)s on %(subject)s") % {
        "number": directive.number_symbol,
        "date": directive.issued_on.strftime("%d/%m/%Y"),
        "issuer": directive.issuer.name,
        "subject": directive.subject,
    }
    if len(text) > AGENDA_TITLE_LENGTH:
        text = text[: AGENDA_TITLE_LENGTH - 1].rstrip() + "…"
    return text


def agenda_guidance(delivery: DirectiveDelivery) -> str:
    directive = delivery.directive
    lines = []
    if directive.disseminate_by:
        lines.append(
            _("To be disseminated by %(date)s.")
            % {"date": directive.disseminate_by.strftime("%d/%m/%Y")}
        )
    if delivery.via_id and delivery.via is not None and delivery.via.guidance:
        lines.append(
            _("Guidance of %(unit)s: %(text)s")
            % {"unit": delivery.via.issuer.name, "text": delivery.via.guidance}
        )
    return "\n\n".join(lines)


# -- lists ----------------------------------------------------------------------------------


@dataclass
class DirectiveRow:
    directive: Directive
    cells: int = 0
    disseminated: int = 0
    delivery: DirectiveDelivery | None = None  # a cell user's own delivery
    status: str = ""


def issued_or_received(scope: Scope) -> list[DirectiveRow]:
    """For committee users: the directives their readable subtrees issued or received, with
    the cells and disseminations counted in those subtrees (one query)."""
    if not scope.is_admin and not scope.read_paths:
        return []
    readable = scope.path_q("cell__path")
    rows = (
        Directive.objects.filter(forwarded_from__isnull=True)
        .filter(
            scope.path_q("issuer__path")
            | Q(pk__in=DirectiveDelivery.objects.filter(readable).values("directive_id"))
        )
        .select_related("issuer")
        .annotate(
            cells=Count(
                "deliveries", filter=_prefixed(scope, "deliveries__cell__path"), distinct=True
            ),
            done=Count(
                "deliveries",
                filter=_prefixed(scope, "deliveries__cell__path")
                & Q(deliveries__disseminated_meeting__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-issued_on", "-id")[:200]
    )
    return [DirectiveRow(directive=row, cells=row.cells, disseminated=row.done) for row in rows]


def _prefixed(scope: Scope, field_name: str) -> Q:
    return scope.path_q(field_name) if not scope.is_admin else Q()


def for_cell(cell_id: int) -> list[DirectiveRow]:
    """The directives delivered to one cell with its status (one query)."""
    deliveries = (
        DirectiveDelivery.objects.filter(cell_id=cell_id)
        .select_related("directive__issuer", "via__issuer", "disseminated_meeting")
        .order_by("-directive__issued_on", "-id")[:200]
    )
    today = timezone.localdate()
    return [
        DirectiveRow(
            directive=row.directive, delivery=row, status=delivery_status(row, today=today)
        )
        for row in deliveries
    ]


@dataclass
class HandbookEntry:
    delivery: DirectiveDelivery
    read: bool


def for_member(member_id: int, cell_id: int, *, limit: int = 10) -> list[HandbookEntry]:
    """The member's cell's directives, newest first, with whether they marked each read."""
    rows = list(
        DirectiveDelivery.objects.filter(cell_id=cell_id)
        .select_related("directive__issuer", "via__issuer")
        .order_by("-directive__issued_on", "-id")[:limit]
    )
    read = set(
        DirectiveRead.objects.filter(
            member_id=member_id, directive_id__in=[row.directive_id for row in rows]
        ).values_list("directive_id", flat=True)
    )
    return [HandbookEntry(delivery=row, read=row.directive_id in read) for row in rows]


# -- coverage -------------------------------------------------------------------------------


@dataclass
class Counts:
    cells: int = 0
    disseminated: int = 0
    overdue: int = 0
    members: int = 0
    readers: int = 0

    def add(self, other: Counts) -> None:
        self.cells += other.cells
        self.disseminated += other.disseminated
        self.overdue += other.overdue
        self.members += other.members
        self.readers += other.readers

    @property
    def pending(self) -> int:
        return self.cells - self.disseminated

    @property
    def read_share(self) -> int:
        """Percentage of the receiving cells' members who marked it read."""
        return round(100 * self.readers / self.members) if self.members else 0

    @property
    def done_share(self) -> int:
        return round(100 * self.disseminated / self.cells) if self.cells else 0


@dataclass
class CoverageRow:
    unit: Organization
    counts: Counts
    delivery: DirectiveDelivery | None = None  # for a cell: its delivery


@dataclass
class Coverage:
    unit: Organization
    total: Counts
    rows: list[CoverageRow] = field(default_factory=list)


def coverage(
    directive: Directive, unit: Organization, *, today: datetime.date | None = None
) -> Coverage:
    """The coverage of `directive` in `unit`'s subtree: totals, and one row per child unit
    that received it (cells with their delivery). Four queries whatever the number of cells:
    deliveries and readers are counted grouped by the child's path prefix."""
    today = today or timezone.localdate()
    steplen = Organization.steplen
    prefix_len = steplen * (unit.depth + 1)
    overdue_q = Q(disseminated_meeting__isnull=True)
    if directive.must_disseminate and directive.disseminate_by and directive.disseminate_by < today:
        overdue = Count("id", filter=overdue_q)
    else:
        overdue = Count("id", filter=Q(pk__in=[]))
    counts: dict[str, Counts] = {}
    for row in (
        DirectiveDelivery.objects.filter(directive=directive, cell__path__startswith=unit.path)
        .annotate(prefix=Substr("cell__path", 1, prefix_len))
        .values("prefix")
        .annotate(
            cells=Count("id"),
            done=Count("id", filter=Q(disseminated_meeting__isnull=False)),
            late=overdue,
        )
    ):
        counts[row["prefix"]] = Counts(
            cells=row["cells"], disseminated=row["done"], overdue=row["late"]
        )
    for reads in (
        Member.objects.filter(
            status__in=ACTIVE_STATUSES,
            cell__path__startswith=unit.path,
            cell__directive_deliveries__directive=directive,
        )
        .annotate(prefix=Substr("cell__path", 1, prefix_len))
        .values("prefix")
        .annotate(
            members=Count("id", distinct=True),
            readers=Count(
                "directive_reads", filter=Q(directive_reads__directive=directive), distinct=True
            ),
        )
    ):
        counts.setdefault(reads["prefix"], Counts()).members = reads["members"]
        counts[reads["prefix"]].readers = reads["readers"]
    total = Counts()
    for value in counts.values():
        total.add(value)
    children = {
        child.path: child
        for child in Organization.objects.filter(
            path__in=[prefix for prefix in counts if len(prefix) == prefix_len]
        )
    }
    deliveries = {
        row.cell_id: row
        for row in DirectiveDelivery.objects.filter(
            directive=directive, cell__path__in=list(children)
        ).select_related("disseminated_meeting", "via__issuer")
    }
    rows = [
        CoverageRow(unit=child, counts=counts[path], delivery=deliveries.get(child.pk))
        for path, child in sorted(children.items())
    ]
    result = Coverage(unit=unit, total=total, rows=rows)
    return result


def forwards_within(directive: Directive, root: Organization | None) -> list[Directive]:
    """The forwards of `directive` by committees inside `root`'s subtree (their guidance)."""
    if root is None:
        return []
    return list(
        Directive.objects.filter(forwarded_from=directive, issuer__path__startswith=root.path)
        .select_related("issuer")
        .order_by("issuer__path")
    )


def delivery_status(delivery: DirectiveDelivery, *, today: datetime.date | None = None) -> str:
    """ "done", "overdue", "pending" or "info" (nothing to disseminate)."""
    today = today or timezone.localdate()
    directive = delivery.directive
    if delivery.disseminated_meeting_id:
        return "done"
    if not directive.must_disseminate:
        return "info"
    if directive.disseminate_by and directive.disseminate_by < today:
        return "overdue"
    return "pending"


def has_read(directive: Directive, member_id: Any) -> bool:
    if member_id is None:
        return False
    return DirectiveRead.objects.filter(directive=directive, member_id=member_id).exists()
