"""Every change to a meeting, from scheduling to signatures. One transaction and one audit
entry each. A signed meeting is frozen: every service below refuses to change it
(`_ensure_editable`), and corrections go through `addendum_create`."""

from __future__ import annotations

import calendar as month_calendar
import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit, calendar, rules
from chibo.core.dates import add_months
from chibo.core.errors import ServiceError
from chibo.meetings import agenda, documents, scoring, selectors, votes
from chibo.meetings.documents import files as document_files
from chibo.meetings.models import (
    EDITABLE_STATUSES,
    Addendum,
    AgendaItem,
    AgendaPart,
    Attendance,
    AttendanceStatus,
    Commendation,
    CommendationKind,
    Meeting,
    MeetingDocument,
    MeetingGuest,
    MeetingKind,
    MeetingPolicy,
    MeetingRecord,
    MeetingScore,
    MeetingStatus,
    MemberCategory,
    NonWorkingDayShift,
    PreparatoryMeeting,
    ScoreLine,
    Signature,
    SignerRole,
    Speech,
    Vote,
    VoteRule,
    VoteSubject,
)
from chibo.members.models import ACTIVE_STATUSES, Member, MemberStatus
from chibo.notify.services import notify_users
from chibo.orgs.models import CELL_KINDS, Organization, Position, Role


class ConflictError(ServiceError):
    """Someone else changed the same thing since the user loaded it."""


# -- guards ---------------------------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    """Re-read the meeting inside the transaction, locking its row on PostgreSQL, so that two
    phones acting at once are serialised and state checks see the latest status."""
    return Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)


def _ensure_not_signed(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.SIGNED:
        raise ServiceError(
            _(
                "The minutes of this meeting are signed and can no longer be changed. Record a "
                "correction as a signed addendum."
            )
        )


def _ensure_status(meeting: Meeting, allowed: Iterable[str], message: str) -> None:
    _ensure_not_signed(meeting)
    if meeting.status not in allowed:
        raise ServiceError(message)


def _ensure_live(meeting: Meeting) -> None:
    _ensure_status(
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


def _cell_members(cell: Organization):
    return Member.objects.filter(cell=cell, status__in=ACTIVE_STATUSES)


def _member_users(cell: Organization) -> list[Any]:
    return [m.user for m in _cell_members(cell).select_related("user") if m.user_id]


def _upper_level_users(cell: Organization) -> list[Any]:
    """Users of the upper-level committee members assigned to follow the cell (a current
    upper_committee_member position on the cell or one of its ancestors)."""
    paths = rules.ancestor_paths(cell.path)
    positions = (
        Position.objects.current()
        .filter(role=Role.UPPER_COMMITTEE_MEMBER, organization__path__in=paths)
        .select_related("member__user")
    )
    return [p.member.user for p in positions if p.member.user_id]


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


# -- policy and schedule --------------------------------------------------------------------

POLICY_FIELDS = (
    "day_of_month",
    "non_working_day",
    "default_time",
    "default_place",
    "months_ahead",
    "term_start",
    "signature_authority",
)


def policy_set(*, actor: Any, organization: Organization, **values: Any) -> MeetingPolicy:
    """Create or change `organization`'s meeting policy."""
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"not policy fields: {sorted(unknown)}")
    day = values.get("day_of_month")
    if day is not None and not 1 <= int(day) <= 28:
        raise ServiceError(_("The meeting day must be between the 1st and the 28th."))
    with transaction.atomic():
        policy = MeetingPolicy.objects.filter(organization=organization).first()
        before = audit.snapshot(policy, POLICY_FIELDS) if policy else {}
        if policy is None:
            values.setdefault("term_start", timezone.localdate().replace(month=1, day=1))
            policy = MeetingPolicy(organization=organization, **values)
        else:
            for name, value in values.items():
                setattr(policy, name, value)
        policy.updated_at = timezone.now()
        policy.save()
        audit.record(
            actor=actor,
            code="meeting_policy.changed",
            target=policy,
            organization=organization,
            changes=audit.changes_between(before, audit.snapshot(policy, POLICY_FIELDS)),
        )
    return policy


def _holiday_dates(year: int) -> set[datetime.date]:
    return {day for day, _name in calendar.holidays(year)}


def scheduled_day(
    policy: MeetingPolicy,
    year: int,
    month: int,
    *,
    days_off: dict[int, set[datetime.date]] | None = None,
) -> datetime.date:
    """The policy's meeting day in a month, moved off a Sunday or public holiday as the policy
    says (Saturdays are kept: many residential cells meet at weekends). `days_off` caches the
    holidays per year across calls (meetings_generate computes many days at once)."""
    day = datetime.date(
        year, month, min(policy.day_of_month, month_calendar.monthrange(year, month)[1])
    )
    if policy.non_working_day == NonWorkingDayShift.KEEP:
        return day
    step = datetime.timedelta(days=1 if policy.non_working_day == "next" else -1)
    cache = days_off if days_off is not None else {}
    for around in (year - 1, year, year + 1):
        if around not in cache:
            cache[around] = _holiday_dates(around)
    while day.weekday() == 6 or day in cache[day.year]:
        day += step
    return day


def _months_from(first: datetime.date, count: int) -> list[tuple[int, int]]:
    months = [add_months(first, index) for index in range(count)]
    return [(month.year, month.month) for month in months]


def next_meeting_days(
    policy: MeetingPolicy, *, today: datetime.date, count: int = 3
) -> list[datetime.date]:
    """The next `count` meeting days the policy gives, from this month on."""
    days: list[datetime.date] = []
    days_off: dict[int, set[datetime.date]] = {}
    month = today.replace(day=1)
    while len(days) < count:
        day = scheduled_day(policy, month.year, month.month, days_off=days_off)
        if day >= today:
            days.append(day)
        month = add_months(month, 1)
    return days


def meetings_generate(
    *, actor: Any, organization: Organization, today: datetime.date | None = None
) -> int:
    """Create the coming months' regular meetings for every active cell under `organization`
    (itself included), from the policy in force for each. Idempotent: a month that already has
    a regular meeting (in any state, cancelled included) is left alone, so meetings already
    prepared are never touched. Returns how many were created."""
    today = today or timezone.localdate()
    cells = list(
        Organization.objects.filter(path__startswith=organization.path, kind__in=CELL_KINDS)
        .filter(active_from__lte=today)
        .exclude(active_to__lt=today)
    )
    policy_by_path = {
        p.organization.path: p
        for p in MeetingPolicy.objects.select_related("organization").filter(
            organization__path__in={
                path for cell in cells for path in rules.ancestor_paths(cell.path)
            }
        )
    }
    days_off: dict[int, set[datetime.date]] = {}
    with transaction.atomic():
        existing = set(
            Meeting.objects.filter(
                organization__in=cells, kind=MeetingKind.REGULAR, period__isnull=False
            ).values_list("organization_id", "period")
        )
        new_rows = []
        for cell in cells:
            policy = None
            for path in sorted(rules.ancestor_paths(cell.path), key=len, reverse=True):
                if path in policy_by_path:
                    policy = policy_by_path[path]
                    break
            if policy is None:
                continue
            for year, month in _months_from(today.replace(day=1), policy.months_ahead):
                period = datetime.date(year, month, 1)
                if (cell.pk, period) in existing:
                    continue
                day = scheduled_day(policy, year, month, days_off=days_off)
                if day < today:
                    continue
                new_rows.append(
                    Meeting(
                        organization=cell,
                        kind=MeetingKind.REGULAR,
                        period=period,
                        date=day,
                        time=policy.default_time,
                        place=cell.address or policy.default_place,
                        generated=True,
                    )
                )
        # ignore_conflicts: a concurrent run that created the same month wins, no duplicate.
        before = Meeting.objects.filter(organization__in=cells, kind=MeetingKind.REGULAR).count()
        Meeting.objects.bulk_create(new_rows, ignore_conflicts=True)
        created = (
            Meeting.objects.filter(organization__in=cells, kind=MeetingKind.REGULAR).count()
            - before
        )
        audit.record(
            actor=actor,
            code="meetings.generated",
            target=organization,
            organization=organization,
            changes={"created": created},
        )
    return created


def meeting_create(
    *,
    actor: Any,
    organization: Organization,
    kind: str,
    date: datetime.date,
    time: datetime.time,
    place: str = "",
    topic: str = "",
    with_thematic_part: bool = False,
) -> Meeting:
    """Schedule a meeting by hand (a regular meeting for a month without one, a thematic or
    extraordinary meeting, a cell-committee meeting or a cell conference)."""
    if not organization.is_cell:
        raise ServiceError(_("Meetings are held by party cells."))
    if kind not in MeetingKind.values:
        raise ServiceError(_("Choose the kind of meeting."))
    if kind == MeetingKind.THEMATIC and not topic.strip():
        raise ServiceError(_("A thematic meeting needs a topic."))
    if with_thematic_part and kind != MeetingKind.REGULAR:
        raise ServiceError(_("Only a regular meeting can be combined with a thematic part."))
    if with_thematic_part and not topic.strip():
        raise ServiceError(_("Give the topic of the thematic part."))
    period = date.replace(day=1) if kind == MeetingKind.REGULAR else None
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                organization=organization,
                kind=kind,
                period=period,
                date=date,
                time=time,
                place=place or organization.address,
                topic=topic.strip(),
                with_thematic_part=with_thematic_part,
            )
            audit.record(
                actor=actor,
                code="meeting.scheduled",
                target=meeting,
                organization=organization,
                changes={"kind": [None, kind], "date": [None, date.isoformat()]},
            )
    except IntegrityError:
        raise ServiceError(
            _("The cell already has a regular meeting for %(month)s.")
            % {"month": date.strftime("%m/%Y")}
        ) from None
    return meeting


def meeting_reschedule(
    *,
    actor: Any,
    meeting: Meeting,
    date: datetime.date,
    time: datetime.time,
    place: str,
    reason: str,
) -> Meeting:
    """Move a meeting that has not started. Members are told, with the reason."""
    if not reason.strip():
        raise ServiceError(_("Give the reason for moving the meeting."))
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting, EDITABLE_STATUSES, _("Only a meeting that has not started can be moved.")
        )
        before = audit.snapshot(meeting, ("date", "time", "place"))
        meeting.date, meeting.time, meeting.place = date, time, place
        meeting.updated_at = timezone.now()
        meeting.version = F("version") + 1
        meeting.save(update_fields=["date", "time", "place", "updated_at", "version"])
        meeting.refresh_from_db()
        audit.record(
            actor=actor,
            code="meeting.rescheduled",
            target=meeting,
            organization=meeting.organization,
            changes=audit.changes_between(
                before, audit.snapshot(meeting, ("date", "time", "place"))
            ),
            note=reason.strip(),
        )
        notify_users(
            users=_member_users(meeting.organization) + _upper_level_users(meeting.organization),
            code="meeting.rescheduled",
            title=_("%(meeting)s of %(cell)s is moved to %(date)s at %(time)s")
            % {
                "meeting": meeting.get_kind_display(),
                "cell": meeting.organization.name,
                "date": meeting.date.strftime("%d/%m/%Y"),
                "time": meeting.time.strftime("%H:%M"),
            },
            body=_("Reason: %(reason)s. Place: %(place)s.")
            % {"reason": reason.strip(), "place": meeting.place},
            url=meeting_url(meeting),
        )
    return meeting


def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting that has not started; members are told. A cancelled regular meeting
    keeps its month, so generation never brings it back."""
    if not reason.strip():
        raise ServiceError(_("Give the reason for cancelling the meeting."))
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting, EDITABLE_STATUSES, _("Only a meeting that has not started can be cancelled.")
        )
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancel_reason = reason.strip()
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=["status", "cancel_reason", "updated_at"])
        audit.record(
            actor=actor,
            code="meeting.cancelled",
            target=meeting,
            organization=meeting.organization,
            note=reason.strip(),
        )
        notify_users(
            users=_member_users(meeting.organization) + _upper_level_users(meeting.organization),
            code="meeting.cancelled",
            title=_("%(meeting)s of %(cell)s on %(date)s is cancelled")
            % {
                "meeting": meeting.get_kind_display(),
                "cell": meeting.organization.name,
                "date": meeting.date.strftime("%d/%m/%Y"),
            },
            body=_("Reason: %(reason)s.") % {"reason": reason.strip()},
            url=meeting_url(meeting),
        )
    return meeting


# -- preparation ----------------------------------------------------------------------------


def preparation_record(
    *,
    actor: Any,
    meeting: Meeting,
    held_on: datetime.date,
    participants: Iterable[Member],
    agreed: str,
) -> PreparatoryMeeting:
    """Record the cell committee's preparatory meeting (DOMAIN R1.11)."""
    participants = list(participants)
    if not agreed.strip():
        raise ServiceError(_("Write down what the preparatory meeting agreed."))
    if not participants:
        raise ServiceError(_("Choose who took part in the preparatory meeting."))
    if held_on > meeting.date:
        raise ServiceError(_("The preparatory meeting is held before the meeting."))
    if any(member.cell_id != meeting.organization_id for member in participants):
        raise ServiceError(_("Participants must be members of the cell."))
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting, EDITABLE_STATUSES, _("The preparation can be changed only before the meeting.")
        )
        preparation, _created = PreparatoryMeeting.objects.update_or_create(
            meeting=meeting,
            defaults={
                "held_on": held_on,
                "agreed": agreed.strip(),
                "recorded_by": actor if getattr(actor, "pk", None) else None,
                "recorded_at": timezone.now(),
            },
        )
        preparation.participants.set(participants)
        audit.record(
            actor=actor,
            code="meeting.preparation_recorded",
            target=meeting,
            organization=meeting.organization,
            changes={"held_on": [None, held_on.isoformat()], "participants": len(participants)},
        )
    return preparation


def agenda_build(*, actor: Any, meeting: Meeting) -> list[AgendaItem]:
    """Build the agenda from the standard sequence (DOMAIN §1.4), with the content
    suggestions for the cell's type (§1.6), last month's assignments to review with their
    status, and the items the last meeting deferred. Only on an empty agenda."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting, EDITABLE_STATUSES, _("The agenda can be changed only before the meeting.")
        )
        if meeting.agenda_items.exists():
            raise ServiceError(_("The meeting already has an agenda."))
        suggestion = agenda.CONTENT_SUGGESTIONS.get(meeting.organization.cell_type, "")
        review_lines = [
            _("%(title)s — %(members)s — due %(due)s — %(status)s")
            % {
                "title": row.title,
                "members": ", ".join(member.full_name for member in row.members.all()),
                "due": row.due_date.strftime("%d/%m/%Y"),
                "status": row.get_status_display(),
            }
            for row in selectors.assignments_to_review(meeting)
        ]
        items: list[AgendaItem] = []
        position = 0
        deferred = []
        previous = selectors.previous_meeting(meeting)
        if previous is not None:
            deferred = list(previous.agenda_items.filter(deferred=True).select_related("meeting"))
        for step in agenda.STANDARD_STEPS:
            if meeting.kind != MeetingKind.REGULAR and step.code in ("dues",):
                continue
            guidance = [str(step.guidance)] if step.guidance else []
            if step.code in agenda.SUGGESTION_STEPS and suggestion:
                guidance.append(
                    _("Suggested content for this type of cell: %(text)s") % {"text": suggestion}
                )
            if step.code == "review" and review_lines:
                guidance.append(
                    _("Assignments to review:")
                    + "\n"
                    + "\n".join(f"• {line}" for line in review_lines)
                )
            position += 1
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    step=step.code,
                    title=str(step.title),
                    guidance="\n\n".join(guidance),
                )
            )
            if step.code == "tasks":
                for old in deferred:
                    position += 1
                    items.append(
                        AgendaItem(
                            meeting=meeting,
                            position=position,
                            title=old.title,
                            guidance=_("Deferred from the meeting of %(date)s.")
                            % {"date": old.meeting.date.strftime("%d/%m/%Y")},
                            carried_from=old,
                        )
                    )
                if meeting.with_thematic_part or meeting.kind == MeetingKind.THEMATIC:
                    position += 1
                    items.append(
                        AgendaItem(
                            meeting=meeting,
                            position=position,
                            step="thematic",
                            part=AgendaPart.THEMATIC,
                            title=_("Thematic part: %(topic)s") % {"topic": meeting.topic},
                        )
                    )
        AgendaItem.objects.bulk_create(items)
        audit.record(
            actor=actor,
            code="meeting.agenda_built",
            target=meeting,
            organization=meeting.organization,
            changes={"items": len(items), "carried": len(deferred)},
        )
    return list(meeting.agenda_items.all())


def agenda_item_add(
    *, actor: Any, meeting: Meeting, title: str, guidance: str = "", part: str = AgendaPart.REGULAR
) -> AgendaItem:
    if not title.strip():
        raise ServiceError(_("Give the agenda item a title."))
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting,
            (*EDITABLE_STATUSES, MeetingStatus.IN_PROGRESS),
            _("The agenda can no longer be changed."),
        )
        last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
        item = AgendaItem.objects.create(
            meeting=meeting, position=last + 1, title=title.strip(), guidance=guidance, part=part
        )
        audit.record(
            actor=actor, code="agenda_item.added", target=item, organization=meeting.organization
        )
    return item


def agenda_item_update(
    *,
    actor: Any,
    item: AgendaItem,
    expected_version: int | None = None,
    **values: Any,
) -> AgendaItem:
    """Change an agenda item's title, guidance (before the meeting), notes, conclusion or
    deferral (during it). `expected_version` refuses a stale edit from another phone."""
    allowed = {"title", "guidance", "notes", "conclusion", "deferred"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not agenda fields: {sorted(unknown)}")
    with transaction.atomic():
        meeting = _lock(item.meeting)
        _ensure_status(
            meeting,
            (*EDITABLE_STATUSES, MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED),
            _("The agenda can no longer be changed."),
        )
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if expected_version is not None and item.version != expected_version:
            raise ConflictError(
                _(
                    "Someone else changed “%(title)s” a moment ago. Their text is shown; make "
                    "your change again on top of it."
                )
                % {"title": item.title}
            )
        if "title" in values and not str(values["title"]).strip():
            raise ServiceError(_("Give the agenda item a title."))
        before = audit.snapshot(item, values)
        for name, value in values.items():
            setattr(item, name, value.strip() if isinstance(value, str) else value)
        item.version += 1
        item.save(update_fields=[*values, "version"])
        changes = audit.changes_between(before, audit.snapshot(item, values))
        if changes:
            audit.record(
                actor=actor,
                code="agenda_item.changed",
                target=item,
                organization=meeting.organization,
                changes={name: True for name in changes},  # wording is not copied to the log
            )
    return item


def agenda_item_delete(*, actor: Any, item: AgendaItem) -> None:
    with transaction.atomic():
        meeting = _lock(item.meeting)
        _ensure_status(
            meeting, EDITABLE_STATUSES, _("The agenda can be changed only before the meeting.")
        )
        audit.record(
            actor=actor,
            code="agenda_item.deleted",
            target=item,
            organization=meeting.organization,
            note=item.title,
        )
        item.delete()


def agenda_item_move(*, actor: Any, item: AgendaItem, offset: int) -> None:
    """Move an item up (offset -1) or down (+1) by swapping positions with its neighbour."""
    with transaction.atomic():
        meeting = _lock(item.meeting)
        _ensure_status(
            meeting, EDITABLE_STATUSES, _("The agenda can be changed only before the meeting.")
        )
        items = list(meeting.agenda_items.order_by("position"))
        index = next(i for i, row in enumerate(items) if row.pk == item.pk)
        other_index = index + offset
        if not 0 <= other_index < len(items):
            return
        first, second = items[index], items[other_index]
        # Two steps through a free position: the unique (meeting, position) holds throughout.
        free = max(row.position for row in items) + 1
        AgendaItem.objects.filter(pk=first.pk).update(position=free)
        AgendaItem.objects.filter(pk=second.pk).update(position=first.position)
        AgendaItem.objects.filter(pk=first.pk).update(position=second.position)
        audit.record(
            actor=actor, code="agenda_item.moved", target=item, organization=meeting.organization
        )


ALLOWED_UPLOAD_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "image/jpeg",
    "image/png",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def document_attach(*, actor: Any, meeting: Meeting, title: str, upload: Any) -> MeetingDocument:
    """Attach a document (PDF, Word, Excel or a photo, at most 10 MB)."""
    content_type = getattr(upload, "content_type", "") or ""
    if content_type not in ALLOWED_UPLOAD_TYPES:
        raise ServiceError(_("Attach a PDF, Word or Excel file or a photo (JPEG, PNG)."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ServiceError(_("The file is larger than 10 MB."))
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting,
            (*EDITABLE_STATUSES, MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED),
            _("Documents can no longer be attached to this meeting."),
        )
        document = MeetingDocument.objects.create(
            meeting=meeting,
            title=(title or upload.name).strip()[:200],
            file=upload,
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            code="meeting.document_attached",
            target=document,
            organization=meeting.organization,
        )
    return document


def document_remove(*, actor: Any, document: MeetingDocument) -> None:
    with transaction.atomic():
        meeting = _lock(document.meeting)
        _ensure_status(
            meeting, EDITABLE_STATUSES, _("Documents can be removed only before the meeting.")
        )
        audit.record(
            actor=actor,
            code="meeting.document_removed",
            target=document,
            organization=meeting.organization,
            note=document.title,
        )
        document.file.delete(save=False)
        document.delete()


def meeting_update_details(
    *, actor: Any, meeting: Meeting, expected_version: int | None = None, **values: Any
) -> Meeting:
    """Change the topic, place or draft resolution of a meeting before it starts."""
    allowed = {"topic", "place", "resolution_draft", "with_thematic_part"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not meeting fields: {sorted(unknown)}")
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting,
            (*EDITABLE_STATUSES, MeetingStatus.IN_PROGRESS),
            _("The meeting can no longer be changed."),
        )
        if expected_version is not None and meeting.version != expected_version:
            raise ConflictError(
                _("Someone else changed this meeting a moment ago. Reload and try again.")
            )
        before = audit.snapshot(meeting, values)
        for name, value in values.items():
            setattr(meeting, name, value.strip() if isinstance(value, str) else value)
        if meeting.with_thematic_part and meeting.kind != MeetingKind.REGULAR:
            raise ServiceError(_("Only a regular meeting can be combined with a thematic part."))
        if meeting.with_thematic_part and not meeting.topic:
            raise ServiceError(_("Give the topic of the thematic part."))
        meeting.version += 1
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=[*values, "version", "updated_at"])
        audit.record(
            actor=actor,
            code="meeting.changed",
            target=meeting,
            organization=meeting.organization,
            changes={
                name: True
                for name in audit.changes_between(before, audit.snapshot(meeting, values))
            },
        )
    return meeting


def meeting_publish(*, actor: Any, meeting: Meeting) -> tuple[Meeting, str]:
    """Publish a prepared meeting: every member of the cell and the upper-level committee
    members assigned to it get a notification (DOMAIN R1.12). Returns the meeting and a
    warning when the notice is later than the rule asks (publishing is still allowed: a late
    notice costs preparation points, it does not stop the meeting)."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting, (MeetingStatus.PLANNED,), _("Only a planned meeting can be published.")
        )
        if not meeting.agenda_items.exists():
            raise ServiceError(_("Build the agenda before publishing the meeting."))
        now = timezone.now()
        meeting.status = MeetingStatus.PREPARED
        meeting.published_at = now
        meeting.updated_at = now
        meeting.save(update_fields=["status", "published_at", "updated_at"])
        members = _member_users(meeting.organization)
        upper = _upper_level_users(meeting.organization)
        sent = notify_users(
            users=members + upper,
            code="meeting.published",
            title=_("%(meeting)s of %(cell)s: %(date)s at %(time)s")
            % {
                "meeting": meeting.get_kind_display(),
                "cell": meeting.organization.name,
                "date": meeting.date.strftime("%d/%m/%Y"),
                "time": meeting.time.strftime("%H:%M"),
            },
            body=_("Place: %(place)s. The agenda and documents are in chibo.")
            % {"place": meeting.place},
            url=meeting_url(meeting),
        )
        audit.record(
            actor=actor,
            code="meeting.published",
            target=meeting,
            organization=meeting.organization,
            changes={"notified": sent},
        )
        deadline, rule = scoring.notice_deadline(meeting)
        warning = ""
        if now > deadline:
            warning = _(
                "The notice is later than the rule asks; the preparation score will show it. "
                "%(rule)s"
            ) % {"rule": rule.explain()}
    return meeting, warning


# -- conduct --------------------------------------------------------------------------------


def _category(member: Member) -> str:
    return {
        MemberStatus.OFFICIAL: MemberCategory.OFFICIAL,
        MemberStatus.PROBATIONARY: MemberCategory.PROBATIONARY,
        MemberStatus.EXEMPTED: MemberCategory.EXEMPTED,
        MemberStatus.TEMPORARILY_ATTACHED: MemberCategory.TEMPORARILY_ATTACHED,
        MemberStatus.SUSPENDED: MemberCategory.SUSPENDED,
    }[MemberStatus(member.status)]


COMMITTEE_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER)


def _roll(meeting: Meeting):
    """Who is called at the opening: the cell's members on the rolls; for a cell-committee
    meeting (họp chi ủy), the members of the committee only (DOMAIN R1.1, R2.1: its decisions
    need more than half of the committee)."""
    members = _cell_members(meeting.organization)
    if meeting.kind == MeetingKind.COMMITTEE:
        committee = (
            Position.objects.current(meeting.date)
            .filter(organization=meeting.organization, role__in=COMMITTEE_ROLES)
            .values("member_id")
        )
        members = members.filter(pk__in=committee)
    return members


def meeting_open(
    *,
    actor: Any,
    meeting: Meeting,
    chair: Member,
    minute_taker: Member,
    guests: Iterable[dict[str, Any]] = (),
    started_at: datetime.datetime | None = None,
) -> Meeting:
    """Open the meeting: chair, minute-taker, guests and the start time; the roll is taken
    from the cell's register as it stands now (one attendance row per member). Exempted
    members are pre-marked exempted."""
    guests = list(guests)
    for person in (chair, minute_taker):
        if person.cell_id != meeting.organization_id or person.status not in ACTIVE_STATUSES:
            raise ServiceError(_("The chair and the minute-taker must be members of the cell."))
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting,
            EDITABLE_STATUSES,
            _("This meeting cannot be opened: it is already open, closed or cancelled."),
        )
        meeting.status = MeetingStatus.IN_PROGRESS
        meeting.started_at = started_at or timezone.now()
        meeting.chair = chair
        meeting.minute_taker = minute_taker
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=["status", "started_at", "chair", "minute_taker", "updated_at"])
        rows = []
        roll = list(_roll(meeting))
        if not roll:
            raise ServiceError(
                _("No member of the cell committee is recorded: add their positions first.")
            )
        for member in roll:
            category = _category(member)
            rows.append(
                Attendance(
                    meeting=meeting,
                    member=member,
                    category=category,
                    status=AttendanceStatus.EXEMPT if category == MemberCategory.EXEMPTED else "",
                )
            )
        Attendance.objects.bulk_create(rows, ignore_conflicts=True)
        for guest in guests:
            if guest.get("name", "").strip():
                MeetingGuest.objects.create(
                    meeting=meeting,
                    member=guest.get("member"),
                    name=guest["name"].strip(),
                    title=guest.get("title", "").strip(),
                    is_upper_level=bool(guest.get("is_upper_level")),
                )
        MeetingRecord.objects.get_or_create(
            meeting=meeting, defaults={"organization": meeting.organization}
        )
        audit.record(
            actor=actor,
            code="meeting.opened",
            target=meeting,
            organization=meeting.organization,
            changes={"roll": len(rows), "guests": len(guests)},
        )
    return meeting


def guest_add(
    *,
    actor: Any,
    meeting: Meeting,
    name: str,
    title: str = "",
    member: Member | None = None,
    is_upper_level: bool = False,
) -> MeetingGuest:
    if not name.strip():
        raise ServiceError(_("Give the guest's name."))
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_live(meeting)
        guest = MeetingGuest.objects.create(
            meeting=meeting,
            name=name.strip(),
            title=title.strip(),
            member=member,
            is_upper_level=is_upper_level,
        )
        audit.record(
            actor=actor,
            code="meeting.guest_added",
            target=meeting,
            organization=meeting.organization,
        )
    return guest


def attendance_mark(
    *,
    actor: Any,
    meeting: Meeting,
    member_id: int,
    status: str,
    reason: str = "",
    expected_version: int | None = None,
) -> tuple[Attendance, bool]:
    """Mark one member's attendance (one tap). Returns (row, changed).

    Idempotent: repeating the same mark (a retried request) changes nothing and is not a
    conflict. A different mark on a row someone else changed since the phone loaded it
    (`expected_version`) is refused with ConflictError naming what is recorded now."""
    if status not in AttendanceStatus.values:
        raise ServiceError(_("Choose an attendance status."))
    # A reason is kept only beside an absence or a late arrival; normalised first so that a
    # retried "present" that still carries the form's reason is the same mark, not a conflict.
    reason_kept = (
        AttendanceStatus.ABSENT_EXCUSED,
        AttendanceStatus.ABSENT_UNEXCUSED,
        AttendanceStatus.LATE,
    )
    reason = reason.strip() if status in reason_kept else ""
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_live(meeting)
        row = (
            Attendance.objects.select_for_update()
            .select_related("member")
            .filter(meeting=meeting, member_id=member_id)
            .first()
        )
        if row is None:
            raise ServiceError(_("This member is not on the roll of this meeting."))
        if row.status == status and row.reason == reason:
            return row, False
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                _(
                    "%(name)s was just marked “%(status)s” from another phone. Check and tap "
                    "again if needed."
                )
                % {
                    "name": row.member.full_name,
                    "status": row.get_status_display() or _("not called"),
                }
            )
        if status == AttendanceStatus.EXEMPT and row.category != MemberCategory.EXEMPTED:
            raise ServiceError(
                _(
                    "Only members exempted from activity by a cell resolution can be marked "
                    "exempted."
                )
            )
        before = {"status": row.status, "reason": row.reason}
        row.status = status
        row.reason = reason
        row.version += 1
        row.updated_at = timezone.now()
        row.updated_by = actor if getattr(actor, "pk", None) else None
        row.save(update_fields=["status", "reason", "version", "updated_at", "updated_by"])
        audit.record(
            actor=actor,
            code="attendance.marked",
            target=row,
            organization=meeting.organization,
            changes={"status": [before["status"], status]},
        )
    return row, True


def attendance_mark_rest_present(*, actor: Any, meeting: Meeting) -> int:
    """Mark every member not called yet as present, in one step (the usual case in a
    residential cell: call the absent ones, then everyone else is there). Idempotent: a retry
    finds nobody left to mark. Returns how many were marked."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_live(meeting)
        pending = Attendance.objects.filter(meeting=meeting, status="")
        count = pending.update(
            status=AttendanceStatus.PRESENT,
            version=F("version") + 1,
            updated_at=timezone.now(),
            updated_by=actor if getattr(actor, "pk", None) else None,
        )
        if count:
            audit.record(
                actor=actor,
                code="attendance.rest_marked_present",
                target=meeting,
                organization=meeting.organization,
                changes={"present": count},
            )
    return count


def speech_add(
    *,
    actor: Any,
    meeting: Meeting,
    member: Member,
    summary: str,
    agenda_item: AgendaItem | None = None,
    client_token: uuid.UUID | None = None,
) -> tuple[Speech, bool]:
    """Record a speech. Returns (speech, created). The same `client_token` (a retried
    request) returns the speech already recorded instead of a second one."""
    if client_token is not None:
        existing = Speech.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing, False
    if not summary.strip():
        raise ServiceError(_("Write a short summary of what was said."))
    if member.cell_id != meeting.organization_id:
        raise ServiceError(_("The speaker must be a member of the cell."))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ServiceError(_("That agenda item belongs to another meeting."))
    try:
        with transaction.atomic():
            meeting = _lock(meeting)
            _ensure_live(meeting)
            speech = Speech.objects.create(
                meeting=meeting,
                member=member,
                agenda_item=agenda_item,
                summary=summary.strip(),
                client_token=client_token or uuid.uuid4(),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            audit.record(
                actor=actor, code="speech.added", target=speech, organization=meeting.organization
            )
    except IntegrityError:
        # The same token arrived twice at the same moment: the first one won.
        return Speech.objects.get(client_token=str(client_token)), False
    return speech, True


def speech_delete(*, actor: Any, speech: Speech) -> None:
    with transaction.atomic():
        meeting = _lock(speech.meeting)
        _ensure_live(meeting)
        audit.record(
            actor=actor, code="speech.deleted", target=speech, organization=meeting.organization
        )
        speech.delete()


def commendation_add(
    *,
    actor: Any,
    meeting: Meeting,
    member: Member,
    kind: str,
    note: str,
    client_token: uuid.UUID | None = None,
) -> tuple[Commendation, bool]:
    if client_token is not None:
        existing = Commendation.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing, False
    if kind not in CommendationKind.values:
        raise ServiceError(_("Choose praise, reminder or criticism."))
    if not note.strip():
        raise ServiceError(_("Write what the praise or criticism is for."))
    if member.cell_id != meeting.organization_id:
        raise ServiceError(_("Choose a member of the cell."))
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_live(meeting)
        # The same retried request may have arrived while this one waited for the lock.
        if client_token is not None:
            existing = Commendation.objects.filter(client_token=client_token).first()
            if existing is not None:
                return existing, False
        row = Commendation.objects.create(
            meeting=meeting,
            member=member,
            kind=kind,
            note=note.strip(),
            client_token=client_token or uuid.uuid4(),
        )
        audit.record(
            actor=actor, code="commendation.added", target=row, organization=meeting.organization
        )
    return row, True


def electorate_for(meeting: Meeting) -> votes.Electorate:
    return votes.electorate(Attendance.objects.filter(meeting=meeting).only("category", "status"))


def vote_record(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    subject: str,
    in_favour: int,
    against: int,
    abstain: int,
    subject_member: Member | None = None,
    agenda_item: AgendaItem | None = None,
    client_token: uuid.UUID | None = None,
) -> tuple[Vote, bool]:
    """Record a show of hands and decide it by the rule in force (DOMAIN R2.1–R2.5): more than
    half of the eligible official members; at least two thirds for admission and recognition
    as an official member. Only official members vote: the counts may not exceed the eligible
    members present. Returns (vote, created); a retried request returns the first vote."""
    if client_token is not None:
        existing = Vote.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing, False
    if not title.strip():
        raise ServiceError(_("Say what is being voted on."))
    if subject not in VoteSubject.values:
        raise ServiceError(_("Choose what kind of decision is voted on."))
    if min(in_favour, against, abstain) < 0:
        raise ServiceError(_("Vote counts cannot be negative."))
    # A candidate for admission is not a member yet: the title names them. Recognition is
    # about a probationary member of the cell.
    if subject == VoteSubject.RECOGNITION and subject_member is None:
        raise ServiceError(_("Choose the person this vote is about."))
    rule_key = (
        VoteRule.TWO_THIRDS
        if subject in (VoteSubject.ADMISSION, VoteSubject.RECOGNITION)
        else VoteRule.MAJORITY
    )
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_live(meeting)
        # The same retried request may have arrived while this one waited for the lock.
        if client_token is not None:
            existing = Vote.objects.filter(client_token=client_token).first()
            if existing is not None:
                return existing, False
        electorate = electorate_for(meeting)
        total = in_favour + against + abstain
        if total > electorate.present:
            raise ServiceError(
                _(
                    "%(total)s votes were entered, but only %(present)s official members with a "
                    "vote are present (probationary members do not vote). Check the counts."
                )
                % {"total": total, "present": electorate.present}
            )
        rule = rules.rule_in_force(rule_key, organization=meeting.organization, on=meeting.date)
        adopted = votes.passes(in_favour, electorate.eligible, rule.value)
        explanation = votes.explain(
            in_favour=in_favour,
            eligible=electorate.eligible,
            adopted=adopted,
            rule_text=rule.explain(),
            fraction=rule.value,
        )
        vote = Vote.objects.create(
            meeting=meeting,
            agenda_item=agenda_item,
            subject=subject,
            title=title.strip(),
            subject_member=subject_member,
            rule=rule_key,
            in_favour=in_favour,
            against=against,
            abstain=abstain,
            eligible=electorate.eligible,
            adopted=adopted,
            explanation=explanation,
            client_token=client_token or uuid.uuid4(),
        )
        audit.record(
            actor=actor,
            code="resolution.adopted" if adopted else "resolution.rejected",
            target=vote,
            organization=meeting.organization,
            changes={
                "in_favour": in_favour,
                "against": against,
                "abstain": abstain,
                "eligible": electorate.eligible,
            },
        )
    return vote, True


def vote_delete(*, actor: Any, vote: Vote) -> None:
    """Remove a vote entered by mistake (before the minutes are signed)."""
    with transaction.atomic():
        meeting = _lock(vote.meeting)
        _ensure_live(meeting)
        audit.record(
            actor=actor,
            code="vote.deleted",
            target=vote,
            organization=meeting.organization,
            note=vote.title,
        )
        vote.delete()


def meeting_close(
    *,
    actor: Any,
    meeting: Meeting,
    ended_at: datetime.datetime | None = None,
    started_at: datetime.datetime | None = None,
) -> Meeting:
    """Close the meeting: record the end time (and correct the start time if needed), number
    the resolution and compute the automatic score criteria. Every member must have been
    called."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting, (MeetingStatus.IN_PROGRESS,), _("Only a meeting in progress can be closed.")
        )
        started = started_at or meeting.started_at
        ended = ended_at or timezone.now()
        if started is None or ended <= started:
            raise ServiceError(
                _("The meeting cannot end (%(end)s) before it starts (%(start)s).")
                % {
                    "end": timezone.localtime(ended).strftime("%d/%m/%Y %H:%M"),
                    "start": timezone.localtime(started).strftime("%d/%m/%Y %H:%M"),
                }
            )
        not_called = meeting.attendance.filter(status="").count()
        if not_called:
            raise ServiceError(
                _("%(count)s members have not been called yet. Finish the roll call first.")
                % {"count": not_called}
            )
        meeting.started_at = started
        meeting.ended_at = ended
        meeting.status = MeetingStatus.CLOSED
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=["started_at", "ended_at", "status", "updated_at"])
        _number_record(meeting)
        score_compute(actor=actor, meeting=meeting, audit_it=False)
        audit.record(
            actor=actor,
            code="meeting.closed",
            target=meeting,
            organization=meeting.organization,
            changes={"ended_at": [None, ended.isoformat()]},
        )
    return meeting


def _number_record(meeting: Meeting) -> MeetingRecord:
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


# -- scoring --------------------------------------------------------------------------------


# The scoring frames rate the cell's regular and thematic meetings (DOMAIN R1.13–R1.17).
SCORED_KINDS = frozenset({MeetingKind.REGULAR, MeetingKind.THEMATIC})


def score_compute(*, actor: Any, meeting: Meeting, audit_it: bool = True) -> MeetingScore | None:
    """(Re)build the score sheet from the frame in force: automatic criteria are measured
    again with their evidence; points entered by hand are kept. Returns None when no frame
    is in force on the meeting's date (before 42-HD/BTCTW each province set its own scale,
    DOMAIN R1.13; without a province's override such a meeting is not scored), and for the
    kinds of meeting the frames do not rate (cell-committee, extraordinary, conference)."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_live(meeting)
        if meeting.kind not in SCORED_KINDS:
            return None
        try:
            frame = rules.rule_in_force(
                "meeting.scoring_frame", organization=meeting.organization, on=meeting.date
            )
        except rules.RuleNotInForce:
            return None
        return _score_lines_build(meeting, frame, actor=actor, audit_it=audit_it)


def _score_lines_build(
    meeting: Meeting, frame: rules.Resolved, *, actor: Any, audit_it: bool
) -> MeetingScore:
    rows = selectors.attendance_rows(meeting)
    ctx = {"summary": selectors.roll_call_summary(rows)}
    existing = {line.code: line for line in meeting.score_lines.all()}
    keep_codes = []
    for position, spec in enumerate(frame.value["lines"], start=1):
        if not scoring.applicable(meeting, spec):
            continue
        keep_codes.append(spec["code"])
        measured = scoring.measure(meeting, spec, ctx)
        line = existing.get(spec["code"]) or ScoreLine(meeting=meeting, code=spec["code"])
        line.position = position
        line.label = f"{spec['group']} — {spec['label']}"
        line.max_points = Decimal(str(spec["max"]))
        line.must_have = bool(spec["must_have"])
        line.automatic = measured is not None
        if measured is not None:
            line.points = measured.points
            line.evidence = measured.evidence
        line.save()
    meeting.score_lines.exclude(code__in=keep_codes).delete()
    return _score_total(
        meeting, frame_source=frame.explain(), actor=actor if audit_it else None, audit_it=audit_it
    )


def _score_total(
    meeting: Meeting, *, frame_source: str | None = None, actor: Any = None, audit_it: bool = False
) -> MeetingScore:
    lines = list(meeting.score_lines.all())
    rated = scoring.rate(meeting, lines)
    score, _created = MeetingScore.objects.update_or_create(
        meeting=meeting,
        defaults={
            "total": rated.total,
            "rating": rated.rating,
            "explanation": rated.explanation,
            "updated_at": timezone.now(),
            **({"frame_source": frame_source} if frame_source else {}),
        },
    )
    if audit_it:
        audit.record(
            actor=actor,
            code="meeting.scored",
            target=meeting,
            organization=meeting.organization,
            changes={"total": str(rated.total), "rating": rated.rating},
        )
    return score


def _points(value: Any, line: ScoreLine) -> Decimal:
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ServiceError(_("Enter the points as a number.")) from None
    if not points.is_finite():  # "NaN", "Infinity" parse as decimals
        raise ServiceError(_("Enter the points as a number."))
    if points < 0 or points > line.max_points:
        raise ServiceError(
            _("“%(label)s” takes from 0 to %(max)s points.")
            % {"label": line.label, "max": scoring.format_points(line.max_points)}
        )
    return points.quantize(Decimal("0.1"))


def score_lines_set(*, actor: Any, meeting: Meeting, points: dict[str, Any]) -> MeetingScore:
    """Enter the points of the criteria chibo cannot measure (by the cell, before signing).
    Automatic criteria are not entered by hand; the upper-level attendee adjusts them with a
    reason through `score_confirm`."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_live(meeting)
        lines = {line.code: line for line in meeting.score_lines.select_for_update()}
        for code, value in points.items():
            line = lines.get(code)
            if line is None or line.automatic or value in (None, ""):
                continue
            line.points = _points(value, line)
            line.version += 1
            line.save(update_fields=["points", "version"])
        score = _score_total(meeting)
        audit.record(
            actor=actor,
            code="meeting.scored",
            target=meeting,
            organization=meeting.organization,
            changes={"total": str(score.total), "rating": score.rating},
        )
    return score


def score_confirm(
    *,
    actor: Any,
    meeting: Meeting,
    confirmer: Member,
    adjustments: dict[str, Any] | None = None,
    reason: str = "",
) -> MeetingScore:
    """The upper-level attendee confirms the score (DOMAIN R1.15), or adjusts criteria with a
    reason (any criterion, automatic ones included: the evidence stays beside it)."""
    adjustments = {
        code: value for code, value in (adjustments or {}).items() if value not in (None, "")
    }
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_live(meeting)
        lines = {line.code: line for line in meeting.score_lines.select_for_update()}
        changed = {}
        for code, value in adjustments.items():
            line = lines.get(code)
            if line is None:
                continue
            points = _points(value, line)
            if points != line.points:
                changed[code] = [str(line.points), str(points)]
                line.points = points
                line.evidence = (line.evidence + "\n" if line.evidence else "") + _(
                    "Adjusted by %(name)s: %(reason)s"
                ) % {"name": confirmer.full_name, "reason": reason.strip()}
                line.version += 1
                line.save(update_fields=["points", "evidence", "version"])
        if changed and not reason.strip():
            raise ServiceError(_("Give the reason for adjusting the score."))
        if any(line.points is None for line in lines.values()):
            raise ServiceError(_("Some criteria have no points yet; the cell enters them first."))
        score = _score_total(meeting)
        score.confirmed_by = confirmer
        score.confirmed_at = timezone.now()
        score.adjustment_reason = reason.strip()
        score.save(update_fields=["confirmed_by", "confirmed_at", "adjustment_reason"])
        audit.record(
            actor=actor,
            code="meeting.score_confirmed",
            target=meeting,
            organization=meeting.organization,
            changes=changed,
            note=reason.strip(),
        )
    return score


# -- record and signatures ------------------------------------------------------------------

RECORD_TEXT_FIELDS = (
    "resolution_kind",
    "resolution_subject",
    "opening_text",
    "closing_text",
    "resolution_evaluation",
    "resolution_tasks",
    "resolution_implementation",
)


def record_update(
    *, actor: Any, meeting: Meeting, expected_version: int | None = None, **values: Any
) -> MeetingRecord:
    """The minute-taker edits the wording of the minutes and resolution before signing. The
    facts (attendance, votes, score) are not text and stay as recorded."""
    unknown = set(values) - set(RECORD_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not record fields: {sorted(unknown)}")
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_live(meeting)
        if meeting.signatures.filter(addendum__isnull=True).exists():
            raise ServiceError(
                _("Someone has already signed these minutes; the wording can no longer change.")
            )
        record = MeetingRecord.objects.select_for_update().get(meeting=meeting)
        if expected_version is not None and record.version != expected_version:
            raise ConflictError(
                _(
                    "Someone else changed the wording a moment ago. Their text is shown; make "
                    "your change again on top of it."
                )
            )
        kind_changed = (
            "resolution_kind" in values and values["resolution_kind"] != record.resolution_kind
        )
        for name, value in values.items():
            setattr(record, name, value.strip() if isinstance(value, str) else value)
        record.version += 1
        record.save()
        if kind_changed:
            record.resolution_number = None
            record.save(update_fields=["resolution_number"])
            _number_record(meeting)
        audit.record(
            actor=actor,
            code="meeting.record_edited",
            target=meeting,
            organization=meeting.organization,
            changes={name: True for name in values},
        )
    return record


def canonical_content(meeting: Meeting) -> dict[str, Any]:
    """Everything the signed documents say, as plain JSON: the fingerprint is its SHA-256."""
    return documents.canonical_content(meeting)


def fingerprint_of(content: dict[str, Any]) -> str:
    return documents.fingerprint_of(content)


def meeting_sign(*, actor: Any, meeting: Meeting, password: str) -> tuple[Meeting, Signature]:
    """Sign the minutes and resolution as chair or as minute-taker, by re-entering the
    password. After both signatures the record is frozen: the content fingerprint is computed,
    the PDF and DOCX are rendered once and kept, and the meeting becomes `signed`."""
    member = Member.objects.filter(user_id=getattr(actor, "pk", 0)).first()
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting,
            (MeetingStatus.CLOSED,),
            _("The minutes can be signed once the meeting is closed."),
        )
        roles = []
        if member is not None and member.pk == meeting.chair_id:
            roles.append(SignerRole.CHAIR)
        if member is not None and member.pk == meeting.minute_taker_id:
            roles.append(SignerRole.MINUTE_TAKER)
        if not roles:
            raise ServiceError(
                _("Only the chair and the minute-taker of this meeting sign its minutes.")
            )
        if not actor.check_password(password):
            raise ServiceError(_("The password is not correct; nothing was signed."))
        signed_roles = set(
            meeting.signatures.filter(addendum__isnull=True).values_list("role", flat=True)
        )
        todo = [role for role in roles if role not in signed_roles]
        if not todo:
            raise ServiceError(_("You have already signed these minutes."))
        if meeting.score_lines.filter(points__isnull=True).exists():
            raise ServiceError(
                _("Some score criteria have no points yet; complete the score before signing.")
            )
        signature = None
        for role in todo:
            assert member is not None  # a role was found for this member above
            signature = Signature.objects.create(
                meeting=meeting, role=role, member=member, user=actor
            )
            audit.record(
                actor=actor,
                code="minutes.signed",
                target=meeting,
                organization=meeting.organization,
                changes={"role": role},
            )
        if signed_roles | set(todo) >= {SignerRole.CHAIR, SignerRole.MINUTE_TAKER}:
            _freeze(meeting, actor=actor)
    assert signature is not None
    return meeting, signature


def signature_withdraw(*, actor: Any, meeting: Meeting, password: str) -> Meeting:
    """Withdraw one's own signature while the other signer has not signed yet (the record
    is not frozen): the minutes can then be corrected and signed again. Password re-entered,
    like signing; the withdrawal is audited."""
    member = Member.objects.filter(user_id=getattr(actor, "pk", 0)).first()
    with transaction.atomic():
        meeting = _lock(meeting)
        _ensure_status(
            meeting,
            (MeetingStatus.CLOSED,),
            _("A signature can be withdrawn only before both have signed."),
        )
        mine = meeting.signatures.filter(addendum__isnull=True, member=member)
        if member is None or not mine.exists():
            raise ServiceError(_("You have not signed these minutes."))
        if not actor.check_password(password):
            raise ServiceError(_("The password is not correct; nothing was changed."))
        roles = list(mine.values_list("role", flat=True))
        mine.delete()
        audit.record(
            actor=actor,
            code="minutes.signature_withdrawn",
            target=meeting,
            organization=meeting.organization,
            changes={"roles": roles},
        )
    return meeting


def _freeze(meeting: Meeting, *, actor: Any) -> None:
    meeting.status = MeetingStatus.SIGNED
    meeting.signed_at = timezone.now()
    meeting.save(update_fields=["status", "signed_at"])
    document_files.freeze(meeting, actor=actor)
    notify_users(
        users=_member_users(meeting.organization),
        code="minutes.signed",
        title=_("The minutes of %(meeting)s of %(date)s are signed")
        % {"meeting": meeting.get_kind_display(), "date": meeting.date.strftime("%d/%m/%Y")},
        url=meeting_url(meeting),
    )


# -- addenda --------------------------------------------------------------------------------


def addendum_create(*, actor: Any, meeting: Meeting, text: str, reason: str) -> Addendum:
    """Propose a correction to signed minutes. The original stays as signed; the addendum
    is signed by the chair and the minute-taker like the minutes."""
    if not text.strip():
        raise ServiceError(_("Write the correction."))
    if not reason.strip():
        raise ServiceError(_("Give the reason for the correction."))
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status != MeetingStatus.SIGNED:
            raise ServiceError(
                _(
                    "Until the minutes are signed, correct the text itself instead of adding an "
                    "addendum."
                )
            )
        if meeting.addenda.filter(frozen_at__isnull=True).exists():
            raise ServiceError(_("An addendum is already waiting for signatures."))
        number = (meeting.addenda.aggregate(last=Max("number"))["last"] or 0) + 1
        addendum = Addendum.objects.create(
            meeting=meeting,
            number=number,
            text=text.strip(),
            reason=reason.strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            code="addendum.created",
            target=addendum,
            organization=meeting.organization,
            note=reason.strip(),
        )
    return addendum


def addendum_sign(*, actor: Any, addendum: Addendum, password: str) -> Addendum:
    """Sign an addendum as the meeting's chair or minute-taker (password re-entered). After
    both signatures it is frozen with its own fingerprint, which chains the minutes'."""
    member = Member.objects.filter(user_id=getattr(actor, "pk", 0)).first()
    with transaction.atomic():
        meeting = _lock(addendum.meeting)
        addendum = Addendum.objects.select_for_update().get(pk=addendum.pk)
        if addendum.frozen_at is not None:
            raise ServiceError(_("This addendum is already signed."))
        roles = []
        if member is not None and member.pk == meeting.chair_id:
            roles.append(SignerRole.CHAIR)
        if member is not None and member.pk == meeting.minute_taker_id:
            roles.append(SignerRole.MINUTE_TAKER)
        if not roles:
            raise ServiceError(
                _("Only the chair and the minute-taker of this meeting sign its minutes.")
            )
        if not actor.check_password(password):
            raise ServiceError(_("The password is not correct; nothing was signed."))
        signed = set(addendum.signatures.values_list("role", flat=True))
        todo = [role for role in roles if role not in signed]
        if not todo:
            raise ServiceError(_("You have already signed this addendum."))
        for role in todo:
            assert member is not None  # a role was found for this member above
            assert member is not None  # a role was found for this member above
            Signature.objects.create(
                meeting=meeting, addendum=addendum, role=role, member=member, user=actor
            )
        audit.record(
            actor=actor,
            code="addendum.signed",
            target=addendum,
            organization=meeting.organization,
            changes={"roles": todo},
        )
        if signed | set(todo) >= {SignerRole.CHAIR, SignerRole.MINUTE_TAKER}:
            addendum.fingerprint = fingerprint_of(
                {
                    "minutes_fingerprint": meeting.record.fingerprint,
                    "number": addendum.number,
                    "text": addendum.text,
                    "reason": addendum.reason,
                    "signers": sorted(
                        f"{row.role}:{row.member_id}" for row in addendum.signatures.all()
                    ),
                }
            )
            addendum.frozen_at = timezone.now()
            addendum.save(update_fields=["fingerprint", "frozen_at"])
            document_files.store_addendum_files(addendum)
            audit.record(
                actor=actor,
                code="addendum.frozen",
                target=addendum,
                organization=meeting.organization,
                changes={"fingerprint": addendum.fingerprint},
            )
    return addendum
