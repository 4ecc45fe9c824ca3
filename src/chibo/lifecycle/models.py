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
    # Taken off the list (moved away, no longer wishes to join, not qualified): the record and
    # its steps stay; nothing more can be recorded.
    withdrawn_on = models.DateField(_("taken off the list on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason"), blank=True)
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


class CandidateReview(models.Model):
    """The cell's monthly review of a candidate on its list (R3.12): when, at which meeting if
    any, and what the mentor and the cell said of the candidate's progress. Never edited: a later
    review is a new row."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cell meeting"),
    )
    note = models.TextField(_("progress and the cell's opinion"))
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("review of a candidate")
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["candidate", "reviewed_on"], name="candidate_review_idx")]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.reviewed_on}"


class TransferKind(models.TextChoices):
    """GLOSSARY: chuyển sinh hoạt đảng chính thức / tạm thời (DOMAIN R3.13)."""

    OFFICIAL = "official", _("Official transfer")
    TEMPORARY = "temporary", _("Temporary transfer")


class TransferReason(models.TextChoices):
    JOB = "job", _("Move to another job")
    RETIREMENT = "retirement", _("Retirement")
    DISCHARGE = "discharge", _("Discharge from the armed forces")
    RESIDENCE = "residence", _("Change of residence")
    OTHER = "other", _("Other reason")


class TransferState(models.TextChoices):
    ISSUED = "issued", _("In flight")
    ATTACHED = "attached", _("Temporarily attached")
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned home")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REFUSED = "refused", _("Refused")
    LEFT_CHIBO = "left_chibo", _("Transferred out of chibo")


# A member has at most one transfer in these states (DB constraint `transfer_one_open`).
OPEN_TRANSFER_STATES = (TransferState.ISSUED, TransferState.ATTACHED)


class Transfer(models.Model):
    """A transfer of a member's party activity (DOMAIN R3.13) with its slip (giấy giới thiệu
    sinh hoạt đảng). Written only by lifecycle.transfers. Each step has its own date and
    author; a step, once recorded, is never changed (the state only moves forward)."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("party member"),
    )
    kind = models.CharField(_("kind of transfer"), max_length=12, choices=TransferKind.choices)
    reason = models.CharField(_("reason"), max_length=12, choices=TransferReason.choices)
    reason_note = models.CharField(_("details of the reason"), max_length=300, blank=True)
    from_cell = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="transfers_out",
        verbose_name=_("sending cell"),
    )
    to_cell = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=_("receiving cell"),
    )
    # Only for a transfer out of chibo (to_cell is then empty).
    destination = models.CharField(_("receiving organisation"), max_length=300, blank=True)
    # The member's status when the transfer was issued: kept, and given back when a temporary
    # attachment ends.
    member_status = models.CharField(_("status"), max_length=24)
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    slip_number = models.CharField(_("transfer slip number"), max_length=50)
    slip_date = models.DateField(_("transfer slip date"))
    slip_issuer = models.CharField(_("issuing committee"), max_length=200)
    # Official transfers: the last day to complete it, computed when issued from the rule
    # `transfer.official_deadline_working_days` in force on the start date.
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=TransferState.choices, default=TransferState.ISSUED
    )
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_on = models.DateField(_("date received"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(_("date closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("transfer")
        ordering = ["-slip_date", "-id"]
        indexes = [
            models.Index(fields=["to_cell", "state"], name="transfer_to_state_idx"),
            models.Index(fields=["from_cell", "state"], name="transfer_from_state_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(state__in=["issued", "attached"]),
                name="transfer_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(received_on__isnull=True)
                | models.Q(received_on__gte=models.F("slip_date")),
                name="transfer_received_after_slip",
            ),
            models.CheckConstraint(
                condition=models.Q(to_cell__isnull=False) | ~models.Q(destination=""),
                name="transfer_has_destination",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.slip_date}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_TRANSFER_STATES

    @property
    def is_out_of_chibo(self) -> bool:
        return self.to_cell_id is None
