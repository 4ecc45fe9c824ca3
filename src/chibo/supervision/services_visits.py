"""State changes of supervision's visits: recording a visit to a cell meeting (with the
proposals collected and the score confirmed or adjusted, DOMAIN R7.2–R7.4), the committee's
assignments of followers and standing attendees, and the calendar feed's secret address."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.rules import ancestor_paths
from chibo.core.signals import send_meetings_changed
from chibo.meetings.models import Meeting, MeetingRating, MeetingScore
from chibo.meetings.services import score_confirm
from chibo.members.models import Member
from chibo.notify.services import notify_users
from chibo.orgs import services as org_services
from chibo.orgs.models import (
    CELL_KINDS,
    COMMITTEE_KINDS,
    MANAGING_ROLES,
    Organization,
    Position,
)
from chibo.proposals.services import proposal_raise
from chibo.supervision.access import ASSIGNMENT_ROLES, HELD_STATUSES
from chibo.supervision.models import CalendarFeed, Visit, VisitorRole


@dataclass
class CollectedProposal:
    """One proposal heard at the meeting, raised by a member of the cell."""

    title: str
    content: str
    source: str
    topic: str
    raised_by: Member
    citizen_name: str = ""


def _adjusted_total(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        total = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ServiceError(_("Enter the adjusted score as a number.")) from None
    if not total.is_finite() or total < 0 or total > 100:
        raise ServiceError(_("The adjusted score is between 0 and 100."))
    return total.quantize(Decimal("0.1"))


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    meeting: Meeting,
    visitor: Member,
    role: str,
    observations: str = "",
    guidance: str = "",
    proposals: list[CollectedProposal] | None = None,
    confirm_score: bool = False,
    adjusted_total: Any = None,
    adjusted_rating: str = "",
    adjustment_reason: str = "",
) -> Visit:
    """Record (or edit) the visitor's one visit to `meeting`: what they saw and said, the
    proposals they collected (each becomes a `Proposal` of the cell, linked to the visit) and,
    for an upper-level member, the score confirmed (meetings.services.score_confirm, which
    after signing confirms the score as signed) or adjusted with a reason — kept on the visit,
    outside the frozen minutes. One transaction: a refused part refuses the whole."""
    if role not in VisitorRole.values:
        raise ServiceError(_("Unknown role."))
    if meeting.status not in HELD_STATUSES:
        raise ServiceError(_("A visit is recorded for a meeting that has been held."))
    visit = Visit.objects.select_for_update().filter(meeting=meeting, visitor=visitor).first()
    created = visit is None
    if visit is None:
        visit = Visit(meeting=meeting, cell=meeting.organization, visitor=visitor)
    visit.role = role
    visit.observations = observations.strip()
    visit.guidance = guidance.strip()
    visit.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    visit.recorded_at = timezone.now()
    changes: dict[str, Any] = {}
    if role == VisitorRole.UPPER_MEMBER:
        _score_part(
            visit,
            actor=actor,
            meeting=meeting,
            visitor=visitor,
            confirm=confirm_score,
            total=adjusted_total,
            rating=adjusted_rating,
            reason=adjustment_reason,
            changes=changes,
        )
    visit.save()
    # The effective rating may have changed: the rollups recount the meeting's month.
    send_meetings_changed(meeting.organization_id, [meeting.period or meeting.date])
    raised = [
        proposal_raise(
            actor=actor,
            cell=meeting.organization,
            raised_by=row.raised_by,
            source=row.source,
            topic=row.topic,
            title=row.title,
            content=row.content,
            citizen_name=row.citizen_name,
            meeting=meeting,
        )
        for row in proposals or ()
    ]
    if raised:
        visit.proposals.add(*raised)
        changes["proposals"] = [p.pk for p in raised]
    audit.record(
        actor=actor,
        code="visit.recorded" if created else "visit.updated",
        target=visit,
        organization=meeting.organization,
        changes=changes,
    )
    if created and role == VisitorRole.STANDING_ATTENDEE:
        _tell_keepers(visit)
    return visit


def _score_part(
    visit: Visit,
    *,
    actor: Any,
    meeting: Meeting,
    visitor: Member,
    confirm: bool,
    total: Any,
    rating: str,
    reason: str,
    changes: dict[str, Any],
) -> None:
    adjusted = _adjusted_total(total)
    rating = (rating or "").strip()
    reason = (reason or "").strip()
    if rating and rating not in MeetingRating.values:
        raise ServiceError(_("Choose a rating."))
    if (adjusted is not None or rating) and not reason:
        raise ServiceError(_("Give the reason for adjusting the score."))
    if confirm and (adjusted is not None or rating):
        raise ServiceError(_("Either confirm the score or adjust it, not both."))
    if confirm:
        score = MeetingScore.objects.filter(meeting=meeting).first()
        if score is None:
            raise ServiceError(_("This meeting has no score to confirm."))
        if score.confirmed_by_id is None:
            score_confirm(actor=actor, meeting=meeting, confirmer=visitor)
        changes["score_confirmed"] = True
    visit.score_confirmed = bool(confirm) or (
        visit.score_confirmed and adjusted is None and not rating
    )
    visit.adjusted_total = adjusted
    visit.adjusted_rating = rating
    visit.adjustment_reason = reason if (adjusted is not None or rating) else ""
    if adjusted is not None or rating:
        changes["adjusted"] = [str(adjusted or ""), rating]


def committee_above(cell: Organization) -> Organization | None:
    """The nearest committee above a cell (the one that assigns its visitors)."""
    ancestors = Organization.objects.filter(path__in=ancestor_paths(cell.path)).exclude(pk=cell.pk)
    return ancestors.filter(kind__in=COMMITTEE_KINDS).order_by("-depth").first()


def committee_keepers(committee: Organization) -> list[Any]:
    positions = (
        Position.objects.current()
        .filter(organization=committee, role__in=MANAGING_ROLES, member__user__isnull=False)
        .select_related("member__user")
    )
    return [position.member.user for position in positions]


def _tell_keepers(visit: Visit) -> None:
    """A standing attendee's report reaches the keepers of the committee above the cell."""
    committee = committee_above(visit.cell)
    if committee is None:
        return
    notify_users(
        users=committee_keepers(committee),
        code="visit.reported",
        title=_("%(name)s reported on the meeting of %(cell)s on %(date)s")
        % {
            "name": visit.visitor.full_name,
            "cell": visit.cell.name,
            "date": visit.meeting.date.strftime("%d/%m/%Y"),
        },
        url=reverse("supervision:visit_detail", args=[visit.pk]),
    )


# -- assignments -----------------------------------------------------------------------------


def assignment_add(
    *,
    actor: Any,
    committee: Organization,
    member: Member,
    cell: Organization,
    role: str,
    start_date: datetime.date,
    note: str = "",
) -> Position:
    """Assign a member to follow a cell of the committee's subtree, or to attend its meetings
    as a standing attendee (orgs.services.position_assign)."""
    if role not in ASSIGNMENT_ROLES:
        raise ServiceError(_("Unknown role."))
    if cell.kind not in CELL_KINDS or not cell.path.startswith(committee.path):
        raise ServiceError(_("Choose a cell of this committee."))
    return org_services.position_assign(
        actor=actor, member=member, organization=cell, role=role, start_date=start_date, note=note
    )


def assignment_end(*, actor: Any, position: Position, end_date: datetime.date) -> Position:
    return org_services.position_end(actor=actor, position=position, end_date=end_date)


# -- calendar feed ---------------------------------------------------------------------------


def calendar_feed_for(user: Any) -> CalendarFeed:
    """The user's feed, created on their first visit of the calendar page."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_renew(*, actor: Any, user: Any) -> CalendarFeed:
    """A new secret address: the old one stops working at once."""
    feed = calendar_feed_for(user)
    feed.token = secrets.token_urlsafe()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    audit.record(actor=actor, code="calendar_feed.renewed", target=feed)
    return feed
