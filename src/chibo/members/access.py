"""Fetch members with a permission check. Outside scope: 404; inside but read-only: 403.

The one member helper every app uses (register, badges, life-cycle decisions, residence
panel, annual review, discipline): the rules that differ between those pages are the
`write=` and `self_reads=` parameters, and the result carries the flags the pages show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.scope import not_found
from chibo.members.models import Member
from chibo.orgs.access import get_cell_for_user
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for


@dataclass(frozen=True)
class MemberAccess:
    """A member record and what the user may do with it."""

    member: Member
    # The user is this member.
    own: bool
    # The user is this member and still on the rolls (a member who left keeps a login only
    # to read their own record).
    own_on_rolls: bool
    # The user oversees the member's cell (a position on it or above).
    oversees: bool
    # The user keeps the register of the member's cell.
    can_manage: bool


def get_member_for_user(
    user: Any, pk: int, *, write: bool = False, self_reads: bool = True
) -> MemberAccess:
    """A member record the user may read: their own (unless `self_reads=False`, for decisions
    about the member: probation, status, transfer, discipline), or any in a subtree they
    oversee. With write=True, the user must keep the register of the member's cell."""
    member = Member.objects.select_related("cell").filter(pk=pk).first()
    if member is None:
        raise not_found()
    scope = scope_for(user)
    own = scope.member_id is not None and scope.member_id == member.pk
    access = MemberAccess(
        member=member,
        own=own,
        own_on_rolls=own and scope.own_cell_id is not None,
        oversees=scope.can_read_path(member.cell.path),
        can_manage=scope.can_manage_path(member.cell.path),
    )
    # Fellow members of a cell see each other in the list, not each other's records.
    if not (access.oversees or (self_reads and own)):
        raise not_found()
    # Members read their own record; only register keepers change it.
    if write and not access.can_manage:
        raise PermissionDenied
    return access


def get_register_for_user(user: Any, pk: int, *, manage: bool = False) -> Organization:
    """The unit whose register (the 7-HSĐV list) the user exports (those who oversee it) or,
    with manage=True, imports into (those who keep it). A plain member sees their own cell's
    list on screen but not the register file: 403; any other unit stays invisible: 404."""
    access = get_cell_for_user(user, pk, kinds=None, members_read=True)
    if not access.oversees:
        raise PermissionDenied
    # Overseers who do not keep the register may read it but not import into it.
    if manage and not access.can_manage:
        raise PermissionDenied
    return access.organization
