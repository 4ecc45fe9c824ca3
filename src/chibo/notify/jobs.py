"""Delivery of notifications outside the request (Huey): the e-mail and SMS copies by each
recipient's preference, and the daily digest. Addresses, numbers and texts are never logged.

The tasks call plain functions that tests call directly."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from chibo.core import jobs_recovery
from chibo.members.models import Member
from chibo.notify import ledger, selectors, sms
from chibo.notify.models import Notification, group_of

logger = logging.getLogger(__name__)

DIGEST_KIND = "notify.digest"
# An SMS is one short message: the title and the link, cut to this many characters.
SMS_MAX_CHARS = 300


def absolute_url(url: str) -> str:
    """Links in e-mails and SMS point to the configured public address."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.CHIBO_BASE_URL.rstrip("/") + url


def deliver_now(*, code: str, recipient_ids: list[int]) -> dict[str, int]:
    """Send the e-mail and SMS copies of the newest undelivered notifications with `code` to
    the given recipients, by their preferences for its group; mark them delivered so a retried
    job sends nothing twice. Digest users get their e-mail in the daily digest instead."""
    sent = {"email": 0, "sms": 0}
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update()
            .filter(code=code, recipient_id__in=recipient_ids, delivered_at__isnull=True)
            .select_related("recipient")
        )
        if not rows:
            return sent
        channels = selectors.preferences_for([row.recipient_id for row in rows], group_of(code))
        phones = dict(
            Member.objects.filter(user_id__in=[row.recipient_id for row in rows])
            .exclude(phone="")
            .values_list("user_id", "phone")
        )
        gateway = sms.get_gateway() if any(c.sms for c in channels.values()) else None
        now = timezone.now()
        for row in rows:
            chosen = channels[row.recipient_id]
            link = absolute_url(row.url)
            if chosen.email and not chosen.digest and row.recipient.email and email_enabled():
                send_mail(row.title, f"{row.body}\n\n{link}".strip(), None, [row.recipient.email])
                row.emailed_at = now
                sent["email"] += 1
            phone = phones.get(row.recipient_id)
            if chosen.sms and phone and gateway is not None:
                try:
                    gateway.send(phone, f"{row.title} {link}".strip()[:SMS_MAX_CHARS])
                    sent["sms"] += 1
                except sms.SmsError as error:
                    logger.warning("sms for notification %s not sent: %s", row.pk, error)
            row.delivered_at = now
        Notification.objects.bulk_update(rows, ["emailed_at", "delivered_at"])
    return sent


def email_enabled() -> bool:
    return bool(getattr(settings, "EMAIL_ENABLED", False))


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def send_digests(*, today: datetime.date | None = None) -> int:
    """One e-mail per digest user listing the day's unread notifications that were not
    e-mailed (and the previous day's that came after its digest), with their links; once per
    user per day (the reminder ledger's unique key). Returns how many digests were sent."""
    if not email_enabled():
        return 0
    today = today or timezone.localdate()
    # The day's notifications and the previous day's (those that came after its digest); a
    # notification in a digest is marked e-mailed, so none comes twice.
    start = _day_bounds(today - datetime.timedelta(days=1))[0]
    end = _day_bounds(today)[1]
    pending = list(
        Notification.objects.filter(
            created_at__gte=start, created_at__lt=end, read_at__isnull=True, emailed_at__isnull=True
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("created_at", "id")
    )
    by_group: dict[str, set[int]] = {}
    for row in pending:
        by_group.setdefault(group_of(row.code), set()).add(row.recipient_id)
    wanted = {
        (group, pk)
        for group, ids in by_group.items()
        for pk, chosen in selectors.preferences_for(ids, group).items()
        if chosen.email and chosen.digest
    }
    per_user: dict[int, list[Notification]] = {}
    for row in pending:
        if (group_of(row.code), row.recipient_id) in wanted:
            per_user.setdefault(row.recipient_id, []).append(row)
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for pk, rows in per_user.items():
            with transaction.atomic():
                if not ledger.claim_once(
                    kind=DIGEST_KIND, object_key="digest", recipient_ids=[pk], day=today
                ):
                    continue
                lines = [f"- {row.title}\n  {absolute_url(row.url)}".rstrip() for row in rows]
                send_mail(
                    _("chibo: your notifications of %(date)s")
                    % {"date": today.strftime("%d/%m/%Y")},
                    "\n".join(lines),
                    None,
                    [rows[0].recipient.email],
                )
                Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
                    emailed_at=timezone.now()
                )
                sent += 1
    return sent


@db_task()
def deliver(*, code: str, recipient_ids: list[int]) -> dict[str, int]:
    return deliver_now(code=code, recipient_ids=recipient_ids)


@db_periodic_task(crontab(hour="11", minute="0"))  # 18:00 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def send_digests_daily() -> int:
    return send_digests()


# Notifications older than this are not delivered late by the recovery: the digest covers the
# e-mail, and an SMS a day late is noise.
LATE_DELIVERY_LIMIT = datetime.timedelta(days=1)


def deliver_left(*, now: datetime.datetime | None = None) -> int:
    """Queue the delivery of the notifications a stopped consumer did not deliver (created
    between a day and the stale limit ago, still undelivered); `deliver_now` marks each row
    delivered, so a notification is never sent twice. Returns how many tasks it queued."""
    now = now or timezone.now()
    left = Notification.objects.filter(
        delivered_at__isnull=True,
        created_at__gte=now - LATE_DELIVERY_LIMIT,
        created_at__lt=now - datetime.timedelta(seconds=jobs_recovery.stale_seconds()),
    ).values_list("code", "recipient_id")
    by_code: dict[str, set[int]] = {}
    for code, recipient_id in left:
        by_code.setdefault(code, set()).add(recipient_id)
    for code, recipients in by_code.items():
        deliver(code=code, recipient_ids=sorted(recipients))
    return len(by_code)


jobs_recovery.register_sweep("notify_delivery", deliver_left)
