"""Reads of the annual review: the roll of a year, the evidence gathered for each member
(R4.6, R4.7), the quota state of a grassroots organization, and the annual statistics.
Every list is built with a fixed number of queries, whatever the number of members."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from chibo.core.rules import ancestor_paths
from chibo.followup.models import Assignment, AssignmentStatus
from chibo.lifecycle import status as lifecycle_status
from chibo.meetings.models import (
    Attendance,
    AttendanceStatus,
    MeetingKind,
    MeetingScore,
    MeetingStatus,
)
from chibo.members.dues import first_of_month, member_start_month, months_of
from chibo.members.models import ACTIVE_STATUSES, DuesPayment, Member
from chibo.orgs.models import CELL_KINDS, Organization, OrganizationKind
from chibo.orgs.selectors import natural_key
from chibo.residence.selectors import ResidenceEvidence, residence_evidence
from chibo.reviews import rules
from chibo.reviews.models import (
    LEVEL_ORDER,
    Discipline,
    Level,
    MemberReview,
    OrganizationReview,
    ReviewDecision,
)

# The kinds that are a grassroots party organization (tổ chức cơ sở đảng); communes, wards and
# special zones are grassroots committees under 208-QĐ/TW.
GRASSROOTS_KINDS = frozenset(
    {
        OrganizationKind.GRASSROOTS_CELL,
        OrganizationKind.GRASSROOTS_COMMITTEE,
        OrganizationKind.COMMUNE_COMMITTEE,
        OrganizationKind.WARD_COMMITTEE,
        OrganizationKind.SPECIAL_ZONE_COMMITTEE,
    }
)
REVIEWED_ORG_KINDS = CELL_KINDS | GRASSROOTS_KINDS


def grassroots_of(organization: Organization) -> Organization:
    """The grassroots organization `organization` belongs to (the nearest one on its path, or
    itself); the organization itself when none is above it."""
    chain = Organization.objects.filter(
        path__in=ancestor_paths(organization.path), kind__in=GRASSROOTS_KINDS
    ).order_by("-depth")
    return chain.first() or organization


def parent_of(organization: Organization) -> Organization | None:
    if organization.depth <= 1:
        return None
    return Organization.objects.filter(path=organization.path[: -Organization.steplen]).first()


def exclusion_rule(cell: Any, year: int) -> Any:
    """The rule leaving exempted members out of the rating (R3.17), explained."""
    return lifecycle_status.rating_exclusion_rule(cell, year)


def exempted_during(member_ids: Iterable[int], year: int) -> set[int]:
    """Members exempted from activity in `year` (R3.17: not rated), by the life-cycle rule."""
    return set(lifecycle_status.exempted_during(list(member_ids), year))


def roll_for_year(cell: Organization, year: int) -> list[Member]:
    """The members the cell reviews for `year`: those on its roll now, admitted by the end of
    the year, and those already reviewed there that year (one query)."""
    end = datetime.date(year, 12, 31)
    admitted = Q(ceremony_date__isnull=True) | Q(ceremony_date__lte=end)
    return list(
        Member.objects.filter(
            (Q(cell=cell, status__in=ACTIVE_STATUSES) & admitted)
            | Q(reviews__year=year, reviews__cell=cell)
        )
        .distinct()
        .order_by("name_sort_key", "id")
    )


# -- evidence ------------------------------------------------------------------------------


@dataclass
class AttendanceRecord:
    meetings: int = 0
    present: int = 0
    late: int = 0
    absent_excused: int = 0
    absent_unexcused: int = 0
    exempt: int = 0

    @property
    def expected(self) -> int:
        return self.meetings - self.exempt

    @property
    def rate(self) -> int | None:
        """Percent of the meetings attended (late included), exempt meetings left out."""
        if self.expected <= 0:
            return None
        return round((self.present + self.late) * 100 / self.expected)


@dataclass
class AssignmentRecord:
    done_on_time: int = 0
    done_late: int = 0
    not_done: int = 0
    open: int = 0

    @property
    def total(self) -> int:
        return self.done_on_time + self.done_late + self.not_done + self.open

    @property
    def all_on_time(self) -> bool | None:
        """What the evidence says of "every task done on time" (R4.3): False when a task was
        done late or not done, True when every task due in the year was done on time, None
        when it says nothing (no task, or only open ones)."""
        if self.done_late or self.not_done:
            return False
        if self.done_on_time and not self.open:
            return True
        return None


@dataclass
class DuesRecord:
    paid_months: int = 0
    arrears_months: int = 0
    owed_months: int = 0


@dataclass
class DisciplineRow:
    """A disciplinary decision with its appeal period (R3.19)."""

    discipline: Discipline
    appeal: rules.AppealPeriod


@dataclass
class Evidence:
    attendance: AttendanceRecord = field(default_factory=AttendanceRecord)
    assignments: AssignmentRecord = field(default_factory=AssignmentRecord)
    dues: DuesRecord = field(default_factory=DuesRecord)
    disciplines: list[DisciplineRow] = field(default_factory=list)
    residence: ResidenceEvidence | None = None


def evidence_for(members: list[Member], year: int, *, today: datetime.date) -> dict[int, Evidence]:
    """The evidence of `year` for each member (R4.6, R4.7): attendance, assignments, dues,
    discipline and the residence cell's comment. A fixed number of queries."""
    ids = [member.pk for member in members]
    result = {member_id: Evidence() for member_id in ids}
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    # Attendance at the year's regular meetings whose minutes are closed or signed.
    counts = (
        Attendance.objects.filter(
            member_id__in=ids,
            meeting__kind=MeetingKind.REGULAR,
            meeting__status__in=[MeetingStatus.CLOSED, MeetingStatus.SIGNED],
            meeting__date__range=(start, end),
        )
        .values("member_id", "status")
        .annotate(count=Count("id"))
    )
    for row in counts:
        record = result[row["member_id"]].attendance
        record.meetings += row["count"]
        if row["status"] in {choice.value for choice in AttendanceStatus}:
            setattr(record, row["status"], getattr(record, row["status"]) + row["count"])
    # Assignments due in the year. A done assignment closed after its deadline (local day)
    # counts as late (the last update is when it was reported done).
    through = Assignment.members.through
    for member_id, status, due, updated in through.objects.filter(
        member_id__in=ids, assignment__due_date__range=(start, end)
    ).values_list(
        "member_id", "assignment__status", "assignment__due_date", "assignment__updated_at"
    ):
        record_a = result[member_id].assignments
        if status == AssignmentStatus.DONE:
            if timezone.localdate(updated) <= due:
                record_a.done_on_time += 1
            else:
                record_a.done_late += 1
        elif status == AssignmentStatus.NOT_DONE:
            record_a.not_done += 1
        elif status != AssignmentStatus.CANCELLED:
            record_a.open += 1
    # Dues: months paid, and past months owed but not paid (as in the dues book).
    paid: dict[int, set[datetime.date]] = defaultdict(set)
    for member_id, month in DuesPayment.objects.filter(
        member_id__in=ids, month__range=(start, end)
    ).values_list("member_id", "month"):
        paid[member_id].add(month)
    current = first_of_month(today)
    for member in members:
        first = member_start_month(member)
        owed = [m for m in months_of(year) if m < current and (first is None or m >= first)]
        record_d = result[member.pk].dues
        record_d.paid_months = len(paid[member.pk])
        record_d.owed_months = len(owed)
        record_d.arrears_months = sum(1 for m in owed if m not in paid[member.pk])
    appeals: dict[tuple[int, datetime.date], rules.AppealPeriod] = {}
    disciplines = Discipline.objects.filter(
        member_id__in=ids, decided_on__range=(start, end)
    ).select_related("member__cell", "inspection")
    for discipline in disciplines:
        # One rule query per cell and decision date (R3.19's appeal period); decisions are few.
        cell = discipline.member.cell
        key = (cell.pk, discipline.decided_on)
        if key not in appeals:
            appeals[key] = rules.appeal_period(
                organization=cell, decided_on=discipline.decided_on, today=today
            )
        result[discipline.member_id].disciplines.append(DisciplineRow(discipline, appeals[key]))
    for member_id, item in residence_evidence(ids, year).items():
        if member_id in result:
            result[member_id].residence = item
    return result


# -- pages ---------------------------------------------------------------------------------


@dataclass
class ReviewRow:
    member: Member
    review: MemberReview | None
    evidence: Evidence
    exempted: bool
    # The points per criterion of the self-assessment and of the proposal, for display.
    self_rows: list[dict[str, Any]] = field(default_factory=list)
    proposed_rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CellReviewPage:
    cell: Organization
    grassroots: Organization
    year: int
    rows: list[ReviewRow]
    bands: Any
    frame: Any = None

    @property
    def rated_rows(self) -> list[ReviewRow]:
        return [row for row in self.rows if not row.exempted]

    def count(self, step: str) -> int:
        return sum(1 for row in self.rated_rows if row.review and row.review.step == step)


def cell_review_page(cell: Organization, year: int, *, today: datetime.date) -> CellReviewPage:
    """The cell's members for the year with their review and evidence (fixed query count)."""
    members = roll_for_year(cell, year)
    ids = [member.pk for member in members]
    reviews = {
        review.member_id: review
        for review in MemberReview.objects.filter(member_id__in=ids, year=year)
    }
    exempted = exempted_during(ids, year)
    evidence = evidence_for(members, year, today=today)
    frame = rules.frame_rule(cell, year)
    rows = []
    for member in members:
        review = reviews.get(member.pk)
        rows.append(
            ReviewRow(
                member=member,
                review=review,
                evidence=evidence[member.pk],
                exempted=member.pk in exempted,
                self_rows=rules.points_rows(frame, review.self_points) if review else [],
                proposed_rows=rules.points_rows(frame, review.proposed_points) if review else [],
            )
        )
    return CellReviewPage(
        cell=cell,
        grassroots=grassroots_of(cell),
        year=year,
        rows=rows,
        bands=rules.bands_rule(cell, year),
        frame=frame,
    )


def quota_state(grassroots: Organization, year: int, *, changes: dict[int, str] | None = None):
    """Excellent and good ratings decided in the grassroots organization for the year; with
    `changes` ({review id: new level}), as they would be after those decisions."""
    levels = dict(
        MemberReview.objects.filter(grassroots=grassroots, year=year)
        .exclude(decided_level="")
        .values_list("id", "decided_level")
    )
    levels.update(changes or {})
    counts = Counter(levels.values())
    rule = rules.quota_rule(grassroots, year)
    return rules.QuotaState(
        excellent=counts[Level.EXCELLENT],
        good=counts[Level.GOOD],
        percent_allowed=float(rule.value),
        rule=rule,
    )


def committee_reviews(grassroots: Organization, year: int, *, cell_id: int) -> list[MemberReview]:
    """The member reviews of one cell of the grassroots organization for the year, by name."""
    return list(
        MemberReview.objects.filter(grassroots=grassroots, year=year, cell_id=cell_id)
        .select_related("member", "cell")
        .order_by("member__name_sort_key", "id")
    )


@dataclass
class CommitteeCell:
    cell_id: int
    name: str
    reviews: int
    proposed: int
    decided: int

    @property
    def waiting(self) -> int:
        return self.proposed - self.decided


def committee_cells(grassroots: Organization, year: int) -> list[CommitteeCell]:
    """Per cell of the grassroots organization: reviews, proposals and decisions of the year
    (one query), in the tree's order."""
    rows = (
        MemberReview.objects.filter(grassroots=grassroots, year=year)
        .values("cell_id", "cell__name", "cell__path")
        .annotate(
            reviews=Count("id"),
            proposed=Count("id", filter=~Q(proposed_level="")),
            decided=Count("id", filter=~Q(decided_level="")),
        )
        .order_by("cell__path")
    )
    # Cells in natural order ("Khối 2" before "Khối 10").
    return [
        CommitteeCell(row["cell_id"], row["cell__name"], row["reviews"], row["proposed"],
                      row["decided"])
        for row in sorted(rows, key=lambda row: natural_key(row["cell__name"]))
    ]  # fmt: skip


def pending_proposals(grassroots: Organization, year: int) -> dict[int, str]:
    """{review id: proposed level} of the proposals the committee has not decided yet."""
    return dict(
        MemberReview.objects.filter(grassroots=grassroots, year=year, decided_level="")
        .exclude(proposed_level="")
        .values_list("id", "proposed_level")
    )


def decision_history(review: Any) -> list[ReviewDecision]:
    return list(review.decisions.select_related("recorded_by").order_by("recorded_at", "id"))


@dataclass
class OrgRow:
    organization: Organization
    review: OrganizationReview | None
    ratings: list[str] = field(default_factory=list)  # the year's meeting ratings, by month
    member_levels: dict[str, int] = field(default_factory=dict)
    disciplined: int = 0


def organization_rows(root: Organization, year: int) -> list[OrgRow]:
    """The cells and grassroots committees of `root`'s subtree with their review and evidence
    (R4.7): the year's meeting ratings, the members' levels, members disciplined. Four
    queries."""
    units = list(
        Organization.objects.filter(
            path__startswith=root.path, kind__in=REVIEWED_ORG_KINDS
        ).order_by("path")
    )
    reviews = {
        review.organization_id: review
        for review in OrganizationReview.objects.filter(organization__in=units, year=year)
    }
    rows = {unit.pk: OrgRow(organization=unit, review=reviews.get(unit.pk)) for unit in units}
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    for org_id, rating in (
        MeetingScore.objects.filter(
            meeting__organization__in=units,
            meeting__kind=MeetingKind.REGULAR,
            meeting__date__range=(start, end),
        )
        .order_by("meeting__date")
        .values_list("meeting__organization_id", "rating")
    ):
        rows[org_id].ratings.append(rating)
    for cell_id, level, count in (
        MemberReview.objects.filter(cell__in=units, year=year)
        .exclude(decided_level="")
        .values_list("cell_id", "decided_level")
        .annotate(count=Count("id"))
    ):
        if cell_id in rows:
            rows[cell_id].member_levels[level] = count
    for cell_id, count in (
        Discipline.objects.filter(member__cell__in=units, decided_on__range=(start, end))
        .values_list("member__cell_id")
        .annotate(count=Count("id"))
    ):
        rows[cell_id].disciplined = count
    return list(rows.values())


def disciplined_in(organization: Organization, year: int) -> int:
    """Members of `organization`'s subtree disciplined in `year` (R4.3: an excellent collective
    has none)."""
    return Discipline.objects.filter(
        member__cell__path__startswith=organization.path,
        decided_on__year=year,
    ).count()


# -- statistics ----------------------------------------------------------------------------


@dataclass
class YearStatistics:
    year: int
    members_by_level: dict[str, int]
    not_rated: int  # exempted from the rating (R3.17)
    undecided: int
    organizations_by_level: dict[str, int]
    cells_by_level: dict[str, int]

    @property
    def rated(self) -> int:
        return sum(self.members_by_level.values())

    def percent(self, level: str) -> float | None:
        if not self.rated:
            return None
        return self.members_by_level.get(level, 0) * 100 / self.rated

    @property
    def clean_and_strong_cells(self) -> int:
        """Cells rated HTXSNV or HTTNV: what reports call "trong sạch, vững mạnh"."""
        return self.cells_by_level.get(Level.EXCELLENT, 0) + self.cells_by_level.get(Level.GOOD, 0)

    @property
    def cells_rated(self) -> int:
        return sum(self.cells_by_level.values())


def year_statistics(root: Organization, year: int) -> YearStatistics:
    """The annual figures of `root`'s subtree (four queries)."""
    in_subtree = Q(cell__path__startswith=root.path)
    members_by_level: dict[str, int] = {level.value: 0 for level in LEVEL_ORDER}
    undecided = 0
    for level, count in (
        MemberReview.objects.filter(in_subtree, year=year)
        .values_list("decided_level")
        .annotate(count=Count("id"))
    ):
        if level:
            members_by_level[level] = count
        else:
            undecided = count
    end = datetime.date(year, 12, 31)
    on_roll = Member.objects.filter(
        cell__path__startswith=root.path, status__in=ACTIVE_STATUSES
    ).filter(Q(ceremony_date__isnull=True) | Q(ceremony_date__lte=end))
    not_rated = len(exempted_during(on_roll.values_list("id", flat=True), year))
    organizations_by_level: dict[str, int] = {level.value: 0 for level in LEVEL_ORDER}
    cells_by_level: dict[str, int] = {level.value: 0 for level in LEVEL_ORDER}
    for kind, level, count in (
        OrganizationReview.objects.filter(organization__path__startswith=root.path, year=year)
        .exclude(decided_level="")
        .values_list("organization__kind", "decided_level")
        .annotate(count=Count("id"))
    ):
        organizations_by_level[level] += count
        if kind in CELL_KINDS:
            cells_by_level[level] += count
    return YearStatistics(
        year=year,
        members_by_level=members_by_level,
        not_rated=not_rated,
        undecided=undecided,
        organizations_by_level=organizations_by_level,
        cells_by_level=cells_by_level,
    )
