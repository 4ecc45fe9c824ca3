"""Assignments: set at a meeting, followed up, reviewed at the next one."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.followup.models import CLOSED_ASSIGNMENT_STATUSES, Assignment, AssignmentStatus
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.notify.services import notify_users


def assignment_create(
    *,
    actor: Any,
    meeting: Any,
    title: str,
    members: Iterable[Member],
    due_date: datetime.date | None,
    client_token: uuid.UUID | None = None,
) -> tuple[Assignment, bool]:
    """Assign a task for next month to named members with a deadline (DOMAIN §1.4 step 8).
    Returns (assignment, created); a retried request with the same token creates nothing.

    Called by `meetings.services.assignment_add`, which holds the source meeting's lock and
    has checked that the meeting takes assignments: followup knows nothing of meetings."""
    if client_token is not None:
        existing = Assignment.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing, False
    members = list(members)
    if not title.strip():
        raise ServiceError(_("Say what is assigned."))
    if not members:
        raise ServiceError(_("Choose at least one member to carry out the assignment."))
    if due_date is None:
        raise ServiceError(_("Give the deadline of the assignment."))
    if due_date < meeting.date:
        raise ServiceError(_("The deadline cannot be before the meeting."))
    if any(
        m.cell_id != meeting.organization_id or m.status not in ACTIVE_STATUSES for m in members
    ):
        raise ServiceError(_("Assignments go to members of the cell."))
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                organization_id=meeting.organization_id,
                source_meeting=meeting,
                title=title.strip(),
                due_date=due_date,
                client_token=client_token or uuid.uuid4(),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            assignment.members.set(members)
            audit.record(
                actor=actor,
                code="assignment.created",
                target=assignment,
                organization=meeting.organization,
                changes={"members": len(members), "due_date": due_date.isoformat()},
            )
            notify_users(
                users=[
                    m.user
                    for m in Member.objects.filter(
                        pk__in=[m.pk for m in members], user__isnull=False
                    ).select_related("user")
                ],
                code="assignment.created",
                title=_("New assignment: %(title)s (due %(due)s)")
                % {"title": assignment.title, "due": due_date.strftime("%d/%m/%Y")},
                url=reverse("followup:mine"),
            )
    except IntegrityError:
        return Assignment.objects.get(client_token=str(client_token)), False
    return assignment, True


def assignment_update_status(
    *, actor: Any, assignment: Assignment, status: str, progress: str = "", reviewed_at: Any = None
) -> Assignment:
    """Record progress or the result of an assignment (by its members or the cell's leaders);
    `reviewed_at` is the meeting where the result was reviewed: that goes through
    `meetings.services.assignment_review`, which locks the meeting and refuses a signed one."""
    if status not in AssignmentStatus.values:
        raise ServiceError(_("Choose a status."))
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        # Once closed, only the cell's review at a meeting changes the result.
        if reviewed_at is None and assignment.status in CLOSED_ASSIGNMENT_STATUSES:
            raise ServiceError(_("This assignment is closed; the cell has reviewed it."))
        before = audit.snapshot(assignment, ("status", "progress"))
        assignment.status = status
        if progress.strip():
            assignment.progress = progress.strip()
        if reviewed_at is not None:
            assignment.reviewed_at = reviewed_at
        assignment.updated_at = timezone.now()
        assignment.version += 1
        assignment.save(
            update_fields=["status", "progress", "reviewed_at", "updated_at", "version"]
        )
        audit.record(
            actor=actor,
            code="assignment.updated",
            target=assignment,
            organization=assignment.organization,
            changes=audit.changes_between(
                before, audit.snapshot(assignment, ("status", "progress"))
            ),
        )
    return assignment
