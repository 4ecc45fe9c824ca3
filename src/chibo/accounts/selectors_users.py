"""Reads of the administrators' accounts screen."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from chibo.accounts.models import User
from chibo.core.text import fold
from chibo.members.models import Member


def users_matching(query: str) -> QuerySet[User]:
    """Logins whose username or member's name contains every word of `query` (diacritics and
    case ignored), by username."""
    users = User.objects.select_related("member__cell")
    for word in query.split():
        users = users.filter(
            Q(username__icontains=word) | Q(member__name_search__contains=fold(word))
        )
    return users.order_by("username")


def members_without_login(query: str) -> QuerySet[Member]:
    """Members with no login whose name contains every word of `query`, in name order."""
    members = Member.objects.filter(user__isnull=True).select_related("cell")
    for word in fold(query).split():
        members = members.filter(Q(name_search__contains=word) | Q(party_card_number=word))
    return members.order_by("name_sort_key", "id")
