"""Reads of the member register: lists, search, duplicates."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from chibo.core.text import fold
from chibo.members.models import ACTIVE_STATUSES, Member
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
