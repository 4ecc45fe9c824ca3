"""Who counts as what: the one place that says which members of a cell are on the roll, must
attend, may vote, may mentor, and how the cell's numbers add up. The roll call, "mark all
present", the vote denominator, the minutes, mentor candidates and the cell header all read it.

Two things are kept apart (DOMAIN R2.4, §9a):
- the membership class (`Member.membership_class`): official or probationary; every member on
  the roll has exactly one, so "official + probationary" always adds up to the roll;
- the activity status (`Member.status`): exempted from activity, suspended, temporarily
  attached, or none of these (status = the class).

The rules:
- must attend: members on the roll who are neither exempted (they may attend, never counted
  absent, R1.5 criterion 1) nor suspended (not on the must-attend roll, R2.2; the minutes list
  them as suspended);
- vote: official members only (Charter Art. 3.4, R2.4); an exempted official member counts
  when present (R2.2); suspended and temporarily attached members never vote in this cell
  (R2.2, §9a); an exempted probationary member never votes;
- mentor or introducer: an official member in activity (not exempted, suspended or attached).

Meetings keep a snapshot of the status (`Attendance.category`, same values) and of the class
(`Attendance.membership_class`) when the roll is taken; the functions below take those values.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from chibo.members.models import ACTIVE_STATUSES, Member, MembershipClass, MemberStatus

# Activity statuses whose members are expected at every meeting of the cell.
MUST_ATTEND_STATUSES = frozenset(
    {MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.TEMPORARILY_ATTACHED}
)
# Members on the roll who may attend without being expected (never counted absent).
MAY_ATTEND_STATUSES = frozenset({MemberStatus.EXEMPTED})
# Members listed at the roll call but not called: suspended from party activity.
NOT_CALLED_STATUSES = frozenset({MemberStatus.SUSPENDED})
# Activity statuses in which an official member votes in this cell (the exempted only when
# present).
VOTING_STATUSES = frozenset({MemberStatus.OFFICIAL, MemberStatus.EXEMPTED})


def class_of_status(status: str, *, official: bool) -> str:
    """The membership class for a member whose activity status is `status`: the status itself
    when it is a class, else official or probationary as `official` says."""
    if status in MembershipClass.values:
        return status
    return MembershipClass.OFFICIAL if official else MembershipClass.PROBATIONARY


def must_attend(status: str) -> bool:
    return status in MUST_ATTEND_STATUSES


def is_called(status: str) -> bool:
    """Whether the member is called at the roll call (everyone on the roll but the
    suspended)."""
    return status in ACTIVE_STATUSES and status not in NOT_CALLED_STATUSES


def may_vote(*, status: str, membership_class: str, present: bool) -> bool:
    """Whether the member counts in the vote denominator (R2.2–R2.4)."""
    if membership_class != MembershipClass.OFFICIAL:
        return False
    if status == MemberStatus.EXEMPTED:
        return present
    return status == MemberStatus.OFFICIAL


def mentor_candidates(cell) -> QuerySet[Member]:
    """Members who may mentor or introduce a candidate: official members of the cell in
    activity (R3.5; §9a: never a suspended member)."""
    return Member.objects.filter(
        cell=cell, status=MemberStatus.OFFICIAL, membership_class=MembershipClass.OFFICIAL
    )


def may_mentor(member: Member, cell) -> bool:
    return (
        member.cell_id == cell.pk
        and member.status == MemberStatus.OFFICIAL
        and member.membership_class == MembershipClass.OFFICIAL
    )


@dataclass(frozen=True)
class RollCounts:
    """The members on the rolls, counted two ways that each add up to `total`: by class
    (official + probationary) and by activity (in activity + exempted + suspended +
    temporarily attached). `must_attend` = in activity + temporarily attached."""

    total: int = 0
    official: int = 0
    probationary: int = 0
    in_activity: int = 0
    exempted: int = 0
    suspended: int = 0
    temporarily_attached: int = 0

    @property
    def must_attend(self) -> int:
        return self.in_activity + self.temporarily_attached

    def __getitem__(self, name: str) -> int:
        # Templates and older callers read the counts as a mapping.
        return getattr(self, name)


def roll_counts(members: QuerySet[Member]) -> RollCounts:
    """Count `members` (filtered to those on the rolls) by class and by activity: one query."""
    rows = (
        members.filter(status__in=ACTIVE_STATUSES)
        .values_list("membership_class", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_class = {value: 0 for value in MembershipClass.values}
    by_status = {value: 0 for value in ACTIVE_STATUSES}
    for membership_class, status, count in rows:
        by_class[membership_class] = by_class.get(membership_class, 0) + count
        by_status[status] += count
    return RollCounts(
        total=sum(by_status.values()),
        official=by_class[MembershipClass.OFFICIAL],
        probationary=by_class[MembershipClass.PROBATIONARY],
        in_activity=by_status[MemberStatus.OFFICIAL] + by_status[MemberStatus.PROBATIONARY],
        exempted=by_status[MemberStatus.EXEMPTED],
        suspended=by_status[MemberStatus.SUSPENDED],
        temporarily_attached=by_status[MemberStatus.TEMPORARILY_ATTACHED],
    )
