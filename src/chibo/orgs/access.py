"""Fetch organizations with a permission check. Outside scope: 404; inside but read-only: 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.scope import not_found
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for


def get_organization_for_user(user: Any, pk: int, *, write: bool = False) -> Organization:
    """An organization the user oversees (its whole subtree is readable to them).
    A plain member of a cell does not oversee it; they see it through the member list only."""
    scope = scope_for(user)
    organization = Organization.objects.filter(pk=pk).first()
    # Unknown id and out-of-scope id answer the same way: the object does not exist for them.
    if organization is None:
        raise not_found()
    if not scope.can_read_path(organization.path):
        raise not_found()
    # Changing the tree itself is an administrator's job.
    if write and not scope.is_admin:
        raise PermissionDenied
    return organization


def get_cell_for_member_list(user: Any, pk: int) -> tuple[Organization, bool]:
    """A cell whose member list the user may see, and whether they may change its register.
    Overseers and register keepers see any cell in their subtree; a member sees their own cell."""
    scope = scope_for(user)
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise not_found()
    readable = scope.can_read_path(organization.path)
    own_cell = scope.own_cell_id == organization.pk
    if not (readable or own_cell):
        raise not_found()
    return organization, scope.can_manage_path(organization.path)


def visible_organizations(user: Any):
    """Every organization in the user's readable subtrees."""
    scope = scope_for(user)
    return Organization.objects.filter(scope.path_q("path"))
