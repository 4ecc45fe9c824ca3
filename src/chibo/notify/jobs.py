"""E-mail copies of notifications, sent outside the request (Huey)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from huey.contrib.djhuey import db_task

from chibo.notify.models import Notification


@db_task()
def send_email_copies(*, code: str, recipient_ids: list[int]) -> int:
    """Mail the newest unsent notification with `code` to each recipient that has an address.
    The address and the text are never logged."""
    sent = 0
    rows = (
        Notification.objects.filter(
            code=code, recipient_id__in=recipient_ids, emailed_at__isnull=True
        )
        .exclude(recipient__email="")
        .select_related("recipient")
    )
    for row in rows:
        send_mail(
            row.title,
            f"{row.body}\n\n{settings.CHIBO_BASE_URL}{row.url}".strip(),
            None,
            [row.recipient.email],
        )
        row.emailed_at = timezone.now()
        row.save(update_fields=["emailed_at"])
        sent += 1
    return sent
