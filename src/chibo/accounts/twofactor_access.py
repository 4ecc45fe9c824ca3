"""Who may see and reset another user's two-factor state (issue 14): administrators only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from chibo.accounts.models import User


def get_account_for_admin(user: Any, pk: int) -> User:
    """The account `pk` for an administrator's two-factor panel. Anybody else is refused with
    403 (whether or not the account exists: the page's existence is no secret, its data is);
    an unknown account is 404."""
    if not getattr(user, "is_superuser", False):
        raise PermissionDenied
    account = User.objects.filter(pk=pk).first()
    if account is None:
        raise Http404("not found")
    return account
