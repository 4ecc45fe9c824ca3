"""Directive reminders (Huey): the cells that have yet to disseminate a directive, near its
deadline and once past it, to the cell's secretary and deputy secretaries, each once per
(delivery, person, kind, day) through notify.services.remind_once. The periodic task calls
the plain function tests call."""

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

from chibo.directives.models import DirectiveDelivery
from chibo.notify.services import remind_once
from chibo.orgs.models import Position, Role

DUE_CODE = "directive.due"
OVERDUE_CODE = "directive.overdue"
# DOMAIN gives no number for these reminders; they are choices of chibo, not rules: a cell
# is reminded each day from this many days before the deadline up to the day itself,
DUE_SOON_DAYS = 7
# and once overdue, the day after the deadline and then every this many days.
OVERDUE_REPEAT_DAYS = 7


def _is_reminder_day(deadline: datetime.date, today: datetime.date) -> bool:
    late = (today - deadline).days
    if late <= 0:
        return -late <= DUE_SOON_DAYS
    return (late - 1) % OVERDUE_REPEAT_DAYS == 0


def remind_directives(*, today: datetime.date | None = None) -> int:
    """Remind the secretaries and deputies of cells with a directive not yet disseminated
    whose deadline is within DUE_SOON_DAYS or past. Returns how many were sent. Two queries
    whatever the number of cells, plus the inserts of remind_once."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    rows = [
        row
        for row in DirectiveDelivery.objects.filter(
            directive__must_disseminate=True,
            directive__disseminate_by__lte=soon,
            disseminated_meeting__isnull=True,
        ).select_related("directive__issuer", "cell")
        if _is_reminder_day(row.directive.disseminate_by, today)  # type: ignore[arg-type]
    ]
    if not rows:
        return 0
    keepers: dict[int, list[Any]] = {}
    for position in (
        Position.objects.current(on=today)
        .filter(
            organization_id__in={row.cell_id for row in rows},
            role__in=(Role.SECRETARY, Role.DEPUTY_SECRETARY),
            member__user__isnull=False,
        )
        .select_related("member__user")
    ):
        keepers.setdefault(position.organization_id, []).append(position.member.user)
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for row in rows:
            directive = row.directive
            deadline = directive.disseminate_by
            assert deadline is not None
            overdue = deadline < today
            values = {
                "number": directive.number_symbol,
                "subject": directive.subject,
                "date": deadline.strftime("%d/%m/%Y"),
            }
            title = (
                _("Directive %(number)s not disseminated, deadline %(date)s passed: %(subject)s")
                if overdue
                else _("Directive %(number)s to disseminate by %(date)s: %(subject)s")
            ) % values
            sent += remind_once(
                users=keepers.get(row.cell_id, []),
                kind=OVERDUE_CODE if overdue else DUE_CODE,
                object_key=f"directive-delivery:{row.pk}",
                day=today,
                title=title,
                body=f"{directive.issuer.name} — {row.cell.name}",
                url=reverse("directives:detail", args=[directive.pk]),
            )
    return sent


@db_periodic_task(crontab(hour="0", minute="45"))  # 07:45 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def remind_directives_daily() -> int:
    return remind_directives()
