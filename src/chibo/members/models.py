from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PoliticalTheory(models.TextChoices):
    NONE = "none", _("None")
    ELEMENTARY = "elementary", _("Elementary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    BACHELOR = "bachelor", _("Bachelor")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary")
    OFFICIAL = "official", _("Official")
    EXEMPTED = "exempted", _("Exempted from activity")
    TEMPORARILY_ATTACHED = "temporarily_attached", _("Temporarily attached")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    SUSPENDED = "suspended", _("Suspended")
    REMOVED = "removed", _("Removed from the rolls")
    DECEASED = "deceased", _("Deceased")


class MembershipClass(models.TextChoices):
    """The class of membership (Charter Art. 3.4, Art. 5): probationary until recognised as
    official. It is kept apart from the activity status: an exempted, suspended or temporarily
    attached member is still an official or a probationary member (DOMAIN R2.4, §9a)."""

    PROBATIONARY = "probationary", _("Probationary")
    OFFICIAL = "official", _("Official")


# Statuses of members who belong to the cell's current roll (the 7-HSĐV list).
ACTIVE_STATUSES = frozenset(
    {
        MemberStatus.PROBATIONARY,
        MemberStatus.OFFICIAL,
        MemberStatus.EXEMPTED,
        MemberStatus.TEMPORARILY_ATTACHED,
        MemberStatus.SUSPENDED,
    }
)


class Member(models.Model):
    """A party member (đảng viên). Personal data is sensitive: never log it.
    `status` is the status of the latest MemberEvent, kept here for queries; it changes only
    through members.services.member_change_status, which writes the event
    in the same transaction. `membership_class` is official or probationary whatever the
    activity status; the services set it with the status, and a constraint keeps the two from
    contradicting each other (status official ⇒ class official, probationary ⇒ probationary)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    full_name = models.CharField(_("full name"), max_length=120)
    name_sort_key = models.CharField(max_length=400, db_index=True, editable=False)
    name_search = models.CharField(max_length=120, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=50, default="Kinh")
    religion = models.CharField(_("religion"), max_length=50, default="Không")
    home_town = models.CharField(_("home town"), max_length=200, blank=True)
    residence_address = models.CharField(_("residence address"), max_length=300, blank=True)
    general_education = models.CharField(_("general education"), max_length=20, blank=True)
    professional_qualification = models.CharField(
        _("professional qualification"), max_length=100, blank=True
    )
    political_theory = models.CharField(
        _("political theory level"),
        max_length=16,
        choices=PoliticalTheory.choices,
        default=PoliticalTheory.NONE,
    )
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    party_card_number = models.CharField(
        _("party card number"), max_length=20, null=True, blank=True, unique=True
    )
    admission_decision_date = models.DateField(_("admission decision date"), null=True, blank=True)
    ceremony_date = models.DateField(_("admission ceremony date"), null=True, blank=True)
    official_date = models.DateField(_("official recognition date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=MemberStatus.choices, db_index=True
    )
    membership_class = models.CharField(
        _("membership class"), max_length=16, choices=MembershipClass.choices, db_index=True
    )
    cell = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("cell"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("party member")
        ordering = ["name_sort_key", "id"]
        indexes = [
            models.Index(fields=["cell", "name_sort_key"], name="member_cell_sort_idx"),
            models.Index(fields=["full_name", "birth_date"], name="member_name_birth_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ceremony_date__isnull=True)
                | models.Q(admission_decision_date__isnull=True)
                | models.Q(ceremony_date__gte=models.F("admission_decision_date")),
                name="member_ceremony_after_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(official_date__isnull=True)
                | models.Q(ceremony_date__isnull=True)
                | models.Q(official_date__gte=models.F("ceremony_date")),
                name="member_official_after_ceremony",
            ),
            models.CheckConstraint(
                condition=models.Q(membership_class__in=MembershipClass.values)
                & (~models.Q(status=MemberStatus.OFFICIAL) | models.Q(membership_class="official"))
                & (
                    ~models.Q(status=MemberStatus.PROBATIONARY)
                    | models.Q(membership_class="probationary")
                ),
                name="member_class_agrees_with_status",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def label(self) -> str:
        """The name with the year of birth, wherever a person is chosen or called: namesakes
        in one cell (the demo's Khối 2 has two Lương Văn Thuận) are told apart by it."""
        return f"{self.full_name} ({self.birth_date:%Y})"


class MemberEvent(models.Model):
    """One dated status change. History is never overwritten: a correction is a new event."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=24, choices=MemberStatus.choices)
    effective_date = models.DateField(_("effective date"))
    cell = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("cell")
    )
    decision_ref = models.CharField(_("decision number"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The structured grounds of an exemption or a removal (lifecycle.status.*_GROUNDS codes).
    grounds = models.CharField(_("grounds"), max_length=40, blank=True)
    # Dates and numbers of the steps behind the change (request, resolution, proposal, ceremony),
    # as ISO dates and strings; written by lifecycle.status.
    details = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-effective_date", "-id"]
        indexes = [models.Index(fields=["member", "effective_date"], name="member_event_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.status} {self.effective_date}"


class BadgeAward(models.Model):
    """A Party badge (Huy hiệu Đảng) a member received for a milestone of party age
    (HD 01-HD/TW 2021 §18; DOMAIN R3.24–R3.26). Written only by services.badge_award_record."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="badge_awards")
    milestone_years = models.PositiveSmallIntegerField(_("party age milestone (years)"))
    awarded_on = models.DateField(_("award date"))
    occasion = models.CharField(_("occasion"), max_length=100, blank=True)
    decision_ref = models.CharField(_("decision number"), max_length=100, blank=True)
    early_for_illness = models.BooleanField(_("early award for serious illness"), default=False)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Party badge award")
        ordering = ["milestone_years"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "milestone_years"], name="badge_award_once_per_milestone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.milestone_years}"


class DuesBasis(models.TextChoices):
    """What a member's monthly party dues are computed from (Quy định 01-QĐ/TW; R3.29)."""

    INSURABLE_SALARY = "insurable_salary", _("Insurable salary")
    PENSION = "pension", _("Pension")
    STUDENT = "student", _("Student")
    FIXED = "fixed", _("Other fixed amount")


class DuesChannel(models.TextChoices):
    """How a month's dues were paid (R3.28)."""

    CASH = "cash", _("Cash to the cell")
    PORTAL = "national_public_service_portal", _("National Public Service Portal")


class DuesAssessment(models.Model):
    """A member's current dues basis: what the monthly amount is computed from and the amount
    reported (the insurable salary, the pension, or the fixed monthly amount). Written only by
    services.dues_basis_set; each payment keeps its own copy of the basis it was computed from."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="dues_basis")
    basis = models.CharField(_("dues basis"), max_length=20, choices=DuesBasis.choices)
    basis_amount = models.PositiveBigIntegerField(_("basis amount (VND)"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dues basis")

    def __str__(self) -> str:
        return f"{self.member_id} {self.basis} {self.basis_amount}"

    @property
    def shows_amount(self) -> bool:
        """Whether the basis amount means something to show: students pay the rule's fixed
        amount, whatever was reported."""
        return bool(self.basis_amount) and self.basis != DuesBasis.STUDENT


class DuesPayment(models.Model):
    """One month of party dues (đảng phí) paid by a member. Written only by
    services.dues_payment_record; a month is paid once."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues_payments")
    month = models.DateField(_("month"))  # the first day of the month paid for
    amount_due = models.PositiveBigIntegerField(_("amount due (VND)"))
    amount_paid = models.PositiveBigIntegerField(_("amount paid (VND)"))
    paid_on = models.DateField(_("payment date"))
    channel = models.CharField(_("payment channel"), max_length=32, choices=DuesChannel.choices)
    basis = models.CharField(_("dues basis"), max_length=20, choices=DuesBasis.choices)
    basis_amount = models.PositiveBigIntegerField(_("basis amount (VND)"), default=0)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("party dues payment")
        ordering = ["month", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_payment_once_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="dues_month_first_day"),
        ]
        indexes = [models.Index(fields=["month", "member"], name="dues_payment_month_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%m/%Y} {self.amount_paid}"


# -- personal data (issue 14, Nghị định 13/2023/NĐ-CP) ------------------------------------------


class CorrectionSection(models.TextChoices):
    """The part of their data a member asks to correct (the sections of the own-data export)."""

    PROFILE = "profile", _("Profile (register fields)")
    STATUS_HISTORY = "status_history", _("Status history")
    POSITIONS = "positions", _("Positions")
    MEETINGS = "meetings", _("Meetings attended")
    ASSIGNMENTS = "assignments", _("Assignments")
    DUES = "dues", _("Party dues")
    REVIEWS = "reviews", _("Annual reviews")
    BADGES = "badges", _("Party badges")
    RESIDENCE = "residence", _("Residence")
    OTHER = "other", _("Other")


class CorrectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("correction status", "Open")
    DONE = "done", pgettext_lazy("correction status", "Corrected")
    REJECTED = "rejected", pgettext_lazy("correction status", "Rejected")


class CorrectionRequest(models.Model):
    """A member's request to correct their own data (Nghị định 13/2023/NĐ-CP Art. 9.5: the
    data subject may ask for their personal data to be corrected). It reaches the register
    keepers of the member's cell, who correct the register through its own pages and close the
    request with an answer. Written only by accounts.services_personal."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="correction_requests")
    section = models.CharField(_("section"), max_length=24, choices=CorrectionSection.choices)
    field_label = models.CharField(_("field"), max_length=200, blank=True)
    wrong_text = models.TextField(_("what is wrong"))
    correct_text = models.TextField(_("what it should be"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.OPEN,
        db_index=True,
    )
    answer = models.TextField(_("answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("correction request")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "created_at"], name="correction_member_idx"),
            models.Index(fields=["status", "created_at"], name="correction_status_idx"),
        ]
        constraints = [
            # A closed request says when it was closed and why.
            models.CheckConstraint(
                condition=models.Q(status="open")
                | (models.Q(handled_at__isnull=False) & ~models.Q(answer="")),
                name="correction_closed_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.section} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status == CorrectionStatus.OPEN


class RecordPage(models.TextChoices):
    """The pages and files that show one member's full record (logged by members.record_reads)."""

    MEMBER_DETAIL = "member_detail", _("Member record")
    MEMBER_EDIT = "member_edit", _("Member record form")
    REVIEW = "review", _("Annual review of the member")


class RecordRead(models.Model):
    """One read of another person's full record by a staff user: who, whose, when, which page
    (Nghị định 13/2023/NĐ-CP Art. 27: the controller keeps a record of processing). Ids only, no
    personal data; reading one's own record is not logged. Rows older than
    settings.CHIBO_RECORD_READS_KEEP_DAYS are purged daily (members.jobs)."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(_("page"), max_length=24, choices=RecordPage.choices)
    read_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("record read")
        ordering = ["-read_at", "-id"]
        indexes = [
            models.Index(fields=["member", "read_at"], name="record_read_member_idx"),
            models.Index(fields=["reader", "read_at"], name="record_read_reader_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} {self.member_id} {self.page}"
