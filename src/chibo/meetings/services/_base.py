"""What every meeting service shares: the conflict error, the one way to change a meeting
(`meeting_change`: lock → check status → change → audit), and the people to notify."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError, storage_errors_refused
from chibo.core.signals import send_meetings_changed
from chibo.meetings import selectors
from chibo.meetings.models import Meeting, MeetingRecord, MeetingStatus
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import Organization, Position, Role
from chibo.orgs.selectors import followers_of


class ConflictError(ServiceError):
    """Someone else changed the same thing since the user loaded it."""


# -- guards ---------------------------------------------------------------------------------


def lock_meeting(meeting: Meeting) -> Meeting:
    """Re-read the meeting inside the transaction, locking its row on PostgreSQL, so that two
    phones acting at once are serialised and state checks see the latest status."""
    return Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)


def ensure_not_signed(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.SIGNED:
        raise ServiceError(
            _(
                "The minutes of this meeting are signed and can no longer be changed. Record a "
                "correction as a signed addendum."
            )
        )


def ensure_status(meeting: Meeting, allowed: Iterable[str], message: str) -> None:
    ensure_not_signed(meeting)
    if meeting.status not in allowed:
        raise ServiceError(message)


def ensure_live(meeting: Meeting) -> None:
    ensure_status(
        meeting,
        (MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED),
        _("This can be recorded only once the meeting has been opened."),
    )
    # The first signer signed what the documents said then; the second must sign the same.
    if (
        meeting.status == MeetingStatus.CLOSED
        and meeting.signatures.filter(addendum__isnull=True).exists()
    ):
        raise ServiceError(
            _("Someone has already signed the minutes; what they signed can no longer change.")
        )


@dataclass
class MeetingChange:
    """The change in progress: `meeting` is the locked row. The body may set the audit entry's
    `target` (default: the meeting), `changes` and `note`, change its `code` (an outcome such
    as adopted/rejected), or call `skip_audit()` when nothing changed; `record_now()` writes it
    before a delete."""

    meeting: Meeting
    actor: Any
    code: str | None
    target: Any = None
    changes: dict[str, Any] | None = None
    note: str = ""

    def skip_audit(self) -> None:
        self.code = None

    def record_now(self) -> None:
        """Write the entry at once: before a delete, while the target still has its id."""
        if self.code is not None:
            audit.record(
                actor=self.actor,
                code=self.code,
                target=self.target if self.target is not None else self.meeting,
                organization=self.meeting.organization,
                changes=self.changes,
                note=self.note,
            )
        self.code = None


@contextmanager
def meeting_change(
    meeting: Meeting,
    *,
    actor: Any,
    code: str | None,
    allowed: Iterable[str] | None = None,
    message: str = "",
    live: bool = False,
) -> Iterator[MeetingChange]:
    """The one way a service changes a meeting: open the transaction, re-read the meeting
    locked, refuse a signed meeting or one not in an `allowed` status (with `message`) — or,
    with `live=True`, one not opened yet or already signed by someone — yield the locked
    meeting, and write the one audit entry `code` when the body succeeds. A refusal or any
    error rolls everything back and writes nothing. `code=None`: the body writes its own
    entries (signing writes one per role, then the freeze). A full disk, or the database
    refusing to change a signed record, is refused like any other (core.errors)."""
    with storage_errors_refused(), transaction.atomic():
        locked = lock_meeting(meeting)
        if live:
            ensure_live(locked)
        elif allowed is not None:
            ensure_status(locked, allowed, message)
        change = MeetingChange(meeting=locked, actor=actor, code=code)
        before = rollup_period(locked)
        yield change
        change.record_now()
        # The rollups above (reports) recount the month the meeting was in and the one it is
        # in now, in this same transaction.
        after = Meeting.objects.filter(pk=locked.pk).values_list("period", "date", "status").first()
        if live and after is not None and after[2] == MeetingStatus.IN_PROGRESS:
            # What is recorded during a meeting in progress (roll call, speeches, votes …)
            # counts in the rollups from its closing (reports.rollups.month_values).
            return
        send_meetings_changed(
            locked.organization_id, [before, (after[0] or after[1]) if after else None]
        )


def rollup_period(meeting: Meeting) -> datetime.date:
    """The month a meeting counts for: a regular meeting's `period`, else its date's month."""
    return (meeting.period or meeting.date).replace(day=1)


# -- people to tell -------------------------------------------------------------------------


def cell_members(cell: Organization):
    return Member.objects.filter(cell=cell, status__in=ACTIVE_STATUSES)


def member_users(cell: Organization) -> list[Any]:
    return [m.user for m in cell_members(cell).select_related("user") if m.user_id]


def upper_level_users(cell: Organization) -> list[Any]:
    """Users of the upper-level committee members following the cell (orgs.selectors.
    followers_of: assigned to the cell, else to the nearest unit above with one) and of its
    standing attendees (a ward civil servant, the area police officer: invited alike)."""
    member_ids = set(followers_of([cell])[cell.pk])
    member_ids |= set(
        Position.objects.current()
        .filter(organization=cell, role=Role.STANDING_ATTENDEE)
        .values_list("member_id", flat=True)
    )
    return [
        m.user for m in Member.objects.filter(pk__in=member_ids).select_related("user") if m.user_id
    ]


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def score_tab_url(meeting: Meeting) -> str:
    """Where the upper-level member confirms the score."""
    return reverse("meetings:live", args=[meeting.pk]) + "?tab=score"


def number_record(meeting: Meeting) -> MeetingRecord:
    """Give the resolution its number: continuous from 01 for each document type within the
    committee term (DOMAIN R5.9, 36-HD §1.3.1a)."""
    record, _created = MeetingRecord.objects.get_or_create(
        meeting=meeting, defaults={"organization": meeting.organization}
    )
    if record.resolution_number:
        return record
    policy = selectors.policy_for(meeting.organization)
    term_start = policy.term_start if policy else meeting.date.replace(month=1, day=1)
    if term_start > meeting.date:
        term_start = meeting.date.replace(month=1, day=1)
    last = (
        MeetingRecord.objects.filter(
            organization=meeting.organization,
            resolution_kind=record.resolution_kind,
            term_start=term_start,
        ).aggregate(last=Max("resolution_number"))["last"]
        or 0
    )
    record.term_start = term_start
    record.resolution_number = last + 1
    record.save(update_fields=["term_start", "resolution_number"])
    return record
