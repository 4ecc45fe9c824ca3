"""Resolutions outward (issue 10, field report 002): after signing, the cell sends its
resolution — or an extract meant for the public — to the bodies of its area that carry it out
and watch over it (the Front, the mass organisations, the residents' group), and records when
each acknowledged receipt. The signed resolution itself never changes: the extract is stored
with the recipient row."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.errors import ServiceError
from chibo.meetings.models import (
    Meeting,
    MeetingStatus,
    RecipientContent,
    RecipientKind,
    ResolutionRecipient,
)
from chibo.meetings.services._base import meeting_change


def _check_day(meeting: Meeting, day: datetime.date | None, *, received: bool) -> datetime.date:
    if day is None:
        raise ServiceError(
            _("Give the date it was received.") if received else _("Give the date it was sent.")
        )
    if day < meeting.date:
        message = (
            _("The date received cannot be before the meeting (%(date)s).")
            if received
            else _("The date sent cannot be before the meeting (%(date)s).")
        )
        raise ServiceError(message % {"date": meeting.date.strftime("%d/%m/%Y")})
    if day > timezone.localdate():
        raise ServiceError(
            _("The date received cannot be in the future.")
            if received
            else _("The date sent cannot be in the future.")
        )
    return day


def recipient_add(
    *,
    actor: Any,
    meeting: Meeting,
    kind: str,
    name: str,
    content: str,
    extract: str = "",
    sent_on: datetime.date | None,
) -> ResolutionRecipient:
    """Record that the signed resolution (or its extract for the public) went to a body of
    the cell's area. Refused on a meeting not signed, without a name, for a date before the
    meeting or after today, or for a name already recorded for this meeting."""
    name = " ".join((name or "").split())
    extract = (extract or "").strip()
    if kind not in RecipientKind.values:
        raise ServiceError(_("Choose the kind of body."))
    if not name:
        raise ServiceError(_("Give the name of the recipient."))
    if content not in RecipientContent.values:
        raise ServiceError(_("Choose what was sent."))
    if content == RecipientContent.EXTRACT and not extract:
        raise ServiceError(_("Write the extract meant for the public."))
    if content == RecipientContent.RESOLUTION:
        extract = ""
    with meeting_change(meeting, actor=actor, code="resolution.recipient_added") as change:
        locked = change.meeting
        if locked.status != MeetingStatus.SIGNED:
            raise ServiceError(_("The resolution is sent out only after the minutes are signed."))
        day = _check_day(locked, sent_on, received=False)
        if ResolutionRecipient.objects.filter(meeting=locked, name__iexact=name).exists():
            raise ServiceError(
                _("%(name)s is already recorded as a recipient of this resolution.")
                % {"name": name}
            )
        recipient = ResolutionRecipient.objects.create(
            meeting=locked,
            kind=kind,
            name=name,
            content=content,
            extract=extract,
            sent_on=day,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        change.target = recipient
        change.changes = {
            "name": [None, name],
            "kind": [None, kind],
            "content": [None, content],
            "sent_on": [None, day.isoformat()],
        }
    return recipient


def recipient_acknowledge(
    *,
    actor: Any,
    recipient: ResolutionRecipient,
    acknowledged_on: datetime.date | None,
    acknowledged_by: str = "",
) -> ResolutionRecipient:
    """Record that a recipient received (acknowledged) the resolution: the date, and
    optionally who received it. Not before it was sent nor after today."""
    acknowledged_by = " ".join((acknowledged_by or "").split())
    with meeting_change(
        recipient.meeting, actor=actor, code="resolution.recipient_acknowledged"
    ) as change:
        row = ResolutionRecipient.objects.select_for_update().get(pk=recipient.pk)
        day = _check_day(change.meeting, acknowledged_on, received=True)
        if day < row.sent_on:
            raise ServiceError(_("The date received cannot be before the date sent."))
        before = [
            row.acknowledged_on.isoformat() if row.acknowledged_on else None,
            row.acknowledged_by,
        ]
        row.acknowledged_on = day
        row.acknowledged_by = acknowledged_by
        row.save(update_fields=["acknowledged_on", "acknowledged_by"])
        change.target = row
        change.changes = {
            "acknowledged_on": [before[0], day.isoformat()],
            "acknowledged_by": [before[1], acknowledged_by],
        }
    return row
