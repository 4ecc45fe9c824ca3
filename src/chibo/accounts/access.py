"""Who may manage logins: system administrators only (`is_superuser`). Anyone else gets 403
on every page of the accounts screen, whatever the pk (the screen's existence is no secret;
which logins exist is)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from chibo.accounts.models import User
from chibo.members.models import Member


def require_account_admin(user: Any) -> None:
    """403 unless the user is a system administrator."""
    if not (user.is_authenticated and user.is_superuser):
        raise PermissionDenied


def get_user_for_admin(user: Any, pk: int) -> User:
    """A login, for an administrator (403 for anyone else, 404 for an unknown pk)."""
    require_account_admin(user)
    return get_object_or_404(User.objects.select_related("member__cell"), pk=pk)


def get_member_without_login_for_admin(user: Any, pk: int) -> Member:
    """A member who has no login yet, for an administrator (404 when the member has one)."""
    require_account_admin(user)
    return get_object_or_404(Member.objects.select_related("cell"), pk=pk, user__isnull=True)
