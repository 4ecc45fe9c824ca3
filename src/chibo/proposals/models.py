"""Proposals (kiến nghị, đề xuất) raised in a cell — a member's own or relayed from citizens —
and carried up the Party's levels until one answers them (issue 10, bottom up).

A proposal is held by one unit at a time (`level`): the cell where it was raised, then each
committee it is escalated to, up to the province. Every level has its own deadline in working
days (the rule "proposal.deadline_working_days"). The steps keep the whole history, for the
raiser and the cell to read."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProposalSource(models.TextChoices):
    OWN = "own", _("The member's own proposal")
    CITIZENS = "citizens", _("Relayed from citizens")


class ProposalTopic(models.TextChoices):
    LAND = "land", _("Land and construction")
    ENVIRONMENT = "environment", _("Environment and sanitation")
    SECURITY = "security", _("Security and order")
    SOCIAL_POLICY = "social_policy", _("Social policy")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    ADMINISTRATION = "administration", _("Administrative procedures")
    PARTY_WORK = "party_work", _("Party work")
    OTHER = "other", _("Other")


class ProposalStatus(models.TextChoices):
    AT_CELL = "at_cell", pgettext_lazy("proposal status", "At the cell")
    ESCALATED = "escalated", pgettext_lazy("proposal status", "Escalated")
    HANDED_OFF = "handed_off", pgettext_lazy("proposal status", "Handed to a government body")
    ANSWERED = "answered", pgettext_lazy("proposal status", "Answered")
    CLOSED = "closed", pgettext_lazy("proposal status", "Reported back, closed")


# Waiting for an answer at the level holding it.
OPEN_STATUSES = frozenset(
    {ProposalStatus.AT_CELL, ProposalStatus.ESCALATED, ProposalStatus.HANDED_OFF}
)


class Proposal(models.Model):
    cell = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="proposals_raised"
    )
    raised_by = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("raised by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(
        _("source"), max_length=16, choices=ProposalSource.choices, default=ProposalSource.OWN
    )
    citizen_name = models.CharField(_("citizens (who)"), max_length=200, blank=True)
    citizen_place = models.CharField(_("where"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=32, choices=ProposalTopic.choices)
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"))
    raised_at_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals_raised",
        verbose_name=_("raised at the meeting"),
    )
    raised_on = models.DateField(_("raised on"))
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.AT_CELL
    )
    # The unit holding the proposal now, and its deadline there.
    level = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="proposals_held"
    )
    arrived_on = models.DateField()
    due_on = models.DateField(_("deadline at this level"))
    handler = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals_handled",
        verbose_name=_("handler"),
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by_unit = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_answered",
    )
    reported_back_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals_reported_back",
    )
    reported_back_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-raised_on", "-id"]
        indexes = [
            models.Index(fields=["level", "status"], name="proposal_level_status_idx"),
            models.Index(fields=["cell", "status"], name="proposal_cell_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.is_open and self.due_on < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class StepKind(models.TextChoices):
    RAISED = "raised", pgettext_lazy("proposal step", "Raised")
    ESCALATED = "escalated", _("Escalated")
    HANDLER_ASSIGNED = "handler_assigned", _("Handler assigned")
    ANSWERED = "answered", _("Answered")
    HANDED_OFF = "handed_off", _("Handed to a government body")
    OUTSIDE_ANSWER = "outside_answer", _("Answer of the government body received")
    REPORTED_BACK = "reported_back", _("Answer reported back to the cell")


class ProposalStep(models.Model):
    """One step of a proposal's way, as the raiser and the cell read it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=24, choices=StepKind.choices)
    from_unit = models.ForeignKey(
        "orgs.Organization", null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]  # the order things happened in

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.on:%d/%m/%Y})"


class HandOff(models.Model):
    """The proposal handed to a government body outside the Party (the ward People's
    Committee, a department), and that body's answer when it comes."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="hand_offs")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("government body"), max_length=200)
    sent_on = models.DateField(_("sent on"))
    answer = models.TextField(_("its answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return self.body


def attachment_path(instance: ProposalAttachment, filename: str) -> str:
    return f"proposals/{instance.proposal_id}/{uuid.uuid4().hex}/{filename}"


class ProposalAttachment(models.Model):
    """A photo or document given with the proposal (a site photo, the citizens' letter)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title
