import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One audited state change: who, what (a dotted past-tense code), when, on which record,
    and the before/after values of the fields that changed. Written only by core.audit.record."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.CharField(max_length=64, db_index=True)
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.target_type}:{self.target_id}"


class RuleOverride(models.Model):
    """An organization's own value for a rule (e.g. a province's scoring bands), in force for
    that organization's whole subtree between the effective dates. Central defaults live in code
    (core/rule_data.py); lookups (core/rules.py) pick the override nearest to the organization
    in the tree."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="rule_overrides"
    )
    key = models.CharField(max_length=100, db_index=True)
    value = models.JSONField()
    regulation = models.CharField(_("regulation"), max_length=200)
    clause = models.CharField(_("clause"), max_length=200, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["key", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="rule_override_period_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.organization_id}"


class CalendarDay(models.Model):
    """A date whose working status differs from the central calendar: an extra day off
    (e.g. a bridge day the government announces) or a make-up working Saturday."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class LunarNewYear(models.Model):
    """The Tết holiday for one year, as announced by the government; overrides the default
    computed from the lunar new year's day in core/calendar.py."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    first_day_off = models.DateField(_("first day off"))
    last_day_off = models.DateField(_("last day off"))

    class Meta:
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day_off__gte=models.F("first_day_off")),
                name="lunar_new_year_period_valid",
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class ExportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def export_file_path(instance: "ExportJob", filename: str) -> str:
    return f"exports/{instance.requested_by_id}/{instance.pk or 'new'}/{filename}"


def import_file_path(instance: "ExportJob", filename: str) -> str:
    # A random name: the path never reveals the list's own name (it may name the cell).
    extension = filename.rpartition(".")[2].lower() if "." in filename else "bin"
    return f"import-jobs/{instance.requested_by_id}/{uuid.uuid4().hex}.{extension}"


class ExportJob(models.Model):
    """One background job with a progress bar, built by core.exports.jobs; only the user who
    requested it sees it. An export (a big member list, a dues book) leaves a `file` to
    download; a task such as a large import reads its `upload` (the file the user sent, kept
    privately until the job is done) and leaves a `result` (a small JSON report, e.g. members
    created or the problems by row and column) that its app's template shows.
    `kind` names the builder an app registered; `params` is what the builder needs."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=64)
    params = models.JSONField(default=dict, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=ExportJobStatus.choices, default=ExportJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=200, blank=True)  # what it is doing now
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=export_file_path, blank=True)
    filename = models.CharField(max_length=200, blank=True)  # the name the download gets
    content_type = models.CharField(max_length=100, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A task's input and report (issue 14: imports run as jobs).
    upload = models.FileField(upload_to=import_file_path, blank=True, max_length=200)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="exportjob_user")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
