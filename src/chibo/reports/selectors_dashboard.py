"""The committee's dashboard (issue 12, "Bảng theo dõi"): a grid of the months of its subtree
and the red flags above it, read from the rollups (CellMonth, OrgMonth), never from the raw
meeting rows.

- Over cells (a ward, a commune, a grassroots committee, a cell): one row per active cell of
  the subtree, one square per month with the derived status of reports.grid (as of `today`),
  the score, the rating, attendance (present / expected) and the share who spoke (speakers /
  present). Two queries whatever the number of cells.
- Over units (a province, a bloc, the centre): one row per direct child unit, with its
  OrgMonth sums per month: cells whose regular meeting was held out of the cells with a
  meeting that month (OrgMonth has no count of active cells, so a cell with no meeting at all
  in a month is not counted there; the cell grid shows it), signed, attendance, share who
  spoke, average score and the ratings. Two queries: the children, their OrgMonth rows.

Red flags each cost one or two queries (the visit coverage reuses supervision's selector, at
the levels whose dashboard lists cells only), so `red_flags` is bounded whatever the subtree.
"Falling scores" is chosen as: the latest scored month (this month and the four before) is at
least 10 points below the cell's previous scored month in that window (a sharp drop is what a
committee acts on; three small declines in a row are visible in the grid).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum, Window
from django.db.models.functions import Lag, RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.core import rules
from chibo.directives.models import DirectiveDelivery
from chibo.followup.models import CLOSED_ASSIGNMENT_STATUSES, Assignment
from chibo.meetings.models import MeetingRating
from chibo.orgs.models import CELL_KINDS, COMMITTEE_KINDS, Organization, OrganizationKind
from chibo.orgs.selectors import natural_key
from chibo.proposals.models import OPEN_STATUSES, Proposal
from chibo.reports.grid import GridRow, cell_grid, month_range, percent
from chibo.reports.models import CellMonth, MonthState, OrgMonth
from chibo.reports.rollups import next_month
from chibo.supervision.models import PerfunctoryFlag, PerfunctoryStatus
from chibo.supervision.selectors_visits import coverage

MAX_MONTHS = 24
DEFAULT_MONTHS = 6
SCORE_DROP = Decimal(10)
FLAG_LIST_LIMIT = 500

# Committees whose dashboard lists the cells themselves; above them, the units one level down.
CELL_LEVEL_KINDS = frozenset(
    {
        OrganizationKind.COMMUNE_COMMITTEE,
        OrganizationKind.WARD_COMMITTEE,
        OrganizationKind.SPECIAL_ZONE_COMMITTEE,
        OrganizationKind.GRASSROOTS_COMMITTEE,
        OrganizationKind.SUBORDINATE_COMMITTEE,
        *CELL_KINDS,
    }
)
HELD_STATES = (MonthState.LIVE, MonthState.HELD, MonthState.SIGNED)
SCHEDULED_STATES = (*HELD_STATES, MonthState.PLANNED, MonthState.PUBLISHED)


class Sort:
    NAME = "name"
    ATTENDANCE = "attendance"
    SCORE = "score"
    PROBLEMS = "problems"
    LABELS = {
        NAME: _("By name"),
        ATTENDANCE: _("Lowest attendance first"),
        SCORE: _("Lowest score first"),
        PROBLEMS: _("Most problems first"),
    }


def by_cell_level(organization: Organization) -> bool:
    """Whether the dashboard of `organization` lists its cells (else its child units)."""
    return organization.kind in CELL_LEVEL_KINDS


# -- the grid over units -----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitMonth:
    period: datetime.date
    row: OrgMonth | None = None
    # The month is over: a meeting not held then is a problem (this month's may still come).
    over: bool = True

    @property
    def cells(self) -> int:
        return self.row.cells if self.row else 0

    @property
    def held(self) -> int:
        return self.row.regular_held if self.row else 0

    @property
    def signed(self) -> int:
        return self.row.signed if self.row else 0

    @property
    def not_held(self) -> int:
        """Cells with a meeting that month whose regular meeting is not (yet) held."""
        return max(self.cells - self.held, 0)

    @property
    def missed(self) -> int:
        """Cells whose regular meeting of a month now over was not held."""
        return self.not_held if self.over else 0

    @property
    def attendance(self) -> Decimal | None:
        return percent(self.row.present, self.row.expected) if self.row else None

    @property
    def spoke(self) -> Decimal | None:
        return percent(self.row.speakers, self.row.present) if self.row else None

    @property
    def score(self) -> Decimal | None:
        if not self.row or not self.row.score_count:
            return None
        return (Decimal(self.row.score_sum) / self.row.score_count).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def ratings(self) -> dict[str, int]:
        row = self.row
        if row is None:
            return {}
        return {
            MeetingRating.GOOD: row.rated_good,
            MeetingRating.FAIR: row.rated_fair,
            MeetingRating.AVERAGE: row.rated_average,
            MeetingRating.POOR: row.rated_poor,
        }


@dataclass
class UnitRow:
    unit: Organization
    months: list[UnitMonth] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return sum(m.missed + (m.row.cancelled if m.row else 0) for m in self.months)

    def _sums(self, name: str) -> int:
        return sum(getattr(m.row, name) for m in self.months if m.row is not None)

    @property
    def attendance(self) -> Decimal | None:
        return percent(self._sums("present"), self._sums("expected"))

    @property
    def score(self) -> Decimal | None:
        count = self._sums("score_count")
        if not count:
            return None
        total = sum(
            (Decimal(m.row.score_sum) for m in self.months if m.row is not None), Decimal(0)
        )
        return (total / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def unit_grid(
    organization: Organization, months: Sequence[datetime.date], *, today: datetime.date
) -> list[UnitRow]:
    """One row per direct child unit (not the cells directly under it: they have their own
    dashboard), with its OrgMonth sums per month. Two queries."""
    children = list(
        Organization.objects.filter(
            path__startswith=organization.path,
            depth=organization.depth + 1,
            kind__in=COMMITTEE_KINDS,
            active_to__isnull=True,
        ).only("pk", "name", "code", "path", "kind", "depth", "cell_type")
    )
    rollup = {
        (row.organization_id, row.period): row
        for row in OrgMonth.objects.filter(
            organization__in=[c.pk for c in children],
            period__gte=months[0],
            period__lte=months[-1],
        )
    }
    rows = [
        UnitRow(
            unit=child,
            months=[
                UnitMonth(m, rollup.get((child.pk, m)), over=next_month(m) <= today) for m in months
            ],
        )
        for child in children
    ]
    return sorted(rows, key=lambda r: (natural_key(r.unit.name), r.unit.path))


# -- the dashboard -------------------------------------------------------------------------------


@dataclass
class Dashboard:
    organization: Organization
    today: datetime.date
    months: list[datetime.date]
    cell_level: bool
    rows: list[Any]  # GridRow (cells) or UnitRow (units)
    cell_type: str = ""
    sort: str = Sort.NAME


def _row_attendance(row: GridRow) -> Decimal | None:
    present = sum(m.row.present for m in row.months if m.row is not None)
    expected = sum(m.row.expected for m in row.months if m.row is not None)
    return percent(present, expected)


def _row_score(row: GridRow) -> Decimal | None:
    scores = [m.score for m in row.months if m.score is not None]
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.1"))


def _sorted(rows: list[Any], sort: str, cell_level: bool) -> list[Any]:
    def missing_last(value: Decimal | None) -> tuple[int, Decimal]:
        return (1, Decimal(0)) if value is None else (0, value)

    if sort == Sort.ATTENDANCE:
        if cell_level:
            return sorted(rows, key=lambda r: missing_last(_row_attendance(r)))
        return sorted(rows, key=lambda r: missing_last(r.attendance))
    if sort == Sort.SCORE:
        if cell_level:
            return sorted(rows, key=lambda r: missing_last(_row_score(r)))
        return sorted(rows, key=lambda r: missing_last(r.score))
    if sort == Sort.PROBLEMS:
        return sorted(rows, key=lambda r: -r.problems)  # stable: tree order among equals
    return rows


def dashboard(
    organization: Organization,
    *,
    today: datetime.date,
    months: int = DEFAULT_MONTHS,
    end: datetime.date | None = None,
    cell_type: str = "",
    sort: str = "",
) -> Dashboard:
    """The grid of `months` months ending with `end`'s month (this month by default) over the
    organization's subtree: its cells, or its child units above the grassroots level."""
    months = max(1, min(months, MAX_MONTHS))
    periods = month_range(end or today, months)
    sort = sort if sort in Sort.LABELS else Sort.NAME
    cell_level = by_cell_level(organization)
    rows: list[Any]
    if cell_level:
        rows = cell_grid(organization, periods, today=today, cell_type=cell_type)
    else:
        rows = unit_grid(organization, periods, today=today)
    return Dashboard(
        organization=organization,
        today=today,
        months=periods,
        cell_level=cell_level,
        rows=_sorted(rows, sort, cell_level),
        cell_type=cell_type if cell_level else "",
        sort=sort,
    )


# -- red flags -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagItem:
    """One cell or item behind a flag: what it is, where it is, what is wrong, a link."""

    label: str
    url: str
    detail: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    count: int
    url: str
    help: str = ""


def _month_start(today: datetime.date) -> datetime.date:
    return today.replace(day=1)


def _quarter_months(today: datetime.date) -> list[datetime.date]:
    first = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [first, next_month(first), next_month(next_month(first))]


def _active_cells(organization: Organization, on: datetime.date) -> QuerySet[Organization]:
    return Organization.objects.filter(
        path__startswith=organization.path, kind__in=CELL_KINDS, active_from__lte=on
    ).filter(Q(active_to__isnull=True) | Q(active_to__gte=on))


def _rows(organization: Organization) -> QuerySet[CellMonth]:
    return CellMonth.objects.filter(path__startswith=organization.path)


def _rule(key: str, organization: Organization, today: datetime.date) -> Any:
    return rules.rule_in_force(key, organization=organization, on=today).value


# Each flag: a queryset (counted with one query) or a list built in Python, and how its rows
# become items of the drill-down list.


def _next_unscheduled(org: Organization, today: datetime.date) -> QuerySet[Organization]:
    following = next_month(_month_start(today))
    scheduled = _rows(org).filter(period=following, state__in=SCHEDULED_STATES)
    return _active_cells(org, following).exclude(pk__in=scheduled.values("cell_id"))


def _unpublished_late(org: Organization, today: datetime.date) -> QuerySet[CellMonth]:
    this = _month_start(today)
    return _rows(org).filter(
        period__in=[this, next_month(this)],
        state=MonthState.PLANNED,
        published_on__isnull=True,
        notice_due__lt=today,
        meeting_date__gte=today,
    )


def _not_held(org: Organization, today: datetime.date) -> QuerySet[CellMonth]:
    this = _month_start(today)
    previous = (this - datetime.timedelta(days=1)).replace(day=1)
    return _rows(org).filter(
        period__in=[previous, this],
        state__in=(MonthState.PLANNED, MonthState.PUBLISHED),
        meeting_date__lt=today,
    )


def _unsigned_late(org: Organization, today: datetime.date) -> QuerySet[CellMonth]:
    return _rows(org).filter(state__in=(MonthState.LIVE, MonthState.HELD), sign_due__lt=today)


def _low_attendance(org: Organization, today: datetime.date) -> QuerySet[CellMonth]:
    threshold = int(_rule("meeting.attendance_warning_percent", org, today) or 0)
    return (
        _rows(org)
        .filter(period=_month_start(today), state__in=HELD_STATES, expected__gt=0)
        .filter(present__lt=F("expected") * threshold / 100.0)
    )


def _no_thematic(org: Organization, today: datetime.date) -> QuerySet[Organization]:
    minimum = int(_rule("meeting.thematic_min_per_quarter", org, today) or 0)
    if minimum <= 0:
        return Organization.objects.none()
    met = (
        _rows(org)
        .filter(period__in=_quarter_months(today))
        .values("cell_id")
        .annotate(total=Sum("thematic_held"))
        .filter(total__gte=minimum)
        .values("cell_id")
    )
    return _active_cells(org, today).exclude(pk__in=met)


def _falling_scores(org: Organization, today: datetime.date) -> QuerySet[CellMonth]:
    """Cells whose latest scored month (of the last five) is ≥ 10 points below the previous
    scored one: the latest row of each such cell. One query; the comparison is made by the
    database with window functions (LAG over each cell's months), so a province costs one
    index scan, not its cells' rows in Python."""
    this = _month_start(today)
    first = this
    for _i in range(4):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    by_cell = [F("cell_id")]
    return (
        _rows(org)
        .filter(period__gte=first, period__lte=this, score__isnull=False)
        .annotate(
            previous_score=Window(Lag("score"), partition_by=by_cell, order_by=F("period").asc()),
            newest=Window(RowNumber(), partition_by=by_cell, order_by=F("period").desc()),
        )
        .filter(newest=1, previous_score__gte=F("score") + SCORE_DROP)
    )


def _perfunctory(org: Organization, today: datetime.date) -> QuerySet[PerfunctoryFlag]:
    return PerfunctoryFlag.objects.filter(
        cell__path__startswith=org.path, status=PerfunctoryStatus.OPEN
    )


def _directives_late(org: Organization, today: datetime.date) -> QuerySet[DirectiveDelivery]:
    return DirectiveDelivery.objects.filter(
        cell__path__startswith=org.path,
        directive__must_disseminate=True,
        disseminated_meeting__isnull=True,
        directive__disseminate_by__lt=today,
    )


def _proposals_late(org: Organization, today: datetime.date) -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        level__path__startswith=org.path, status__in=OPEN_STATUSES, due_on__lt=today
    )


def _assignments_late(org: Organization, today: datetime.date) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        organization__path__startswith=org.path, due_date__lt=today
    ).exclude(status__in=CLOSED_ASSIGNMENT_STATUSES)


def _visits_below(org: Organization, today: datetime.date) -> list[Any]:
    """Members of the committee following cells whose visits this year are under the
    minimum (supervision's coverage). Only for a committee whose dashboard lists cells (the
    ward's or grassroots committee's own members follow cells): above, coverage reads the rule
    of every committee of the province that has followers, which does not stay bounded at
    national scale, and a province's own members follow committees, not cells."""
    if org.kind not in COMMITTEE_KINDS or not by_cell_level(org):
        return []
    return coverage(org, year=today.year, quarter=(today.month - 1) // 3 + 1).below


@dataclass(frozen=True)
class FlagKind:
    code: str
    label: Any
    help: Any
    find: Callable[[Organization, datetime.date], Any]
    item: Callable[[Any], FlagItem]


def _meeting_url(row: CellMonth) -> str:
    if row.meeting_id:
        return reverse("meetings:detail", args=[row.meeting_id])
    return reverse("meetings:cell_meetings", args=[row.cell_id])


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _cell_item(cell: Organization) -> FlagItem:
    return FlagItem(label=cell.name, url=reverse("meetings:cell_meetings", args=[cell.pk]))


def _month_item(row: CellMonth, detail: str) -> FlagItem:
    return FlagItem(label=row.cell.name, url=_meeting_url(row), detail=detail)


def _date_item(row: CellMonth) -> FlagItem:
    return _month_item(
        row,
        str(_("Meeting %(day)s, notice due %(due)s"))
        % {"day": _day(row.meeting_date), "due": _day(row.notice_due)},
    )


def _signed_item(row: CellMonth) -> FlagItem:
    return _month_item(
        row,
        str(_("Meeting %(day)s, to sign by %(due)s"))
        % {"day": _day(row.meeting_date), "due": _day(row.sign_due)},
    )


def _held_item(row: CellMonth) -> FlagItem:
    return _month_item(row, str(_("Meeting planned on %(day)s")) % {"day": _day(row.meeting_date)})


def _attendance_item(row: CellMonth) -> FlagItem:
    return _month_item(
        row,
        str(_("%(present)s of %(expected)s present (%(percent)s%%)"))
        % {
            "present": row.present,
            "expected": row.expected,
            "percent": percent(row.present, row.expected),
        },
    )


def _score_item(row: CellMonth) -> FlagItem:
    return _month_item(
        row,
        str(_("Score %(score)s in %(month)s"))
        % {"score": row.score, "month": f"{row.period:%m/%Y}"},
    )


def _perfunctory_item(flag: PerfunctoryFlag) -> FlagItem:
    return FlagItem(
        label=flag.cell.name,
        url=reverse("supervision:perfunctory_flag", args=[flag.pk]),
        detail=f"{flag.get_kind_display()} · {_day(flag.meeting.date)}",
    )


def _directive_item(delivery: DirectiveDelivery) -> FlagItem:
    return FlagItem(
        label=str(delivery.directive),
        url=reverse("directives:detail", args=[delivery.directive_id]),
        detail=str(_("To disseminate by %(day)s"))
        % {"day": _day(delivery.directive.disseminate_by)},
        unit=delivery.cell.name,
    )


def _proposal_item(proposal: Proposal) -> FlagItem:
    return FlagItem(
        label=proposal.title,
        url=reverse("proposals:detail", args=[proposal.pk]),
        detail=str(_("Due %(day)s at %(unit)s"))
        % {"day": _day(proposal.due_on), "unit": proposal.level.name},
        unit=proposal.cell.name if proposal.cell_id else "",
    )


def _assignment_item(assignment: Assignment) -> FlagItem:
    return FlagItem(
        label=assignment.title,
        url=reverse("followup:cell", args=[assignment.organization_id]),
        detail=str(_("Due %(day)s")) % {"day": _day(assignment.due_date)},
        unit=assignment.organization.name,
    )


def _follower_item(follower: Any) -> FlagItem:
    return FlagItem(
        label=follower.member.full_name,
        url=reverse("supervision:coverage", args=[follower.committee.pk]),
        detail=str(_("%(visits)s of %(minimum)s visits this year"))
        % {"visits": follower.visits, "minimum": follower.minimum},
        unit=", ".join(cell.name for cell in follower.cells),
    )


FLAGS: list[FlagKind] = [
    FlagKind(
        "unpublished_late",
        _("Not published by the notice deadline"),
        _("The next meeting is still only planned after the day its materials were due."),
        _unpublished_late,
        _date_item,
    ),
    FlagKind(
        "not_held",
        _("Meeting day passed, not held"),
        _("This month's or last month's meeting day has passed and the meeting was not opened."),
        _not_held,
        _held_item,
    ),
    FlagKind(
        "next_month_unscheduled",
        _("Next month not scheduled"),
        _("Active cells with no regular meeting for next month yet."),
        _next_unscheduled,
        _cell_item,
    ),
    FlagKind(
        "unsigned_late",
        _("Not signed in time"),
        _("Held meetings whose minutes are not signed after the deadline."),
        _unsigned_late,
        _signed_item,
    ),
    FlagKind(
        "low_attendance",
        _("Attendance under the threshold"),
        _("This month's held meetings with attendance under the rule's threshold."),
        _low_attendance,
        _attendance_item,
    ),
    FlagKind(
        "falling_scores",
        _("Falling score"),
        _("The latest score is at least 10 points below the previous one."),
        _falling_scores,
        _score_item,
    ),
    FlagKind(
        "no_thematic",
        _("No thematic meeting this quarter"),
        _("Active cells that have held fewer thematic meetings this quarter than the rule asks."),
        _no_thematic,
        _cell_item,
    ),
    FlagKind(
        "perfunctory",
        _("Perfunctory meetings to review"),
        _("Open flags of meetings repeating earlier records or the same few speakers."),
        _perfunctory,
        _perfunctory_item,
    ),
    FlagKind(
        "directives_late",
        _("Directives not disseminated in time"),
        _("Directives a cell has not disseminated at a meeting by their deadline."),
        _directives_late,
        _directive_item,
    ),
    FlagKind(
        "proposals_late",
        _("Proposals overdue"),
        _("Open proposals past their deadline at a unit of the subtree."),
        _proposals_late,
        _proposal_item,
    ),
    FlagKind(
        "visits_below",
        _("Visits under the minimum"),
        _("Committee members following cells who made fewer visits this year than the rule asks."),
        _visits_below,
        _follower_item,
    ),
    FlagKind(
        "assignments_late",
        _("Assignments overdue"),
        _("Open assignments of the cells past their deadline."),
        _assignments_late,
        _assignment_item,
    ),
]
FLAG_KINDS = {kind.code: kind for kind in FLAGS}

# What the drill-down list loads with each kind of row.
_RELATED: dict[type, tuple[str, ...]] = {
    CellMonth: ("cell",),
    PerfunctoryFlag: ("cell", "meeting"),
    DirectiveDelivery: ("cell", "directive"),
    Proposal: ("cell", "level"),
    Assignment: ("organization",),
}
_ORDER: dict[type, tuple[str, ...]] = {
    CellMonth: ("path", "period"),
    Organization: ("path",),
    PerfunctoryFlag: ("cell__path", "-meeting__date"),
    DirectiveDelivery: ("directive__disseminate_by", "cell__path"),
    Proposal: ("due_on", "pk"),
    Assignment: ("due_date", "pk"),
}


def _count(found: Any) -> int:
    return found.count() if isinstance(found, QuerySet) else len(found)


def red_flags(organization: Organization, *, today: datetime.date) -> list[Flag]:
    """The flags raised over the organization's subtree, worst kinds first, each with the
    number of cells or items and the link to its list. Flags counting nothing are left out."""
    flags = []
    for kind in FLAGS:
        count = _count(kind.find(organization, today))
        if count:
            flags.append(
                Flag(
                    code=kind.code,
                    label=str(kind.label),
                    count=count,
                    url=reverse("reports:dashboard_flag", args=[organization.pk, kind.code]),
                    help=str(kind.help),
                )
            )
    return flags


def flag_cells(
    organization: Organization, code: str, *, today: datetime.date, limit: int = FLAG_LIST_LIMIT
) -> list[FlagItem]:
    """The cells or items behind one flag (at most `limit`), each with a link. An unknown
    code raises KeyError."""
    kind = FLAG_KINDS[code]
    found = kind.find(organization, today)
    if isinstance(found, QuerySet):
        model = found.model
        if model in _RELATED:
            found = found.select_related(*_RELATED[model])
        found = found.order_by(*_ORDER[model])[:limit]
    return [kind.item(row) for row in list(found)[:limit]]
