"""Party dues (đảng phí) computations (Quy định 01-QĐ/TW, 3/2/2026; DOMAIN §3.8, R3.28–R3.32).

Monthly dues are 1% of last month's insurable salary for members in compulsory social
insurance, 0.5% of the pension for pensioners, a fixed amount for students (5,000 VND), and a
fixed amount the cell records for other groups (R3.29 does not capture their rates). The rates
are rules (core.rules: dues.salary_percent, dues.pension_percent, dues.student_amount_vnd), so
a province may override them for its subtree.

Rounding: DOMAIN §3.8 sets no rounding, so an amount is rounded to the whole đồng only (half
up): 1% of 8,500,000 VND is 85,000 VND, 0.5% of 6,123,457 VND is 30,617 VND.

A month's amount is computed with the rules for the month's last day, found by core.rules'
one fallback policy (`rules.central_default` when no override applies): months before
01-QĐ/TW came into force (3/2/2026) fall under 342-QĐ/TW (2010), whose version says that
chibo's sources give no rate for it and keeps the 2026 rate by default; months before any
version are explained as applied by default.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from chibo.core.models import RuleOverride
from chibo.core.rules import (
    Resolved,
    ancestor_paths,
    central_default,
    resolved_from_override,
)
from chibo.members.models import DuesBasis, DuesPayment, Member

SALARY_PERCENT = "dues.salary_percent"
PENSION_PERCENT = "dues.pension_percent"
STUDENT_AMOUNT = "dues.student_amount_vnd"
DUES_KEYS = (SALARY_PERCENT, PENSION_PERCENT, STUDENT_AMOUNT)

# Month states in the grid.
PAID = "paid"
DUE = "due"  # the current month, not paid yet
ARREARS = "arrears"  # a past month of the year, not paid
FUTURE = "future"
NOT_MEMBER = "not_member"  # before the member's admission


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_of_month(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_of(year: int) -> list[datetime.date]:
    return [datetime.date(year, number, 1) for number in range(1, 13)]


def percent_of(amount: int, percent: float) -> int:
    """`percent` % of `amount` VND, rounded to the whole đồng (half up); no other rounding."""
    value = Decimal(amount) * Decimal(str(percent)) / Decimal(100)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class MonthRates:
    """The three dues rules in force for one month of one organization."""

    salary: Resolved
    pension: Resolved
    student: Resolved

    def amount_due(self, basis: str, basis_amount: int) -> int:
        if basis == DuesBasis.INSURABLE_SALARY:
            return percent_of(basis_amount, self.salary.value)
        if basis == DuesBasis.PENSION:
            return percent_of(basis_amount, self.pension.value)
        if basis == DuesBasis.STUDENT:
            return int(self.student.value)
        return int(basis_amount)

    def rule_for(self, basis: str) -> Resolved | None:
        return {
            DuesBasis.INSURABLE_SALARY: self.salary,
            DuesBasis.PENSION: self.pension,
            DuesBasis.STUDENT: self.student,
        }.get(basis)  # type: ignore[call-overload]


def _rule_day(month: datetime.date) -> datetime.date:
    """The day whose rules apply to `month`: its last day (see the module docstring)."""
    return last_of_month(month)


def rates_for_months(
    organization: Any, months: list[datetime.date]
) -> dict[datetime.date, MonthRates]:
    """The dues rules for each month for `organization` (one query for every month): the
    override of the nearest organization in force that day, else the central default."""
    days = {month: _rule_day(month) for month in months}
    first, last = min(days.values()), max(days.values())
    overrides = list(
        RuleOverride.objects.filter(
            organization__path__in=ancestor_paths(organization.path),
            key__in=DUES_KEYS,
            effective_from__lte=last,
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=first))
        .select_related("organization")
        .order_by("-organization__depth", "-effective_from", "-pk")
    )
    result = {}
    for month, day in days.items():
        resolved = {}
        for key in DUES_KEYS:
            override = next(
                (
                    row
                    for row in overrides
                    if row.key == key
                    and row.effective_from <= day
                    and (row.effective_to is None or row.effective_to >= day)
                ),
                None,
            )
            if override is not None:
                resolved[key] = resolved_from_override(override)
            else:
                resolved[key] = central_default(key, on=day)
        result[month] = MonthRates(
            salary=resolved[SALARY_PERCENT],
            pension=resolved[PENSION_PERCENT],
            student=resolved[STUDENT_AMOUNT],
        )
    return result


def rates_for_month(organization: Any, month: datetime.date) -> MonthRates:
    return rates_for_months(organization, [month])[month]


def member_start_month(member: Member) -> datetime.date | None:
    """The first month a member owes dues: the month of the admission decision (or of the
    ceremony when the decision date is not recorded). None when neither is known."""
    start = member.admission_decision_date or member.ceremony_date
    return first_of_month(start) if start else None


@dataclass
class MonthCell:
    month: datetime.date
    state: str
    amount_due: int | None = None  # None: the member's basis is not set
    payment: DuesPayment | None = None

    @property
    def remaining(self) -> int:
        """What is still owed on a partial payment (0 when paid in full or not paid)."""
        if self.payment is None:
            return 0
        return max(0, self.payment.amount_due - self.payment.amount_paid)


@dataclass
class MemberDuesRow:
    member: Member
    basis: Any  # DuesAssessment or None
    cells: list[MonthCell]
    arrears_months: int = 0
    arrears_amount: int = 0
    paid_amount: int = 0

    @property
    def in_arrears(self) -> bool:
        return self.arrears_months > 0


@dataclass
class MonthTotal:
    month: datetime.date
    due: int = 0
    paid: int = 0
    paid_count: int = 0


@dataclass
class DuesBook:
    """A cell's dues for one calendar year: a row per member, a total per month."""

    organization: Any
    year: int
    today: datetime.date
    rows: list[MemberDuesRow]
    totals: list[MonthTotal]
    rates: dict[datetime.date, MonthRates] = field(default_factory=dict)

    @property
    def months(self) -> list[datetime.date]:
        return [total.month for total in self.totals]

    @property
    def due_total(self) -> int:
        return sum(total.due for total in self.totals)

    @property
    def paid_total(self) -> int:
        return sum(total.paid for total in self.totals)

    @property
    def members_in_arrears(self) -> int:
        return sum(1 for row in self.rows if row.in_arrears)

    @property
    def current_rates(self) -> MonthRates:
        month = min(max(first_of_month(self.today), self.months[0]), self.months[-1])
        if month not in self.rates:  # not read yet: no member of the book has a basis
            self.rates = rates_for_months(self.organization, self.months)
        return self.rates[month]


def build_book(
    *,
    organization: Any,
    year: int,
    members: list[Member],
    bases: dict[int, Any],
    payments: list[DuesPayment],
    today: datetime.date,
) -> DuesBook:
    """Put the members, their bases and the year's payments into the member × month grid.
    A past month not paid is in arrears, the current month unpaid is due, later months are
    future; months before the member's admission are not owed."""
    months = months_of(year)
    # The rules are read only when an amount is to be computed.
    rates = rates_for_months(organization, months) if bases else {}
    current = first_of_month(today)
    paid = {(payment.member_id, payment.month): payment for payment in payments}
    totals = [MonthTotal(month=month) for month in months]
    rows = []
    for member in members:
        basis = bases.get(member.pk)
        start = member_start_month(member)
        row = MemberDuesRow(member=member, basis=basis, cells=[])
        for index, month in enumerate(months):
            payment = paid.get((member.pk, month))
            amount = rates[month].amount_due(basis.basis, basis.basis_amount) if basis else None
            if payment is not None:
                cell = MonthCell(month, PAID, payment.amount_due, payment)
                row.paid_amount += payment.amount_paid
                totals[index].paid += payment.amount_paid
                totals[index].paid_count += 1
                totals[index].due += payment.amount_due
            elif start is not None and month < start:
                cell = MonthCell(month, NOT_MEMBER)
            elif month > current:
                cell = MonthCell(month, FUTURE, amount)
            else:
                cell = MonthCell(month, DUE if month == current else ARREARS, amount)
                totals[index].due += amount or 0
                if cell.state == ARREARS:
                    row.arrears_months += 1
                    row.arrears_amount += amount or 0
            row.cells.append(cell)
        rows.append(row)
    return DuesBook(
        organization=organization, year=year, today=today, rows=rows, totals=totals, rates=rates
    )


# -- the monthly collection sheet --------------------------------------------------------------

# Row states of the collection sheet.
SHEET_OPEN = "open"  # owes the month, nothing paid yet: the amount is pre-filled
SHEET_PARTIAL = "partial"  # part paid: the rest is pre-filled
SHEET_PAID = "paid"  # paid in full: shown, not payable again
SHEET_NO_BASIS = "no_basis"  # owes the month, but what the dues are computed from is not set


@dataclass
class SheetRow:
    """One member on the month's collection sheet."""

    member: Member
    basis: Any  # DuesAssessment or None
    amount_due: int | None  # None: no basis
    payment: DuesPayment | None = None

    @property
    def state(self) -> str:
        if self.payment is not None:
            return SHEET_PARTIAL if self.remaining else SHEET_PAID
        return SHEET_OPEN if self.amount_due is not None else SHEET_NO_BASIS

    @property
    def payable(self) -> bool:
        return self.state in (SHEET_OPEN, SHEET_PARTIAL)

    @property
    def remaining(self) -> int:
        """What is left to collect for the month (0 when paid in full or not computable)."""
        if self.payment is not None:
            return max(0, self.payment.amount_due - self.payment.amount_paid)
        return self.amount_due or 0

    @property
    def paid(self) -> int:
        return self.payment.amount_paid if self.payment is not None else 0


@dataclass
class CollectionSheet:
    """A cell's dues for one month (the sheet the secretary fills at the meeting, 09-HD: dues
    are collected at the start of the monthly meeting): a row per member who owes the month."""

    organization: Any
    month: datetime.date
    rows: list[SheetRow]
    rates: MonthRates | None

    @property
    def due_total(self) -> int:
        return sum(
            row.payment.amount_due if row.payment else row.amount_due or 0 for row in self.rows
        )

    @property
    def paid_total(self) -> int:
        return sum(row.paid for row in self.rows)

    @property
    def remaining_total(self) -> int:
        return sum(row.remaining for row in self.rows)

    @property
    def paid_count(self) -> int:
        return sum(1 for row in self.rows if row.state == SHEET_PAID)

    @property
    def payable_rows(self) -> list[SheetRow]:
        return [row for row in self.rows if row.payable]


def build_sheet(
    *,
    organization: Any,
    month: datetime.date,
    members: list[Member],
    bases: dict[int, Any],
    payments: list[DuesPayment],
) -> CollectionSheet:
    """The month's collection sheet: every member on the roll who owes the month (admitted by
    then), the amount computed from their basis with the rules of the month, and what is
    already paid. A member who paid the month is listed even if no longer owing it."""
    month = first_of_month(month)
    rates = rates_for_month(organization, month) if bases else None
    paid = {payment.member_id: payment for payment in payments if payment.month == month}
    rows = []
    for member in members:
        start = member_start_month(member)
        payment = paid.get(member.pk)
        if payment is None and start is not None and month < start:
            continue
        basis = bases.get(member.pk)
        amount = rates.amount_due(basis.basis, basis.basis_amount) if basis and rates else None
        rows.append(SheetRow(member=member, basis=basis, amount_due=amount, payment=payment))
    return CollectionSheet(organization=organization, month=month, rows=rows, rates=rates)
