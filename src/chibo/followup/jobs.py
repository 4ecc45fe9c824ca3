"""Assignment reminders (Huey): assignments due soon and overdue, to the assignees and the
cell's secretary, each once per (assignment, person, kind, day) through
notify.services.remind_once. The periodic task calls the plain function tests call."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chibo.followup.models import CLOSED_ASSIGNMENT_STATUSES, Assignment
from chibo.notify.services import remind_once
from chibo.orgs.models import Position, Role

DUE_CODE = "assignment.due"
OVERDUE_CODE = "assignment.overdue"
# DOMAIN gives no number for these reminders; they are choices of chibo, not rules: an open
# assignment is reminded each day from this many days before its deadline up to the day itself,
DUE_SOON_DAYS = 3
# and once overdue, the day after its deadline and then every this many days.
OVERDUE_REPEAT_DAYS = 7


def _is_overdue_reminder_day(due: datetime.date, today: datetime.date) -> bool:
    late = (today - due).days
    return late >= 1 and (late - 1) % OVERDUE_REPEAT_DAYS == 0


def remind_assignments(*, today: datetime.date | None = None) -> int:
    """Remind the assignees (their own list) and the cell's secretary (the cell's list) of
    open assignments due within DUE_SOON_DAYS and of overdue ones. Returns how many were sent.
    A bounded number of queries, plus the inserts of remind_once."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    rows = [
        row
        for row in Assignment.objects.exclude(status__in=CLOSED_ASSIGNMENT_STATUSES)
        .filter(due_date__lte=soon)
        .select_related("organization")
        .prefetch_related("members__user")
        if row.due_date >= today or _is_overdue_reminder_day(row.due_date, today)
    ]
    if not rows:
        return 0
    secretaries: dict[int, list[Any]] = {}
    for position in (
        Position.objects.current(on=today)
        .filter(organization_id__in={row.organization_id for row in rows}, role=Role.SECRETARY)
        .select_related("member__user")
    ):
        if position.member.user_id:
            secretaries.setdefault(position.organization_id, []).append(position.member.user)
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for row in rows:
            overdue = row.due_date < today
            values = {"title": row.title, "date": row.due_date.strftime("%d/%m/%Y")}
            title = (
                _("Overdue assignment: %(title)s (deadline %(date)s)")
                if overdue
                else _("Assignment due on %(date)s: %(title)s")
            ) % values
            common: dict[str, Any] = {
                "kind": OVERDUE_CODE if overdue else DUE_CODE,
                "object_key": f"assignment:{row.pk}",
                "day": today,
                "title": title,
                "body": row.organization.name,
            }
            assignees = [m.user for m in row.members.all() if m.user_id]
            sent += remind_once(users=assignees, url=reverse("followup:mine"), **common)
            others = [u for u in secretaries.get(row.organization_id, []) if u not in assignees]
            sent += remind_once(
                users=others, url=reverse("followup:cell", args=[row.organization_id]), **common
            )
    return sent


@db_periodic_task(crontab(hour="0", minute="40"))  # 07:40 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def remind_assignments_daily() -> int:
    return remind_assignments()
