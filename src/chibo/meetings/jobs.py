"""Meeting jobs (Huey): generate the coming months' regular meetings, remind secretaries of
meetings that should already be published (daily), and store the signed files of meetings
frozen in bulk (enqueued by seed_demo: rendering ~1,500 PDFs takes minutes).

The periodic tasks only find ids and call the plain functions below, which tests call
directly. Reminders go through notify.services.remind_once, once per (object, recipient,
kind, day) whatever runs the job twice."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from chibo.core import jobs_recovery, rules
from chibo.core.dates import add_months
from chibo.meetings import services
from chibo.meetings.documents import files as document_files
from chibo.meetings.models import Meeting, MeetingKind, MeetingStatus
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.notify.services import remind_once
from chibo.orgs.models import CELL_KINDS, Organization, Position, Role
from chibo.orgs.selectors import followers_of

REMINDER_CODE = "meeting.publish_reminder"
UPCOMING_CODE = "meeting.upcoming"
UNSCHEDULED_CODE = "meeting.unscheduled"
# DOMAIN gives no number for these reminders; they are choices of chibo, not rules:
# members and the upper-level member are reminded of a published meeting the day before and
# on its day,
UPCOMING_DAYS_BEFORE = 1
# and secretaries of a next month without a regular meeting from this day of the month.
UNSCHEDULED_FROM_DAY = 20
# Roles reminded to publish their cell's meeting.
SECRETARY_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY)
# Reminders start this many days before the notice deadline.
REMIND_DAYS_BEFORE_DEADLINE = 1


def generate_for_roots(*, today: datetime.date | None = None) -> int:
    """Run meetings_generate for every root organization; returns how many were created."""
    created = 0
    for root in Organization.objects.get_root_nodes():
        created += services.meetings_generate(actor=None, organization=root, today=today)
    return created


def _secretary_users(cell_ids: set[int], today: datetime.date) -> dict[int, list[Any]]:
    """The users of each cell's secretary and deputies (one query)."""
    secretaries: dict[int, list[Any]] = {}
    for position in (
        Position.objects.current(on=today)
        .filter(organization_id__in=cell_ids, role__in=SECRETARY_ROLES)
        .select_related("member__user")
    ):
        if position.member.user_id:
            secretaries.setdefault(position.organization_id, []).append(position.member.user)
    return secretaries


def remind_unpublished(*, today: datetime.date | None = None) -> int:
    """Notify the secretary and deputies of each cell whose next meeting is still unpublished
    when the notice deadline (rule meeting.notice_days_before, DOMAIN R1.12) is a day away or
    past. One reminder per meeting per person per day (notify.services.remind_once). Returns
    how many were sent."""
    today = today or timezone.localdate()
    # The longest notice any organization may ask is not known here; a month bounds it.
    candidates = list(
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED,
            date__gte=today,
            date__lte=today + datetime.timedelta(days=31),
        ).select_related("organization")
    )
    due: list[tuple[Meeting, datetime.date]] = []
    for meeting in candidates:
        rule = rules.rule_in_force(
            "meeting.notice_days_before", organization=meeting.organization, on=meeting.date
        )
        deadline = meeting.date - datetime.timedelta(days=rule.value)
        if today >= deadline - datetime.timedelta(days=REMIND_DAYS_BEFORE_DEADLINE):
            due.append((meeting, deadline))
    if not due:
        return 0
    secretaries = _secretary_users({m.organization_id for m, _day in due}, today)
    sent = 0
    # Jobs run outside a request: write in the site's language.
    with override(settings.LANGUAGE_CODE):
        for meeting, deadline in due:
            sent += remind_once(
                users=secretaries.get(meeting.organization_id, []),
                kind=REMINDER_CODE,
                object_key=f"meeting:{meeting.pk}",
                day=today,
                title=_("Publish the meeting of %(date)s: members must be notified by %(deadline)s")
                % {
                    "date": meeting.date.strftime("%d/%m/%Y"),
                    "deadline": deadline.strftime("%d/%m/%Y"),
                },
                body=_("%(meeting)s of %(cell)s is not published yet.")
                % {"meeting": meeting.get_kind_display(), "cell": meeting.organization.name},
                url=services.meeting_url(meeting),
            )
    return sent


def remind_upcoming(*, today: datetime.date | None = None) -> int:
    """Remind the cell's members and the upper-level member(s) following the cell of a
    published meeting, from UPCOMING_DAYS_BEFORE days ahead to its day; once per meeting,
    person and day.
    Returns how many were sent. A bounded number of queries, plus one insert per meeting."""
    today = today or timezone.localdate()
    meetings = list(
        Meeting.objects.filter(
            status=MeetingStatus.PREPARED,
            date__gte=today,
            date__lte=today + datetime.timedelta(days=UPCOMING_DAYS_BEFORE),
        ).select_related("organization")
    )
    if not meetings:
        return 0
    cells = list({m.organization_id: m.organization for m in meetings}.values())
    members: dict[int, list[Any]] = {}
    for member in Member.objects.filter(
        cell__in=cells, status__in=ACTIVE_STATUSES, user__isnull=False
    ).select_related("user"):
        members.setdefault(member.cell_id, []).append(member.user)
    followers = followers_of(cells)
    follower_users = {
        m.pk: m.user
        for m in Member.objects.filter(
            pk__in={pk for ids in followers.values() for pk in ids}, user__isnull=False
        ).select_related("user")
    }
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for meeting in meetings:
            cell = meeting.organization
            upper = [follower_users[pk] for pk in followers[cell.pk] if pk in follower_users]
            sent += remind_once(
                users=members.get(cell.pk, []) + upper,
                kind=UPCOMING_CODE,
                object_key=f"meeting:{meeting.pk}",
                day=today,
                title=_("Meeting of %(cell)s on %(date)s at %(time)s")
                % {
                    "cell": cell.name,
                    "date": meeting.date.strftime("%d/%m/%Y"),
                    "time": meeting.time.strftime("%H:%M"),
                },
                body=_("%(meeting)s: %(place)s")
                % {"meeting": meeting.get_kind_display(), "place": meeting.place or cell.address},
                url=services.meeting_url(meeting),
            )
    return sent


def remind_unscheduled(*, today: datetime.date | None = None) -> int:
    """From day UNSCHEDULED_FROM_DAY of a month, remind the secretary and deputies of each
    active cell with no regular meeting in the next month (none generated, or all cancelled);
    once per cell, month, person and day. Returns how many were sent."""
    today = today or timezone.localdate()
    if today.day < UNSCHEDULED_FROM_DAY:
        return 0
    first = add_months(today.replace(day=1), 1)
    last = add_months(first, 1) - datetime.timedelta(days=1)
    cells = list(
        Organization.objects.filter(kind__in=CELL_KINDS, active_from__lte=last)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
        .exclude(
            pk__in=Meeting.objects.filter(kind=MeetingKind.REGULAR, date__gte=first, date__lte=last)
            .exclude(status=MeetingStatus.CANCELLED)
            .values("organization_id")
        )
    )
    if not cells:
        return 0
    secretaries = _secretary_users({cell.pk for cell in cells}, today)
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for cell in cells:
            sent += remind_once(
                users=secretaries.get(cell.pk, []),
                kind=UNSCHEDULED_CODE,
                object_key=f"cell:{cell.pk}:{first:%Y-%m}",
                day=today,
                title=_("No regular meeting of %(cell)s is scheduled for %(month)s")
                % {"cell": cell.name, "month": first.strftime("%m/%Y")},
                body=_("Schedule the meeting and publish it before the notice deadline."),
                url=reverse("meetings:cell_meetings", args=[cell.pk]),
            )
    return sent


def remind_all(*, today: datetime.date | None = None) -> int:
    """Every meeting reminder of the day (the daily job; the demo runs it after seeding)."""
    return (
        remind_upcoming(today=today)
        + remind_unpublished(today=today)
        + remind_unscheduled(today=today)
    )


@db_periodic_task(crontab(hour="19", minute="10"))  # 02:10 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def generate_meetings_daily() -> int:
    return generate_for_roots()


@db_periodic_task(crontab(hour="0", minute="30"))  # 07:30 in Asia/Ho_Chi_Minh
def remind_meetings_daily() -> int:
    return remind_all()


@db_task()
def store_signed_files(meeting_ids: list[int]) -> int:
    """Render and store the signed files the given signed meetings do not have yet."""
    return document_files.signed_files_store(meeting_ids=meeting_ids, actor=None)


def store_signed_files_left() -> int:
    """Queue the storing of the signed files that signed meetings still lack (a consumer
    stopped in the middle of `store_signed_files`); returns how many tasks it queued."""
    missing = document_files.meetings_without_files()
    if not missing:
        return 0
    store_signed_files(missing)
    return 1


jobs_recovery.register_sweep("signed_files", store_signed_files_left, task=store_signed_files)
