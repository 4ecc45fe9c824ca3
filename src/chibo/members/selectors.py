"""Reads of the member register: lists, search, duplicates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from chibo.core.text import fold
from chibo.members import badges, dues
from chibo.members.models import (
    ACTIVE_STATUSES,
    BadgeAward,
    DuesAssessment,
    DuesPayment,
    Member,
    MemberEvent,
)
from chibo.orgs.models import Organization


def member_list(
    *,
    organization: Organization,
    query: str = "",
    status: str = "",
    include_inactive: bool = False,
) -> QuerySet[Member]:
    """Members of a cell (or of every cell in a subtree), in Vietnamese name order.
    The search ignores diacritics and case: "nguyen van an" finds "Nguyễn Văn An"."""
    members = Member.objects.select_related("cell")
    if organization.is_cell:
        members = members.filter(cell=organization)
    else:
        members = members.filter(cell__path__startswith=organization.path)
    if status:
        members = members.filter(status=status)
    elif not include_inactive:
        members = members.filter(status__in=ACTIVE_STATUSES)
    folded = fold(query)
    if folded:
        for word in folded.split():
            members = members.filter(
                Q(name_search__contains=word) | Q(party_card_number__startswith=word)
            )
    return members.order_by("name_sort_key", "id")


def find_duplicates(
    *, full_name: str, birth_date, party_card_number: str | None, exclude_pk: int | None = None
) -> QuerySet[Member]:
    """Members that look like the same person: the same party card number, or the same name
    (ignoring diacritics and case) and date of birth."""
    condition = Q(name_search=fold(full_name), birth_date=birth_date)
    if party_card_number:
        condition |= Q(party_card_number=party_card_number)
    duplicates = Member.objects.filter(condition).select_related("cell")
    if exclude_pk:
        duplicates = duplicates.exclude(pk=exclude_pk)
    return duplicates


# -- Party badge (DOMAIN §3.7) ------------------------------------------------------------


def gaps_by_member(members: QuerySet[Member]) -> dict[int, list[badges.Gap]]:
    """The off-the-rolls gaps of every member of `members`, in one query over their events."""
    history: dict[int, list[tuple[str, datetime.date]]] = {}
    events = (
        MemberEvent.objects.filter(member__in=members.values("pk"))
        .filter(status__in=[badges.GAP_OPENS, *badges.GAP_CLOSES])
        .order_by("member_id", "effective_date", "id")
        .values_list("member_id", "status", "effective_date")
    )
    for member_id, status, day in events:
        history.setdefault(member_id, []).append((status, day))
    return {member_id: badges.gaps_from_events(rows) for member_id, rows in history.items()}


def member_badge_progress(member: Member, *, today: datetime.date) -> badges.BadgeProgress:
    """Party age, the next badge and the awards received, for the member detail page."""
    rules = badges.badge_rules(member.cell, on=today)
    gaps = gaps_by_member(Member.objects.filter(pk=member.pk)).get(member.pk, [])
    return badges.badge_progress(
        decision=member.admission_decision_date,
        gaps=gaps,
        awards=list(member.badge_awards.all()),
        rules=rules,
        today=today,
    )


@dataclass(frozen=True)
class BadgeListRow:
    member: Member
    due: badges.BadgeDue
    party_age: badges.PartyAge | None  # on the occasion


def badge_list(
    *, organization: Organization, occasion: datetime.date, today: datetime.date
) -> tuple[list[BadgeListRow], badges.BadgeRules]:
    """Members on the rolls in `organization`'s subtree who reach a badge milestone by
    `occasion` and have not received it, plus those who could receive it early for serious
    illness (flagged), in Vietnamese name order. The rules are those in force `today`, the day
    the committee draws up the list. A constant number of queries, whatever the subtree's size."""
    rules = badges.badge_rules(organization, on=today)
    if not rules.milestones:
        return [], rules
    # Nobody admitted later than this can be listed, gaps only push milestones later.
    latest_decision = badges.add_months(
        occasion, -(rules.milestones[0] * 12 - rules.longest_early_months)
    )
    members = Member.objects.filter(
        cell__path__startswith=organization.path,
        status__in=ACTIVE_STATUSES,
        admission_decision_date__lte=latest_decision,
    )
    gaps = gaps_by_member(members)
    awarded: dict[int, list[int]] = {}
    for member_id, years in BadgeAward.objects.filter(member__in=members.values("pk")).values_list(
        "member_id", "milestone_years"
    ):
        awarded.setdefault(member_id, []).append(years)
    rows = []
    for member in members.select_related("cell").order_by("name_sort_key", "id"):
        member_gaps = gaps.get(member.pk, [])
        due = badges.badge_due(
            decision=member.admission_decision_date,
            gaps=member_gaps,
            awarded=awarded.get(member.pk, []),
            rules=rules,
            by=occasion,
        )
        if due is None:
            continue
        age = badges.party_age(member.admission_decision_date, member_gaps, on=occasion)
        rows.append(BadgeListRow(member, due, age))
    return rows, rules


# -- party dues ------------------------------------------------------------------------------


def dues_book(*, organization: Organization, year: int, today: datetime.date) -> dues.DuesBook:
    """The cell's dues grid for `year` (members.dues.DuesBook) in four queries, whatever the
    number of members: members with their bases, the year's payments, the rule overrides."""
    members = list(member_list(organization=organization).select_related("dues_basis"))
    bases = {member.pk: basis_of(member) for member in members}
    payments = list(
        DuesPayment.objects.filter(member__in=[member.pk for member in members], month__year=year)
    )
    return dues.build_book(
        organization=organization,
        year=year,
        members=members,
        bases={pk: basis for pk, basis in bases.items() if basis is not None},
        payments=payments,
        today=today,
    )


def dues_sheet(*, organization: Organization, month: datetime.date) -> dues.CollectionSheet:
    """The cell's collection sheet for `month` (members.dues.CollectionSheet) in a few queries,
    whatever the number of members."""
    members = list(member_list(organization=organization).select_related("dues_basis"))
    bases = {member.pk: basis_of(member) for member in members}
    payments = list(
        DuesPayment.objects.filter(
            member__in=[member.pk for member in members], month=dues.first_of_month(month)
        )
    )
    return dues.build_sheet(
        organization=organization,
        month=month,
        members=members,
        bases={pk: basis for pk, basis in bases.items() if basis is not None},
        payments=payments,
    )


def basis_of(member: Member) -> DuesAssessment | None:
    try:
        return member.dues_basis
    except DuesAssessment.DoesNotExist:
        return None


def member_dues(*, member: Member, year: int, today: datetime.date) -> dues.MemberDuesRow:
    """One member's row of the dues grid for `year` (for the member detail page)."""
    basis = basis_of(member)
    book = dues.build_book(
        organization=member.cell,
        year=year,
        members=[member],
        bases={member.pk: basis} if basis is not None else {},
        payments=list(DuesPayment.objects.filter(member=member, month__year=year)),
        today=today,
    )
    return book.rows[0]
