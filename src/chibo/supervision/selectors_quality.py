"""Reads of meeting quality over time and perfunctory flags.

A meeting's effective rating: the latest visit's adjustment (`Visit.adjusted_rating`, R1.15:
the upper-level attendee confirms or adjusts the score) if any, else the cell's own
`MeetingScore.rating`. Only signed regular meetings count: R1.16 speaks of regular meetings.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy

from chibo.core.rules import Resolved, rule_in_force
from chibo.meetings.models import Meeting, MeetingKind, MeetingStatus, Speech
from chibo.members.models import Member
from chibo.orgs.models import CELL_KINDS, Organization
from chibo.supervision import perfunctory
from chibo.supervision.models import PerfunctoryFlag, Visit
from chibo.supervision.quality import AnnualQuality, annual_quality

RULE_KEY = "meeting_quality.annual_rating"
PATH_STEP = 4
PART_LABELS = {
    "evaluation": gettext_lazy("Evaluation of last month"),
    "tasks": gettext_lazy("Tasks for next month"),
    "implementation": gettext_lazy("Implementation"),
    "review_notes": gettext_lazy("Notes of the review item"),
    "speakers": gettext_lazy("Speakers"),
}
PART_FIELDS = {
    "evaluation": "resolution_evaluation",
    "tasks": "resolution_tasks",
    "implementation": "resolution_implementation",
}


def _rated_meetings() -> Any:  # annotated with "effective", which the stubs cannot see
    adjusted = (
        Visit.objects.filter(meeting=OuterRef("pk"))
        .exclude(adjusted_rating="")
        .order_by("-recorded_at", "-id")
        .values("adjusted_rating")[:1]
    )
    return (
        Meeting.objects.filter(kind=MeetingKind.REGULAR, status=MeetingStatus.SIGNED)
        .annotate(effective=Coalesce(Subquery(adjusted), F("score__rating")))
        .filter(effective__isnull=False)
    )


def rule_day(year: int) -> datetime.date:
    today = timezone.localdate()
    return min(datetime.date(year, 12, 31), today) if year <= today.year else today


@dataclass(frozen=True)
class CellQuality:
    cell: Organization
    quality: AnnualQuality


def committee_quality(
    committee: Organization, year: int, *, cell_type: str = ""
) -> tuple[list[CellQuality], Resolved]:
    """The cells of the committee's subtree with their annual quality in `year`: one aggregate
    query over the subtree, one for the cells, one rule lookup per committee above them."""
    cells = Organization.objects.filter(
        path__startswith=committee.path, kind__in=CELL_KINDS
    ).order_by("path")
    if cell_type:
        cells = cells.filter(cell_type=cell_type)
    ratings: dict[int, list[str]] = defaultdict(list)
    for row in (
        _rated_meetings()
        .filter(organization__path__startswith=committee.path, date__year=year)
        .values("organization_id", "effective")
        .annotate(count=Count("id"))
    ):
        ratings[row["organization_id"]] += [row["effective"]] * row["count"]
    day = rule_day(year)
    resolved_by_parent: dict[str, Resolved] = {}
    rows = []
    for cell in cells:
        parent = cell.path[:-PATH_STEP]
        if parent not in resolved_by_parent:
            resolved_by_parent[parent] = rule_in_force(RULE_KEY, organization=cell, on=day)
        rule = resolved_by_parent[parent]
        rows.append(CellQuality(cell, annual_quality(ratings.get(cell.pk, []), rule.value)))
    shown = rule_in_force(RULE_KEY, organization=committee, on=day)
    return rows, shown


@dataclass(frozen=True)
class YearQuality:
    year: int
    quality: AnnualQuality
    rule: Resolved


def cell_history(cell: Organization) -> list[YearQuality]:
    """One cell's annual quality for each year it has rated regular meetings, latest first."""
    ratings: dict[int, list[str]] = defaultdict(list)
    for row in (
        _rated_meetings()
        .filter(organization=cell)
        .annotate(year=ExtractYear("date"))
        .values("year", "effective")
        .annotate(count=Count("id"))
    ):
        ratings[row["year"]] += [row["effective"]] * row["count"]
    history = []
    for year in sorted(ratings, reverse=True):
        rule = rule_in_force(RULE_KEY, organization=cell, on=rule_day(year))
        history.append(YearQuality(year, annual_quality(ratings[year], rule.value), rule))
    return history


def committee_flags(committee: Organization, *, status: str = "") -> list[PerfunctoryFlag]:
    """The perfunctory flags of the cells below the committee (never the committee's own), each
    with `part_label` (one query)."""
    flags = PerfunctoryFlag.objects.filter(
        cell__path__startswith=committee.path, cell__depth__gt=committee.depth
    ).select_related("cell", "meeting", "earlier_meeting")
    if status:
        flags = flags.filter(status=status)
    rows = list(flags.order_by("-meeting__date", "cell__path", "id"))
    for flag in rows:
        flag.part_label = part_label(flag.part)  # type: ignore[attr-defined]
    return rows


@dataclass(frozen=True)
class CellFlags:
    """One cell's flags on the committee's list: the reviewer sees each cell once, with how
    many meetings were flagged over which months, and opens the latest first."""

    cell: Organization
    flags: list[PerfunctoryFlag]

    @property
    def meetings(self) -> int:
        return len({flag.meeting_id for flag in self.flags})

    @property
    def first_date(self) -> datetime.date:
        return min(flag.meeting.date for flag in self.flags)

    @property
    def last_date(self) -> datetime.date:
        return max(flag.meeting.date for flag in self.flags)

    @property
    def latest(self) -> list[PerfunctoryFlag]:
        return self.flags[:2]

    @property
    def earlier(self) -> list[PerfunctoryFlag]:
        return self.flags[2:]


def flags_by_cell(flags: list[PerfunctoryFlag]) -> list[CellFlags]:
    """The flags (newest first) grouped by cell, the cell with the latest flag first."""
    groups: dict[int, CellFlags] = {}
    for flag in flags:
        groups.setdefault(flag.cell_id, CellFlags(flag.cell, [])).flags.append(flag)
    return list(groups.values())


@dataclass(frozen=True)
class FlagTexts:
    earlier: str
    later: str
    earlier_runs: list[tuple[str, bool]]
    later_runs: list[tuple[str, bool]]


def _part_text(meeting: Meeting | None, part: str) -> str:
    if meeting is None:
        return ""
    if part == "review_notes":
        item = meeting.agenda_items.filter(step="review").first()
        return item.notes if item else ""
    record = getattr(meeting, "record", None)
    return getattr(record, PART_FIELDS.get(part, ""), "") if record else ""


def flag_texts(flag: PerfunctoryFlag) -> FlagTexts:
    """The flagged part of the two meetings, word runs marked where they differ."""
    earlier = _part_text(flag.earlier_meeting, flag.part)
    later = _part_text(flag.meeting, flag.part)
    earlier_runs, later_runs = perfunctory.word_diff(earlier, later)
    return FlagTexts(earlier, later, earlier_runs, later_runs)


def flag_speakers(flag: PerfunctoryFlag) -> dict[str, Any]:
    """For a same-speakers flag: the meetings of the window and who spoke how often."""
    ids = flag.detail.get("meetings", [])
    counts: dict[int, int] = defaultdict(int)
    for member_id in Speech.objects.filter(meeting_id__in=ids).values_list("member_id", flat=True):
        counts[member_id] += 1
    names = dict(Member.objects.filter(pk__in=counts).values_list("pk", "full_name"))
    speakers = sorted(((names.get(k, ""), v) for k, v in counts.items()), key=lambda r: -r[1])
    meetings = list(Meeting.objects.filter(pk__in=ids).order_by("date"))
    return {"speakers": speakers, "meetings": meetings}


def perfunctory_rule(flag: PerfunctoryFlag) -> Resolved:
    """The thresholds that applied to the flagged meeting's cell, as of the meeting's date."""
    return rule_in_force("perfunctory.thresholds", organization=flag.cell, on=flag.meeting.date)


def part_label(part: str) -> str:
    return str(PART_LABELS.get(part, part))
