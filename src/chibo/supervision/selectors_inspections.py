"""Reads of inspection and supervision: a committee's plans of a year with their inspections,
an inspection's record, and the recommendations a user follows (addressed to the units they
keep, or issued by the committees they read), overdue ones flagged."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.supervision import access
from chibo.supervision.models import (
    Inspection,
    InspectionPlan,
    Recommendation,
    RecommendationStatus,
)

# Open (or sent back, which reopens it) past the deadline: overdue.
PENDING = (RecommendationStatus.OPEN,)


def is_overdue(recommendation: Recommendation, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return recommendation.status in PENDING and recommendation.due_on < today


def plans_of(committee: Organization, year: int) -> list[InspectionPlan]:
    """The committee's plans of the year, each with its inspections and how many of their
    recommendations are still open (three queries)."""
    inspections = (
        Inspection.objects.select_related("subject_organization", "subject_member", "leader")
        .annotate(
            open_recommendations=Count(
                "recommendations",
                filter=~Q(recommendations__status=RecommendationStatus.CLOSED),
            )
        )
        .order_by("starts_on", "id")
    )
    return list(
        InspectionPlan.objects.filter(committee=committee, year=year)
        .prefetch_related(Prefetch("inspections", queryset=inspections))
        .order_by("approved_on", "id")
    )


def plan_years(committee: Organization, year: int) -> list[int]:
    years = set(InspectionPlan.objects.filter(committee=committee).values_list("year", flat=True))
    years.add(year)
    return sorted(years)


@dataclass(frozen=True)
class MeetingRow:
    meeting: Any
    total: Any
    rating: str


def meetings_attended(inspection: Inspection) -> list[MeetingRow]:
    rows = []
    for meeting in inspection.meetings_attended.select_related("organization", "score").order_by(
        "date", "id"
    ):
        score = getattr(meeting, "score", None)
        rows.append(
            MeetingRow(
                meeting=meeting,
                total=score.total if score is not None else None,
                rating=score.get_rating_display() if score is not None else "",
            )
        )
    return rows


def recommendations_of(inspection: Inspection, user: Any) -> list[Recommendation]:
    """The inspection's recommendations the user reads: all of them for the committee's
    readers; for the subject's side only those addressed to units they read."""
    rows = (
        inspection.recommendations.select_related("addressee")
        .prefetch_related("steps__actor")
        .order_by("due_on", "id")
    )
    today = timezone.localdate()
    result = [row for row in rows if access.reads_recommendation(user, row)]
    for row in result:
        row.overdue = is_overdue(row, today)  # type: ignore[attr-defined]
    return result


def _annotate(rows: QuerySet[Recommendation]) -> list[Recommendation]:
    today = timezone.localdate()
    result = list(
        rows.select_related("addressee", "inspection__committee").prefetch_related("steps")
    )
    for row in result:
        row.overdue = is_overdue(row, today)  # type: ignore[attr-defined]
    return result


def addressed_to(user: Any) -> list[Recommendation]:
    """Recommendations addressed to the units the user keeps, or to their own cell."""
    scope = scope_for(user)
    units = list(access.kept_units(user).values_list("pk", flat=True))
    if scope.own_cell_id is not None:
        units.append(scope.own_cell_id)
    if not units:
        return []
    return _annotate(Recommendation.objects.filter(addressee_id__in=units).order_by("due_on", "id"))


def issued_by(committee: Organization, *, status: str = "") -> list[Recommendation]:
    """The recommendations a committee's inspections issued (the committee's readers)."""
    rows = Recommendation.objects.filter(inspection__committee=committee)
    if status == "overdue":
        rows = rows.filter(status__in=PENDING, due_on__lt=timezone.localdate())
    elif status in RecommendationStatus.values:
        rows = rows.filter(status=status)
    return _annotate(rows.order_by("due_on", "id"))


def concerning_member(member: Any) -> QuerySet[Inspection]:
    """The inspections a disciplinary decision about `member` may follow: those of the member,
    or of a unit their cell lies under (reviews' discipline form offers them)."""
    cell = member.cell
    query = Q(subject_member=member)
    if cell is not None:
        step = Organization.steplen
        prefixes = [cell.path[:end] for end in range(step, len(cell.path) + 1, step)]
        query |= Q(subject_organization__path__in=prefixes)
    return Inspection.objects.filter(query).select_related("committee").order_by("-starts_on")


def disciplines_of(inspection: Inspection) -> list[Any]:
    """The disciplinary decisions (reviews) recorded as following the inspection."""
    related = inspection.disciplines  # type: ignore[attr-defined]
    return list(related.select_related("member").order_by("decided_on", "id"))
