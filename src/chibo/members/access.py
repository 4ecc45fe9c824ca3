"""Fetch members with a permission check. Outside scope: 404; inside but read-only: 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.scope import not_found
from chibo.members.models import Member
from chibo.orgs.scope import scope_for


def get_member_for_user(user: Any, pk: int, *, write: bool = False) -> Member:
    """A member record the user may read: their own, or any in a subtree they oversee.
    With write=True, the user must keep the register of the member's cell."""
    scope = scope_for(user)
    member = Member.objects.select_related("cell").filter(pk=pk).first()
    if member is None:
        raise not_found()
    own_record = scope.member_id == member.pk
    oversees = scope.can_read_path(member.cell.path)
    # Fellow members of a cell see each other in the list, not each other's records.
    if not (own_record or oversees):
        raise not_found()
    # Members read their own record; only register keepers change it.
    if write and not scope.can_manage_path(member.cell.path):
        raise PermissionDenied
    return member
