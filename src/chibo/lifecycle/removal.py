"""The removal alert list (DOMAIN §3.4; rule `removal.unexcused_months_per_year`): members who,
in one calendar year, had n months (3 by default) in which they left party activity or did not
pay dues without a valid reason. The text says "3 months in the year", not "3 consecutive
months": months are counted per calendar year, and a month is counted once even when both
happened.

- Attendance: a month counts when the member was marked "absent without reason" at a regular
  meeting of that month (meetings.Attendance `absent_unexcused`; the meeting closed or signed),
  and was neither exempted nor suspended then.
- Dues: a month counts when it is fully past and no payment for it is recorded (the arrears of
  members.dues.build_book), while the member was on the rolls and not exempted for the whole
  month (suspended members still pay dues, R3.32). A month paid late, even in a later month,
  is recorded as paid and does not count: the list reflects the dues book as it stands. Only
  members whose dues basis is set are counted for dues: without it the cell does not keep
  their dues in chibo (the page says how many such members there are).

The list only raises the alert; the cell proposes the removal and the competent committee
decides (lifecycle.status.removal_record).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from chibo.core.rules import Resolved
from chibo.lifecycle.rules import rule_for
from chibo.lifecycle.status import REMOVAL_MONTHS_KEY, Period, periods_by_member
from chibo.meetings.models import (
    Attendance,
    AttendanceStatus,
    MeetingKind,
    MeetingStatus,
    MemberCategory,
)
from chibo.members import dues
from chibo.members.models import DuesAssessment, DuesPayment, Member, MemberStatus
from chibo.members.selectors import member_list
from chibo.orgs.models import Organization

# Statuses in which a member owes attendance, and dues (R3.32: suspended members pay dues).
ATTENDANCE_STATUSES = frozenset(
    {MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.TEMPORARILY_ATTACHED}
)
DUES_STATUSES = ATTENDANCE_STATUSES | {MemberStatus.SUSPENDED}
COUNTED_MEETINGS = (MeetingStatus.CLOSED, MeetingStatus.SIGNED)


@dataclass
class AlertMonth:
    month: datetime.date
    absences: list[datetime.date] = field(default_factory=list)  # meeting dates
    dues_unpaid: bool = False


@dataclass
class AlertRow:
    member: Member
    months: list[AlertMonth]

    @property
    def count(self) -> int:
        return len(self.months)


def _statuses_during(periods: list[Period], start: datetime.date, end: datetime.date) -> set:
    """The statuses held on some day of [start, end]; an empty set: not on the rolls yet."""
    return {
        period.status
        for period in periods
        if period.start <= end and (period.end is None or period.end > start)
    }


def _status_on(periods: list[Period], day: datetime.date) -> str | None:
    return next(iter(_statuses_during(periods, day, day)), None)


def _dues_owed(periods: list[Period], month: datetime.date) -> bool:
    held = _statuses_during(periods, month, dues.last_of_month(month))
    # Before the first event the member was not on this register: nothing owed.
    if not held or periods[0].start > month:
        return False
    return held <= DUES_STATUSES


def unexcused_months(
    *,
    organization: Organization,
    year: int,
    today: datetime.date,
    members: list[Member] | None = None,
) -> dict[int, list[AlertMonth]]:
    """For every member on the rolls in `organization`'s subtree: the months of `year` without
    party activity or without dues, without valid reason. A fixed number of queries."""
    if members is None:
        members = list(member_list(organization=organization))
    ids = [member.pk for member in members]
    periods = periods_by_member(ids)
    result: dict[int, dict[datetime.date, AlertMonth]] = {pk: {} for pk in ids}

    absences = (
        Attendance.objects.filter(
            member_id__in=ids,
            status=AttendanceStatus.ABSENT_UNEXCUSED,
            meeting__kind=MeetingKind.REGULAR,
            meeting__status__in=COUNTED_MEETINGS,
            meeting__date__year=year,
        )
        .exclude(category__in=[MemberCategory.EXEMPTED, MemberCategory.SUSPENDED])
        .values_list("member_id", "meeting__date", "meeting__period")
        .order_by("meeting__date")
    )
    for member_id, day, period in absences:
        if _status_on(periods.get(member_id, []), day) not in ATTENDANCE_STATUSES:
            continue
        month = dues.first_of_month(period or day)
        if month.year != year:
            continue
        entry = result[member_id].setdefault(month, AlertMonth(month))
        entry.absences.append(day)

    payments = list(DuesPayment.objects.filter(member_id__in=ids, month__year=year))
    with_basis = set(
        DuesAssessment.objects.filter(member_id__in=ids).values_list("member_id", flat=True)
    )
    book = dues.build_book(
        organization=organization,
        year=year,
        members=[member for member in members if member.pk in with_basis],
        bases={},
        payments=payments,
        today=today,
    )
    for row in book.rows:
        member_periods = periods.get(row.member.pk, [])
        for cell in row.cells:
            if cell.state != dues.ARREARS or not _dues_owed(member_periods, cell.month):
                continue
            entry = result[row.member.pk].setdefault(cell.month, AlertMonth(cell.month))
            entry.dues_unpaid = True
    return {pk: sorted(months.values(), key=lambda m: m.month) for pk, months in result.items()}


def removal_alerts(
    *, organization: Organization, year: int, today: datetime.date
) -> tuple[list[AlertRow], Resolved]:
    """The members who reach the rule's number of months in `year`, with those months and why,
    in Vietnamese name order, and the rule (in force on 31 December, or today for the current
    year)."""
    on = min(datetime.date(year, 12, 31), today)
    rule = rule_for(REMOVAL_MONTHS_KEY, organization=organization, on=on)
    listed = list(member_list(organization=organization))
    months = unexcused_months(organization=organization, year=year, today=today, members=listed)
    members = {member.pk: member for member in listed}
    rows = [
        AlertRow(member=members[pk], months=flagged)
        for pk, flagged in months.items()
        if len(flagged) >= rule.value
    ]
    rows.sort(key=lambda row: (row.member.name_sort_key, row.member.pk))
    return rows, rule


def members_without_dues_basis(organization: Organization) -> int:
    """Members on the rolls whose dues are not kept in chibo (no dues basis set)."""
    return member_list(organization=organization).filter(dues_basis__isnull=True).count()
