"""The cell meeting (sinh hoạt chi bộ) from schedule to signed minutes (DOMAIN §1, §2, §5.3).

State machine (DESIGN §5): planned → prepared (published) → in_progress → closed → signed;
cancelled from planned or prepared. Every change goes through meetings.services; a signed
meeting is frozen (services refuse, and the signed documents are stored with their SHA-256).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.members.models import MembershipClass


class NonWorkingDayShift(models.TextChoices):
    NEXT_WORKING_DAY = "next", _("Move to the next working day")
    PREVIOUS_WORKING_DAY = "previous", _("Move to the previous working day")
    KEEP = "keep", _("Keep the day (cells meet at weekends)")


class SignatureAuthority(models.TextChoices):
    # DOMAIN §5.3: "T/M CHI BỘ" (quiz on 36-HD) vs "T/M CHI ỦY" (a real 2025 resolution).
    CELL = "cell", _("On behalf of the cell (T/M CHI BỘ)")
    CELL_COMMITTEE = "cell_committee", _("On behalf of the cell committee (T/M CHI ỦY)")


class MeetingPolicy(models.Model):
    """An organization's meeting policy. It applies to every cell in its subtree unless a
    nearer organization (or the cell itself) has its own (meetings.selectors.policy_for)."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="meeting_policy"
    )
    day_of_month = models.PositiveSmallIntegerField(_("meeting day of the month"), default=3)
    non_working_day = models.CharField(
        _("when that day is a Sunday or holiday"),
        max_length=16,
        choices=NonWorkingDayShift.choices,
        default=NonWorkingDayShift.NEXT_WORKING_DAY,
    )
    default_time = models.TimeField(_("default time"), default="19:30")
    default_place = models.CharField(_("default place"), max_length=300, blank=True)
    months_ahead = models.PositiveSmallIntegerField(_("months generated ahead"), default=3)
    term_start = models.DateField(
        _("start of the current committee term"),
        help_text=_("Document numbers start again from 01 in each term."),
    )
    signature_authority = models.CharField(
        _("signature block"),
        max_length=16,
        choices=SignatureAuthority.choices,
        default=SignatureAuthority.CELL,
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting policy")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day_of_month__gte=1, day_of_month__lte=28),
                name="meeting_policy_day_1_28",
            ),
            models.CheckConstraint(
                condition=models.Q(months_ahead__gte=1, months_ahead__lte=12),
                name="meeting_policy_months_ahead_1_12",
            ),
        ]


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    THEMATIC = "thematic", _("Thematic meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    COMMITTEE = "committee", _("Cell committee meeting")
    CONFERENCE = "conference", _("Cell conference")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PREPARED = "prepared", _("Published")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed, awaiting signatures")
    SIGNED = "signed", _("Signed")
    CANCELLED = "cancelled", _("Cancelled")


EDITABLE_STATUSES = frozenset({MeetingStatus.PLANNED, MeetingStatus.PREPARED})
LIVE_STATUSES = frozenset({MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED})


class Meeting(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("cell"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    # A regular meeting combined with the quarter's thematic one: the two parts stay distinct
    # (agenda items carry their part) — DOMAIN R1.4.
    with_thematic_part = models.BooleanField(_("combined with a thematic part"), default=False)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    # The month a regular meeting is for (first day); regular meetings are unique per month.
    period = models.DateField(_("month"), null=True, blank=True)
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
        db_index=True,
    )
    generated = models.BooleanField(default=False, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("start time"), null=True, blank=True)
    ended_at = models.DateTimeField(_("end time"), null=True, blank=True)
    chair = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chair"),
    )
    minute_taker = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("minute-taker"),
    )
    resolution_draft = models.TextField(_("draft resolution"), blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Optimistic locking for the meeting's own fields (time, place, chair, texts).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("meeting")
        ordering = ["-date", "-time", "-id"]
        indexes = [
            models.Index(fields=["organization", "date"], name="meeting_org_date_idx"),
            models.Index(fields=["status", "date"], name="meeting_status_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period"],
                condition=models.Q(kind="regular"),
                name="meeting_one_regular_per_month",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(started_at__isnull=True)
                | models.Q(ended_at__gt=models.F("started_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    @property
    def is_signed(self) -> bool:
        return self.status == MeetingStatus.SIGNED

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at and self.ended_at:
            return int((self.ended_at - self.started_at).total_seconds() // 60)
        return None


class PreparatoryMeeting(models.Model):
    """The cell committee's preparatory meeting (DOMAIN R1.10–R1.11)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="preparation")
    held_on = models.DateField(_("held on"))
    participants = models.ManyToManyField(
        "members.Member", related_name="+", verbose_name=_("participants")
    )
    agreed = models.TextField(_("what was agreed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)


class AgendaPart(models.TextChoices):
    REGULAR = "regular", _("Regular part")
    THEMATIC = "thematic", _("Thematic part")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    # The step of the standard sequence (meetings.agenda.STANDARD_STEPS), blank for own items.
    step = models.CharField(max_length=32, blank=True)
    part = models.CharField(max_length=16, choices=AgendaPart.choices, default=AgendaPart.REGULAR)
    title = models.CharField(_("title"), max_length=300)
    guidance = models.TextField(_("content suggestions"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    conclusion = models.TextField(_("chair's conclusion"), blank=True)
    deferred = models.BooleanField(_("deferred to the next meeting"), default=False)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    # A directive of the upper level disseminated under this item (DOMAIN §1.4 step 5).
    directive_delivery = models.ForeignKey(
        "directives.DirectiveDelivery",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    # The answers to proposals this item reports back to the cell (proposals app, issue 10).
    proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="report_back_items"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_item_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


def meeting_document_path(instance: MeetingDocument, filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}/{filename}"


class MeetingDocument(models.Model):
    """A document attached to a meeting (materials members read before it)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=meeting_document_path)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]


class MeetingGuest(models.Model):
    """A guest introduced at the opening, e.g. the upper-level committee member (Visit)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("position"), max_length=200, blank=True)
    is_upper_level = models.BooleanField(_("upper-level committee member"), default=False)

    class Meta:
        ordering = ["id"]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT_EXCUSED = "absent_excused", _("Absent with reason")
    ABSENT_UNEXCUSED = "absent_unexcused", _("Absent without reason")
    EXEMPT = "exempt", _("Exempted")
    # Suspended from party activity: listed, not called, never expected (DOMAIN §9a).
    SUSPENDED = "suspended", _("Suspended from activity")


PRESENT_STATUSES = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})


class MemberCategory(models.TextChoices):
    """The member's standing at the meeting, as the minutes count it (DOMAIN §1.7)."""

    OFFICIAL = "official", _("Official")
    PROBATIONARY = "probationary", _("Probationary")
    TEMPORARILY_ATTACHED = "temporarily_attached", _("Temporarily attached")
    EXEMPTED = "exempted", _("Exempted from activity")
    SUSPENDED = "suspended", _("Suspended")


class Attendance(models.Model):
    """One row per member on the roll when the meeting opened; status None = not yet called.
    `category` (the activity status) and `membership_class` are the member's as the roll was
    taken, so the minutes keep counting what the meeting saw (members.standing says who
    counts as what)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=24, choices=MemberCategory.choices)
    membership_class = models.CharField(max_length=16, choices=MembershipClass.choices)
    status = models.CharField(
        _("attendance"), max_length=24, choices=AttendanceStatus.choices, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")
        ]

    @property
    def is_called(self) -> bool:
        """Whether the roll call marks this row: everyone on the roll but a member suspended
        from party activity (listed only, members.standing)."""
        return self.status != AttendanceStatus.SUSPENDED


class Speech(models.Model):
    """Who spoke, on which item, a short summary (DOMAIN §1.7)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speeches")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="speeches"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("speaker")
    )
    summary = models.TextField(_("summary"))
    # Idempotency: the same request retried by a flaky connection creates one row.
    client_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]


class CommendationKind(models.TextChoices):
    PRAISE = "praise", _("Praise")
    REMINDER = "reminder", _("Reminder")
    CRITICISM = "criticism", _("Criticism")


class Commendation(models.Model):
    """Praise, reminders and criticism of members (DOMAIN §1.4 step 10)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="commendations")
    kind = models.CharField(_("kind"), max_length=16, choices=CommendationKind.choices)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    note = models.TextField(_("note"))
    client_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class VoteRule(models.TextChoices):
    MAJORITY = "vote.majority", _("More than half of the official members")
    TWO_THIRDS = "vote.two_thirds", _("At least two thirds of the official members")


class VoteSubject(models.TextChoices):
    RESOLUTION = "resolution", _("The meeting's resolution or conclusion")
    DECISION = "decision", _("Another decision")
    ADMISSION = "admission", _("Admission of a candidate")
    RECOGNITION = "recognition", _("Recognition as an official member")
    SCORE = "score", _("The meeting's score")


class Vote(models.Model):
    """One show of hands (biểu quyết). Counts are of official members only (DOMAIN R2.4);
    `eligible` is the denominator in force when it was recorded (R2.2–R2.3), kept so the
    minutes always agree with the decision."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="votes"
    )
    subject = models.CharField(
        _("subject"), max_length=16, choices=VoteSubject.choices, default=VoteSubject.DECISION
    )
    title = models.CharField(_("what is voted on"), max_length=300)
    subject_member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member concerned"),
    )
    rule = models.CharField(max_length=32, choices=VoteRule.choices)
    in_favour = models.PositiveSmallIntegerField(_("in favour"))
    against = models.PositiveSmallIntegerField(_("against"))
    abstain = models.PositiveSmallIntegerField(_("abstaining"))
    eligible = models.PositiveSmallIntegerField()
    adopted = models.BooleanField()
    explanation = models.TextField()
    client_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]


class ScoreLine(models.Model):
    """One criterion of the scoring frame in force, for one meeting. Automatic criteria keep
    the evidence they were computed from."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="score_lines")
    code = models.CharField(max_length=32)
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=300)
    max_points = models.DecimalField(max_digits=5, decimal_places=1)
    points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    must_have = models.BooleanField(default=False)
    automatic = models.BooleanField(default=False)
    evidence = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "code"], name="score_line_unique")
        ]


class MeetingRating(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


class MeetingScore(models.Model):
    """The meeting's score and rating (DOMAIN R1.13–R1.17), and the upper-level attendee's
    confirmation or adjustment (R1.15)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="score")
    frame_source = models.TextField(blank=True)  # the rule's explain() when scored
    total = models.DecimalField(max_digits=5, decimal_places=1)
    rating = models.CharField(max_length=16, choices=MeetingRating.choices)
    explanation = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    adjustment_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)


class ResolutionKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    CONCLUSION = "conclusion", _("Conclusion")


# Type codes of 36-HD/VPTW (DOMAIN §5.3): "Số 05-NQ/CB".
DOCUMENT_TYPE_CODES = {"resolution": "NQ", "conclusion": "KL", "minutes": "BB"}


class MeetingRecord(models.Model):
    """The wording of the meeting's minutes and resolution, editable by the minute-taker until
    both signatures, then frozen. The structured facts (attendance, votes, score) are never
    text here: documents render them from the meeting's rows, so they cannot disagree."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="record")
    # Kept here so the numbering constraint below is a database constraint.
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    resolution_kind = models.CharField(
        max_length=16, choices=ResolutionKind.choices, default=ResolutionKind.RESOLUTION
    )
    resolution_subject = models.CharField(_("subject line"), max_length=300, blank=True)
    resolution_number = models.PositiveIntegerField(null=True, blank=True)
    term_start = models.DateField(null=True, blank=True)
    opening_text = models.TextField(_("opening"), blank=True)
    closing_text = models.TextField(_("closing"), blank=True)
    resolution_evaluation = models.TextField(_("evaluation of last month"), blank=True)
    resolution_tasks = models.TextField(_("tasks for next month"), blank=True)
    resolution_implementation = models.TextField(_("implementation"), blank=True)
    # Set when both have signed: SHA-256 of the canonical content (printed on the documents).
    fingerprint = models.CharField(max_length=64, blank=True)
    frozen_content = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "resolution_kind", "term_start", "resolution_number"],
                name="record_number_unique_per_term",
            )
        ]

    @property
    def number_label(self) -> str:
        """The number and code as printed (36-HD/VPTW): "Số 05-NQ/CB"."""
        if not self.resolution_number:
            return ""
        code = DOCUMENT_TYPE_CODES[self.resolution_kind]
        return f"Số {self.resolution_number:02d}-{code}/CB"


class SignerRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MINUTE_TAKER = "minute_taker", _("Minute-taker")


class Signature(models.Model):
    """A signature of the minutes and resolution (or of an addendum), given by re-entering the
    password."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="signatures")
    addendum = models.ForeignKey(
        "Addendum", null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(max_length=16, choices=SignerRole.choices)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # An addendum signed by the cell's secretary for a chair or minute-taker who has left the
    # cell (selectors.addendum_signer_roles): whom they signed for.
    in_place_of = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "role"],
                condition=models.Q(addendum__isnull=True),
                name="signature_one_per_role",
            ),
            models.UniqueConstraint(
                fields=["addendum", "role"],
                condition=models.Q(addendum__isnull=False),
                name="signature_one_per_role_addendum",
            ),
        ]


class Addendum(models.Model):
    """A correction to signed minutes. The original stays; the addendum is signed by the chair
    and the minute-taker like the minutes (or, for one who has left the cell, the cell's
    secretary) and frozen with its own fingerprint; or it is withdrawn before that."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="addenda")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(_("correction"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    fingerprint = models.CharField(max_length=64, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    # Withdrawn before both signed (services.addendum_withdraw): kept, with its number, but
    # never signed; it no longer blocks the next correction.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="addendum_number_unique")
        ]

    @property
    def is_pending(self) -> bool:
        """Waiting for signatures: neither frozen nor withdrawn."""
        return self.frozen_at is None and self.withdrawn_at is None


class DocumentKind(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    RESOLUTION = "resolution", _("Resolution")
    ADDENDUM = "addendum", _("Addendum")


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


class SignedFile(models.Model):
    """The exact bytes of a frozen document, so a file can be checked against it later."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="signed_files")
    addendum = models.ForeignKey(
        Addendum, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    format = models.CharField(max_length=8, choices=DocumentFormat.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    fingerprint = models.CharField(max_length=64)  # the content fingerprint printed inside
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "kind", "format"]


class RecipientKind(models.TextChoices):
    """The bodies of the cell's area that carry out and watch over its resolution (field
    report 002: "đến Mặt trận Tổ quốc, các tổ chức đoàn thể, quần chúng nhân dân")."""

    FRONT = "front", _("Fatherland Front")
    YOUTH = "youth", _("Youth Union")
    WOMEN = "women", _("Women's Union")
    VETERANS = "veterans", _("Veterans' Association")
    FARMERS = "farmers", _("Farmers' Association")
    TRADE_UNION = "trade_union", _("Trade union")
    RESIDENTS = "residents", _("Front work committee / residents' group")
    OTHER = "other", _("Other")


class RecipientContent(models.TextChoices):
    RESOLUTION = "resolution", _("The whole resolution")
    EXTRACT = "extract", _("The extract for the public")


class ResolutionRecipient(models.Model):
    """A body of the area to which the cell sent its signed resolution (or an extract of it,
    written here; the signed resolution never changes), and when it acknowledged receipt."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="resolution_recipients"
    )
    kind = models.CharField(_("kind of body"), max_length=16, choices=RecipientKind.choices)
    name = models.CharField(_("name of the recipient"), max_length=200)
    content = models.CharField(
        _("what was sent"),
        max_length=16,
        choices=RecipientContent.choices,
        default=RecipientContent.RESOLUTION,
    )
    extract = models.TextField(_("extract for the public"), blank=True)
    sent_on = models.DateField(_("date sent"))
    acknowledged_on = models.DateField(_("date received"), null=True, blank=True)
    acknowledged_by = models.CharField(_("received by"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recipient of the resolution")
        ordering = ["meeting", "sent_on", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "meeting", name="resolution_recipient_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
