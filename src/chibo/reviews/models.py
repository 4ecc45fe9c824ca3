"""The annual review and classification (kiểm điểm, đánh giá, xếp loại chất lượng; Quy định
366-QĐ/TW, DOMAIN §4) of members and of organizations, and the member's discipline record
(DOMAIN §3.5). Rows change only through reviews.services.

A review has three dated steps (R4.5): the self-assessment, the proposal of the body above
(the cell for a member), the decision of the competent committee. A decision is a
ReviewDecision row; a correction is a new row superseding the old one, both kept. The review
keeps a copy of the level in force (`decided_level`) for counting, like Member.status."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four levels of 366-QĐ/TW Điều 11 (R4.3), best first."""

    EXCELLENT = "excellent", _("Excellently completed duties (HTXSNV)")
    GOOD = "good", _("Well completed duties (HTTNV)")
    COMPLETED = "completed", _("Completed duties (HTNV)")
    NOT_COMPLETED = "not_completed", _("Did not complete duties (KHTNV)")


# Best first: a level's index is its rank.
LEVEL_ORDER = [Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED]
LEVEL_SHORT = {
    Level.EXCELLENT: "HTXSNV",
    Level.GOOD: "HTTNV",
    Level.COMPLETED: "HTNV",
    Level.NOT_COMPLETED: "KHTNV",
}


def _score_field(label):
    return models.DecimalField(label, max_digits=4, decimal_places=1, null=True, blank=True)


class ReviewSteps(models.Model):
    """The fields of the first two steps, shared by member and organization reviews."""

    year = models.PositiveSmallIntegerField(_("year"))
    # (1) self-assessment
    self_score = _score_field(_("self-assessed score"))
    self_level = models.CharField(
        _("proposed level"), max_length=16, choices=Level.choices, blank=True
    )
    self_text = models.TextField(_("results of the commitment and of the tasks"), blank=True)
    self_all_on_time = models.BooleanField(_("all tasks done on time"), default=False)
    self_exceeding = models.BooleanField(
        _("at least 30 per cent of the tasks exceeded the requirements"), default=False
    )
    self_submitted_on = models.DateField(_("self-assessment date"), null=True, blank=True)
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # (2) the proposal of the body above (for a member: the cell, after its meeting)
    proposed_score = _score_field(_("proposed score"))
    proposed_level = models.CharField(
        _("proposed level"), max_length=16, choices=Level.choices, blank=True
    )
    proposed_note = models.TextField(_("note"), blank=True)
    proposed_all_on_time = models.BooleanField(_("all tasks done on time"), default=False)
    proposed_exceeding = models.BooleanField(
        _("at least 30 per cent of the tasks exceeded the requirements"), default=False
    )
    proposed_on = models.DateField(_("date of the meeting that proposed it"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # (3) the decision in force (a copy of the latest ReviewDecision)
    decided_level = models.CharField(
        _("decided level"), max_length=16, choices=Level.choices, blank=True, db_index=True
    )
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    @property
    def is_decided(self) -> bool:
        return bool(self.decided_level)

    @property
    def step(self) -> str:
        if self.decided_level:
            return "decided"
        if self.proposed_level:
            return "proposed"
        if self.self_level:
            return "self"
        return "open"


class MemberReview(ReviewSteps):
    """One member's review for one year. `cell` and `grassroots` are the member's cell and its
    grassroots organization when the review was opened (the quota counts per grassroots
    organization, R4.4)."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="reviews")
    # The points per criterion of the frame in force for the year (R4.2, R4.6), {code: points};
    # the step's score is their sum. Empty for rows recorded with a score only.
    self_points = models.JSONField(
        _("self-assessed points per criterion"), default=dict, blank=True
    )
    proposed_points = models.JSONField(_("proposed points per criterion"), default=dict, blank=True)
    cell = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    grassroots = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("annual review of a member")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="member_review_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(self_score__isnull=True)
                | models.Q(self_score__gte=0, self_score__lte=100),
                name="member_review_self_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(proposed_score__isnull=True)
                | models.Q(proposed_score__gte=0, proposed_score__lte=100),
                name="member_review_proposed_score_range",
            ),
        ]
        indexes = [models.Index(fields=["grassroots", "year"], name="member_review_gr_year_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}"


class OrganizationReview(ReviewSteps):
    """A cell's or a grassroots committee's review for one year (R4.1: collectives too)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="reviews"
    )

    class Meta:
        verbose_name = _("annual review of an organization")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="organization_review_once_a_year"
            ),
            models.CheckConstraint(
                condition=models.Q(self_score__isnull=True)
                | models.Q(self_score__gte=0, self_score__lte=100),
                name="organization_review_self_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(proposed_score__isnull=True)
                | models.Q(proposed_score__gte=0, proposed_score__lte=100),
                name="organization_review_proposed_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"


class ReviewDecision(models.Model):
    """The competent committee's decision on one review (step 3). Never changed: a correction
    is a new row, and the old one points to it through `superseded_by`."""

    member_review = models.ForeignKey(
        MemberReview, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    organization_review = models.ForeignKey(
        OrganizationReview,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    decided_on = models.DateField(_("decision date"))
    decision_ref = models.CharField(_("decision number"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    superseded_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member_review__isnull=False, organization_review__isnull=True)
                | models.Q(member_review__isnull=True, organization_review__isnull=False),
                name="review_decision_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.decided_on}"


class DisciplineForm(models.TextChoices):
    """The disciplinary forms of R3.18 (GLOSSARY: sanction)."""

    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    DISMISSAL_FROM_POST = "dismissal_from_post", _("Removal from post")
    EXPULSION = "expulsion", _("Expulsion")


# R3.18: a probationary member can only be reprimanded or warned.
PROBATIONARY_FORMS = frozenset({DisciplineForm.REPRIMAND, DisciplineForm.WARNING})


class DisciplineAuthority(models.TextChoices):
    """The level that decided a disciplinary form (R3.19). Which level may decide which form
    is the rule `discipline.authority`; the values are its keys."""

    CELL = "cell", _("The member's cell")
    CELL_COMMITTEE = "cell_committee", _("The cell committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("The grassroots party committee")
    UPPER_COMMITTEE = "upper_committee", _("An upper-level party committee")
    INSPECTION_COMMITTEE = "inspection_committee", _("An inspection committee")


class Discipline(models.Model):
    """A disciplinary decision about a member (kỷ luật, R3.18–R3.19). Written only by
    services.discipline_record; a correction is a new row."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="disciplines"
    )
    form = models.CharField(_("form of discipline"), max_length=24, choices=DisciplineForm.choices)
    decided_on = models.DateField(_("decision date"))
    authority = models.CharField(
        _("decided by (level)"),
        max_length=24,
        choices=DisciplineAuthority.choices,
        help_text=_(
            "The cell may reprimand or warn its members; breaches of tasks given by upper levels "
            "go to the competent level; the cell committee has no disciplinary power "
            "(QĐ 296-QĐ/TW)."
        ),
    )
    decided_by = models.CharField(
        _("name of the deciding body"),
        max_length=200,
        blank=True,
        help_text=_("For a decision above the cell, e.g. the district committee's name."),
    )
    upper_task = models.BooleanField(
        _("breach of a task given by an upper level"),
        default=False,
        help_text=_("Such a breach goes to the competent upper level, not to the cell."),
    )
    decision_ref = models.CharField(_("decision number"), max_length=100, blank=True)
    # R3.19: the member may appeal within the period of discipline.appeal_days.
    appeal_lodged_on = models.DateField(_("appeal lodged on"), null=True, blank=True)
    reason = models.TextField(
        _("reason"),
        help_text=_(
            "The decision takes effect when the cell announces the vote result; the member may "
            "appeal within the period the rule in force sets."
        ),
    )
    # The inspection or supervision whose conclusions led to the decision (issue 11).
    inspection = models.ForeignKey(
        "supervision.Inspection",
        verbose_name=_("following the inspection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disciplines",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("disciplinary decision")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["member", "decided_on"], name="discipline_member_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.form} {self.decided_on}"
