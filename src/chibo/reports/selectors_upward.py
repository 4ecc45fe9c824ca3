"""What a report upward says, read from the rollups (CellMonth through `reports.grid`) and a few
counts of directives, proposals and supervision over the organization's subtree.

Section I's figures are computed from the very grid the dashboard shows (`grid.cell_grid`), so
the report sent up, its XLSX and the screen agree:

- a *cell-month* is one square of the grid (an active cell in a month of the period);
- held: squares whose regular meeting took place (live, held, held late, signed);
- not held, cancelled, held late, signed: squares with that status;
- attendance = present / expected, spoke = speakers / present, over the held squares;
- average duration and score over the held squares that have one; the ratings are those
  squares' effective ratings (a visit's adjustment first, as the rollups store them);
- thematic: cells that held at least one thematic meeting in each quarter of the period
  (the quarterly minimum of DOMAIN R1.3).

A province (or any committee whose children are committees) gets its grid per child unit,
summed from OrgMonth, instead of one row per cell.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from chibo.core.dates import add_months
from chibo.directives.models import DirectiveDelivery
from chibo.meetings.models import MeetingRating
from chibo.orgs.models import CELL_KINDS, Organization, OrganizationKind, Position, Role
from chibo.proposals.models import OPEN_STATUSES, Proposal
from chibo.reports.grid import CellStatus, GridRow, cell_grid, month_range, percent
from chibo.reports.models import OrgMonth, ReportJob, ReportKind
from chibo.supervision import selectors_quality
from chibo.supervision.models import PerfunctoryFlag, Visit

HELD_STATUSES = frozenset(
    {CellStatus.SIGNED, CellStatus.HELD, CellStatus.HELD_LATE, CellStatus.LIVE}
)
RATINGS = (MeetingRating.GOOD, MeetingRating.FAIR, MeetingRating.AVERAGE, MeetingRating.POOR)
# Kinds whose report is made per child unit rather than per cell.
UNIT_GRID_KINDS = frozenset({OrganizationKind.PROVINCE_COMMITTEE})


# -- periods ------------------------------------------------------------------------------------


def period_bounds(kind: str, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the period of `kind` that contains `start`."""
    if kind == ReportKind.MONTHLY:
        first = start.replace(day=1)
        months = 1
    elif kind == ReportKind.QUARTERLY:
        first = datetime.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
        months = 3
    else:
        first = datetime.date(start.year, 1, 1)
        months = 12
    return first, add_months(first, months) - datetime.timedelta(days=1)


def period_months(job: ReportJob) -> list[datetime.date]:
    count = (job.period_end.year - job.period_start.year) * 12
    count += job.period_end.month - job.period_start.month + 1
    return month_range(job.period_end, count)


def period_subject(kind: str, start: datetime.date) -> str:
    """ "tháng 11 năm 2026", "quý IV năm 2026", "năm 2026" (the document is in Vietnamese)."""
    if kind == ReportKind.MONTHLY:
        return f"tháng {start.month} năm {start.year}"
    if kind == ReportKind.QUARTERLY:
        quarter = ("I", "II", "III", "IV")[(start.month - 1) // 3]
        return f"quý {quarter} năm {start.year}"
    return f"năm {start.year}"


# -- the list of reports ------------------------------------------------------------------------


def organization_jobs(organization: Organization, *, limit: int = 50) -> QuerySet[ReportJob]:
    """The organization's latest reports with their requester (one query)."""
    return ReportJob.objects.filter(organization=organization).select_related(
        "requested_by", "organization"
    )[:limit]


# -- section I: the grid and its figures --------------------------------------------------------


@dataclass
class NotHeld:
    cell: Organization
    period: datetime.date


@dataclass
class MeetingFigures:
    cells: int = 0
    squares: int = 0  # cell-months of the period
    held: int = 0
    held_late: int = 0
    not_held: list[NotHeld] = field(default_factory=list)
    cancelled: int = 0
    signed: int = 0
    thematic_cells: int = 0  # cells with the quarterly minimum of thematic meetings
    quarters: int = 0
    expected: int = 0
    present: int = 0
    speakers: int = 0
    duration_sum: int = 0
    duration_count: int = 0
    score_sum: Decimal = Decimal(0)
    score_count: int = 0
    ratings: dict[str, int] = field(default_factory=dict)

    @property
    def held_share(self) -> Decimal | None:
        return percent(self.held, self.squares)

    @property
    def attendance(self) -> Decimal | None:
        return percent(self.present, self.expected)

    @property
    def spoke(self) -> Decimal | None:
        return percent(self.speakers, self.present)

    @property
    def average_duration(self) -> int | None:
        return round(self.duration_sum / self.duration_count) if self.duration_count else None

    @property
    def average_score(self) -> Decimal | None:
        if not self.score_count:
            return None
        return (self.score_sum / self.score_count).quantize(Decimal("0.1"))

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())


def meeting_figures(rows: list[GridRow]) -> MeetingFigures:
    """Section I's figures from the grid rows of the period (no query)."""
    figures = MeetingFigures(cells=len(rows), ratings={rating.value: 0 for rating in RATINGS})
    quarters: set[tuple[int, int]] = set()
    for row in rows:
        thematic_by_quarter: Counter[tuple[int, int]] = Counter()
        for square in row.months:
            quarter = (square.period.year, (square.period.month - 1) // 3)
            quarters.add(quarter)
            figures.squares += 1
            if square.row is not None:
                thematic_by_quarter[quarter] += square.row.thematic_held
            if square.status == CellStatus.NOT_HELD:
                figures.not_held.append(NotHeld(row.cell, square.period))
            elif square.status == CellStatus.CANCELLED:
                figures.cancelled += 1
            if square.status not in HELD_STATUSES or square.row is None:
                continue
            data = square.row
            figures.held += 1
            figures.held_late += square.status == CellStatus.HELD_LATE or (
                square.status == CellStatus.SIGNED and data.held_late
            )
            figures.signed += square.status == CellStatus.SIGNED
            figures.expected += data.expected
            figures.present += data.present
            figures.speakers += data.speakers
            if data.duration_minutes is not None:
                figures.duration_sum += data.duration_minutes
                figures.duration_count += 1
            if data.score is not None:
                figures.score_sum += data.score
                figures.score_count += 1
            if data.rating in figures.ratings:
                figures.ratings[data.rating] += 1
        figures.thematic_cells += bool(quarters) and all(
            thematic_by_quarter[quarter] >= 1
            for quarter in {(m.period.year, (m.period.month - 1) // 3) for m in row.months}
        )
    figures.quarters = len(quarters)
    return figures


# -- the grid per child unit (a province) -------------------------------------------------------


@dataclass
class UnitMonth:
    period: datetime.date
    data: OrgMonth | None

    @property
    def label(self) -> str:
        if self.data is None or not self.data.regular_planned:
            return "—"
        return f"{self.data.regular_held}/{self.data.regular_planned}"

    @property
    def attendance(self) -> Decimal | None:
        return percent(self.data.present, self.data.expected) if self.data else None


@dataclass
class UnitRow:
    unit: Organization
    months: list[UnitMonth]


def unit_grid(organization: Organization, months: list[datetime.date]) -> list[UnitRow]:
    """One row per child committee (cells directly under the organization are not listed: a
    province has none), one square per month: regular meetings held / planned (two queries)."""
    children = Organization.objects.get_children(organization)
    units = list(children.exclude(kind__in=CELL_KINDS).order_by("path"))
    rollup = {
        (row.organization_id, row.period): row
        for row in OrgMonth.objects.filter(
            organization__in=units, period__gte=months[0], period__lte=months[-1]
        )
    }
    return [
        UnitRow(unit, [UnitMonth(m, rollup.get((unit.pk, m))) for m in months]) for unit in units
    ]


def uses_unit_grid(organization: Organization) -> bool:
    return organization.kind in UNIT_GRID_KINDS


# -- section III: directives, proposals, supervision --------------------------------------------


@dataclass
class ActivityFigures:
    directives_disseminated: int
    proposals_raised: int
    proposals_answered: int
    proposals_overdue: int
    visits: int
    visited_cells: int
    flags: int


def activity_figures(
    organization: Organization, start: datetime.date, end: datetime.date, *, today: datetime.date
) -> ActivityFigures:
    """Counts over the subtree in the period (five queries). Overdue proposals: still open at
    the end of the period (or today, if sooner) past their deadline."""
    subtree = organization.path
    as_of = min(end, today)
    proposals = Proposal.objects.filter(cell__path__startswith=subtree)
    visits = Visit.objects.filter(
        cell__path__startswith=subtree, meeting__date__gte=start, meeting__date__lte=end
    )
    return ActivityFigures(
        directives_disseminated=DirectiveDelivery.objects.filter(
            cell__path__startswith=subtree, disseminated_on__gte=start, disseminated_on__lte=end
        ).count(),
        proposals_raised=proposals.filter(raised_on__gte=start, raised_on__lte=end).count(),
        proposals_answered=proposals.filter(answered_on__gte=start, answered_on__lte=end).count(),
        proposals_overdue=proposals.filter(
            status__in=OPEN_STATUSES, due_on__lt=as_of, raised_on__lte=end
        ).count(),
        visits=visits.count(),
        visited_cells=visits.values("cell").distinct().count(),
        flags=PerfunctoryFlag.objects.filter(
            cell__path__startswith=subtree, meeting__date__gte=start, meeting__date__lte=end
        ).count(),
    )


# -- the yearly report on meeting quality -------------------------------------------------------


@dataclass
class QualityFigures:
    rows: list[selectors_quality.CellQuality]
    rule: Any  # core.rules.Resolved
    counts: dict[str, int]

    @property
    def rated_cells(self) -> int:
        return sum(self.counts.values())

    @property
    def good_share(self) -> Decimal | None:
        return percent(self.counts.get(MeetingRating.GOOD, 0), len(self.rows))


def quality_figures(organization: Organization, year: int) -> QualityFigures:
    """Each cell's annual rating under rule `meeting_quality.annual_rating` and the count of
    cells per rating (supervision.selectors_quality)."""
    rows, rule = selectors_quality.committee_quality(organization, year)
    counts = {rating.value: 0 for rating in RATINGS}
    for row in rows:
        if row.quality.rating:
            counts[row.quality.rating] += 1
    return QualityFigures(rows, rule, counts)


# -- everything a report needs ------------------------------------------------------------------


@dataclass
class ReportData:
    job: ReportJob
    organization: Organization
    parent: Organization | None
    months: list[datetime.date]
    today: datetime.date
    rows: list[GridRow]
    figures: MeetingFigures
    activity: ActivityFigures
    units: list[UnitRow] | None = None
    quality: QualityFigures | None = None
    signer: str = ""


def report_data(job: ReportJob, *, today: datetime.date) -> ReportData:
    organization = job.organization
    months = period_months(job)
    rows = cell_grid(organization, months, today=today)
    secretary = (
        Position.objects.current(on=min(today, job.period_end))
        .filter(organization=organization, role=Role.SECRETARY)
        .select_related("member")
        .first()
    )
    return ReportData(
        job=job,
        organization=organization,
        parent=Organization.objects.get_parent(organization),
        months=months,
        today=today,
        rows=rows,
        figures=meeting_figures(rows),
        activity=activity_figures(organization, job.period_start, job.period_end, today=today),
        units=unit_grid(organization, months) if uses_unit_grid(organization) else None,
        quality=(
            quality_figures(organization, job.period_start.year)
            if job.kind == ReportKind.QUALITY_YEAR
            else None
        ),
        signer=secretary.member.full_name if secretary else "",
    )
