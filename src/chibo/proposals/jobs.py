"""Proposal reminders (Huey): open proposals nearing their level's deadline and overdue ones,
to the keepers of the unit holding them and to their handler, each once per (proposal,
person, kind, day) through notify.services.remind_once. The periodic task calls the plain
function the tests call."""

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

from chibo.core.calendar import add_working_days
from chibo.notify.services import remind_once
from chibo.orgs.models import MANAGING_ROLES, Position
from chibo.proposals.models import OPEN_STATUSES, Proposal

DUE_CODE = "proposal.due"
OVERDUE_CODE = "proposal.overdue"
# No regulation sets these reminders; they are chibo's choices, not rules: an open proposal is
# reminded each day from this many working days before its level's deadline up to the day
# itself,
DUE_SOON_WORKING_DAYS = 3
# and once overdue, the day after the deadline and then every this many days, so that a level
# that cannot answer yet is not told every morning.
OVERDUE_REPEAT_DAYS = 7


def _is_overdue_reminder_day(due: datetime.date, today: datetime.date) -> bool:
    late = (today - due).days
    return late >= 1 and (late - 1) % OVERDUE_REPEAT_DAYS == 0


def remind_proposals(*, today: datetime.date | None = None) -> int:
    """Remind the keepers of the holding unit and the handler of open proposals due within
    DUE_SOON_WORKING_DAYS working days, and of overdue ones. Returns how many were sent.
    A bounded number of queries, plus the inserts of remind_once."""
    today = today or timezone.localdate()
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    rows = [
        row
        for row in Proposal.objects.filter(status__in=OPEN_STATUSES, due_on__lte=soon)
        .select_related("level", "handler__user")
        .order_by("due_on", "id")
        if row.due_on >= today or _is_overdue_reminder_day(row.due_on, today)
    ]
    if not rows:
        return 0
    keepers: dict[int, list[Any]] = {}
    for position in (
        Position.objects.current(on=today)
        .filter(
            organization_id__in={row.level_id for row in rows},
            role__in=MANAGING_ROLES,
            member__user__isnull=False,
        )
        .select_related("member__user")
    ):
        keepers.setdefault(position.organization_id, []).append(position.member.user)
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for row in rows:
            overdue = row.due_on < today
            values = {"title": row.title, "date": row.due_on.strftime("%d/%m/%Y")}
            title = (
                _("Overdue proposal: %(title)s (deadline %(date)s)")
                if overdue
                else _("Proposal to answer by %(date)s: %(title)s")
            ) % values
            users = list(keepers.get(row.level_id, []))
            if row.handler is not None and row.handler.user_id:
                users.append(row.handler.user)
            sent += remind_once(
                users=users,
                kind=OVERDUE_CODE if overdue else DUE_CODE,
                object_key=f"proposal:{row.pk}",
                day=today,
                title=title,
                body=row.level.name,
                url=reverse("proposals:detail", args=[row.pk]),
            )
    return sent


@db_periodic_task(crontab(hour="0", minute="45"))  # 07:45 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def remind_proposals_daily() -> int:
    return remind_proposals()
