"""Structure statistics of a subtree: the figures committees quote in their reports.

Every dimension is one GROUP BY query over the members on the rolls of the subtree
(status in ACTIVE_STATUSES, cell under the organization's path), so a province of ~90,000
members costs the same nine queries as a cell of ten. Bands are computed in the database
with CASE expressions on date thresholds derived from the reference date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, CharField, Count, F, QuerySet, Value, When
from django.db.models.functions import Trim
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chibo.members.badges import gaps_from_events, party_age
from chibo.members.models import (
    ACTIVE_STATUSES,
    Member,
    MemberEvent,
    MemberStatus,
    PoliticalTheory,
    Sex,
)
from chibo.orgs.models import CellType, Organization

UNKNOWN = "unknown"
# The last band of each dimension is open-ended ("70 and over").
AGE_BANDS: tuple[tuple[str, int, int | None, Any], ...] = (
    ("under_30", 0, 30, _("Under 30")),
    ("30_39", 30, 40, _("30 to 39")),
    ("40_49", 40, 50, _("40 to 49")),
    ("50_59", 50, 60, _("50 to 59")),
    ("60_69", 60, 70, _("60 to 69")),
    ("70_over", 70, None, _("70 and over")),
)
PARTY_AGE_BANDS: tuple[tuple[str, int, int | None, Any], ...] = (
    ("under_5", 0, 5, _("Under 5 years")),
    ("5_9", 5, 10, _("5 to 9 years")),
    ("10_19", 10, 20, _("10 to 19 years")),
    ("20_29", 20, 30, _("20 to 29 years")),
    ("30_39", 30, 40, _("30 to 39 years")),
    ("40_over", 40, None, _("40 years and over")),
)
NOT_RECORDED = pgettext_lazy("statistics category", "Not recorded")


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int
    # Share of the total, a fraction (0.125 for 12.5%), rounded to four places.
    share: Decimal

    @property
    def percent(self) -> Decimal:
        """The share as a percentage with one decimal (12.5), for display."""
        return (self.share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    rows: tuple[Row, ...]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


@dataclass(frozen=True)
class StructureReport:
    organization: Organization
    as_of: datetime.date
    total: int
    tables: tuple[Table, ...]

    def chart_data(self) -> dict[str, dict[str, list]]:
        """Labels and counts per dimension, for the charts (json_script)."""
        return {
            table.key: {
                "labels": [row.label for row in table.rows],
                "counts": [row.count for row in table.rows],
            }
            for table in self.tables
        }


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29 February falls back to the 28th. Someone born on or
    before this date is at least `years` old on `day` (counted as on an identity card)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _band_case(
    field: str, as_of: datetime.date, bands: Sequence[tuple[str, int, int | None, Any]]
) -> Case:
    """A CASE giving each row its band key: older bands first, so the first match wins."""
    whens = [
        When(**{f"{field}__lte": years_before(as_of, lower), "then": Value(key)})
        for key, lower, _upper, _label in reversed(bands)
    ]
    return Case(*whens, default=Value(UNKNOWN), output_field=CharField())


def members_on_rolls(organization: Organization) -> QuerySet[Member]:
    """Members on the rolls of every cell under `organization` (itself included)."""
    return Member.objects.filter(
        status__in=ACTIVE_STATUSES, cell__path__startswith=organization.path
    ).order_by()


def _grouped(members: QuerySet[Member], expression: Any) -> dict[str, int]:
    if isinstance(expression, str):
        expression = F(expression)
    rows = members.annotate(category=expression).values("category").annotate(n=Count("id"))
    return {row["category"] if row["category"] is not None else "": row["n"] for row in rows}


def _rows(
    counts: dict[str, int],
    categories: Iterable[tuple[str, Any]],
    *,
    total: int,
    keep_zero: bool = True,
) -> tuple[Row, ...]:
    rows = []
    for key, label in categories:
        count = counts.get(key, 0)
        if count or keep_zero:
            rows.append(Row(key=key, label=str(label), count=count, share=_share(count, total)))
    return tuple(rows)


def _band_rows(
    counts: dict[str, int], bands: Sequence[tuple[str, int, int | None, Any]], *, total: int
) -> tuple[Row, ...]:
    """Every band, empty ones too, then the members whose date is missing (if any)."""
    categories = [(key, label) for key, _lower, _upper, label in bands]
    return _rows(counts, categories, total=total) + _rows(
        counts, [(UNKNOWN, NOT_RECORDED)], total=total, keep_zero=False
    )


def _free_text_rows(counts: dict[str, int], *, total: int) -> tuple[Row, ...]:
    """Categories typed by hand (ethnicity, religion, education): most frequent first,
    an empty value counted as not recorded, last."""
    recorded = sorted(
        ((key, count) for key, count in counts.items() if key), key=lambda item: (-item[1], item[0])
    )
    rows = [
        Row(key=key, label=key, count=count, share=_share(count, total)) for key, count in recorded
    ]
    if counts.get(""):
        rows.append(
            Row(key="", label=str(NOT_RECORDED), count=counts[""], share=_share(counts[""], total))
        )
    return tuple(rows)


def _share(count: int, total: int) -> Decimal:
    if not total:
        return Decimal(0)
    return (Decimal(count) / Decimal(total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _party_age_band(months: int) -> str:
    years = months // 12
    for key, lower, upper, _label in PARTY_AGE_BANDS:
        if years >= lower and (upper is None or years < upper):
            return key
    return UNKNOWN


def _date_band(day: datetime.date | None, as_of: datetime.date) -> str:
    """The party-age band the CASE of `_band_case` gives an admission date."""
    for key, lower, _upper, _label in reversed(PARTY_AGE_BANDS):
        if day is not None and day <= years_before(as_of, lower):
            return key
    return UNKNOWN


def _subtract_gaps(counts: dict[str, int], members: QuerySet[Member], as_of: datetime.date) -> None:
    """Move the members with a gap off the rolls (removed, then re-admitted: R3.10) from the
    band of their admission date to the band of their party age less the gaps. They are few:
    one query fetches their history."""
    history: dict[int, list[tuple[str, datetime.date]]] = {}
    decisions: dict[int, datetime.date | None] = {}
    rows = (
        MemberEvent.objects.filter(
            member__in=members.filter(events__status=MemberStatus.REMOVED).values("pk")
        )
        .order_by("effective_date", "id")
        .values_list("member_id", "status", "effective_date", "member__admission_decision_date")
    )
    for member_id, status, day, decision in rows:
        if day <= as_of:
            history.setdefault(member_id, []).append((status, day))
        decisions[member_id] = decision
    for member_id, decision in decisions.items():
        age = party_age(decision, gaps_from_events(history.get(member_id, [])), on=as_of)
        if age is None:
            continue
        band, corrected = _date_band(decision, as_of), _party_age_band(age.months)
        if corrected != band:
            counts[band] = counts.get(band, 0) - 1
            counts[corrected] = counts.get(corrected, 0) + 1


def structure_report(organization: Organization, *, as_of: datetime.date) -> StructureReport:
    """The structure of the members on the rolls under `organization` on `as_of`, by sex,
    age band, ethnicity, religion, general education, political theory level, party age band
    (from the admission decision date, less gaps off the rolls), status and cell type. Nine
    aggregate queries and one for the few members with a gap."""
    members = members_on_rolls(organization)
    by_status = _grouped(members, "status")
    total = sum(by_status.values())
    by_sex = _grouped(members, "sex")
    by_age = _grouped(members, _band_case("birth_date", as_of, AGE_BANDS))
    by_ethnicity = _grouped(members, Trim("ethnicity"))
    by_religion = _grouped(members, Trim("religion"))
    by_education = _grouped(members, Trim("general_education"))
    by_theory = _grouped(members, "political_theory")
    by_party_age = _grouped(members, _band_case("admission_decision_date", as_of, PARTY_AGE_BANDS))
    _subtract_gaps(by_party_age, members, as_of)
    by_cell_type = _grouped(members, "cell__cell_type")
    active_statuses = [
        (value, label) for value, label in MemberStatus.choices if value in ACTIVE_STATUSES
    ]
    tables = (
        Table("sex", str(_("Sex")), _rows(by_sex, Sex.choices, total=total)),
        Table("age", str(_("Age")), _band_rows(by_age, AGE_BANDS, total=total)),
        Table("ethnicity", str(_("Ethnicity")), _free_text_rows(by_ethnicity, total=total)),
        Table("religion", str(_("Religion")), _free_text_rows(by_religion, total=total)),
        Table("education", str(_("General education")), _free_text_rows(by_education, total=total)),
        Table(
            "political_theory",
            str(_("Political theory level")),
            _rows(by_theory, PoliticalTheory.choices, total=total),
        ),
        Table(
            "party_age", str(_("Party age")), _band_rows(by_party_age, PARTY_AGE_BANDS, total=total)
        ),
        Table("status", str(_("Status")), _rows(by_status, active_statuses, total=total)),
        Table(
            "cell_type",
            str(_("Cell type")),
            _rows(
                by_cell_type,
                [*CellType.choices, ("", NOT_RECORDED)],
                total=total,
                keep_zero=False,
            ),
        ),
    )
    return StructureReport(organization=organization, as_of=as_of, total=total, tables=tables)
