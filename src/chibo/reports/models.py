"""Rollups (DESIGN §5): what the dashboards and the reports upward read instead of raw rows.

- `CellMonth`: one row per cell per month that has at least one meeting (any kind, any
  state): the month's regular meeting (its state, dates, roll call, speakers, duration, score
  and effective rating) and how many meetings of each kind were held.
- `OrgMonth`: the same figures summed over the cells of a committee's subtree, one row per
  committee (every organisation above a cell) per month.

Both are maintained by `reports.rollups` in the transaction of the change that affects them
(the `core.signals.meetings_changed` signal) and rebuilt from the raw rows by
`python -m chibo rebuild_rollups` or the `rollups_rebuild` job. Every row carries its
province (`province_id`, the root of its path: provinces are the tree's roots) and the
year of its month, so that the tables partition by year and shard by province (docs/scale.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthState(models.TextChoices):
    """The state of a cell's regular meeting of the month, as stored. `not held` and `published
    late` depend on today and are derived when read (reports.selectors_dashboard)."""

    NONE = "none", _("No regular meeting")
    PLANNED = "planned", _("Planned")
    PUBLISHED = "published", _("Published")
    LIVE = "live", _("Being held")
    HELD = "held", _("Held, not yet signed")
    SIGNED = "signed", _("Signed")
    CANCELLED = "cancelled", _("Cancelled")


class CellMonth(models.Model):
    cell = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    period = models.DateField()  # first day of the month
    year = models.PositiveSmallIntegerField()
    province_id = models.IntegerField(null=True, blank=True)  # no FK: sharding key
    path = models.CharField(max_length=255)  # the cell's path, for subtree prefix filters
    cell_type = models.CharField(max_length=32, blank=True)
    # The month's regular meeting.
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=16, choices=MonthState.choices, default=MonthState.NONE)
    meeting_date = models.DateField(null=True, blank=True)
    scheduled_date = models.DateField(null=True, blank=True)  # the policy's day, if any
    held_late = models.BooleanField(default=False)
    notice_due = models.DateField(null=True, blank=True)  # publish by this day
    published_on = models.DateField(null=True, blank=True)
    sign_due = models.DateField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    expected = models.PositiveIntegerField(default=0)  # roll-call denominator
    present = models.PositiveIntegerField(default=0)
    absent_excused = models.PositiveIntegerField(default=0)
    absent_unexcused = models.PositiveIntegerField(default=0)
    speakers = models.PositiveIntegerField(default=0)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    rating = models.CharField(max_length=16, blank=True)  # effective (visit adjustment first)
    # Meetings held this month by kind (a regular meeting with a thematic part counts as
    # thematic too), and cancelled ones.
    regular_held = models.PositiveSmallIntegerField(default=0)
    thematic_held = models.PositiveSmallIntegerField(default=0)
    other_held = models.PositiveSmallIntegerField(default=0)
    cancelled = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cell", "period"], name="cellmonth_cell_period")
        ]
        indexes = [
            models.Index(fields=["path", "period"], name="cellmonth_path_period"),
            models.Index(fields=["province_id", "period"], name="cellmonth_province_period"),
        ]

    def __str__(self) -> str:
        return f"{self.cell_id} {self.period:%m/%Y}"


class OrgMonth(models.Model):
    """Sums of `CellMonth` over a committee's subtree. Only additive figures: shares and
    averages are computed when read."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    period = models.DateField()
    year = models.PositiveSmallIntegerField()
    province_id = models.IntegerField(null=True, blank=True)
    path = models.CharField(max_length=255)
    cells = models.PositiveIntegerField(default=0)  # cells with a row this month
    regular_planned = models.PositiveIntegerField(default=0)  # not cancelled
    regular_held = models.PositiveIntegerField(default=0)
    held_late = models.PositiveIntegerField(default=0)
    signed = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    thematic_held = models.PositiveIntegerField(default=0)
    other_held = models.PositiveIntegerField(default=0)
    expected = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    speakers = models.PositiveIntegerField(default=0)
    duration_sum = models.PositiveIntegerField(default=0)
    duration_count = models.PositiveIntegerField(default=0)
    score_sum = models.DecimalField(max_digits=12, decimal_places=1, default=0)
    score_count = models.PositiveIntegerField(default=0)
    rated_good = models.PositiveIntegerField(default=0)
    rated_fair = models.PositiveIntegerField(default=0)
    rated_average = models.PositiveIntegerField(default=0)
    rated_poor = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period"], name="orgmonth_organization_period"
            )
        ]
        indexes = [
            models.Index(fields=["path", "period"], name="orgmonth_path_period"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.period:%m/%Y}"


# -- reports upward (báo cáo), generated as background jobs ------------------------------------


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    QUARTERLY = "quarterly", _("Quarterly report")
    YEARLY = "yearly", _("Yearly report")
    QUALITY_YEAR = "quality_year", _("Yearly report on meeting quality")


class ReportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def report_file_path(instance: ReportJob, filename: str) -> str:
    return f"reports/{instance.organization_id}/{instance.pk or 'new'}/{filename}"


class ReportJob(models.Model):
    """One report upward of a committee (or cell) for a period, generated in the background as
    DOCX, PDF and XLSX; its progress is shown while it runs and its files stay downloadable."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    number = models.CharField(_("number"), max_length=40, blank=True)
    # The requester's own assessment and next steps (section IV of the report), optional.
    notes = models.TextField(_("assessment and next steps"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=16, choices=ReportJobStatus.choices, default=ReportJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=200, blank=True)  # what it is doing now
    error = models.TextField(blank=True)
    docx = models.FileField(upload_to=report_file_path, blank=True)
    pdf = models.FileField(upload_to=report_file_path, blank=True)
    xlsx = models.FileField(upload_to=report_file_path, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-requested_at"], name="reportjob_org")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%m/%Y}"
