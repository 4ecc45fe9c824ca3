"""The in-app inbox, each user's channel preferences, and the ledger of reminders that makes
each reminder go out exactly once. Each notification is for one user; e-mail and SMS copies go
out by a job, by the recipient's preference for the notification's group."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    code = models.CharField(max_length=64)  # e.g. "meeting.published"
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When the delivery job handled its e-mail/SMS copies (a retried job skips it).
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]


class KindGroup(models.TextChoices):
    """The kinds of message a user sets channels for. A notification's group comes from the
    first part of its code ("meeting.published" → meetings); see `group_of`."""

    MEETINGS = "meetings", _("Meetings and their reminders")
    ASSIGNMENTS = "assignments", _("Assignments and their deadlines")
    DIRECTIVES = "directives", _("Directives from the upper level")
    PROPOSALS = "proposals", _("Proposals and their answers")
    OTHER = "other", _("Other notifications")


# The first part of a notification code → its group. A new kind adds a prefix here and, if it
# needs its own settings, a group above.
GROUP_OF_PREFIX = {
    "meeting": KindGroup.MEETINGS,
    "assignment": KindGroup.ASSIGNMENTS,
    "directive": KindGroup.DIRECTIVES,
    "proposal": KindGroup.PROPOSALS,
    "inspection": KindGroup.OTHER,
    "visit": KindGroup.MEETINGS,
}


def group_of(code: str) -> str:
    return GROUP_OF_PREFIX.get(code.partition(".")[0], KindGroup.OTHER)


class NotificationPreference(models.Model):
    """A user's channels for one group. Without a row the defaults apply (see
    notify.selectors.preferences_for): e-mail where the user has an address, no SMS, the daily
    digest for upper-level committee members. The inbox always receives everything."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    group = models.CharField(_("kind of message"), max_length=32, choices=KindGroup.choices)
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    digest = models.BooleanField(_("one daily digest e-mail instead"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="notification_pref_unique")
        ]


class Reminder(models.Model):
    """One reminder sent: the database key (kind, object, recipient, day) is unique, so a job run
    twice, or by two consumers at once, sends each reminder once (notify.services.remind_once)."""

    kind = models.CharField(max_length=64)  # e.g. "meeting.upcoming"
    object_key = models.CharField(max_length=100)  # e.g. "meeting:123"
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient", "day"], name="reminder_once_per_day"
            )
        ]
