"""Recommendation reminders (Huey): the keepers of the unit a recommendation is addressed to
are reminded each day of the week before its deadline and, once it is overdue, every week,
each once per (recommendation, person, kind, day) through notify.services.remind_once. The
periodic task calls the plain function tests call."""

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

from chibo.notify.services import remind_once
from chibo.orgs.models import MANAGING_ROLES, Position
from chibo.supervision.models import Recommendation, RecommendationStatus

DUE_CODE = "inspection.recommendation_due"
OVERDUE_CODE = "inspection.recommendation_overdue"
# DOMAIN gives no number for these reminders; they are choices of chibo, as for directives:
# each day from this many days before the deadline up to the day itself,
DUE_SOON_DAYS = 7
# and once overdue, the day after the deadline and then every this many days.
OVERDUE_REPEAT_DAYS = 7


def is_reminder_day(deadline: datetime.date, today: datetime.date) -> bool:
    late = (today - deadline).days
    if late <= 0:
        return -late <= DUE_SOON_DAYS
    return (late - 1) % OVERDUE_REPEAT_DAYS == 0


def remind_recommendations(*, today: datetime.date | None = None) -> int:
    """Remind the keepers of the units with an open recommendation (sent back ones are open
    again) due within DUE_SOON_DAYS or overdue. Returns how many were sent."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    rows = [
        row
        for row in Recommendation.objects.filter(
            status=RecommendationStatus.OPEN, due_on__lte=soon
        ).select_related("addressee", "inspection__committee")
        if is_reminder_day(row.due_on, today)
    ]
    if not rows:
        return 0
    keepers: dict[int, list[Any]] = {}
    for position in (
        Position.objects.current(on=today)
        .filter(
            organization_id__in={row.addressee_id for row in rows},
            role__in=MANAGING_ROLES,
            member__user__isnull=False,
        )
        .select_related("member__user")
    ):
        keepers.setdefault(position.organization_id, []).append(position.member.user)
    sent = 0
    url = reverse("supervision:recommendations")
    with override(settings.LANGUAGE_CODE):
        for row in rows:
            overdue = row.due_on < today
            values = {
                "committee": row.inspection.committee.name,
                "date": row.due_on.strftime("%d/%m/%Y"),
            }
            title = (
                _("A recommendation of %(committee)s is overdue since %(date)s")
                if overdue
                else _("A recommendation of %(committee)s is due by %(date)s")
            ) % values
            sent += remind_once(
                users=keepers.get(row.addressee_id, []),
                kind=OVERDUE_CODE if overdue else DUE_CODE,
                object_key=f"recommendation:{row.pk}",
                day=today,
                title=title,
                body=row.text,
                url=url,
            )
    return sent


@db_periodic_task(crontab(hour="0", minute="50"))  # 07:50 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def remind_recommendations_daily() -> int:
    return remind_recommendations()
