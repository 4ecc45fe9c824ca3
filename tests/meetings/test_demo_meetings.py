"""The demo's twelve months of past meetings (issue 3): signed, consistent, varied, idempotent."""

from __future__ import annotations

import datetime
import re
import tempfile
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import TestCase, override_settings

from chibo.demo import common as demo
from chibo.demo.meetings import seeding as meeting_demo
from chibo.followup.models import Assignment, AssignmentStatus
from chibo.meetings import documents, selectors
from chibo.meetings.models import (
    PRESENT_STATUSES,
    AgendaPart,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingRecord,
    MeetingStatus,
    MemberCategory,
    ResolutionKind,
    Signature,
    SignerRole,
    Speech,
    Vote,
    VoteRule,
    VoteSubject,
)
from chibo.members.models import ACTIVE_STATUSES, Member, MemberEvent
from chibo.notify.models import Notification
from chibo.orgs.models import CELL_KINDS, Organization

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=VN)
TODAY = NOW.date()
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def run_seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def meeting_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Meeting, Attendance, Speech, Vote, Assignment, Signature, Notification)
    }


def roll_on(cell: Organization, day: datetime.date) -> set[int]:
    """The members on `cell`'s roll on `day`, from their status history."""
    standing: dict[int, tuple[str, int]] = {}
    for member_id, status, cell_id in (
        MemberEvent.objects.filter(effective_date__lte=day)
        .order_by("effective_date", "id")
        .values_list("member_id", "status", "cell_id")
    ):
        standing[member_id] = (status, cell_id)
    return {
        member_id
        for member_id, (status, cell_id) in standing.items()
        if cell_id == cell.pk and status in ACTIVE_STATUSES
    }


@time_machine.travel(NOW, tick=True)
@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="chibo-demo-media-"))
class DemoMeetingsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = run_seed_demo()
        cls.ward = Organization.objects.get(code=meeting_demo.WARD_CODE)
        cls.commune = Organization.objects.get(code=meeting_demo.COMMUNE_CODE)
        cls.khoi1 = Organization.objects.get(code=meeting_demo.KHOI1_CODE)
        cls.signed = Meeting.objects.filter(status=MeetingStatus.SIGNED)

    def khoi1_regular(self):
        return Meeting.objects.filter(
            organization=self.khoi1, kind=MeetingKind.REGULAR, status=MeetingStatus.SIGNED
        ).order_by("date")

    # -- Khối 1: complete and rich -------------------------------------------------------------

    def test_khoi1_has_signed_regular_meetings_for_each_of_the_last_twelve_months(self):
        meetings = list(self.khoi1_regular())
        # Today is 23/11/2026: November 2025 to October 2026.
        expected = [datetime.date(2025, 11, 1), datetime.date(2025, 12, 1)] + [
            datetime.date(2026, month, 1) for month in range(1, 11)
        ]
        assert [meeting.period for meeting in meetings] == expected
        assert all(meeting.date < TODAY for meeting in meetings)
        assert re.search(r"\d+ meetings\.", self.output)

    def test_every_member_on_the_roll_has_an_attendance_row(self):
        for meeting in self.khoi1_regular():
            marked = set(meeting.attendance.values_list("member_id", flat=True))
            assert marked == roll_on(self.khoi1, meeting.date), meeting.date
            assert not meeting.attendance.filter(status="").exists()
        # Most present, some late, a few absent with a reason.
        statuses = Counter(
            Attendance.objects.filter(meeting__organization=self.khoi1).values_list(
                "status", flat=True
            )
        )
        assert statuses["present"] > 5 * statuses["absent_excused"] > 0
        assert not Attendance.objects.filter(status="absent_excused", reason="").exists()

    def test_chair_is_the_secretary_and_both_signed_with_their_logins(self):
        secretary = Member.objects.get(user__username="bithu.khoi1")
        for meeting in self.khoi1_regular():
            assert meeting.chair == secretary
            signatures = {s.role: s for s in meeting.signatures.select_related("user", "member")}
            assert set(signatures) == {SignerRole.CHAIR, SignerRole.MINUTE_TAKER}
            assert signatures[SignerRole.CHAIR].user.username == "bithu.khoi1"
            assert signatures[SignerRole.MINUTE_TAKER].member == meeting.minute_taker
            assert meeting.signed_at >= meeting.ended_at > meeting.started_at
        takers = Counter(
            s.user.username
            for s in Signature.objects.filter(
                meeting__organization=self.khoi1, role=SignerRole.MINUTE_TAKER
            ).select_related("user")
        )
        assert takers.most_common(1)[0][0] == "dangvien.khoi1"

    def test_khoi1_meetings_have_speeches_assignments_praise_and_documents(self):
        for meeting in self.khoi1_regular():
            assert 5 <= meeting.speeches.values("member").distinct().count() <= 8
            assert all(speech.agenda_item_id for speech in meeting.speeches.all())
            assert meeting.assignments.count() >= 4
            assert meeting.commendations.exists()
            assert meeting.documents.count() == 1
            assert meeting.preparation.participants.exists()
            steps = list(meeting.agenda_items.values_list("step", flat=True))
            assert steps[:5] == ["dues", "opening", "minute_taker", "roll_call", "agenda"]
            assert not meeting.agenda_items.filter(notes="").exists()

    def test_khoi1_resolutions_are_numbered_in_sequence_within_the_term(self):
        numbers = [
            meeting.record.resolution_number
            for meeting in self.khoi1_regular().select_related("record")
        ]
        assert numbers == list(range(numbers[0], numbers[0] + 12))
        records = MeetingRecord.objects.filter(organization=self.khoi1)
        assert {r.term_start for r in records} == {meeting_demo.TERM_START}
        conclusions = records.filter(resolution_kind=ResolutionKind.CONCLUSION)
        assert conclusions.exists()
        assert all(r.meeting.kind == MeetingKind.THEMATIC for r in conclusions)

    def test_this_months_meeting_of_khoi1_is_published_and_prepared(self):
        meeting = Meeting.objects.get(
            organization=self.khoi1, kind=MeetingKind.REGULAR, period=TODAY.replace(day=1)
        )
        assert meeting.status == MeetingStatus.PREPARED
        assert meeting.date >= TODAY and meeting.published_at is not None
        assert meeting.with_thematic_part and meeting.topic
        assert meeting.preparation.participants.count() >= 1
        assert meeting.resolution_draft.strip()
        document = meeting.documents.get()
        assert document.file.name.endswith(".docx")
        assert default_storage.exists(document.file.name)
        items = meeting.agenda_items.all()
        assert items.filter(part=AgendaPart.THEMATIC).exists()
        assert items.filter(carried_from__isnull=False).exists()  # deferred last month
        review = items.get(step="review").guidance
        last = self.khoi1_regular().last()
        assert all(a.title in review for a in last.assignments.all())
        assert Notification.objects.filter(
            code="meeting.published", recipient__username="dangvien.khoi1"
        ).exists()

    # -- the ward and the commune --------------------------------------------------------------

    def test_every_cell_of_the_ward_and_the_commune_has_a_year_of_meetings(self):
        cells = Organization.objects.filter(
            Q(path__startswith=self.ward.path) | Q(path__startswith=self.commune.path),
            kind__in=CELL_KINDS,
        )
        held = dict(
            self.signed.filter(kind=MeetingKind.REGULAR)
            .values_list("organization")
            .annotate(n=Count("id"))
        )
        assert len(cells) == 55
        assert all(9 <= held.get(cell.pk, 0) <= 12 for cell in cells)
        assert min(held.values()) < 12  # a few cells skip months …
        cancelled = Meeting.objects.filter(status=MeetingStatus.CANCELLED)
        assert cancelled.exists() and not cancelled.filter(cancel_reason="").exists()
        # … and the coming months are planned by the policy.
        assert (
            Meeting.objects.filter(
                status=MeetingStatus.PLANNED, kind=MeetingKind.REGULAR, generated=True
            ).count()
            >= 55
        )

    def test_a_few_cells_meet_briefly_and_some_rarely_hear_more_than_two_speakers(self):
        short = [m for m in self.signed if m.duration_minutes < 75]
        assert 20 <= len(short) <= len(self.signed) // 4
        assert all(50 <= m.duration_minutes <= 70 for m in short if m.kind == "regular")
        speakers = Counter(
            self.signed.annotate(n=Count("speeches__member", distinct=True)).values_list(
                "n", flat=True
            )
        )
        assert speakers[1] + speakers[2] > 0.2 * len(self.signed)
        assert max(speakers) == 8  # 2–8 speakers; 1 or 2 in the quiet cells

    def test_some_quarters_have_no_thematic_meeting_and_the_dashboard_warns(self):
        """At least one thematic meeting a quarter (DOMAIN R1.3): the demo leaves a few
        quarters without one, so the warning has something to show."""
        past_quarters = [datetime.date(2026, month, 15) for month in (2, 5, 8)]
        assert any(selectors.cells_without_thematic(self.ward, on=day) for day in past_quarters)
        assert selectors.cells_without_thematic(self.ward, on=TODAY)
        assert selectors.cells_without_thematic(self.commune, on=TODAY)
        assert len(selectors.cells_without_thematic(self.ward, on=datetime.date(2026, 5, 15))) < 12
        combined = self.signed.filter(with_thematic_part=True)
        assert combined.exists() and self.signed.filter(kind=MeetingKind.THEMATIC).exists()
        for meeting in combined[:20]:
            assert meeting.agenda_items.filter(part=AgendaPart.THEMATIC).count() == 1

    def test_assignments_are_set_each_month_and_older_ones_are_mostly_done(self):
        regular = self.signed.filter(kind=MeetingKind.REGULAR)
        assert not regular.annotate(n=Count("assignments")).filter(n=0).exists()
        assignments = Assignment.objects.filter(source_meeting__in=self.signed)
        assert not assignments.annotate(n=Count("members")).filter(n=0).exists()
        old = assignments.filter(due_date__lt=TODAY - datetime.timedelta(days=60))
        done = old.filter(status=AssignmentStatus.DONE).count()
        assert done > 0.7 * old.count()
        assert old.filter(status=AssignmentStatus.NOT_DONE).exists()
        assert not old.filter(status=AssignmentStatus.OPEN).exists()
        assert assignments.filter(
            status__in=[AssignmentStatus.OPEN, AssignmentStatus.IN_PROGRESS],
            due_date__gte=TODAY,
        ).exists()
        reviewed = assignments.filter(reviewed_at__isnull=False).select_related(
            "source_meeting", "reviewed_at"
        )
        assert all(a.reviewed_at.date > a.source_meeting.date for a in reviewed)

    # -- rules and records ---------------------------------------------------------------------

    def test_votes_never_exceed_the_official_members_present(self):
        """Only official members vote (R2.4); the counts fit the electorate recorded."""
        present = dict(
            Attendance.objects.filter(meeting__status=MeetingStatus.SIGNED)
            .filter(
                Q(category=MemberCategory.OFFICIAL)
                | Q(category=MemberCategory.EXEMPTED, status__in=PRESENT_STATUSES),
                status__in=PRESENT_STATUSES,
            )
            .values_list("meeting")
            .annotate(n=Count("id"))
        )
        eligible = dict(
            Attendance.objects.filter(meeting__status=MeetingStatus.SIGNED)
            .filter(
                Q(category=MemberCategory.OFFICIAL)
                | Q(category=MemberCategory.EXEMPTED, status__in=PRESENT_STATUSES)
            )
            .values_list("meeting")
            .annotate(n=Count("id"))
        )
        votes = Vote.objects.filter(meeting__status=MeetingStatus.SIGNED)
        for vote in votes:
            assert vote.in_favour + vote.against + vote.abstain <= present[vote.meeting_id]
            assert vote.eligible == eligible[vote.meeting_id]
        # Every signed meeting adopted its resolution or conclusion by more than half (R2.1).
        adopted = votes.filter(subject=VoteSubject.RESOLUTION, adopted=True)
        assert adopted.count() == self.signed.count()
        assert all(2 * v.in_favour > v.eligible for v in adopted)
        # Admission and recognition need two thirds (R2.5): 6 of 9 passes.
        special = votes.filter(subject__in=[VoteSubject.ADMISSION, VoteSubject.RECOGNITION])
        assert special.exists()
        assert all(
            v.rule == VoteRule.TWO_THIRDS and 3 * v.in_favour >= 2 * v.eligible for v in special
        )

    def test_scores_follow_the_frame_and_are_mostly_fair_or_good(self):
        ratings = Counter(self.signed.values_list("score__rating", flat=True))
        assert ratings["fair"] > ratings["good"] > 0
        assert 0 < ratings["average"] < 0.2 * len(self.signed)
        assert ratings["fair"] + ratings["good"] > 0.8 * len(self.signed)
        for meeting in self.signed.select_related("score", "organization")[::40]:
            lines = list(meeting.score_lines.all())
            assert lines and all(line.points is not None for line in lines)
            assert all(line.evidence for line in lines if line.automatic)

    def test_every_signed_meeting_is_frozen_with_the_fingerprint_of_its_content(self):
        records = MeetingRecord.objects.filter(meeting__status=MeetingStatus.SIGNED)
        assert records.count() == self.signed.count()
        for record in records:
            assert HEX64.match(record.fingerprint)
            assert record.fingerprint == documents.fingerprint_of(record.frozen_content)

    # -- running again -------------------------------------------------------------------------

    def test_seeding_twice_creates_nothing_new(self):
        before = meeting_counts()
        output = run_seed_demo()
        assert "already exists" in output
        assert meeting_counts() == before

    def test_a_demo_without_meetings_gets_them_on_the_next_run(self):
        root = Organization.objects.get(code=demo.DEMO_ROOT_CODE)
        before = meeting_counts()
        meeting_demo.delete(root)
        assert not Meeting.objects.exists() and not Assignment.objects.exists()
        output = run_seed_demo()
        assert "meetings added" in output
        after = meeting_counts()
        # The rolls are rebuilt from today's members: the life-cycle stories seeded after the
        # first run (a suspension, a temporary attachment, …) change a few rolls, and with them
        # the random draws of the cells after them.
        assert abs(after["Meeting"] - before["Meeting"]) <= before["Meeting"] // 50
        assert abs(after["Attendance"] - before["Attendance"]) <= before["Attendance"] // 50

    def test_reset_deletes_the_meetings_and_creates_them_again(self):
        old = set(Meeting.objects.values_list("pk", flat=True))
        count = len(old)
        run_seed_demo("--reset")
        assert Meeting.objects.count() == count
        assert not old & set(Meeting.objects.values_list("pk", flat=True))
