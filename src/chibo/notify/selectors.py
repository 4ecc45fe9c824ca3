"""Reads for notifications: each user's channels per kind of message, with the defaults."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from chibo.members.models import Member
from chibo.notify.models import KindGroup, NotificationPreference
from chibo.orgs.models import Position, Role


@dataclass(frozen=True)
class Channels:
    email: bool
    sms: bool
    digest: bool


def _upper_level_user_ids(user_ids: Iterable[int]) -> set[int]:
    """Users who are upper-level committee members today (the busy ones: digest by default)."""
    return set(
        Position.objects.current()
        .filter(role=Role.UPPER_COMMITTEE_MEMBER, member__user_id__in=list(user_ids))
        .values_list("member__user_id", flat=True)
    )


def preferences_for(user_ids: Iterable[int], group: str) -> dict[int, Channels]:
    """Each user's channels for `group` (three queries whatever the number of users). Without
    a saved choice: e-mail where the user has an address, no SMS, and the daily digest for
    upper-level committee members."""
    ids = list(set(user_ids))
    saved = {
        row.user_id: Channels(email=row.email, sms=row.sms, digest=row.digest)
        for row in NotificationPreference.objects.filter(user_id__in=ids, group=group)
    }
    missing = [pk for pk in ids if pk not in saved]
    if missing:
        upper = _upper_level_user_ids(missing)
        with_email = set(
            get_user_model()
            .objects.filter(pk__in=missing)
            .exclude(email="")
            .values_list("pk", flat=True)
        )
        for pk in missing:
            saved[pk] = Channels(email=pk in with_email, sms=False, digest=pk in upper)
    return saved


def preferences_of(user: Any) -> dict[str, Channels]:
    """The user's channels for every group, in the groups' order (the settings page)."""
    return {group: preferences_for([user.pk], group)[user.pk] for group in KindGroup.values}


def has_phone(user: Any) -> bool:
    """Whether SMS can reach the user: their member record has a phone number."""
    return Member.objects.filter(user_id=user.pk).exclude(phone="").exists()
