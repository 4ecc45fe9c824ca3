"""Policy and schedule: the cell's meeting policy, the generated months, meetings scheduled,
moved or cancelled by hand."""

from __future__ import annotations

import calendar as month_calendar
import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit, calendar, rules
from chibo.core.dates import add_months
from chibo.core.errors import ServiceError
from chibo.core.signals import send_meetings_changed, send_subtree_changed
from chibo.meetings.models import (
    EDITABLE_STATUSES,
    Meeting,
    MeetingKind,
    MeetingPolicy,
    MeetingStatus,
    NonWorkingDayShift,
)
from chibo.meetings.services._base import (
    meeting_change,
    meeting_url,
    member_users,
    rollup_period,
    upper_level_users,
)
from chibo.notify.services import notify_users
from chibo.orgs.models import CELL_KINDS, Organization

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
        # The day meetings are due changed for every cell under it (the rollups' "held late").
        send_subtree_changed([organization.pk])
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
        months_by_cell: dict[int, set[datetime.date | None]] = {}
        for row in new_rows:
            months_by_cell.setdefault(row.organization_id, set()).add(rollup_period(row))
        for cell_id, months in months_by_cell.items():
            send_meetings_changed(cell_id, months)
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
            send_meetings_changed(organization.pk, [rollup_period(meeting)])
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
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.rescheduled",
        allowed=EDITABLE_STATUSES,
        message=_("Only a meeting that has not started can be moved."),
    ) as change:
        meeting = change.meeting
        before = audit.snapshot(meeting, ("date", "time", "place"))
        meeting.date, meeting.time, meeting.place = date, time, place
        meeting.updated_at = timezone.now()
        meeting.version = F("version") + 1
        meeting.save(update_fields=["date", "time", "place", "updated_at", "version"])
        meeting.refresh_from_db()
        change.changes = audit.changes_between(
            before, audit.snapshot(meeting, ("date", "time", "place"))
        )
        change.note = reason.strip()
        notify_users(
            users=member_users(meeting.organization) + upper_level_users(meeting.organization),
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
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.cancelled",
        allowed=EDITABLE_STATUSES,
        message=_("Only a meeting that has not started can be cancelled."),
    ) as change:
        meeting = change.meeting
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancel_reason = reason.strip()
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=["status", "cancel_reason", "updated_at"])
        change.note = reason.strip()
        notify_users(
            users=member_users(meeting.organization) + upper_level_users(meeting.organization),
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
