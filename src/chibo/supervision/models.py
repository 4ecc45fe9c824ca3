"""The committees' oversight of their cells (DOMAIN §7, §1.5 R1.16): visits by upper-level
members and standing attendees, model meetings rotating across cells, briefings with the cells'
secretaries, inspection and supervision plans with their records and recommendations, and the
flags raised on perfunctory meetings. The annual meeting quality of a cell is computed from the
meetings' ratings (supervision.quality), never stored."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import MeetingRating

# -- visits (cấp ủy viên cấp trên dự sinh hoạt, R7.1–R7.4) ----------------------------------


class VisitorRole(models.TextChoices):
    UPPER_MEMBER = "upper_member", _("Upper-level committee member")
    STANDING_ATTENDEE = "standing_attendee", _("Standing attendee")


class Visit(models.Model):
    """One person's attendance at one cell meeting on behalf of the level above: an upper-level
    committee member (or staff) following the cell, or a standing attendee (a ward civil servant,
    the area police officer). What they saw and said, the proposals they collected (they become
    `Proposal`s) and, for an upper-level member, the confirmation or adjustment of the meeting's
    score — kept here, outside the frozen minutes, so it may come after signing."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="visits")
    # The meeting's cell, kept for coverage queries (never changes: a meeting keeps its cell).
    cell = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="visits_received"
    )
    visitor = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="visits")
    role = models.CharField(_("attended as"), max_length=24, choices=VisitorRole.choices)
    # Upper-level member: what they observed; standing attendee: what they heard.
    observations = models.TextField(_("observations"), blank=True)
    # Upper-level member: the guidance they gave; standing attendee: what they informed.
    guidance = models.TextField(_("guidance given"), blank=True)
    score_confirmed = models.BooleanField(_("score confirmed"), default=False)
    adjusted_total = models.DecimalField(
        _("adjusted score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    adjusted_rating = models.CharField(
        _("adjusted rating"), max_length=16, choices=MeetingRating.choices, blank=True
    )
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)
    proposals = models.ManyToManyField("proposals.Proposal", blank=True, related_name="visits")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-meeting__date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "visitor"], name="visit_once_per_meeting")
        ]
        indexes = [
            models.Index(fields=["visitor", "recorded_at"], name="visit_visitor_idx"),
            models.Index(fields=["cell", "recorded_at"], name="visit_cell_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor_id} @ {self.meeting_id}"


class CalendarFeed(models.Model):
    """The secret address of a user's iCalendar feed (the meetings they are invited to), for a
    phone's calendar, which cannot log in. Revoking it gives a new token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(default=timezone.now)

    # -- model meetings (sinh hoạt chi bộ mẫu / điểm luân phiên, R7.5, §9a) -----------------------

    def __str__(self) -> str:
        return f"CalendarFeed {self.pk}"


class ModelMeeting(models.Model):
    """A model meeting a committee plans in one of its cells for a quarter, rotating across its
    cells of one type. It is a normal meeting of the cell (`meeting`), marked by this row; other
    cells' secretaries are invited; once signed its minutes are an example for the subtree."""

    committee = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="model_meetings_planned"
    )
    cell = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="model_meetings"
    )
    cell_type = models.CharField(_("cell type"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    meeting = models.OneToOneField(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="model_meeting",
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "cell_type", "id"]
        indexes = [
            models.Index(fields=["committee", "year", "quarter"], name="model_meeting_period_idx")
        ]

    def __str__(self) -> str:
        return f"{self.cell_id} {self.year}Q{self.quarter}"


class ModelMeetingInvitation(models.Model):
    """A cell whose secretary is invited to watch the model meeting."""

    model_meeting = models.ForeignKey(
        ModelMeeting, on_delete=models.CASCADE, related_name="invitations"
    )
    cell = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    invitee = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attended = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model_meeting", "cell"], name="model_meeting_invitation_unique"
            )
        ]

    # -- briefings (giao ban của cấp ủy với bí thư chi bộ) ----------------------------------------

    def __str__(self) -> str:
        return f"ModelMeetingInvitation {self.pk}"


class BriefingPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Briefing(models.Model):
    """A committee's briefing with its cells' secretaries: when and where, the secretaries'
    attendance and its conclusions."""

    committee = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="briefings"
    )
    period = models.CharField(_("held"), max_length=16, choices=BriefingPeriod.choices)
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.date}"


class BriefingAttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    ABSENT_EXCUSED = "absent_excused", _("Absent with reason")
    ABSENT_UNEXCUSED = "absent_unexcused", _("Absent without reason")


class BriefingAttendance(models.Model):
    """One cell at a briefing: its secretary (or who came instead) and what the cell reported."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="attendance")
    cell = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=24,
        choices=BriefingAttendanceStatus.choices,
        default=BriefingAttendanceStatus.INVITED,
    )
    report = models.TextField(_("what the cell reported"), blank=True)

    class Meta:
        ordering = ["cell__path"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "cell"], name="briefing_cell_unique")
        ]

    # -- inspection and supervision (kiểm tra, giám sát) -----------------------------------------

    def __str__(self) -> str:
        return f"BriefingAttendance {self.pk}"


class InspectionPlan(models.Model):
    """A committee's yearly inspection and supervision plan."""

    committee = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="inspection_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    number_symbol = models.CharField(_("number and symbol"), max_length=60, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SUPERVISION = "supervision", _("Supervision")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    CONCLUDED = "concluded", _("Concluded")
    CANCELLED = "cancelled", _("Cancelled")


class Inspection(models.Model):
    """One inspection or supervision of a plan: its subject (an organization of the subtree or
    a member), content, period and team, and once done its record — findings, conclusions and
    recommendations. A thematic supervision of meeting quality lists the meetings attended."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="inspections")
    committee = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices)
    content = models.CharField(_("content"), max_length=300)
    subject_organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections_received",
    )
    subject_member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections_received",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    leader = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ManyToManyField("members.Member", blank=True, related_name="inspection_teams")
    meeting_quality = models.BooleanField(
        _("thematic supervision of meeting quality"), default=False
    )
    meetings_attended = models.ManyToManyField(
        "meetings.Meeting", blank=True, related_name="inspections"
    )
    status = models.CharField(
        max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    findings = models.TextField(_("findings"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="inspection_period_valid",
            )
        ]

    def __str__(self) -> str:
        return self.content


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REPORTED = "reported", _("Reported done, awaiting closure")
    CLOSED = "closed", _("Closed")


class Recommendation(models.Model):
    """A recommendation of an inspection or supervision, addressed to a unit, with its deadline,
    followed to closure: the unit reports what it did, the committee closes it (or sends it
    back)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    addressee = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="recommendations_received"
    )
    text = models.TextField(_("recommendation"))
    due_on = models.DateField(_("deadline"))
    status = models.CharField(
        max_length=16, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["addressee", "status"], name="recommendation_addressee_idx")
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.pk}"


class RecommendationStepKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    SENT_BACK = "sent_back", _("Sent back")
    CLOSED = "closed", _("Closed")


class RecommendationStep(models.Model):
    """The history of a recommendation: the unit's reports, the committee's closure or refusal."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(max_length=16, choices=RecommendationStepKind.choices)
    note = models.TextField(_("note"))
    on = models.DateField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    # -- perfunctory meetings (hình thức, qua loa) -----------------------------------------------

    def __str__(self) -> str:
        return f"RecommendationStep {self.pk}"


class PerfunctoryKind(models.TextChoices):
    REPEATED_TEXT = "repeated_text", _("Text repeated from an earlier meeting")
    SAME_SPEAKERS = "same_speakers", _("The same few members speak every month")


class PerfunctoryStatus(models.TextChoices):
    OPEN = "open", _("To review")
    CONFIRMED = "confirmed", _("Confirmed: reminded the cell")
    DISMISSED = "dismissed", _("Dismissed")


class PerfunctoryFlag(models.Model):
    """A signed meeting whose records nearly repeat the same cell's earlier meeting on a part
    that should change every month, or a cell where the same few members speak every month.
    Raised by supervision.perfunctory; reviewed by the level above."""

    cell = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="perfunctory_flags"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="perfunctory_flags"
    )
    earlier_meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=PerfunctoryKind.choices)
    part = models.CharField(max_length=32, blank=True)  # which text: evaluation, tasks, …
    similarity = models.FloatField()  # 0–100
    detail = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=PerfunctoryStatus.choices, default=PerfunctoryStatus.OPEN
    )
    review_note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-meeting__date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "part"], name="perfunctory_flag_unique"
            )
        ]
        indexes = [models.Index(fields=["cell", "status"], name="perfunctory_cell_idx")]

    def __str__(self) -> str:
        return f"PerfunctoryFlag {self.pk}"
