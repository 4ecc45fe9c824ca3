"""Access decisions of the accounts app (issue 14).

- Members' correction requests: the register keepers of the member's cell and of the units above
  it (members.access: they may change the record), and administrators. Outside that scope a
  request does not exist (404).
- Logins: system administrators only (`is_superuser`). Anyone else gets 403 on every page of the
  accounts screen, whatever the pk (the screen's existence is no secret; which logins exist is).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from chibo.accounts.models import User
from chibo.core.scope import not_found
from chibo.members.models import CorrectionRequest, Member
from chibo.orgs.scope import scope_for


def get_own_member(user: Any) -> Member | None:
    """The member record linked to the user, if any: the only record whose personal data the
    user downloads or asks to correct (no member id comes from the request)."""
    member_id = scope_for(user).member_id
    if member_id is None:
        return None
    return Member.objects.select_related("cell").get(pk=member_id)


def corrections_for_keeper(user: Any) -> QuerySet[CorrectionRequest]:
    """The correction requests of the members whose register the user keeps. A user who keeps
    no register has no list: 403."""
    scope = scope_for(user)
    # Only register keepers (and administrators) handle corrections.
    if not (scope.is_admin or scope.manage_paths):
        raise PermissionDenied
    return CorrectionRequest.objects.filter(scope.path_q("member__cell__path", manage=True))


def get_correction_for_keeper(user: Any, pk: int) -> CorrectionRequest:
    """One correction request the user may answer: they keep the member's register."""
    correction = (
        CorrectionRequest.objects.select_related("member__cell", "handled_by", "created_by")
        .filter(pk=pk)
        .first()
    )
    if correction is None:
        raise not_found()
    # A keeper of another cell does not learn that the request exists.
    if not scope_for(user).can_manage_path(correction.member.cell.path):
        raise not_found()
    return correction


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
