"""The cells × months grid read from the rollups: what a month of a cell looks like today.

`CellMonth.state` is what was stored when the meeting last changed; whether a planned meeting
is now "not held", or its materials are overdue, depends on today, so it is derived here. The
dashboard, the reports upward and their XLSX all read the grid through `cell_grid`, so the
figures a committee sees on screen and the ones it sends up are the same.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from chibo.meetings.models import MeetingRating
from chibo.orgs.models import CELL_KINDS, Organization
from chibo.reports.models import CellMonth, MonthState
from chibo.reports.rollups import next_month


class CellStatus:
    """A cell's month as the grid shows it (code, label). Ordered from worst to best."""

    NOT_HELD = "not_held"
    UNPUBLISHED_LATE = "unpublished_late"
    CANCELLED = "cancelled"
    HELD_LATE = "held_late"
    LIVE = "live"
    HELD = "held"
    SIGNED = "signed"
    PUBLISHED = "published"
    PLANNED = "planned"
    NONE = "none"

    LABELS = {
        NOT_HELD: pgettext_lazy("month status", "Not held"),
        UNPUBLISHED_LATE: pgettext_lazy("month status", "Not published by the notice deadline"),
        CANCELLED: pgettext_lazy("month status", "Cancelled"),
        HELD_LATE: pgettext_lazy("month status", "Held late"),
        LIVE: pgettext_lazy("month status", "Being held"),
        HELD: pgettext_lazy("month status", "Held, not signed"),
        SIGNED: pgettext_lazy("month status", "Signed"),
        PUBLISHED: pgettext_lazy("month status", "Published"),
        PLANNED: pgettext_lazy("month status", "Planned"),
        NONE: pgettext_lazy("month status", "No meeting"),
    }
    # Short labels for the grid's squares on a phone.
    SHORT = {
        NOT_HELD: pgettext_lazy("month status, short", "Not held"),
        UNPUBLISHED_LATE: pgettext_lazy("month status, short", "Unpublished"),
        CANCELLED: pgettext_lazy("month status, short", "Cancelled"),
        HELD_LATE: pgettext_lazy("month status, short", "Late"),
        LIVE: pgettext_lazy("month status, short", "Live"),
        HELD: pgettext_lazy("month status, short", "Held"),
        SIGNED: pgettext_lazy("month status, short", "Signed"),
        PUBLISHED: pgettext_lazy("month status, short", "Published"),
        PLANNED: pgettext_lazy("month status, short", "Planned"),
        NONE: "—",
    }
    # Statuses that count as a problem for the month.
    PROBLEMS = frozenset({NOT_HELD, UNPUBLISHED_LATE, CANCELLED, HELD_LATE})


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class GridCell:
    period: datetime.date
    status: str
    row: CellMonth | None = None
    # Signed late, published after the notice deadline, unsigned past its due day.
    held_late: bool = False
    published_late: bool = False
    unsigned_late: bool = False

    @property
    def label(self) -> str:
        return str(CellStatus.LABELS[self.status])

    @property
    def short(self) -> str:
        return str(CellStatus.SHORT[self.status])

    @property
    def is_problem(self) -> bool:
        return self.status in CellStatus.PROBLEMS or self.unsigned_late

    @property
    def meeting_id(self) -> int | None:
        return self.row.meeting_id if self.row else None

    @property
    def attendance(self) -> Decimal | None:
        return percent(self.row.present, self.row.expected) if self.row else None

    @property
    def spoke(self) -> Decimal | None:
        return percent(self.row.speakers, self.row.present) if self.row else None

    @property
    def score(self) -> Decimal | None:
        return self.row.score if self.row else None

    @property
    def rating(self) -> str:
        return self.row.rating if self.row else ""

    @property
    def rating_label(self) -> str:
        """The rating in words (the effective rating's label), empty when not rated."""
        rating = self.rating
        return str(MeetingRating(rating).label) if rating in MeetingRating.values else ""


def derive(row: CellMonth | None, period: datetime.date, *, today: datetime.date) -> GridCell:
    """The status of a cell's month as of `today` from its rollup row (None: no meeting)."""
    if row is None or row.state == MonthState.NONE:
        return GridCell(period=period, status=CellStatus.NONE, row=row)
    published_late = bool(
        row.notice_due
        and (
            (row.published_on and row.published_on > row.notice_due)
            or (
                row.published_on is None
                and row.state == MonthState.PLANNED
                and row.notice_due < today
            )
        )
    )
    unsigned_late = bool(
        row.state in (MonthState.LIVE, MonthState.HELD) and row.sign_due and row.sign_due < today
    )
    state = row.state
    if state == MonthState.CANCELLED:
        status = CellStatus.CANCELLED
    elif state == MonthState.SIGNED:
        status = CellStatus.SIGNED
    elif state in (MonthState.LIVE, MonthState.HELD):
        if row.held_late:
            status = CellStatus.HELD_LATE
        else:
            status = CellStatus.LIVE if state == MonthState.LIVE else CellStatus.HELD
    elif row.meeting_date and row.meeting_date < today:
        status = CellStatus.NOT_HELD
    elif state == MonthState.PLANNED and published_late:
        status = CellStatus.UNPUBLISHED_LATE
    elif state == MonthState.PUBLISHED:
        status = CellStatus.PUBLISHED
    else:
        status = CellStatus.PLANNED
    return GridCell(
        period=period,
        status=status,
        row=row,
        held_late=row.held_late,
        published_late=published_late,
        unsigned_late=unsigned_late,
    )


@dataclass
class GridRow:
    cell: Organization
    months: list[GridCell] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return sum(1 for month in self.months if month.is_problem)


def month_range(end: datetime.date, count: int) -> list[datetime.date]:
    """`count` first-days of months ending with `end`'s month, oldest first."""
    months = [end.replace(day=1)]
    while len(months) < count:
        previous = months[-1] - datetime.timedelta(days=1)
        months.append(previous.replace(day=1))
    return list(reversed(months))


def active_cells(
    organization: Organization, months: Sequence[datetime.date], *, cell_type: str = ""
) -> list[Organization]:
    """The cells of the subtree active at some time in `months`, in tree order (one query)."""
    first, last = months[0], next_month(months[-1]) - datetime.timedelta(days=1)
    cells = Organization.objects.filter(
        path__startswith=organization.path, kind__in=CELL_KINDS, active_from__lte=last
    ).filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
    if cell_type:
        cells = cells.filter(cell_type=cell_type)
    return list(cells.order_by("path"))


def cell_grid(
    organization: Organization,
    months: Sequence[datetime.date],
    *,
    today: datetime.date,
    cell_type: str = "",
) -> list[GridRow]:
    """One row per active cell of the subtree, one square per month (two queries)."""
    cells = active_cells(organization, months, cell_type=cell_type)
    rollup = {
        (row.cell_id, row.period): row
        for row in CellMonth.objects.filter(
            path__startswith=organization.path, period__gte=months[0], period__lte=months[-1]
        )
    }
    return [
        GridRow(
            cell=cell,
            months=[derive(rollup.get((cell.pk, m)), m, today=today) for m in months],
        )
        for cell in cells
    ]
