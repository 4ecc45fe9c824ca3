"""Directives (văn bản chỉ đạo cấp trên) sent down the tree and their dissemination
(phổ biến, quán triệt) at the receiving cells' meetings (DOMAIN §1.4, issue 10).

A directive is issued by a committee; a subordinate committee may forward it down with its
own guidance (a `Directive` row with `forwarded_from` set). Every receiving cell has one
`DirectiveDelivery` of the ORIGINAL directive, materialised when it is issued or forwarded,
so the coverage of any unit is one grouped count over `cell__path` prefixes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.orgs.models import CellType


class TargetMode(models.TextChoices):
    SUBTREE = "subtree", _("Every cell below the issuer")
    UNITS = "units", _("Chosen units")
    CELL_TYPES = "cell_types", _("Cells of chosen types")


class Directive(models.Model):
    issuer = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="directives_issued",
        verbose_name=_("issued by"),
    )
    number_symbol = models.CharField(_("number and symbol"), max_length=60, blank=True)
    issued_on = models.DateField(_("date issued"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("summary"), blank=True)
    must_disseminate = models.BooleanField(_("must be disseminated at the cells"), default=True)
    disseminate_by = models.DateField(_("disseminate by"), null=True, blank=True)
    # A subordinate committee forwarding the directive down with its own guidance.
    forwarded_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="forwards"
    )
    guidance = models.TextField(_("guidance"), blank=True)
    target_mode = models.CharField(
        _("sent to"), max_length=16, choices=TargetMode.choices, default=TargetMode.SUBTREE
    )
    target_units = models.ManyToManyField(
        "orgs.Organization", blank=True, related_name="+", verbose_name=_("units")
    )
    target_cell_types = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["issuer", "issued_on"], name="directive_issuer_day_idx")]

    def __str__(self) -> str:
        return f"{self.number_symbol} {self.subject}".strip()

    @property
    def original(self) -> Directive:
        return self.forwarded_from if self.forwarded_from_id else self  # type: ignore[return-value]

    def cell_type_labels(self) -> list[str]:
        labels = dict(CellType.choices)
        return [str(labels.get(code, code)) for code in self.target_cell_types]


def attachment_path(instance: DirectiveAttachment, filename: str) -> str:
    return f"directives/{instance.directive_id}/{uuid.uuid4().hex}/{filename}"


class DirectiveAttachment(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class DirectiveDelivery(models.Model):
    """The original directive reaching one cell; `via` is the forward whose guidance the
    cell also reads."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="deliveries")
    cell = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="directive_deliveries"
    )
    via = models.ForeignKey(
        Directive, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(default=timezone.now)
    disseminated_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disseminated_directives",
    )
    disseminated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["directive", "cell__path"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "cell"], name="directive_delivery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.directive_id} → {self.cell_id}"

    @property
    def is_disseminated(self) -> bool:
        return self.disseminated_meeting_id is not None

    @property
    def is_overdue(self) -> bool:
        directive = self.directive
        return (
            directive.must_disseminate
            and not self.is_disseminated
            and directive.disseminate_by is not None
            and directive.disseminate_by < timezone.localdate()
        )


class DirectiveRead(models.Model):
    """A member marking that they read the directive's documents."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="reads")
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="directive_reads"
    )
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["directive", "member"], name="directive_read_unique")
        ]

    def __str__(self) -> str:
        return f"{self.directive_id} ← {self.member_id}"
