"""Notifications: one inbox row per recipient; an e-mail copy by a job where e-mail is
configured (CHIBO_EMAIL_HOST) and the user has an address."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chibo.notify import jobs
from chibo.notify.models import Notification


def notify_users(
    *, users: Iterable[Any], code: str, title: str, body: str = "", url: str = ""
) -> int:
    """Put a notification in each user's inbox (one insert). Returns how many were sent."""
    rows = [
        Notification(recipient_id=user.pk, code=code, title=title[:300], body=body, url=url)
        for user in {user.pk: user for user in users if user is not None}.values()
    ]
    Notification.objects.bulk_create(rows)
    if rows and getattr(settings, "EMAIL_ENABLED", False):
        ids = [row.recipient_id for row in rows]
        transaction.on_commit(lambda: jobs.send_email_copies(code=code, recipient_ids=ids))
    return len(rows)


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
