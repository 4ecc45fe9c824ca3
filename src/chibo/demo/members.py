"""Demo party dues and badges for the demo province (called by chibo.demo.lifecycle).

Dues: every member on a roll gets a dues basis that fits their occupation (salary for people in
compulsory insurance, pension for pensioners, a fixed amount for farmers, traders and the
self-employed) and payments for last year and this year up to last month, most of this month too;
a few members are behind by a month or two and a handful by three or more (they show on the
removal alert list). Badges: members who reached a milestone before the last award occasion
received it on that occasion; the members reaching one by the next occasion are left for the
committee's list."""

from __future__ import annotations

import datetime
import random
from typing import Any

from chibo.core.dates import add_months
from chibo.members.badges import badge_rules, gaps_from_events, milestone_date
from chibo.members.dues import first_of_month, rates_for_months
from chibo.members.models import (
    ACTIVE_STATUSES,
    BadgeAward,
    DuesAssessment,
    DuesBasis,
    DuesChannel,
    DuesPayment,
    Member,
    MemberEvent,
)

SEED = 20260203
SALARIED = {
    "Công chức", "Viên chức", "Viên chức quản lý", "Giáo viên", "Nhân viên trường học",
    "Nhân viên", "Nhân viên văn phòng", "Kỹ sư", "Kế toán", "Quản lý", "Công an", "Công nhân",
    "Y sĩ",
}  # fmt: skip
PENSIONERS = {"Hưu trí"}
STUDENTS = {"Sinh viên", "Học viên"}
# The first award occasion chibo records demo badges for (older awards are not in the demo).
BADGES_SINCE = datetime.date(2016, 1, 1)


def _round(amount: float, step: int) -> int:
    return int(round(amount / step)) * step


def _basis(member: Member, rng: random.Random) -> tuple[str, int]:
    occupation = member.occupation
    if occupation in PENSIONERS:
        return DuesBasis.PENSION, _round(rng.uniform(3_500_000, 9_500_000), 10_000)
    if occupation in STUDENTS:
        return DuesBasis.STUDENT, 0
    if occupation in SALARIED:
        return DuesBasis.INSURABLE_SALARY, _round(rng.uniform(5_200_000, 18_000_000), 10_000)
    # Farmers, traders, the self-employed: a monthly amount the cell agreed with them.
    return DuesBasis.FIXED, rng.choice((10_000, 15_000, 20_000, 20_000, 30_000))


def seed_dues(root: Any, *, actor: Any, today: datetime.date) -> int:
    """Dues bases and payments for the members on the rolls under `root`; returns how many
    payments were created."""
    rng = random.Random(SEED)
    members = list(
        Member.objects.filter(cell__path__startswith=root.path, status__in=ACTIVE_STATUSES)
        .exclude(dues_basis__isnull=False)
        .order_by("pk")
    )
    this_month = first_of_month(today)
    months = [datetime.date(today.year - 1, 1, 1)]
    while months[-1] < this_month:
        months.append(add_months(months[-1], 1))
    rates = rates_for_months(root, months)
    bases, payments = [], []
    for member in members:
        basis, amount = _basis(member, rng)
        bases.append(DuesAssessment(member=member, basis=basis, basis_amount=amount))
        start = member.admission_decision_date or member.ceremony_date
        if start is None:
            continue
        behind = 0
        roll = rng.random()
        if roll < 0.012:
            behind = rng.randint(3, 5)  # on the removal alert list
        elif roll < 0.06:
            behind = rng.randint(1, 2)
        portal = basis == DuesBasis.INSURABLE_SALARY and rng.random() < 0.35
        for month in months:
            if month < first_of_month(start):
                continue
            if month == this_month and (today.day < 10 or rng.random() < 0.4):
                continue  # this month's dues not collected yet
            if behind and month >= add_months(this_month, -behind):
                continue
            paid_on = min(month + datetime.timedelta(days=rng.randint(4, 24)), today)
            due = rates[month].amount_due(basis, amount)
            payments.append(
                DuesPayment(
                    member=member,
                    month=month,
                    amount_due=due,
                    amount_paid=due,
                    paid_on=paid_on,
                    channel=DuesChannel.PORTAL if portal else DuesChannel.CASH,
                    basis=basis,
                    basis_amount=amount,
                    recorded_by=actor,
                )
            )
    DuesAssessment.objects.bulk_create(bases, batch_size=1000)
    DuesPayment.objects.bulk_create(payments, batch_size=2000)
    return len(payments)


def seed_badges(root: Any, *, actor: Any, today: datetime.date) -> int:
    """Badges received on past occasions by the members under `root`; returns how many."""
    rules = badge_rules(root, on=today)
    members = list(
        Member.objects.filter(
            cell__path__startswith=root.path,
            status__in=ACTIVE_STATUSES,
            admission_decision_date__isnull=False,
        ).order_by("pk")
    )
    events: dict[int, list[tuple[str, datetime.date]]] = {}
    for member_id, status, day in (
        MemberEvent.objects.filter(member__in=members)
        .order_by("effective_date", "id")
        .values_list("member_id", "status", "effective_date")
    ):
        events.setdefault(member_id, []).append((status, day))
    awards = []
    for member in members:
        gaps = gaps_from_events(events.get(member.pk, []))
        for years in rules.milestones:
            reached = milestone_date(member.admission_decision_date, years, gaps)
            if reached is None or reached > today:
                break
            occasion = rules.next_occasion(reached)
            if occasion >= today or occasion < BADGES_SINCE:
                continue
            awards.append(
                BadgeAward(
                    member=member,
                    milestone_years=years,
                    awarded_on=occasion,
                    occasion=occasion.strftime("%d/%m/%Y"),
                    decision_ref=f"{occasion.year % 100:02d}{occasion.month:02d}-QĐ/ĐU",
                    created_by=actor,
                )
            )
    BadgeAward.objects.bulk_create(awards, batch_size=1000)
    return len(awards)
