"""Fetch a cell's candidates with a permission check. Candidates' personal data is sensitive:
only those who oversee the cell read it (others, fellow members included: 404); only those who
keep the cell's register change it (readers: 403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.scope import not_found
from chibo.lifecycle.models import Candidate
from chibo.members.models import Member
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for


def _check(user: Any, cell: Organization, *, manage: bool) -> bool:
    scope = scope_for(user)
    if not scope.can_read_path(cell.path):
        raise not_found()
    can_manage = scope.can_manage_path(cell.path)
    if manage and not can_manage:
        raise PermissionDenied
    return can_manage


def get_cell_for_candidates(user: Any, pk: int, *, manage: bool = False):
    """(cell, can_manage) for the cell's candidate list."""
    cell = Organization.objects.filter(pk=pk).first()
    if cell is None or not cell.is_cell:
        raise not_found()
    return cell, _check(user, cell, manage=manage)


def get_candidate_for_user(user: Any, pk: int, *, manage: bool = False):
    """(candidate, can_manage)."""
    candidate = Candidate.objects.select_related("cell", "mentor", "member").filter(pk=pk).first()
    if candidate is None:
        raise not_found()
    return candidate, _check(user, candidate.cell, manage=manage)


def get_member_to_manage(user: Any, pk: int) -> Member:
    """The member, for a decision about their probation, status or transfer (managers of their
    cell; a plain member, their own record included: 404)."""
    member = Member.objects.select_related("cell").filter(pk=pk).first()
    if member is None:
        raise not_found()
    scope = scope_for(user)
    if not scope.can_read_path(member.cell.path):
        raise not_found()
    if not scope.can_manage_path(member.cell.path):
        raise PermissionDenied
    return member
