"""Members working elsewhere and their residence cell (Quy định 213; DOMAIN R3.20–R3.23).

A member of a workplace cell (agency, enterprise, public unit, armed forces …) is linked to the
residential cell where they live. The residence cell logs their participation and writes the
annual written comment (nhận xét nơi cư trú, `ResidenceFeedback`) that reaches the workplace cell
as an input to the annual review. Rows change only through residence.services; history is never
overwritten (links are ended, comments are superseded)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chibo.orgs.models import CellType

# Cell types whose members work there and live elsewhere (R3.20).
WORKPLACE_CELL_TYPES = frozenset(
    {
        CellType.AGENCY,
        CellType.PUBLIC_SERVICE_UNIT,
        CellType.STATE_ENTERPRISE,
        CellType.PRIVATE_ENTERPRISE,
        CellType.COOPERATIVE,
        CellType.SCHOOL,
        CellType.POLICE,
        CellType.MILITARY,
        CellType.HEALTH_STATION,
        CellType.CREDIT_FUND,
    }
)


class SpecialCategory(models.TextChoices):
    """R3.22 (HD 33): these members are not asked for the annual comment, only when needed."""

    NONE = "", pgettext_lazy("special category", "None")
    BARRACKS = "barracks", _("Armed forces member living in barracks")
    MOBILE_WORKER = "mobile_worker", _("Mobile or far-away worker")
    ROTATED_OFFICIAL = "rotated_official", _("Rotated official living in official housing")
    FULL_TIME_TRAINEE = "full_time_trainee", _("Full-time trainee for 12 months")
    STUDENT_AWAY = "student_away", _("Student living away from home")


class ResidenceLink(models.Model):
    """The member lives in the area of `residence_cell` from `start_date` to `end_date`."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="residence_links",
        verbose_name=_("party member"),
    )
    workplace_cell = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("workplace cell"),
    )
    residence_cell = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="residents_working_elsewhere",
        verbose_name=_("residence cell"),
    )
    address = models.CharField(_("residence address"), max_length=300)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)
    special_category = models.CharField(
        _("special category"),
        max_length=24,
        choices=SpecialCategory.choices,
        blank=True,
        default=SpecialCategory.NONE,
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("residence link")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["member", "start_date"], name="residence_link_member_idx"),
            models.Index(fields=["residence_cell", "start_date"], name="residence_link_cell_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="residence_link_period_valid",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(end_date__isnull=True),
                name="residence_link_one_open_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.residence_cell_id}"

    def is_open(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Participation(models.Model):
    """A light log of the member's participation in the residence cell's meetings and
    activities (R3.21)."""

    link = models.ForeignKey(ResidenceLink, on_delete=models.PROTECT, related_name="participations")
    date = models.DateField(_("date"))
    activity = models.CharField(_("meeting or activity"), max_length=200)
    attended = models.BooleanField(_("attended"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("participation at the residence")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.link_id} {self.date}"


class ResidenceFeedback(models.Model):
    """The residence cell's written comment on the member for a year (R3.22). Frozen once
    sent; a correction is a new comment that supersedes the old one (both are kept)."""

    link = models.ForeignKey(ResidenceLink, on_delete=models.PROTECT, related_name="feedbacks")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="residence_feedbacks"
    )
    residence_cell = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("comment"))
    # The duties of R3.21, each answered yes or no.
    sets_example = models.BooleanField(_("sets an example at the place of residence"))
    fulfils_civic_duties = models.BooleanField(_("fulfils civic obligations"))
    attends_meetings = models.BooleanField(_("attends the residence cell's meetings"))
    written_on = models.DateField(_("date of the comment"))
    signed_by_name = models.CharField(_("signed by"), max_length=120)
    signed_by_title = models.CharField(_("title of the signatory"), max_length=120, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("residence comment")
        ordering = ["-year", "-created_at", "-id"]
        indexes = [models.Index(fields=["member", "year"], name="residence_feedback_year_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class FeedbackRequest(models.Model):
    """The workplace cell asks the residence cell for the member's comment for a year."""

    link = models.ForeignKey(ResidenceLink, on_delete=models.PROTECT, related_name="requests")
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        ResidenceFeedback,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("answered by"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("request for a residence comment")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "year"],
                condition=models.Q(answered_by__isnull=True),
                name="residence_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.link_id} {self.year}"
