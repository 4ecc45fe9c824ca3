"""Reads for the member's own pages: the home page, and the handbook (sổ tay, issue 4) with
everything about the logged-in member on one page, in a constant number of queries whatever the
number of events, meetings, assignments, payments or notifications."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from chibo.core.scope import Scope
from chibo.followup.models import CLOSED_ASSIGNMENT_STATUSES, Assignment
from chibo.meetings.models import Meeting, MeetingDocument, MeetingStatus
from chibo.meetings.selectors import upcoming_for_member
from chibo.members import dues
from chibo.members.badges import BadgeProgress
from chibo.members.models import ACTIVE_STATUSES, DuesPayment, Member, MemberEvent
from chibo.members.selectors import basis_of, member_badge_progress
from chibo.notify.models import Notification
from chibo.orgs.selectors import member_summary, top_organizations
from chibo.residence.selectors import MemberResidence, member_residence

# Organizations the home page shows a card for, at most.
HOME_OVERSEEN = 20
UPCOMING_MEETINGS = 5
CLOSED_ASSIGNMENTS = 5
NOTIFICATIONS = 5


@dataclass
class DuesSummary:
    """The member's dues this year: the grid row and the rule the amount is computed from."""

    row: dues.MemberDuesRow
    rule_explanation: str  # empty when the basis is a fixed amount or is not set

    @property
    def basis(self) -> Any:
        return self.row.basis

    @property
    def paid_months(self) -> list[datetime.date]:
        return [cell.month for cell in self.row.cells if cell.state == dues.PAID]

    @property
    def arrears_months(self) -> list[datetime.date]:
        return [cell.month for cell in self.row.cells if cell.state == dues.ARREARS]


@dataclass
class Handbook:
    member: Member
    on_rolls: bool
    events: list[MemberEvent]
    badge: BadgeProgress
    upcoming_meetings: list[Meeting]
    last_signed_meeting: Meeting | None
    open_assignments: list[Assignment]
    overdue_count: int
    closed_assignments: list[Assignment]
    dues: DuesSummary
    notifications: list[Notification]
    today: datetime.date
    residence: MemberResidence | None = None


def handbook_member(member_id: int) -> Member:
    """The member with their cell and dues basis (one query)."""
    return Member.objects.select_related("cell", "dues_basis").get(pk=member_id)


def member_dues_summary(member: Member, *, today: datetime.date) -> DuesSummary:
    """The member's dues row for this year (one query for the payments, one for the rules when
    a basis is set) and the explanation of the rule their basis uses."""
    basis = basis_of(member)
    book = dues.build_book(
        organization=member.cell,
        year=today.year,
        members=[member],
        bases={member.pk: basis} if basis is not None else {},
        payments=list(DuesPayment.objects.filter(member=member, month__year=today.year)),
        today=today,
    )
    explanation = ""
    if basis is not None:
        rule = book.current_rates.rule_for(basis.basis)
        if rule is not None:
            explanation = rule.explain()
    return DuesSummary(row=book.rows[0], rule_explanation=explanation)


def handbook_for(*, user: Any, member_id: int, today: datetime.date) -> Handbook:
    """Everything the member's handbook page shows, for the member linked to `user`."""
    member = handbook_member(member_id)
    on_rolls = member.status in ACTIVE_STATUSES
    events = list(member.events.select_related("cell").order_by("-effective_date", "-id"))
    meetings: list[Meeting] = []
    last_signed = None
    # A member off the rolls keeps only their own record: the cell's meetings are not theirs.
    if on_rolls:
        meetings = list(
            upcoming_for_member(member, today=today).prefetch_related(
                Prefetch("documents", queryset=MeetingDocument.objects.order_by("uploaded_at"))
            )[:UPCOMING_MEETINGS]
        )
        last_signed = (
            Meeting.objects.filter(organization_id=member.cell_id, status=MeetingStatus.SIGNED)
            .order_by("-date", "-time", "-id")
            .first()
        )
    assignments = member.assignments.select_related("source_meeting", "organization")
    open_rows = list(
        assignments.exclude(status__in=CLOSED_ASSIGNMENT_STATUSES).order_by("due_date", "id")
    )
    # Overdue first, then the others by deadline.
    open_rows.sort(key=lambda row: (not row.is_overdue, row.due_date, row.pk))
    closed_rows = list(
        assignments.filter(status__in=CLOSED_ASSIGNMENT_STATUSES).order_by("-due_date", "-id")[
            :CLOSED_ASSIGNMENTS
        ]
    )
    notifications = list(
        Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:NOTIFICATIONS]
    )
    return Handbook(
        member=member,
        on_rolls=on_rolls,
        events=events,
        badge=member_badge_progress(member, today=today),
        upcoming_meetings=meetings,
        last_signed_meeting=last_signed,
        open_assignments=open_rows,
        overdue_count=sum(1 for row in open_rows if row.is_overdue),
        closed_assignments=closed_rows,
        dues=member_dues_summary(member, today=today),
        notifications=notifications,
        today=today,
        residence=member_residence(member.pk, today=today),
    )


def home_page(scope: Scope, *, shown: set[int] | frozenset[int] = frozenset()) -> dict[str, Any]:
    """The cards below the day's sections (accounts.selectors_home): a summary card for each
    organization the user oversees, except those a section already shows (`shown`)."""
    overseen = [
        {"organization": organization, "summary": member_summary(organization)}
        for organization in top_organizations(scope)[:HOME_OVERSEEN]
        if organization.pk not in shown
    ]
    return {"overseen": overseen}
