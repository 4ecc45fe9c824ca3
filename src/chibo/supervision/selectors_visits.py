"""Reads of supervision's visits: yearly minimums (rule `visit.yearly_minimum`, DOMAIN R7.2),
a committee's coverage, the visitor's calendar and the committee's assignments."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from chibo.core import rules
from chibo.meetings.models import Meeting, MeetingScore, MeetingStatus
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import CELL_KINDS, COMMITTEE_KINDS, Organization, OrganizationKind, Position
from chibo.orgs.models import Role as OrgRole
from chibo.orgs.selectors import followers_of, sorted_naturally
from chibo.supervision import selectors_briefings, selectors_model_meetings
from chibo.supervision.access import ASSIGNMENT_ROLES
from chibo.supervision.models import Visit, VisitorRole

PATH_STEP = rules.PATH_STEP

# The level of a committee, as the rule `visit.yearly_minimum` keys it (chibo's reading:
# blocs count as the province, communes, wards and special zones as "commune", grassroots and
# subordinate committees as "grassroots").
LEVEL_OF_KIND: dict[str, str] = {
    OrganizationKind.PROVINCE_COMMITTEE: "province",
    OrganizationKind.BLOC_COMMITTEE: "province",
    OrganizationKind.COMMUNE_COMMITTEE: "commune",
    OrganizationKind.WARD_COMMITTEE: "commune",
    OrganizationKind.SPECIAL_ZONE_COMMITTEE: "commune",
    OrganizationKind.GRASSROOTS_COMMITTEE: "grassroots",
    OrganizationKind.SUBORDINATE_COMMITTEE: "grassroots",
}

# Meetings shown in a calendar: published and after, not planned or cancelled.
CALENDAR_STATUSES = (
    MeetingStatus.PREPARED,
    MeetingStatus.IN_PROGRESS,
    MeetingStatus.CLOSED,
    MeetingStatus.SIGNED,
)

# A meeting without an end time takes this long in a calendar.
DEFAULT_LENGTH = datetime.timedelta(hours=2)


def yearly_minimum(committee: Organization, on: datetime.date) -> tuple[int, rules.Resolved]:
    """The visits a member of `committee` makes a year at least, and the rule it comes from."""
    rule = rules.rule_in_force("visit.yearly_minimum", organization=committee, on=on)
    level = LEVEL_OF_KIND.get(committee.kind, "grassroots")
    return int(rule.value.get(level, 0)), rule


def counted_visits(
    visitor_ids: Iterable[int], year: int, *, quarter: int | None = None
) -> dict[int, int]:
    """Visits each upper-level member made in `year` (or one quarter) to meetings of cells
    other than their own (R7.2: a visit to one's own cell does not count). One query."""
    visits = Visit.objects.filter(
        visitor_id__in=list(visitor_ids),
        role=VisitorRole.UPPER_MEMBER,
        meeting__date__year=year,
    ).exclude(cell_id=F("visitor__cell_id"))
    if quarter:
        visits = visits.filter(meeting__date__quarter=quarter)
    counts = visits.values("visitor_id").annotate(n=Count("id")).values_list("visitor_id", "n")
    return dict(counts)


def _committee_above(path: str, committees: dict[str, Organization]) -> Organization | None:
    """The nearest committee strictly above the unit at `path`."""
    for end in range(len(path) - PATH_STEP, 0, -PATH_STEP):
        found = committees.get(path[:end])
        if found is not None:
            return found
    return None


@dataclass
class Follower:
    member: Any
    committee: Organization
    cells: list[Organization] = field(default_factory=list)
    visits: int = 0
    minimum: int = 0

    @property
    def met(self) -> bool:
        return self.visits >= self.minimum


@dataclass
class UnitFigures:
    committee: Organization
    followers: int = 0
    met: int = 0
    below: int = 0
    cells: int = 0
    unvisited_year: int = 0


@dataclass
class Coverage:
    committee: Organization
    year: int
    quarter: int
    minimum: int
    rule: rules.Resolved
    followers: list[Follower]
    below: list[Follower]
    never_year: list[Organization]
    never_quarter: list[Organization]
    units: list[UnitFigures]
    cell_count: int


def coverage(committee: Organization, *, year: int, quarter: int) -> Coverage:
    """Who met their yearly minimum among the committee's own members following its cells,
    the cells of its subtree never visited this quarter and this year, and the figures of the
    committees one level down. A bounded number of queries, whatever the subtree's size."""
    on = min(datetime.date(year, 12, 31), timezone.localdate())
    committees = {
        org.path: org
        for org in Organization.objects.filter(
            path__startswith=committee.path, kind__in=COMMITTEE_KINDS
        )
    }
    positions = list(
        Position.objects.current(on)
        .filter(
            role=OrgRole.UPPER_COMMITTEE_MEMBER,
            organization__path__startswith=committee.path,
            organization__depth__gt=committee.depth,
        )
        .select_related("organization", "member")
    )
    followers: dict[tuple[int, int], Follower] = {}
    for position in positions:
        above = _committee_above(position.organization.path, committees)
        if above is None:
            continue
        key = (above.pk, position.member_id)
        follower = followers.setdefault(key, Follower(member=position.member, committee=above))
        follower.cells.append(position.organization)
    counts = counted_visits({key[1] for key in followers}, year)
    minimum, rule = yearly_minimum(committee, on)
    minimums = {
        org.pk: yearly_minimum(org, on)[0] if org.pk != committee.pk else minimum
        for org in {f.committee for f in followers.values()}
    }
    for follower in followers.values():
        follower.visits = counts.get(follower.member.pk, 0)
        follower.minimum = minimums[follower.committee.pk]
    own = sorted(
        (f for f in followers.values() if f.committee.pk == committee.pk),
        key=lambda f: (f.met, f.member.name_sort_key),
    )
    cells = list(
        Organization.objects.filter(
            path__startswith=committee.path, kind__in=CELL_KINDS, active_to__isnull=True
        )
    )
    # A cell is visited when an upper-level member came (standing attendees come anyway).
    visited = Visit.objects.filter(
        cell__in=cells, meeting__date__year=year, role=VisitorRole.UPPER_MEMBER
    )
    visited_year = set(visited.values_list("cell_id", flat=True))
    visited_quarter = set(
        visited.filter(meeting__date__quarter=quarter).values_list("cell_id", flat=True)
    )
    units = _unit_figures(committee, committees, followers.values(), cells, visited_year)
    return Coverage(
        committee=committee,
        year=year,
        quarter=quarter,
        minimum=minimum,
        rule=rule,
        followers=own,
        below=[f for f in own if not f.met],
        never_year=sorted_naturally(c for c in cells if c.pk not in visited_year),
        never_quarter=sorted_naturally(c for c in cells if c.pk not in visited_quarter),
        units=units,
        cell_count=len(cells),
    )


def _unit_figures(
    committee: Organization,
    committees: dict[str, Organization],
    followers: Iterable[Follower],
    cells: list[Organization],
    visited_year: set[int],
) -> list[UnitFigures]:
    """The figures of each committee one level down (its own members and its cells)."""
    children = {
        org.path: UnitFigures(committee=org)
        for org in committees.values()
        if org.depth == committee.depth + 1
    }
    for follower in followers:
        unit = children.get(follower.committee.path[: (committee.depth + 1) * PATH_STEP])
        if unit is None or follower.committee.pk == committee.pk:
            continue
        unit.followers += 1
        unit.met += follower.met
        unit.below += not follower.met
    for cell in cells:
        unit = children.get(cell.path[: (committee.depth + 1) * PATH_STEP])
        if unit is not None:
            unit.cells += 1
            unit.unvisited_year += cell.pk not in visited_year
    return sorted_naturally_units(children.values())


def sorted_naturally_units(units: Iterable[UnitFigures]) -> list[UnitFigures]:
    by_pk = {unit.committee.pk: unit for unit in units}
    return [by_pk[org.pk] for org in sorted_naturally(u.committee for u in by_pk.values())]


# -- the visitor's cells and calendar --------------------------------------------------------


def attended_cells(member_id: int, on: datetime.date | None = None) -> dict[int, str]:
    """The cells whose meetings the member attends: {cell id: VisitorRole}. Followed cells are
    those orgs.selectors.followers_of gives the member (assigned to the cell or the nearest unit
    above); standing attendance is assigned per cell."""
    positions = list(
        Position.objects.current(on)
        .filter(member_id=member_id, role__in=ASSIGNMENT_ROLES)
        .select_related("organization")
    )
    result: dict[int, str] = {}
    upper = [p.organization for p in positions if p.role == OrgRole.UPPER_COMMITTEE_MEMBER]
    if upper:
        query = Q()
        for org in upper:
            query |= Q(path__startswith=org.path)
        cells = list(Organization.objects.filter(query, kind__in=CELL_KINDS))
        for cell_id, members in followers_of(cells).items():
            if member_id in members:
                result[cell_id] = VisitorRole.UPPER_MEMBER
    for position in positions:
        if position.role == OrgRole.STANDING_ATTENDEE:
            result.setdefault(position.organization_id, VisitorRole.STANDING_ATTENDEE)
    return result


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def meeting_events(
    member_id: int, start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """The published and later meetings of the cells the member follows or attends, between
    `start` and `end` (dates included), as calendar events."""
    cell_ids = list(attended_cells(member_id))
    meetings = (
        Meeting.objects.filter(
            organization_id__in=cell_ids,
            status__in=CALENDAR_STATUSES,
            date__gte=start,
            date__lte=end,
        )
        .select_related("organization")
        .order_by("date", "time")
    )
    events = []
    for meeting in meetings:
        begins = meeting.started_at or _aware(meeting.date, meeting.time)
        ends = meeting.ended_at or begins + DEFAULT_LENGTH
        events.append(
            {
                "uid": f"meeting-{meeting.pk}@chibo",
                "start": begins,
                "end": ends,
                "title": f"{meeting.get_kind_display()} — {meeting.organization.name}",
                "place": meeting.place,
                "url": reverse("meetings:detail", args=[meeting.pk]),
                "kind": "meeting",
                "meeting_id": meeting.pk,
                "status": meeting.status,
            }
        )
    return events


EventSource = Callable[[int, datetime.date, datetime.date], list[dict[str, Any]]]

# The calendar's event sources, each `(member_id, start, end) -> [event dict]`: the meetings of
# the cells the member follows or attends, the model meetings they are invited to, and their
# committee's briefings.
EVENT_SOURCES: list[EventSource] = [
    meeting_events,
    selectors_model_meetings.calendar_events,
    selectors_briefings.calendar_events,
]


def calendar_events(
    member_id: int,
    start: datetime.date,
    end: datetime.date,
    sources: Iterable[EventSource] | None = None,
) -> list[dict[str, Any]]:
    """Every event of the member between `start` and `end`, by start time."""
    events: list[dict[str, Any]] = []
    for source in EVENT_SOURCES if sources is None else sources:
        events.extend(source(member_id, start, end))
    return sorted(events, key=lambda event: event["start"])


def calendar_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=60), today + datetime.timedelta(days=120)


def calendar_page(member_id: int, today: datetime.date) -> dict[str, list[dict[str, Any]]]:
    """Upcoming events first (soonest first), then recent ones (latest first)."""
    start, end = calendar_window(today)
    now = timezone.now()
    events = calendar_events(member_id, start, end)
    visited = set(
        Visit.objects.filter(
            visitor_id=member_id,
            meeting_id__in=[e["meeting_id"] for e in events if "meeting_id" in e],
        ).values_list("meeting_id", flat=True)
    )
    for event in events:
        event["visited"] = event.get("meeting_id") in visited
    return {
        "upcoming": [e for e in events if e["end"] >= now],
        "recent": [e for e in reversed(events) if e["end"] < now],
    }


# -- assignments and visits ------------------------------------------------------------------


def assignments(committee: Organization) -> list[Position]:
    """The current following and standing-attendance positions in the committee's subtree."""
    return list(
        Position.objects.current()
        .filter(
            role__in=ASSIGNMENT_ROLES,
            organization__path__startswith=committee.path,
            organization__depth__gt=committee.depth,
        )
        .select_related("organization", "member")
        .order_by("organization__path", "role", "member__name_sort_key")
    )


def cells_of(committee: Organization) -> list[Organization]:
    return sorted_naturally(
        Organization.objects.filter(
            path__startswith=committee.path, kind__in=CELL_KINDS, active_to__isnull=True
        )
    )


def visits_of(member_id: int, limit: int = 50) -> list[Visit]:
    return list(
        Visit.objects.filter(visitor_id=member_id)
        .select_related("meeting", "cell")
        .order_by("-meeting__date")[:limit]
    )


def raisers_of(cell: Organization) -> Any:
    """The members of the cell who may have raised a proposal heard at its meeting."""
    return Member.objects.filter(cell=cell, status__in=ACTIVE_STATUSES).order_by("name_sort_key")


def assignable_members(committee: Organization) -> Any:
    """Members registered in the committee's subtree (committee members, civil servants, the
    area police officer are members of its cells)."""
    return Member.objects.filter(
        cell__path__startswith=committee.path, status__in=ACTIVE_STATUSES
    ).order_by("name_sort_key")


def cells_queryset(committee: Organization) -> Any:
    return Organization.objects.filter(
        path__startswith=committee.path, kind__in=CELL_KINDS, active_to__isnull=True
    ).order_by("path")


def member(member_id: int) -> Member:
    return Member.objects.get(pk=member_id)


def own_visit(meeting: Meeting, member_id: int) -> Visit | None:
    return Visit.objects.filter(meeting=meeting, visitor_id=member_id).first()


def visit_initial(visit: Visit | None) -> dict[str, Any]:
    if visit is None:
        return {}
    return {
        "observations": visit.observations,
        "guidance": visit.guidance,
        "confirm_score": visit.score_confirmed,
        "adjusted_total": visit.adjusted_total,
        "adjusted_rating": visit.adjusted_rating,
        "adjustment_reason": visit.adjustment_reason,
    }


def score_of(meeting: Meeting) -> MeetingScore | None:
    return MeetingScore.objects.filter(meeting=meeting).select_related("confirmed_by").first()
