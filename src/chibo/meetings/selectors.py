"""Reads of meetings: policies in force, the roll-call summary the minutes need, lists."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from chibo.core import rules
from chibo.core.dates import add_months
from chibo.core.rules import ancestor_paths
from chibo.followup.models import CLOSED_ASSIGNMENT_STATUSES, Assignment
from chibo.meetings import votes
from chibo.meetings.models import (
    EDITABLE_STATUSES,
    PRESENT_STATUSES,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingGuest,
    MeetingKind,
    MeetingPolicy,
    MeetingRecord,
    MeetingStatus,
    MemberCategory,
    Signature,
    SignerRole,
    Speech,
    Vote,
)
from chibo.members import standing
from chibo.members.models import ACTIVE_STATUSES, Member, MembershipClass, MemberStatus
from chibo.orgs.models import CELL_KINDS, Organization, Position, Role
from chibo.orgs.selectors import followers_of, sorted_naturally


def policy_for(organization: Organization) -> MeetingPolicy | None:
    """The meeting policy that applies to `organization`: its own, else the nearest
    ancestor's (one query)."""
    paths = ancestor_paths(organization.path)
    policies = {
        policy.organization.path: policy
        for policy in MeetingPolicy.objects.filter(organization__path__in=paths).select_related(
            "organization"
        )
    }
    # The deepest organization's policy wins.
    return policies[max(policies, key=len)] if policies else None


@dataclass
class AbsentMember:
    member_id: int
    name: str
    category: str
    status: str
    reason: str


@dataclass
class RollCallSummary:
    """What the minutes state about attendance (DOMAIN §1.4 step 4, §1.7), computed."""

    total: int = 0
    by_category: dict[str, int] = field(default_factory=dict)  # by activity status
    # The cell's own members (all but the temporarily attached) by membership class, so that
    # official + probationary + temporarily attached = total; exempted and suspended members
    # are counted in their class (and apart in `exempted` and by_category["suspended"]).
    by_class: dict[str, int] = field(default_factory=dict)
    exempted: int = 0
    present: int = 0
    present_by_category: dict[str, int] = field(default_factory=dict)
    present_by_class: dict[str, int] = field(default_factory=dict)
    late: int = 0
    absent_excused: list[AbsentMember] = field(default_factory=list)
    absent_unexcused: list[AbsentMember] = field(default_factory=list)
    not_called: int = 0
    # Members expected: those who must attend (members.standing: not the exempted, not the
    # suspended) plus exempted members who came.
    denominator: int = 0
    rate: Decimal | None = None  # percent of the denominator present
    electorate: votes.Electorate = field(default_factory=lambda: votes.Electorate(0, 0))

    @property
    def absent(self) -> int:
        return len(self.absent_excused) + len(self.absent_unexcused)


def roll_call_summary(rows: list[Attendance]) -> RollCallSummary:
    """Summarise attendance rows (with `member` selected). Who counts as what is
    members.standing's: exempted members are left out of the attendance rate unless they
    attend (DOMAIN R1.5 criterion 1); suspended members are listed, never expected (§9a)."""
    summary = RollCallSummary()
    for category in MemberCategory.values:
        summary.by_category[category] = 0
        summary.present_by_category[category] = 0
    for membership_class in MembershipClass.values:
        summary.by_class[membership_class] = 0
        summary.present_by_class[membership_class] = 0
    for row in rows:
        summary.total += 1
        summary.by_category[row.category] += 1
        own = row.category != MemberCategory.TEMPORARILY_ATTACHED
        if own:
            summary.by_class[row.membership_class] += 1
        is_present = row.status in PRESENT_STATUSES
        exempt = row.category == MemberCategory.EXEMPTED or row.status == AttendanceStatus.EXEMPT
        if exempt:
            summary.exempted += 1
        if is_present:
            summary.present += 1
            summary.present_by_category[row.category] += 1
            if own:
                summary.present_by_class[row.membership_class] += 1
            if row.status == AttendanceStatus.LATE:
                summary.late += 1
        elif row.status in (AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED):
            absent = AbsentMember(
                member_id=row.member_id,
                name=row.member.full_name,
                category=row.category,
                status=row.status,
                reason=row.reason,
            )
            if row.status == AttendanceStatus.ABSENT_EXCUSED:
                summary.absent_excused.append(absent)
            else:
                summary.absent_unexcused.append(absent)
        elif not row.status:
            summary.not_called += 1
        if is_present or standing.must_attend(row.category):
            summary.denominator += 1
    if summary.denominator:
        summary.rate = (Decimal(summary.present) * 100 / summary.denominator).quantize(
            Decimal("0.1")
        )
    summary.electorate = votes.electorate(rows)
    return summary


def attendance_rows(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("member__name_sort_key", "member_id")
    )


def absence_streaks(meeting: Meeting) -> dict[int, int]:
    """For each member on this meeting's roll, how many regular meetings of the cell in a
    row, this calendar year up to and including this one, they missed (with or without
    reason). One query. DOMAIN R1.5 criterion 1 / R1.13: more than 3 in a row fails a
    quality meeting."""
    year_start = datetime.date(meeting.date.year, 1, 1)
    rows = (
        Attendance.objects.filter(
            meeting__organization_id=meeting.organization_id,
            meeting__date__gte=year_start,
            meeting__date__lte=meeting.date,
            meeting__kind__in=[MeetingKind.REGULAR, MeetingKind.EXTRAORDINARY],
            meeting__status__in=[
                MeetingStatus.IN_PROGRESS,
                MeetingStatus.CLOSED,
                MeetingStatus.SIGNED,
            ],
        )
        .order_by("member_id", "-meeting__date", "-meeting_id")
        .values_list("member_id", "status", "meeting_id")
    )
    streaks: dict[int, int] = {}
    broken: set[int] = set()
    for member_id, status, _meeting_id in rows:
        if member_id in broken or not status:
            # Not called yet (this meeting's roll call is under way): neither an absence nor
            # an attendance, so the run of earlier absences shows while the roll is called.
            continue
        if status in (AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED):
            streaks[member_id] = streaks.get(member_id, 0) + 1
        else:
            broken.add(member_id)
    return streaks


@dataclass
class Warning:
    code: str
    text: str


def attendance_warnings(meeting: Meeting, summary: RollCallSummary) -> list[Warning]:
    """Warnings, never blocks (DOMAIN R2.9: no quorum exists for a regular meeting)."""
    warnings: list[Warning] = []
    threshold_rule = rules.rule_in_force(
        "meeting.attendance_warning_percent", organization=meeting.organization, on=meeting.date
    )
    rate = summary.rate if summary.not_called == 0 else None  # only once everyone is called
    if rate is not None and rate <= Decimal(str(threshold_rule.value)):
        warnings.append(
            Warning(
                "attendance_low",
                _("Attendance is %(rate)s%%, not above %(threshold)s%%. %(rule)s")
                % {
                    "rate": number_format(rate),
                    "threshold": number_format(threshold_rule.value),
                    "rule": threshold_rule.explain(),
                },
            )
        )
    streak_rule = rules.rule_in_force(
        "meeting.max_consecutive_excused_absences",
        organization=meeting.organization,
        on=meeting.date,
    )
    streaks = absence_streaks(meeting)
    names = {row.member_id: row.member.full_name for row in summary_rows_cache(meeting)}
    for member_id, count in sorted(streaks.items()):
        if count >= streak_rule.value and member_id in names:
            warnings.append(
                Warning(
                    "absence_streak",
                    _("%(name)s has missed %(count)s meetings in a row this year. %(rule)s")
                    % {"name": names[member_id], "count": count, "rule": streak_rule.explain()},
                )
            )
    return warnings


def summary_rows_cache(meeting: Meeting) -> list[Attendance]:
    cached = getattr(meeting, "_attendance_rows", None)
    if cached is None:
        cached = attendance_rows(meeting)
        meeting._attendance_rows = cached  # type: ignore[attr-defined]
    return cached


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The cell's last held regular meeting before this one."""
    return (
        Meeting.objects.filter(
            organization_id=meeting.organization_id,
            kind__in=[MeetingKind.REGULAR],
            date__lt=meeting.date,
            status__in=[MeetingStatus.CLOSED, MeetingStatus.SIGNED, MeetingStatus.IN_PROGRESS],
        )
        .order_by("-date", "-id")
        .first()
    )


def assignments_to_review(meeting: Meeting) -> QuerySet[Assignment]:
    """Assignments set by the previous meeting (and older ones still open), to review at step
    7 of this meeting."""
    previous = previous_meeting(meeting)
    query = (
        Q(organization_id=meeting.organization_id, reviewed_at__isnull=True)
        & Q(
            created_at__lt=timezone.make_aware(
                datetime.datetime.combine(meeting.date, datetime.time.min)
            )
        )
        & ~Q(status__in=CLOSED_ASSIGNMENT_STATUSES)
    )
    if previous is not None:
        query |= Q(source_meeting=previous)
    return (
        Assignment.objects.filter(query)
        .exclude(source_meeting=meeting)
        .prefetch_related("members")
        .order_by("due_date", "id")
    )


def assignments_given_to(meeting: Meeting, member_id: int | None) -> QuerySet[Assignment]:
    """The assignments this meeting gave the member (none without a member record)."""
    if not member_id:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(source_meeting=meeting, members__id=member_id)
        .order_by("due_date", "id")
        .distinct()
    )


def meetings_of_cell(cell: Organization, *, year: int | None = None) -> QuerySet[Meeting]:
    rows = Meeting.objects.filter(organization=cell).select_related("score")
    if year:
        rows = rows.filter(date__year=year)
    return rows


def _upcoming(today: datetime.date) -> Q:
    """Not yet held and dated today or later, or being held now."""
    not_held = Q(status__in=EDITABLE_STATUSES, date__gte=today)
    return not_held | Q(status=MeetingStatus.IN_PROGRESS)


def upcoming_meetings_of_cell(cell: Organization, *, today: datetime.date) -> QuerySet[Meeting]:
    """The cell's "Sắp tới" list, soonest first: a meeting planned for next year is in it, a
    held or signed one is not, even on its own day."""
    return meetings_of_cell(cell).filter(_upcoming(today)).order_by("date", "time", "id")


def past_meetings_of_cell(
    cell: Organization, *, year: int, today: datetime.date
) -> QuerySet[Meeting]:
    """The cell's "Các buổi đã qua" of `year`: held, signed or cancelled, or whose date has
    passed — everything not upcoming."""
    return meetings_of_cell(cell, year=year).exclude(_upcoming(today))


def cells_without_thematic(
    organization: Organization, *, on: datetime.date | None = None
) -> list[Organization]:
    """Cells under `organization` that have held (or scheduled) fewer thematic meetings —
    thematic meetings or regular meetings with a thematic part — this quarter than the rule
    in force asks (DOMAIN R1.3: at least one a quarter; a province may ask for more).
    Two queries (the rule, the cells)."""
    day = on or timezone.localdate()
    start = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end = add_months(start, 3) - datetime.timedelta(days=1)
    minimum = rules.rule_in_force(
        "meeting.thematic_min_per_quarter", organization=organization, on=day
    ).value
    thematic = Q(meetings__kind=MeetingKind.THEMATIC) | Q(meetings__with_thematic_part=True)
    # Cells are listed in natural order ("Khối 2" before "Khối 10").
    return sorted_naturally(
        Organization.objects.filter(path__startswith=organization.path, kind__in=CELL_KINDS)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=day))
        .annotate(
            thematic_count=Count(
                "meetings",
                filter=thematic
                & Q(meetings__date__gte=start, meetings__date__lte=end)
                & ~Q(meetings__status=MeetingStatus.CANCELLED),
            )
        )
        .filter(thematic_count__lt=minimum)
        .order_by("path")
    )


def _quarter_label(day: datetime.date) -> str:
    return _("quarter %(quarter)s/%(year)s") % {
        "quarter": (day.month - 1) // 3 + 1,
        "year": day.year,
    }


def thematic_warning(cell: Organization, *, today: datetime.date) -> str:
    """The warning shown when the cell has no thematic meeting this quarter (DOMAIN R1.3),
    empty when it has one."""
    if not cell.is_active or not cells_without_thematic(cell, on=today):
        return ""
    rule = rules.rule_in_force("meeting.thematic_min_per_quarter", organization=cell, on=today)
    return _(
        "No thematic meeting is held or scheduled in %(quarter)s. A thematic meeting does not "
        "replace the regular one. %(rule)s"
    ) % {"quarter": _quarter_label(today), "rule": rule.explain()}


def upcoming_for_member(member: Any, *, today: datetime.date | None = None):
    day = today or timezone.localdate()
    return (
        Meeting.objects.filter(organization_id=member.cell_id, date__gte=day)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(status=MeetingStatus.PLANNED)
        .order_by("date", "time")
    )


def next_meeting_for_member(member: Any, *, today: datetime.date | None = None) -> Meeting | None:
    """The meeting to show a member first: one of their cell in progress (the secretary and
    the minute-taker rejoin it), else the next published one."""
    in_progress = (
        Meeting.objects.filter(organization_id=member.cell_id, status=MeetingStatus.IN_PROGRESS)
        .order_by("date")
        .first()
    )
    return in_progress or upcoming_for_member(member, today=today).first()


# -- who signs ------------------------------------------------------------------------------


def signer_roles(meeting: Meeting, member_id: int | None) -> list[str]:
    """The roles in which a member signs this meeting's minutes and addenda: the chair and
    the minute-taker appointed at the opening (one person may hold both). Nobody else signs."""
    if member_id is None:
        return []
    roles: list[str] = []
    if member_id == meeting.chair_id:
        roles.append(SignerRole.CHAIR)
    if member_id == meeting.minute_taker_id:
        roles.append(SignerRole.MINUTE_TAKER)
    return roles


def may_sign(member_id: int | None, meeting: Meeting) -> bool:
    """Whether the member is one of the meeting's signers (chair or minute-taker)."""
    return bool(signer_roles(meeting, member_id))


def has_left_cell(member: Member, cell_id: int) -> bool:
    """Whether a member is no longer on the cell's rolls: transferred out, removed or dead, or
    moved to another cell for good. A member temporarily attached elsewhere still belongs to
    their home cell (lifecycle keeps it on the transfer) and has not left."""
    if member.status not in ACTIVE_STATUSES:
        return True
    return member.cell_id != cell_id and member.status != MemberStatus.TEMPORARILY_ATTACHED


def substitute_signer(cell: Organization) -> Member | None:
    """Who signs an addendum for a chair or minute-taker who has left the cell: the cell's
    current secretary, else a deputy secretary (the leaders who answer for the cell's records;
    DOMAIN has no rule on it — chibo's choice, docs/architecture.md)."""
    for role in (Role.SECRETARY, Role.DEPUTY_SECRETARY):
        position = (
            Position.objects.current()
            .filter(organization=cell, role=role)
            .select_related("member")
            .order_by("start_date", "id")
            .first()
        )
        if position is not None and not has_left_cell(position.member, cell.pk):
            return position.member
    return None


def addendum_signer_roles(meeting: Meeting, member_id: int | None) -> list[tuple[str, int | None]]:
    """The roles in which a member signs the meeting's addenda, each with the member they sign
    for: the chair and the minute-taker sign for themselves while they are in the cell; for one
    who has left (has_left_cell), the cell's secretary signs in their place (substitute_signer).
    One person may hold both roles."""
    if member_id is None:
        return []
    roles: list[tuple[str, int | None]] = []
    substitute: Member | None = None
    for role, person in (
        (SignerRole.CHAIR, meeting.chair),
        (SignerRole.MINUTE_TAKER, meeting.minute_taker),
    ):
        if person is None:
            continue
        if not has_left_cell(person, meeting.organization_id):
            if person.pk == member_id:
                roles.append((role, None))
            continue
        substitute = substitute or substitute_signer(meeting.organization)
        if substitute is not None and substitute.pk == member_id:
            roles.append((role, person.pk))
    return roles


# Positions of the cell committee (chi ủy): its members hold the preparatory meeting and make
# up the roll of a cell-committee meeting.
COMMITTEE_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER)


def committee_member_ids(cell: Organization) -> list[int]:
    """The members who hold a cell-committee position on the cell now."""
    return list(
        Position.objects.current()
        .filter(organization=cell, role__in=COMMITTEE_ROLES)
        .values_list("member_id", flat=True)
    )


# -- the opening ----------------------------------------------------------------------------


def cell_secretary(cell: Organization) -> Position | None:
    """The cell's current secretary (the usual chair), if recorded."""
    return (
        Position.objects.current()
        .filter(organization=cell, role=Role.SECRETARY)
        .select_related("member")
        .first()
    )


def upper_level_follower(cell: Organization) -> Position | None:
    """The upper-level committee member following the cell: one assigned to the cell itself
    first, else one on the nearest committee above."""
    return (
        Position.objects.current()
        .filter(role=Role.UPPER_COMMITTEE_MEMBER, organization__path__in=ancestor_paths(cell.path))
        .select_related("member", "organization")
        .order_by("-organization__depth", "id")
        .first()
    )


def follower_title(position: Position) -> str:
    """How the minutes title the upper-level member following the cell, as a guest: a member
    of the committee above the unit they are assigned to, following that unit ("Ủy viên Đảng
    ủy phường Hưng Phú, phụ trách Chi bộ Khối 1") — not the unit's own name."""
    committee = Organization.objects.get_parent(position.organization)
    if committee is None:
        return _("%(role)s, %(organization)s") % {
            "role": position.get_role_display(),
            "organization": position.organization.name,
        }
    return _("Member of %(committee)s, following %(organization)s") % {
        "committee": committee.name,
        "organization": position.organization.name,
    }


# -- the upper level's confirmation of the score (DOMAIN R1.15) -----------------------------


def score_confirmer_users(meeting: Meeting) -> list[Any]:
    """The users asked to confirm the meeting's score: the upper-level member(s) following the
    cell and the upper-level guests recorded at the meeting."""
    member_ids = followers_of([meeting.organization])[meeting.organization.pk]
    member_ids |= set(
        meeting.guests.filter(is_upper_level=True, member__isnull=False).values_list(
            "member_id", flat=True
        )
    )
    return [
        m.user for m in Member.objects.filter(pk__in=member_ids).select_related("user") if m.user_id
    ]


def meetings_to_confirm(member_id: int | None) -> list[Meeting]:
    """Meetings whose score waits for this upper-level member's confirmation, newest first:
    scored, unconfirmed, closed and not yet signed by anyone or signed by both (between the
    two signatures nothing may change), in a cell they follow or at which they were the
    upper-level guest. A bounded number of queries whatever the number of cells."""
    if not member_id:
        return []
    paths = list(
        Position.objects.current()
        .filter(member_id=member_id, role=Role.UPPER_COMMITTEE_MEMBER)
        .values_list("organization__path", flat=True)
    )
    reach = Q(guests__member_id=member_id, guests__is_upper_level=True)
    for path in paths:
        reach |= Q(organization__path__startswith=path)
    minutes_signed = Signature.objects.filter(meeting=OuterRef("pk"), addendum__isnull=True)
    candidates = list(
        Meeting.objects.filter(score__isnull=False, score__confirmed_by__isnull=True)
        .filter(
            Q(status=MeetingStatus.SIGNED)
            | (Q(status=MeetingStatus.CLOSED) & ~Exists(minutes_signed))
        )
        .filter(reach)
        .select_related("organization", "score")
        .distinct()
        .order_by("-date", "-id")
    )
    if not candidates:
        return []
    guest_of = set(
        MeetingGuest.objects.filter(
            meeting__in=candidates, member_id=member_id, is_upper_level=True
        ).values_list("meeting_id", flat=True)
    )
    followers = followers_of(list({m.organization_id: m.organization for m in candidates}.values()))
    return [m for m in candidates if m.pk in guest_of or member_id in followers[m.organization_id]]


def standing_attendees_of(cell: Organization) -> QuerySet[Member]:
    """The cell's standing attendees (a ward civil servant, the area police officer): offered
    at the opening as guests, like the upper-level member."""
    ids = (
        Position.objects.current()
        .filter(organization=cell, role=Role.STANDING_ATTENDEE)
        .values("member_id")
    )
    return Member.objects.filter(pk__in=ids).order_by("name_sort_key")


def upper_level_guest_choices(upper: Position | None) -> QuerySet[Member]:
    """Whom the opening offers as the upper-level guest: the member following the cell (a
    guest is linked to a member by their record, never by a typed name)."""
    if upper is None:
        return Member.objects.none()
    return Member.objects.filter(pk=upper.member_id)


# -- the live screen ------------------------------------------------------------------------


def electorate_for(meeting: Meeting) -> votes.Electorate:
    """Who may vote at the meeting and how many of them are present (DOMAIN R2.1)."""
    return votes.electorate(
        Attendance.objects.filter(meeting=meeting).only("category", "membership_class", "status")
    )


def live_summary(meeting: Meeting) -> dict[str, Any]:
    """The roll call (its tab, and the counters a roll-call tap refreshes): the rows, their
    summary and the warnings."""
    rows = attendance_rows(meeting)
    meeting._attendance_rows = rows  # type: ignore[attr-defined]
    summary = roll_call_summary(rows)
    return {
        "rows": rows,
        "summary": summary,
        "warnings": attendance_warnings(meeting, summary) if rows else [],
    }


# How many speeches of an agenda item, votes and assignments a live tab shows at first (the
# latest ones); "show all" loads the rest.
LIVE_SHOWN = 10


def roll_counts(meeting: Meeting) -> dict[str, int]:
    """Members present and members not called yet, counted in the database (one query) for
    the tabs that show a counter but not the roll call."""
    return Attendance.objects.filter(meeting=meeting).aggregate(
        present=Count("pk", filter=Q(status__in=PRESENT_STATUSES)),
        not_called=Count("pk", filter=Q(status="")),
    )


def speakers_figures(meeting: Meeting, present: int | None = None) -> dict[str, Any]:
    """How many different members spoke, of how many present, and the share (the agenda's
    counter). `present` when the caller has counted it already."""
    if present is None:
        present = roll_counts(meeting)["present"]
    speakers = Speech.objects.filter(meeting=meeting).values("member_id").distinct().count()
    share = (Decimal(speakers) * 100 / present).quantize(Decimal("0.1")) if present else None
    return {"speakers": speakers, "present": present, "speakers_share": share}


def item_speeches(meeting: Meeting, item_id: int | None) -> list[Speech]:
    """All the speeches on one agenda item (None: on no item), oldest first."""
    rows = Speech.objects.filter(meeting=meeting, agenda_item_id=item_id)
    return list(rows.select_related("member").order_by("id"))


def latest_speeches(meeting: Meeting, *, limit: int | None) -> list[Speech]:
    """The speeches of the meeting, per agenda item the latest `limit` (all when None), oldest
    first."""
    rows = Speech.objects.filter(meeting=meeting)
    if limit is not None:
        rows = rows.annotate(
            latest=Window(RowNumber(), partition_by=F("agenda_item_id"), order_by=F("id").desc())
        ).filter(latest__lte=limit)
    return list(rows.select_related("member").order_by("id"))


def speech_counts(meeting: Meeting) -> dict[int | None, int]:
    """How many speeches each agenda item has (None: on no item)."""
    rows = (
        Speech.objects.filter(meeting=meeting)
        .order_by()
        .values("agenda_item_id")
        .annotate(n=Count("pk"))
    )
    return {row["agenda_item_id"]: row["n"] for row in rows}


def vote_counts(meeting: Meeting) -> dict[str, int]:
    return Vote.objects.filter(meeting=meeting).aggregate(
        recorded=Count("pk"), adopted=Count("pk", filter=Q(adopted=True))
    )


def latest_votes(meeting: Meeting, limit: int | None) -> list[Vote]:
    """The votes of the meeting, the latest `limit` (all when None), oldest first."""
    rows = Vote.objects.filter(meeting=meeting).select_related("subject_member")
    if limit is not None:
        return list(reversed(rows.order_by("-recorded_at", "-id")[:limit]))
    return list(rows.order_by("recorded_at", "id"))


def meeting_assignments(meeting: Meeting) -> QuerySet[Assignment]:
    return Assignment.objects.filter(source_meeting=meeting)


def latest_assignments(meeting: Meeting, limit: int | None) -> list[Assignment]:
    """The assignments the meeting gave, the latest `limit` (all when None), oldest first."""
    rows = meeting_assignments(meeting).prefetch_related("members")
    if limit is not None:
        return list(reversed(rows.order_by("-id")[:limit]))
    return list(rows.order_by("id"))


def live_tab(
    meeting: Meeting, tab: str, *, member_id: int | None, limit: int | None = LIVE_SHOWN
) -> dict[str, Any]:
    """What one tab of the live screen reads, and only that (the forms are the view's); the
    long lists show the latest `limit` rows (all when None)."""
    if tab == "rollcall":
        return live_summary(meeting)
    if tab == "agenda":
        return _agenda_tab(meeting, limit)
    if tab == "assignments":
        return {
            "assignments": latest_assignments(meeting, limit),
            "assignment_count": meeting_assignments(meeting).count(),
            "to_review": list(assignments_to_review(meeting).prefetch_related("members")),
        }
    if tab == "votes":
        return {
            "votes": latest_votes(meeting, limit),
            "vote_counts": vote_counts(meeting),
            "electorate": electorate_for(meeting),
            "majority_rule": _rule(meeting, "vote.majority"),
            "two_thirds_rule": _rule(meeting, "vote.two_thirds"),
        }
    if tab == "close":
        return {
            "roll_counts": roll_counts(meeting),
            "duration_rule": _rule(meeting, "meeting.min_duration_minutes"),
            "duration_reading_rule": _rule(meeting, "meeting.duration_reading"),
        }
    if tab == "score":
        score = getattr(meeting, "score", None)
        return {
            "lines": list(meeting.score_lines.all()),
            "score": score,
            "frame_rule": _rule(meeting, "meeting.scoring_frame"),
            # After both signatures the score is confirmed as signed (services.score_confirm);
            # between them nothing the minutes show may change.
            "confirm_after_signing": meeting.status == MeetingStatus.SIGNED
            and score is not None
            and score.confirmed_by_id is None,
            "confirm_waits_for_signature": meeting.status == MeetingStatus.CLOSED
            and meeting.signatures.filter(addendum__isnull=True).exists(),
        }
    if tab == "record":
        return _record_tab(meeting, member_id)
    return {}


def _rule(meeting: Meeting, key: str) -> rules.Resolved:
    return rules.rule_in_force(key, organization=meeting.organization, on=meeting.date)


def _agenda_tab(meeting: Meeting, limit: int | None) -> dict[str, Any]:
    """The agenda items with the latest `limit` speeches of each and how many there are."""
    items = list(meeting.agenda_items.all())
    shown = latest_speeches(meeting, limit=limit)
    counts = speech_counts(meeting)
    by_item: dict[int | None, list[Speech]] = {}
    for speech in shown:
        by_item.setdefault(speech.agenda_item_id, []).append(speech)
    return {
        "item_speeches": [
            (item, by_item.get(item.pk, []), counts.get(item.pk, 0)) for item in items
        ],
        "loose_speeches": by_item.get(None, []),
        "loose_count": counts.get(None, 0),
        "commendations": meeting.commendations.select_related("member"),
        **speakers_figures(meeting),
    }


def _record_tab(meeting: Meeting, member_id: int | None) -> dict[str, Any]:
    signatures = meeting.signatures.filter(addendum__isnull=True).select_related("member")
    signed_roles = {s.role for s in signatures}
    return {
        "record": MeetingRecord.objects.filter(meeting=meeting).first(),
        "signatures": signatures,
        "my_roles": [r for r in signer_roles(meeting, member_id) if r not in signed_roles],
        "signed_by_me": any(s.member_id == member_id for s in signatures),
        "addenda": meeting.addenda.prefetch_related(
            "signatures__member", "signatures__in_place_of"
        ),
        "is_signer": may_sign(member_id, meeting),
        "is_addendum_signer": bool(addendum_signer_roles(meeting, member_id)),
        "score": getattr(meeting, "score", None),
    }
