"""Assignments (phân công nhiệm vụ) a meeting hands to named members (DOMAIN §1.4 step 8).

Never called `Task`: that word is kept for background jobs (GLOSSARY)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AssignmentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assignment status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("assignment status", "In progress")
    DONE = "done", pgettext_lazy("assignment status", "Done")
    NOT_DONE = "not_done", pgettext_lazy("assignment status", "Not done")
    CANCELLED = "cancelled", pgettext_lazy("assignment status", "Cancelled")


CLOSED_ASSIGNMENT_STATUSES = frozenset(
    {AssignmentStatus.DONE, AssignmentStatus.NOT_DONE, AssignmentStatus.CANCELLED}
)


class Assignment(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="assignments"
    )
    source_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("assigned at"),
    )
    title = models.CharField(_("assignment"), max_length=300)
    members = models.ManyToManyField(
        "members.Member", related_name="assignments", verbose_name=_("assigned to")
    )
    due_date = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.OPEN,
        db_index=True,
    )
    progress = models.TextField(_("progress"), blank=True)
    # The meeting where the result was reviewed (the next month's step 7).
    reviewed_at = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_assignments",
    )
    client_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["organization", "due_date"], name="assignment_org_due_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.status not in CLOSED_ASSIGNMENT_STATUSES and self.due_date < timezone.localdate()
        )
