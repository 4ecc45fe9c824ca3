"""Model meetings (sinh hoạt chi bộ mẫu / điểm luân phiên, DOMAIN R7.5, §9a): a committee plans
one in a cell for a quarter, on the cell's own meeting of that month (linked when it is not held
yet, else scheduled through the meetings services), and invites other cells' secretaries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.meetings.models import EDITABLE_STATUSES, Meeting, MeetingKind
from chibo.meetings.services import meeting_create, meeting_reschedule
from chibo.members.models import Member
from chibo.notify.services import notify_users
from chibo.orgs.models import CELL_KINDS, Organization, Position, Role
from chibo.supervision.access import PLANNING_KINDS
from chibo.supervision.models import ModelMeeting, ModelMeetingInvitation
from chibo.supervision.rotation import quarter_of
from chibo.supervision.selectors_model_meetings import cell_type_of


def current_secretaries(cells: Iterable[Organization]) -> dict[int, Member]:
    """Each cell's current secretary (Position role SECRETARY), by cell id (one query)."""
    rows = (
        Position.objects.current()
        .filter(organization__in=list(cells), role=Role.SECRETARY)
        .select_related("member__user")
        .order_by("start_date", "id")
    )
    return {row.organization_id: row.member for row in rows}


def _model_meeting_url(model_meeting: ModelMeeting) -> str:
    return reverse("supervision:model_meeting", args=[model_meeting.pk])


def _meeting_for(
    *,
    actor: Any,
    cell: Organization,
    date: datetime.date,
    time: datetime.time,
    place: str,
    topic: str,
) -> Meeting:
    """The cell's regular meeting of that month when it is not held yet (moved to the planned
    day, time and place if they differ); a new regular meeting when the month has none; a
    thematic meeting on the topic when the month's regular meeting is already held."""
    existing = (
        Meeting.objects.select_related("organization")
        .filter(organization=cell, kind=MeetingKind.REGULAR, period=date.replace(day=1))
        .first()
    )
    if existing is None:
        return meeting_create(
            actor=actor,
            organization=cell,
            kind=MeetingKind.REGULAR,
            date=date,
            time=time,
            place=place,
            topic=topic,
        )
    if existing.status not in EDITABLE_STATUSES:
        # The month's regular meeting is held: the model meeting is a thematic meeting.
        if not topic:
            raise ServiceError(
                _(
                    "The cell's meeting of %(month)s is already held; give a topic to hold the "
                    "model meeting as a thematic meeting, or choose another month."
                )
                % {"month": date.strftime("%m/%Y")}
            )
        return meeting_create(
            actor=actor,
            organization=cell,
            kind=MeetingKind.THEMATIC,
            date=date,
            time=time,
            place=place,
            topic=topic,
        )
    if ModelMeeting.objects.filter(meeting=existing, cancelled_at__isnull=True).exists():
        raise ServiceError(_("This meeting is already a model meeting."))
    place = place or existing.place
    if (existing.date, existing.time, existing.place) != (date, time, place):
        existing = meeting_reschedule(
            actor=actor,
            meeting=existing,
            date=date,
            time=time,
            place=place,
            reason=_("Chosen as the committee's model meeting"),
        )
    return existing


def model_meeting_plan(
    *,
    actor: Any,
    committee: Organization,
    cell: Organization,
    date: datetime.date,
    time: datetime.time,
    place: str = "",
    topic: str = "",
    invited_cells: Iterable[Organization] = (),
    note: str = "",
) -> ModelMeeting:
    """Plan a model meeting of `cell` (any cell of the committee's subtree; the rotation only
    suggests) on `date`, and invite the secretaries of `invited_cells` (notified)."""
    if committee.kind not in PLANNING_KINDS:
        raise ServiceError(_("Only a grassroots, commune or ward committee plans model meetings."))
    if cell.kind not in CELL_KINDS or not cell.path.startswith(committee.path):
        raise ServiceError(_("Choose a cell of the committee."))
    invited = [c for c in invited_cells if c.pk != cell.pk]
    if any(c.kind not in CELL_KINDS or not c.path.startswith(committee.path) for c in invited):
        raise ServiceError(_("Only cells of the committee can be invited."))
    with transaction.atomic():
        meeting = _meeting_for(
            actor=actor, cell=cell, date=date, time=time, place=place, topic=topic.strip()
        )
        model_meeting = ModelMeeting.objects.create(
            committee=committee,
            cell=cell,
            cell_type=cell_type_of(cell),
            year=date.year,
            quarter=quarter_of(date),
            meeting=meeting,
            topic=topic.strip(),
            note=note.strip(),
            planned_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        secretaries = current_secretaries(invited)
        ModelMeetingInvitation.objects.bulk_create(
            ModelMeetingInvitation(
                model_meeting=model_meeting, cell=c, invitee=secretaries.get(c.pk)
            )
            for c in invited
        )
        audit.record(
            actor=actor,
            code="model_meeting.planned",
            target=model_meeting,
            organization=committee,
            changes={
                "cell": [None, cell.name],
                "date": [None, date.isoformat()],
                "invited": [None, len(invited)],
            },
        )
        notify_users(
            users=[member.user for member in secretaries.values() if member.user_id],
            code="meeting.model_invitation",
            title=_("You are invited to the model meeting of %(cell)s on %(date)s at %(time)s")
            % {
                "cell": cell.name,
                "date": meeting.date.strftime("%d/%m/%Y"),
                "time": meeting.time.strftime("%H:%M"),
            },
            body=_("Place: %(place)s. Topic: %(topic)s.")
            % {"place": meeting.place or "—", "topic": model_meeting.topic or "—"},
            url=_model_meeting_url(model_meeting),
        )
    return model_meeting


def model_meeting_cancel(*, actor: Any, model_meeting: ModelMeeting, reason: str) -> ModelMeeting:
    """Cancel the plan (the cell's meeting itself stays, as its ordinary meeting); the invited
    secretaries are told."""
    if not reason.strip():
        raise ServiceError(_("Give the reason for cancelling the model meeting."))
    if model_meeting.cancelled_at is not None:
        raise ServiceError(_("This model meeting is already cancelled."))
    with transaction.atomic():
        model_meeting.cancelled_at = timezone.now()
        model_meeting.save(update_fields=["cancelled_at"])
        audit.record(
            actor=actor,
            code="model_meeting.cancelled",
            target=model_meeting,
            organization=model_meeting.committee,
            note=reason.strip(),
        )
        invitees = Member.objects.filter(
            pk__in=model_meeting.invitations.values("invitee_id"), user__isnull=False
        ).select_related("user")
        notify_users(
            users=[member.user for member in invitees],
            code="meeting.model_cancelled",
            title=_("The model meeting of %(cell)s is cancelled")
            % {"cell": model_meeting.cell.name},
            body=_("Reason: %(reason)s.") % {"reason": reason.strip()},
            url=_model_meeting_url(model_meeting),
        )
    return model_meeting
