"""Fetch notifications with a permission check: a notification belongs to its recipient;
anyone else's answers 404 (it does not exist for them)."""

from __future__ import annotations

from typing import Any

from chibo.core.scope import not_found
from chibo.notify.models import Notification


def get_notification_for_user(user: Any, pk: int) -> Notification:
    notification = Notification.objects.filter(pk=pk, recipient_id=user.pk).first()
    if notification is None:
        raise not_found()
    return notification


def inbox_of(user: Any):
    """The user's notifications, newest first (the model's order)."""
    return Notification.objects.filter(recipient_id=user.pk)
