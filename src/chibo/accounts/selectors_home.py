"""What the home page shows a person today, by role (issue 12). A person may hold several roles:
each section that applies is built, and the sections with something overdue or waiting come
first.

- the cell desk (a cell's secretary, deputy or committee member): the next meeting's steps
  (preparatory meeting, agenda, documents, publishing by the notice deadline of rule
  `meeting.notice_days_before`), the last held meeting still unsigned (due by rule
  `meeting.final_upload_days_after`), the cell's open assignments, the proposals the cell holds
  and the directives it has to disseminate;
- the member desk (anyone on a cell's rolls): the next meeting with its documents, their open
  assignments, the directives they have not read;
- the visitor desk (an upper-level committee member following cells, a standing attendee): the
  meetings to attend this month, the scores waiting for their confirmation, their visits this
  year against the yearly minimum (rule `visit.yearly_minimum`);
- the committee desk (a secretary, deputy or organisation staff of a committee): the month's
  figures from the rollups (reports.models.OrgMonth) and the committee's red flags.

Every section costs a bounded number of queries, whatever the number of items it lists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Q, When
from django.urls import reverse
from django.utils import timezone

from chibo.core.rules import RuleNotInForce, ancestor_paths, rule_in_force
from chibo.core.scope import Scope
from chibo.directives.models import DirectiveDelivery
from chibo.directives.selectors import for_member as directives_for_member
from chibo.followup.models import CLOSED_ASSIGNMENT_STATUSES, Assignment
from chibo.meetings.deadlines import FinalMinutesDue, final_minutes_due
from chibo.meetings.models import Meeting, MeetingDocument, MeetingStatus
from chibo.meetings.selectors import meetings_to_confirm, next_meeting_for_member
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import (
    CELL_KINDS,
    COMMITTEE_KINDS,
    MANAGING_ROLES,
    Organization,
    Position,
    Role,
)
from chibo.orgs.selectors import member_summary
from chibo.proposals.models import OPEN_STATUSES, Proposal
from chibo.reports.models import OrgMonth
from chibo.reports.selectors_dashboard import red_flags
from chibo.supervision.selectors_visits import counted_visits, meeting_events, yearly_minimum

NOTICE_KEY = "meeting.notice_days_before"
# Items a section lists at most; the counts say how many there are in all.
LISTED = 5
# Cells and committees a person gets a desk for, at most (one, nearly always).
DESKS = 3
CELL_DESK_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER})
VISITOR_ROLES = frozenset({Role.UPPER_COMMITTEE_MEMBER, Role.STANDING_ATTENDEE})
COMING = (MeetingStatus.PLANNED, MeetingStatus.PREPARED, MeetingStatus.IN_PROGRESS)


@dataclass
class Step:
    """One step of preparing a meeting: done or not, and a short note (a date, a count)."""

    code: str
    done: bool
    note: Any = None  # a date or a count, as the template words it
    late: bool = False


@dataclass
class Listed:
    """The first items of a list and how many there are in all."""

    items: list[Any]
    total: int
    overdue: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass
class CellDesk:
    kind = "cell"
    template = "accounts/home_cell.html"
    cell: Organization
    manages: bool
    next_meeting: Meeting | None
    steps: list[Step]
    notice_due: datetime.date | None
    unsigned: Meeting | None
    sign_due: FinalMinutesDue | None
    assignments: Listed
    proposals: Listed
    directives: Listed

    @property
    def urgent(self) -> int:
        late_steps = sum(1 for step in self.steps if step.late)
        live = int(self.next_meeting is not None and self.next_meeting.status == "in_progress")
        sign_late = int(self.sign_due is not None and self.sign_due.late)
        return (
            late_steps
            + live
            + sign_late
            + self.assignments.overdue
            + self.proposals.overdue
            + self.directives.overdue
        )


@dataclass
class MemberDesk:
    kind = "member"
    template = "accounts/home_member.html"
    member: Member
    cell: Organization
    next_meeting: Meeting | None
    documents: list[MeetingDocument]
    assignments: Listed
    unread_directives: list[Any]
    summary: Any = None  # orgs.selectors.member_summary of the cell

    @property
    def urgent(self) -> int:
        live = int(self.next_meeting is not None and self.next_meeting.status == "in_progress")
        return live + self.assignments.overdue


@dataclass
class Coverage:
    committee: Organization
    visits: int
    minimum: int

    @property
    def met(self) -> bool:
        return self.visits >= self.minimum


@dataclass
class VisitorDesk:
    kind = "visitor"
    template = "accounts/home_visitor.html"
    events: list[dict[str, Any]]
    to_confirm: Listed
    coverage: list[Coverage]
    month: datetime.date

    @property
    def urgent(self) -> int:
        return self.to_confirm.total


@dataclass
class CommitteeDesk:
    kind = "committee"
    template = "accounts/home_committee.html"
    committee: Organization
    month: datetime.date
    figures: OrgMonth | None
    flags: list[Any] = field(default_factory=list)
    dashboard_url: str = ""

    @property
    def urgent(self) -> int:
        return sum(int(getattr(flag, "count", 0) or 0) for flag in self.flags)

    @property
    def attendance(self) -> int | None:
        """The month's attendance in percent (present / expected), None without a roll call."""
        if self.figures is None or not self.figures.expected:
            return None
        return round(100 * self.figures.present / self.figures.expected)


# -- the person's positions ------------------------------------------------------------------


def positions_of(member_id: int | None, *, today: datetime.date) -> list[Position]:
    """The member's current positions with their organizations (one query)."""
    if not member_id:
        return []
    return list(
        Position.objects.current(today)
        .filter(member_id=member_id)
        .select_related("organization")
        .order_by("organization__path", "id")
    )


def _unique_orgs(positions: list[Position], roles: frozenset[str], kinds: frozenset[str]):
    seen: dict[int, Organization] = {}
    for position in positions:
        org = position.organization
        if position.role in roles and org.kind in kinds and org.active_to is None:
            seen.setdefault(org.pk, org)
    return list(seen.values())[:DESKS]


# -- the cell desk ---------------------------------------------------------------------------


def _notice_due(meeting: Meeting) -> datetime.date | None:
    try:
        rule = rule_in_force(NOTICE_KEY, organization=meeting.organization, on=meeting.date)
    except RuleNotInForce:
        return None
    return meeting.date - datetime.timedelta(days=int(rule.value))


def meeting_steps(
    meeting: Meeting, *, today: datetime.date
) -> tuple[list[Step], datetime.date | None]:
    """The steps of preparing `meeting` (annotated with `agenda_count` and `document_count`,
    its preparation selected) and its notice deadline. One query for the rule."""
    notice_due = _notice_due(meeting)
    prepared = getattr(meeting, "preparation", None)
    published_on = timezone.localdate(meeting.published_at) if meeting.published_at else None
    if published_on is not None:
        publish_late = notice_due is not None and published_on > notice_due
    else:
        publish_late = notice_due is not None and today > notice_due
    agenda = int(getattr(meeting, "agenda_count", 0))
    documents = int(getattr(meeting, "document_count", 0))
    steps = [
        Step("preparation", prepared is not None, prepared.held_on if prepared else None),
        Step("agenda", agenda > 0, agenda),
        Step("documents", documents > 0, documents),
        Step("published", published_on is not None, published_on or notice_due, publish_late),
    ]
    return steps, notice_due


def _listed(rows: Any, *, overdue: Q | None = None) -> Listed:
    """The first LISTED rows, the count of all and of the overdue ones (two queries)."""
    if overdue is None:
        return Listed(items=list(rows[:LISTED]), total=rows.count())
    counts = rows.aggregate(total=Count("id"), overdue=Count("id", filter=overdue))
    return Listed(items=list(rows[:LISTED]), total=counts["total"], overdue=counts["overdue"])


def cell_desk(cell: Organization, *, manages: bool, today: datetime.date) -> CellDesk:
    """The cell desk of one cell. A bounded number of queries (about ten)."""
    coming = (
        Meeting.objects.filter(organization=cell, status__in=COMING)
        .filter(Q(date__gte=today) | Q(status=MeetingStatus.IN_PROGRESS))
        .select_related("organization", "preparation")
        .annotate(
            agenda_count=Count("agenda_items", distinct=True),
            document_count=Count("documents", distinct=True),
        )
        # A meeting in progress first, then the soonest.
        .annotate(live_first=Case(When(status=MeetingStatus.IN_PROGRESS, then=0), default=1))
        .order_by("live_first", "date", "time", "id")
        .first()
    )
    steps: list[Step] = []
    notice_due = None
    if coming is not None and coming.status != MeetingStatus.IN_PROGRESS:
        steps, notice_due = meeting_steps(coming, today=today)
    unsigned = (
        Meeting.objects.filter(organization=cell, status=MeetingStatus.CLOSED)
        .select_related("organization")
        .order_by("-date", "-time", "-id")
        .first()
    )
    sign_due = final_minutes_due(unsigned, today=today) if unsigned is not None else None
    assignments = _listed(
        Assignment.objects.filter(organization=cell)
        .exclude(status__in=CLOSED_ASSIGNMENT_STATUSES)
        .prefetch_related("members")
        .order_by("due_date", "id"),
        overdue=Q(due_date__lt=today),
    )
    proposals = _listed(
        Proposal.objects.filter(level=cell, status__in=OPEN_STATUSES)
        .select_related("raised_by")
        .order_by("due_on", "id"),
        overdue=Q(due_on__lt=today),
    )
    directives = _listed(
        DirectiveDelivery.objects.filter(
            cell=cell, directive__must_disseminate=True, disseminated_meeting__isnull=True
        )
        .select_related("directive__issuer")
        .order_by("directive__disseminate_by", "directive__issued_on", "id"),
        overdue=Q(directive__disseminate_by__lt=today),
    )
    return CellDesk(
        cell=cell,
        manages=manages,
        next_meeting=coming,
        steps=steps,
        notice_due=notice_due,
        unsigned=unsigned,
        sign_due=sign_due,
        assignments=assignments,
        proposals=proposals,
        directives=directives,
    )


# -- the member desk -------------------------------------------------------------------------


def member_desk(member: Member, *, today: datetime.date) -> MemberDesk:
    """What an ordinary member needs: the next meeting (date, place, agenda, documents), their
    open assignments and the cell's directives they have not read. Bounded queries."""
    meeting = next_meeting_for_member(member, today=today)
    documents: list[MeetingDocument] = []
    if meeting is not None:
        documents = list(meeting.documents.order_by("uploaded_at", "id")[:LISTED])
    assignments = _listed(
        member.assignments.exclude(status__in=CLOSED_ASSIGNMENT_STATUSES)
        .select_related("source_meeting")
        .order_by("due_date", "id"),
        overdue=Q(due_date__lt=today),
    )
    unread = [
        entry.delivery
        for entry in directives_for_member(member.pk, member.cell_id)
        if not entry.read
    ][:LISTED]
    return MemberDesk(
        member=member,
        cell=member.cell,
        next_meeting=meeting,
        documents=documents,
        assignments=assignments,
        unread_directives=unread,
        summary=member_summary(member.cell),
    )


# -- the visitor desk ------------------------------------------------------------------------


def month_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = today.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following - datetime.timedelta(days=1)


def _committee_above(path: str, committees: dict[str, Organization]) -> Organization | None:
    for ancestor in reversed(ancestor_paths(path)[:-1]):
        if ancestor in committees:
            return committees[ancestor]
    return None


def visit_coverage(
    member_id: int, positions: list[Position], *, today: datetime.date
) -> list[Coverage]:
    """The member's visits this year against the yearly minimum of each committee whose member
    they follow cells as (the committee above the unit they are assigned to). A bounded number
    of queries: one for the committees, one for the visits, one rule per committee."""
    upper = [p for p in positions if p.role == Role.UPPER_COMMITTEE_MEMBER]
    if not upper:
        return []
    paths = {path for p in upper for path in ancestor_paths(p.organization.path)}
    committees = {
        org.path: org
        for org in Organization.objects.filter(path__in=paths, kind__in=COMMITTEE_KINDS)
    }
    above: dict[int, Organization] = {}
    for position in upper:
        committee = _committee_above(position.organization.path, committees)
        if committee is not None:
            above.setdefault(committee.pk, committee)
    visits = counted_visits([member_id], today.year).get(member_id, 0)
    return [
        Coverage(committee=committee, visits=visits, minimum=yearly_minimum(committee, today)[0])
        for committee in list(above.values())[:DESKS]
    ]


def visitor_desk(
    member_id: int, positions: list[Position], confirm: list[Meeting], *, today: datetime.date
) -> VisitorDesk:
    """The meetings the member attends this month, the scores waiting for their confirmation
    (meetings.selectors.meetings_to_confirm) and their visits against the yearly minimum."""
    start, end = month_bounds(today)
    events = meeting_events(member_id, start, end)
    return VisitorDesk(
        events=events,
        to_confirm=Listed(items=confirm[:LISTED], total=len(confirm)),
        coverage=visit_coverage(member_id, positions, today=today),
        month=start,
    )


# -- the committee desk ----------------------------------------------------------------------


def dashboard_url(committee: Organization) -> str:
    """The committee's dashboard."""
    return reverse("reports:dashboard", args=[committee.pk])


def committee_desks(committees: list[Organization], *, today: datetime.date) -> list[CommitteeDesk]:
    """The month's figures of each committee (one query for all) and its red flags."""
    if not committees:
        return []
    month = today.replace(day=1)
    figures = {
        row.organization_id: row
        for row in OrgMonth.objects.filter(organization__in=committees, period=month)
    }
    return [
        CommitteeDesk(
            committee=committee,
            month=month,
            figures=figures.get(committee.pk),
            flags=list(red_flags(committee, today=today)),
            dashboard_url=dashboard_url(committee),
        )
        for committee in committees
    ]


# -- the page --------------------------------------------------------------------------------


def home_sections(scope: Scope, *, today: datetime.date | None = None) -> dict[str, Any]:
    """Every section of the home page that applies to the user, the most urgent first (those
    with something overdue or waiting, in the order cell, visitor, committee, member), and the
    member record they come from."""
    today = today or timezone.localdate()
    member = (
        Member.objects.select_related("cell").filter(pk=scope.member_id).first()
        if scope.member_id
        else None
    )
    positions = positions_of(member.pk if member else None, today=today)
    sections: list[Any] = []
    for cell in _unique_orgs(positions, CELL_DESK_ROLES, CELL_KINDS):
        sections.append(cell_desk(cell, manages=scope.can_manage_path(cell.path), today=today))
    if member is not None:
        # An upper-level guest of a meeting confirms its score even without following the cell.
        confirm = meetings_to_confirm(member.pk)
        if confirm or any(p.role in VISITOR_ROLES for p in positions):
            sections.append(visitor_desk(member.pk, positions, confirm, today=today))
    sections.extend(
        committee_desks(_unique_orgs(positions, MANAGING_ROLES, COMMITTEE_KINDS), today=today)
    )
    on_rolls = member is not None and member.status in ACTIVE_STATUSES
    if member is not None and on_rolls and scope.own_cell_id:
        sections.append(member_desk(member, today=today))
    # Stable: the urgent ones first, each group in the order above.
    sections.sort(key=lambda section: section.urgent == 0)
    return {"member": member, "sections": sections, "today": today}
