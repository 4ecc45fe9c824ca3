"""Meeting jobs (Huey): generate the coming months' regular meetings, remind secretaries of
meetings that should already be published (daily), and store the signed files of meetings
frozen in bulk (enqueued by seed_demo: rendering ~1,500 PDFs takes minutes).

The periodic tasks only find ids and call the plain functions below, which tests call
directly (Huey is not immediate in tests)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from chibo.core import rules
from chibo.meetings import services
from chibo.meetings.documents import files as document_files
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.notify.models import Notification
from chibo.notify.services import notify_users
from chibo.orgs.models import Organization, Position, Role

REMINDER_CODE = "meeting.publish_reminder"
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


def remind_unpublished(*, today: datetime.date | None = None) -> int:
    """Notify the secretary and deputies of each cell whose next meeting is still unpublished
    when the notice deadline (rule meeting.notice_days_before, DOMAIN R1.12) is a day away or
    past. At most one reminder per meeting per person per day. Returns how many were sent."""
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
    secretaries: dict[int, list] = {}
    for position in (
        Position.objects.current(on=today)
        .filter(
            organization_id__in={m.organization_id for m, _day in due}, role__in=SECRETARY_ROLES
        )
        .select_related("member__user")
    ):
        if position.member.user_id:
            secretaries.setdefault(position.organization_id, []).append(position.member.user)
    start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    already = set(
        Notification.objects.filter(code=REMINDER_CODE, created_at__gte=start_of_day)
        .filter(url__in=[services.meeting_url(m) for m, _day in due])
        .values_list("recipient_id", "url")
    )
    sent = 0
    # Jobs run outside a request: write in the site's language.
    with override(settings.LANGUAGE_CODE):
        for meeting, deadline in due:
            url = services.meeting_url(meeting)
            users = [
                user
                for user in secretaries.get(meeting.organization_id, [])
                if (user.pk, url) not in already
            ]
            if not users:
                continue
            sent += notify_users(
                users=users,
                code=REMINDER_CODE,
                title=_("Publish the meeting of %(date)s: members must be notified by %(deadline)s")
                % {
                    "date": meeting.date.strftime("%d/%m/%Y"),
                    "deadline": deadline.strftime("%d/%m/%Y"),
                },
                body=_("%(meeting)s of %(cell)s is not published yet.")
                % {"meeting": meeting.get_kind_display(), "cell": meeting.organization.name},
                url=url,
            )
    return sent


@db_periodic_task(crontab(hour="19", minute="10"))  # 02:10 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def generate_meetings_daily() -> int:
    return generate_for_roots()


@db_periodic_task(crontab(hour="0", minute="30"))  # 07:30 in Asia/Ho_Chi_Minh
def remind_unpublished_daily() -> int:
    return remind_unpublished()


@db_task()
def store_signed_files(meeting_ids: list[int]) -> int:
    """Render and store the signed files the given signed meetings do not have yet."""
    return document_files.signed_files_store(meeting_ids=meeting_ids, actor=None)
