"""Reads of briefings: a committee's briefings, a secretary's, the attendance of one, and the
events of a member's calendar."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.supervision.models import Briefing, BriefingAttendanceStatus

EVENT_LENGTH = datetime.timedelta(hours=2)


def _with_counts(rows: QuerySet[Briefing]) -> QuerySet[Briefing]:
    return rows.annotate(
        cells=Count("attendance"),
        present=Count("attendance", filter=Q(attendance__status=BriefingAttendanceStatus.PRESENT)),
    )


def committee_briefings(committee: Any, year: int) -> QuerySet[Briefing]:
    return _with_counts(Briefing.objects.filter(committee=committee, date__year=year)).order_by(
        "-date", "-id"
    )


def briefings_of_member(member_id: int | None) -> QuerySet[Briefing]:
    """The briefings a secretary is invited to, newest first."""
    if member_id is None:
        return Briefing.objects.none()
    return (
        _with_counts(Briefing.objects.filter(attendance__member_id=member_id))
        .select_related("committee")
        .order_by("-date", "-id")
        .distinct()
    )


def attendance_rate(briefing: Briefing) -> int | None:
    """The share of cells whose secretary was present, in percent (None before marking)."""
    rows = list(briefing.attendance.values_list("status", flat=True))
    marked = [status for status in rows if status != BriefingAttendanceStatus.INVITED]
    if not rows or not marked:
        return None
    present = sum(1 for status in rows if status == BriefingAttendanceStatus.PRESENT)
    return round(100 * present / len(rows))


def attendance_rows(briefing: Briefing) -> list[Any]:
    return list(briefing.attendance.select_related("cell", "member").order_by("cell__path"))


def calendar_events(
    member_id: int, start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """The briefings `member_id` is invited to between `start` and `end` (inclusive), as
    calendar events for the lead's calendar and feed."""
    rows = (
        Briefing.objects.filter(attendance__member_id=member_id, date__gte=start, date__lte=end)
        .select_related("committee")
        .distinct()
        .order_by("date", "time")
    )
    events = []
    for briefing in rows:
        begins = timezone.make_aware(datetime.datetime.combine(briefing.date, briefing.time))
        events.append(
            {
                "uid": f"briefing-{briefing.pk}@chibo",
                "start": begins,
                "end": begins + EVENT_LENGTH,
                "title": _("Briefing of %(committee)s") % {"committee": briefing.committee.name},
                "place": briefing.place,
                "url": reverse("supervision:briefing", args=[briefing.pk]),
                "kind": "briefing",
            }
        )
    return events
