"""Trends of an organization's subtree as charts with their tables (issue 12, "Xu hướng").

Every chart is a `Series`: a title, the headers and rows of its table (what the page shows
under the chart and what the XLSX/CSV export holds) and the data the chart draws. The figures:

- monthly (attendance, duration, speakers, ratings): the rollups only — one query over
  `OrgMonth` for a committee (its subtree's sums), over `CellMonth` for a cell. Attendance is
  present / expected, the average duration duration_sum / duration_count, the share who spoke
  speakers / present, the ratings the effective ratings of the held regular meetings
  (reports.rollups explains each figure);
- annual cell quality (R1.16): `supervision.selectors_quality.committee_quality` once per
  calendar year of the range for a committee (cells per annual rating), `cell_history` for a
  cell. Its cost does not grow with the cells (one aggregate query, one for the cells) but it
  resolves the rule once per committee directly above cells: a province's page pays one rule
  lookup per ward/commune per year;
- admissions: candidates of the subtree still on the list (not withdrawn, no ceremony yet) by
  the last step done, and admission decisions per month (two aggregate queries);
- membership structure: `reports.selectors.structure_report` (sex, age, status shown here,
  the rest on its own page).

So a page costs the same number of queries for a cell of ten and a ward of 24 cells.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from chibo.lifecycle.models import Candidate, Introducer
from chibo.lifecycle.selectors import STEPS
from chibo.meetings.models import MeetingRating
from chibo.orgs.models import Organization
from chibo.reports.models import CellMonth, OrgMonth
from chibo.reports.rollups import next_month
from chibo.reports.selectors import structure_report
from chibo.supervision.selectors_quality import cell_history, committee_quality

MONTH_CHOICES = (12, 24, 36)
DEFAULT_MONTHS = 12
RATINGS = (MeetingRating.GOOD, MeetingRating.FAIR, MeetingRating.AVERAGE, MeetingRating.POOR)
RATING_COLUMNS = {
    MeetingRating.GOOD: "rated_good",
    MeetingRating.FAIR: "rated_fair",
    MeetingRating.AVERAGE: "rated_average",
    MeetingRating.POOR: "rated_poor",
}
NOT_RATED = "none"
NO_STEP = "none"
# The stages of a candidate still on the list: the last step of R3.3 done (the ceremony makes
# a member, so it is no stage of the pipeline).
PIPELINE_STEPS = tuple(code for code, _label in STEPS if code != "ceremony")
# Column kinds: how the page formats a value and the XLSX stores it.
TEXT, INT, PERCENT, NUMBER = "text", "int", "percent", "number"
STRUCTURE_KEYS = ("sex", "age", "status")


@dataclass(frozen=True)
class Series:
    """One chart and its table. `rows` hold plain values: int, a Decimal with one decimal for
    a percentage (87.5) or an average, None where nothing was measured, text for labels."""

    key: str
    title: str
    headers: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def cells(self) -> list[list[tuple[Any, str]]]:
        """The rows with each value's kind, for the page's table."""
        return [list(zip(row, self.kinds, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class TrendReport:
    organization: Organization
    periods: tuple[datetime.date, ...]
    years: tuple[int, ...]
    series: tuple[Series, ...]
    members_total: int

    @property
    def first(self) -> datetime.date:
        return self.periods[0]

    @property
    def last(self) -> datetime.date:
        return self.periods[-1]

    def by_key(self, key: str) -> Series | None:
        return next((series for series in self.series if series.key == key), None)

    def chart_data(self) -> dict[str, dict[str, Any]]:
        """What trends.js draws, per chart (json_script)."""
        return {series.key: series.chart for series in self.series if series.chart}


def month_periods(
    *, today: datetime.date, months: int = DEFAULT_MONTHS, year: int | None = None
) -> tuple[datetime.date, ...]:
    """The first days of the months shown: the calendar year `year` (the current year up to
    today's month: months to come have no figures), else the last `months` months up to and
    including today's."""
    if year is not None:
        last = today.month if year == today.year else 12
        return tuple(datetime.date(year, number, 1) for number in range(1, last + 1))
    current = today.replace(day=1)
    index = current.year * 12 + current.month - 1 - (months - 1)
    periods = []
    for _step in range(months):
        periods.append(datetime.date(index // 12, index % 12 + 1, 1))
        index += 1
    return tuple(periods)


def month_label(period: datetime.date) -> str:
    return f"{period:%m/%Y}"


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal (87.5), None when whole is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# -- monthly figures from the rollups ---------------------------------------------------------


def _zero_month() -> dict[str, int]:
    return {
        "expected": 0,
        "present": 0,
        "speakers": 0,
        "duration_sum": 0,
        "duration_count": 0,
        **dict.fromkeys(RATING_COLUMNS.values(), 0),
    }


def monthly_figures(
    organization: Organization, periods: Sequence[datetime.date]
) -> dict[datetime.date, dict[str, int]]:
    """The additive monthly figures of the organization's subtree (one query): OrgMonth for a
    committee, the cell's own CellMonth rows for a cell. Months without a row are zeros."""
    figures = {period: _zero_month() for period in periods}
    start, end = periods[0], next_month(periods[-1])
    if organization.is_cell:
        for row in CellMonth.objects.filter(
            cell=organization, period__gte=start, period__lt=end
        ).values("period", "expected", "present", "speakers", "duration_minutes", "rating"):
            month = figures.setdefault(row["period"], _zero_month())
            month["expected"] += row["expected"]
            month["present"] += row["present"]
            month["speakers"] += row["speakers"]
            if row["duration_minutes"] is not None:
                month["duration_sum"] += row["duration_minutes"]
                month["duration_count"] += 1
            if row["rating"] in RATING_COLUMNS:
                month[RATING_COLUMNS[MeetingRating(row["rating"])]] += 1
    else:
        columns = list(_zero_month())
        for row in OrgMonth.objects.filter(
            organization=organization, period__gte=start, period__lt=end
        ).values("period", *columns):
            figures[row["period"]] = {column: row[column] for column in columns}
    return figures


def _monthly_series(
    periods: Sequence[datetime.date], figures: dict[datetime.date, dict[str, int]]
) -> list[Series]:
    labels = [month_label(period) for period in periods]
    months = [figures[period] for period in periods]
    attendance = [percent(m["present"], m["expected"]) for m in months]
    duration = [average(m["duration_sum"], m["duration_count"]) for m in months]
    spoke = [percent(m["speakers"], m["present"]) for m in months]
    rating_labels = [str(rating.label) for rating in RATINGS]
    return [
        Series(
            key="attendance",
            title=_("Attendance at regular meetings"),
            headers=(_("Month"), _("Expected"), _("Present"), _("Attendance rate")),
            kinds=(TEXT, INT, INT, PERCENT),
            rows=tuple(
                (label, m["expected"], m["present"], share)
                for label, m, share in zip(labels, months, attendance, strict=True)
            ),
            chart={
                "type": "line",
                "percent": True,
                "labels": labels,
                "datasets": [{"label": _("Attendance rate"), "data": _numbers(attendance)}],
            },
        ),
        Series(
            key="duration",
            title=_("Average duration of regular meetings"),
            headers=(_("Month"), _("Meetings timed"), _("Average (minutes)")),
            kinds=(TEXT, INT, NUMBER),
            rows=tuple(
                (label, m["duration_count"], minutes)
                for label, m, minutes in zip(labels, months, duration, strict=True)
            ),
            chart={
                "type": "line",
                "labels": labels,
                "datasets": [{"label": _("Average (minutes)"), "data": _numbers(duration)}],
            },
        ),
        Series(
            key="speakers",
            title=_("Share of those present who spoke"),
            headers=(_("Month"), _("Present"), _("Spoke"), _("Share who spoke")),
            kinds=(TEXT, INT, INT, PERCENT),
            rows=tuple(
                (label, m["present"], m["speakers"], share)
                for label, m, share in zip(labels, months, spoke, strict=True)
            ),
            chart={
                "type": "line",
                "percent": True,
                "labels": labels,
                "datasets": [{"label": _("Share who spoke"), "data": _numbers(spoke)}],
            },
        ),
        Series(
            key="ratings",
            title=_("Ratings of regular meetings"),
            headers=(_("Month"), *rating_labels),
            kinds=(TEXT, INT, INT, INT, INT),
            rows=tuple(
                (label, *(m[RATING_COLUMNS[rating]] for rating in RATINGS))
                for label, m in zip(labels, months, strict=True)
            ),
            chart={
                "type": "bar",
                "stacked": True,
                "labels": labels,
                "datasets": [
                    {
                        "label": str(rating.label),
                        "rating": rating.value,
                        "data": [m[RATING_COLUMNS[rating]] for m in months],
                    }
                    for rating in RATINGS
                ],
            },
        ),
    ]


def _numbers(values: Sequence[Decimal | None]) -> list[float | None]:
    return [float(value) if value is not None else None for value in values]


# -- annual cell quality (R1.16) --------------------------------------------------------------


def _quality_series(organization: Organization, years: Sequence[int]) -> Series:
    rating_labels = [str(rating.label) for rating in RATINGS]
    if organization.is_cell:
        by_year = {entry.year: entry.quality for entry in cell_history(organization)}
        rows = []
        for year in years:
            quality = by_year.get(year)
            counts = quality.counts if quality else {}
            rows.append(
                (
                    str(year),
                    quality.rating_label if quality and quality.rating else _("Not rated"),
                    *(counts.get(rating.value, 0) for rating in RATINGS),
                )
            )
        return Series(
            key="quality",
            title=_("Annual quality of the cell's meetings"),
            headers=(_("Year"), _("Rating of the year"), *rating_labels),
            kinds=(TEXT, TEXT, INT, INT, INT, INT),
            rows=tuple(rows),
            chart={
                "type": "bar",
                "stacked": True,
                "labels": [row[0] for row in rows],
                "datasets": [
                    {
                        "label": str(rating.label),
                        "rating": rating.value,
                        "data": [row[2 + index] for row in rows],
                    }
                    for index, rating in enumerate(RATINGS)
                ],
            },
            note=_(
                "Meetings per rating; the rating of the year follows the rule on meeting quality."
            ),
        )
    keys = [*(rating.value for rating in RATINGS), NOT_RATED]
    rows = []
    for year in years:
        cells, _rule = committee_quality(organization, year)
        counts = dict.fromkeys(keys, 0)
        for entry in cells:
            counts[entry.quality.rating or NOT_RATED] += 1
        rows.append((str(year), *(counts[key] for key in keys)))
    labels = [*rating_labels, _("Not rated")]
    return Series(
        key="quality",
        title=_("Annual quality of the cells"),
        headers=(_("Year"), *labels),
        kinds=(TEXT, INT, INT, INT, INT, INT),
        rows=tuple(rows),
        chart={
            "type": "bar",
            "stacked": True,
            "labels": [row[0] for row in rows],
            "datasets": [
                {"label": label, "rating": key, "data": [row[1 + index] for row in rows]}
                for index, (key, label) in enumerate(zip(keys, labels, strict=True))
            ],
        },
        note=_(
            "Cells per annual rating under the rule on meeting quality; the current year is "
            "rated on its meetings so far."
        ),
    )


# -- admissions ---------------------------------------------------------------------------


def _stage_case() -> Case:
    """The last step done of a candidate, latest step first so that the first match wins."""
    done = {
        "application": Q(application_date__isnull=False),
        "personal_history": Q(personal_history_date__isnull=False),
        "verification": Q(verification_date__isnull=False),
        "introducers": Q(Exists(Introducer.objects.filter(candidate=OuterRef("pk")))),
        "opinions": Q(
            mass_organisation_opinion_date__isnull=False, residence_opinion_date__isnull=False
        ),
        "resolution": Q(resolution_date__isnull=False),
        "decision": Q(decision_date__isnull=False),
    }
    whens = [When(done[code], then=Value(code)) for code in reversed(PIPELINE_STEPS)]
    return Case(*whens, default=Value(NO_STEP), output_field=CharField())


def _admission_series(organization: Organization, periods: Sequence[datetime.date]) -> list[Series]:
    in_subtree = Candidate.objects.filter(cell__path__startswith=organization.path).order_by()
    on_list = in_subtree.filter(withdrawn_on__isnull=True, ceremony_date__isnull=True)
    by_stage = {
        row["stage"]: row["n"]
        for row in on_list.annotate(stage=_stage_case()).values("stage").annotate(n=Count("id"))
    }
    step_labels = dict(STEPS)
    stages = [(NO_STEP, _("No step done yet"))] + [
        (code, str(step_labels[code])) for code in PIPELINE_STEPS
    ]
    stage_rows = tuple((label, by_stage.get(code, 0)) for code, label in stages)
    start, end = periods[0], next_month(periods[-1])
    decided: dict[datetime.date, int] = {}
    for row in (
        in_subtree.filter(decision_date__gte=start, decision_date__lt=end)
        .annotate(y=ExtractYear("decision_date"), m=ExtractMonth("decision_date"))
        .values("y", "m")
        .annotate(n=Count("id"))
    ):
        decided[datetime.date(row["y"], row["m"], 1)] = row["n"]
    labels = [month_label(period) for period in periods]
    admissions = [decided.get(period, 0) for period in periods]
    return [
        Series(
            key="pipeline",
            title=_("Candidates for admission by stage"),
            headers=(_("Last step done"), _("Candidates")),
            kinds=(TEXT, INT),
            rows=stage_rows,
            chart={
                "type": "bar",
                "horizontal": True,
                "labels": [row[0] for row in stage_rows],
                "datasets": [{"label": _("Candidates"), "data": [row[1] for row in stage_rows]}],
            },
            note=_("Candidates still on the list today: not taken off it, no ceremony yet."),
        ),
        Series(
            key="admissions",
            title=_("Admissions per month"),
            headers=(_("Month"), _("Admission decisions")),
            kinds=(TEXT, INT),
            rows=tuple(zip(labels, admissions, strict=True)),
            chart={
                "type": "bar",
                "labels": labels,
                "datasets": [{"label": _("Admission decisions"), "data": admissions}],
            },
        ),
    ]


# -- membership structure -------------------------------------------------------------------


def _structure_series(organization: Organization, today: datetime.date) -> tuple[list[Series], int]:
    report = structure_report(organization, as_of=today)
    series = []
    for table in report.tables:
        if table.key not in STRUCTURE_KEYS:
            continue
        rows = tuple((row.label, row.count, row.percent) for row in table.rows)
        series.append(
            Series(
                key=f"structure_{table.key}",
                title=_("Members by %(dimension)s") % {"dimension": table.title.lower()},
                headers=(table.title, _("Members"), _("Share")),
                kinds=(TEXT, INT, PERCENT),
                rows=rows,
                chart={
                    "type": "doughnut" if table.key in ("sex", "status") else "bar",
                    "labels": [row[0] for row in rows],
                    "datasets": [{"label": _("Members"), "data": [row[1] for row in rows]}],
                },
            )
        )
    return series, report.total


def trend_report(
    organization: Organization,
    *,
    today: datetime.date,
    months: int = DEFAULT_MONTHS,
    year: int | None = None,
) -> TrendReport:
    """Every chart of the trends page of `organization`'s subtree over the months asked."""
    periods = month_periods(today=today, months=months, year=year)
    years = tuple(sorted({period.year for period in periods}))
    series = _monthly_series(periods, monthly_figures(organization, periods))
    series.append(_quality_series(organization, years))
    series.extend(_admission_series(organization, periods))
    structure, total = _structure_series(organization, today)
    series.extend(structure)
    return TrendReport(
        organization=organization,
        periods=periods,
        years=years,
        series=tuple(series),
        members_total=total,
    )
