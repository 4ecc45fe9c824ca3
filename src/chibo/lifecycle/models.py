"""The admission pipeline (DOMAIN §3.1): a candidate (quần chúng ưu tú) of a cell and the dated
steps that lead to admission. Rows change only through lifecycle.services."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Sex


class Candidate(models.Model):
    """A person the cell prepares for admission. Personal data is sensitive: never log it.
    Each step date stays empty until the step is done; the order of R3.3 is kept by the
    services."""

    cell = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("cell"),
    )
    full_name = models.CharField(_("full name"), max_length=120)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    mentor = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mentor"),
    )
    awareness_certificate_date = models.DateField(
        _("Party-awareness course certificate date"), null=True, blank=True
    )
    application_date = models.DateField(_("application letter received"), null=True, blank=True)
    personal_history_date = models.DateField(_("personal history submitted"), null=True, blank=True)
    verification_date = models.DateField(_("verification done"), null=True, blank=True)
    mass_organisation_opinion_date = models.DateField(
        _("opinion of the mass organisations received"), null=True, blank=True
    )
    residence_opinion_date = models.DateField(
        _("opinion of the residence cell received"), null=True, blank=True
    )
    # The cell resolution: a vote of the cell's meeting, or the date and counts recorded
    # elsewhere (then resolution_vote is empty).
    resolution_date = models.DateField(_("cell resolution date"), null=True, blank=True)
    resolution_vote = models.ForeignKey(
        "meetings.Vote",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vote of the cell meeting"),
    )
    resolution_in_favour = models.PositiveSmallIntegerField(_("in favour"), null=True, blank=True)
    resolution_eligible = models.PositiveSmallIntegerField(
        _("official members"), null=True, blank=True
    )
    decision_date = models.DateField(_("admission decision date"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    ceremony_date = models.DateField(_("admission ceremony date"), null=True, blank=True)
    member = models.OneToOneField(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidacy",
        verbose_name=_("party member"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("candidate for admission")
        ordering = ["full_name", "id"]
        indexes = [models.Index(fields=["cell", "full_name"], name="candidate_cell_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ceremony_date__isnull=True)
                | models.Q(ceremony_date__gte=models.F("decision_date")),
                name="candidate_ceremony_after_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(decision_date__isnull=True)
                | models.Q(decision_date__gte=models.F("resolution_date")),
                name="candidate_decision_after_resolution",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Introducer(models.Model):
    """An official member who introduces the candidate (người giới thiệu, R3.5) and has worked,
    studied or lived with them since `known_since`."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="introducers")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("introducer")
    )
    known_since = models.DateField(_("known the candidate since"))
    introduced_on = models.DateField(_("date of the introduction"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["introduced_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "member"], name="introducer_once_per_candidate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.member_id}"
