"""Notifications: one inbox row per recipient; e-mail and SMS copies by a job, by each
recipient's preference (notify.jobs.deliver). Reminders go through `remind_once`, which sends
each (kind, object, recipient, day) once, whatever runs it twice."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from chibo.core import audit
from chibo.notify import jobs
from chibo.notify.ledger import claim_once
from chibo.notify.models import KindGroup, Notification, NotificationPreference


def notify_users(
    *, users: Iterable[Any], code: str, title: str, body: str = "", url: str = ""
) -> int:
    """Put a notification in each user's inbox (one insert); the other channels follow by a
    job once the transaction commits. Returns how many were sent."""
    rows = [
        Notification(recipient_id=user.pk, code=code, title=title[:300], body=body, url=url)
        for user in {user.pk: user for user in users if user is not None}.values()
    ]
    Notification.objects.bulk_create(rows)
    if rows:
        ids = [row.recipient_id for row in rows]
        transaction.on_commit(lambda: jobs.deliver(code=code, recipient_ids=ids))
    return len(rows)


def remind_once(
    *,
    users: Iterable[Any],
    kind: str,
    object_key: str,
    day: datetime.date,
    title: str,
    body: str = "",
    url: str = "",
) -> int:
    """The one entry point for reminders: notify each user about `object_key` (e.g.
    "meeting:123") unless this reminder `kind` already went to them on `day`. Two jobs, or two
    consumers at once, send it exactly once. Returns how many were sent."""
    users_by_id = {user.pk: user for user in users if user is not None}
    with transaction.atomic():
        fresh = claim_once(kind=kind, object_key=object_key, recipient_ids=users_by_id, day=day)
        return notify_users(
            users=[users_by_id[pk] for pk in fresh], code=kind, title=title, body=body, url=url
        )


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user: Any, choices: dict[str, dict[str, bool]]) -> int:
    """Save the user's own channels per group ({group: {email, sms, digest}}); only groups
    that exist are kept. Returns how many groups were saved."""
    saved = 0
    for group in KindGroup.values:
        if group not in choices:
            continue
        values = {key: bool(choices[group].get(key)) for key in ("email", "sms", "digest")}
        NotificationPreference.objects.update_or_create(
            user=user, group=group, defaults={**values, "updated_at": timezone.now()}
        )
        saved += 1
    audit.record(actor=user, code="notify.preferences_saved", target=user, changes=choices)
    return saved
