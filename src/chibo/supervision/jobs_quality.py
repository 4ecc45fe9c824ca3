"""Perfunctory-meeting detection every night (Huey): the periodic task calls the plain service
tests call. Detection looks at meetings of the last two months (a meeting may be signed weeks
after it was held); flags are raised once (unique per meeting, kind and part)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chibo.supervision.services_quality import detect_perfunctory

RECENT_DAYS = 62


def detect_recent(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return detect_perfunctory(since=today - datetime.timedelta(days=RECENT_DAYS), today=today)


@db_periodic_task(crontab(hour="20", minute="20"))  # 03:20 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def detect_perfunctory_daily() -> int:
    return detect_recent()
