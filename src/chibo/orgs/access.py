"""Fetch organizations with a permission check. Outside scope: 404; inside but read-only: 403.

One helper per object type of the register layer, importable by every app:
- `get_cell_for_user`: the one cell (or unit) helper every page of a cell uses — member list,
  meetings, candidates, dues, residence, reviews. What differs between those pages is said by
  two small parameters (`kinds`, `members_read`), and the result carries the flags;
- `get_organization_for_user`: a unit of the tree itself, whose editing is an administrator's
  job;
- `get_position_to_end`: a position held in a unit;
- `get_unit_for_audit`, `get_rule_override_for_user`: the administrators' pages (audit log,
  rules), which the rest of the users must not learn exist.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.models import RuleOverride
from chibo.core.scope import Scope, not_found
from chibo.members.models import Member
from chibo.orgs.models import CELL_KINDS, Organization, Position
from chibo.orgs.scope import scope_for


@dataclass(frozen=True)
class CellAccess:
    """A cell (or unit) and what the user may do with it."""

    organization: Organization
    # Overseers read everything in the subtree (a position on the unit or above it).
    oversees: bool
    # Register keepers (secretary, deputy, organization staff, on the unit or above) change it.
    can_manage: bool
    # The user is an ordinary member of this very cell.
    own_cell: bool
    is_admin: bool

    @property
    def cell(self) -> Organization:
        return self.organization


def _unit(pk: int, kinds: Collection[str] | None) -> Organization:
    organization = Organization.objects.filter(pk=pk).first()
    # Unknown id and out-of-scope id answer the same way: the object does not exist for them.
    if organization is None:
        raise not_found()
    # A page for cells asked for a committee (or the reverse): no such page.
    if kinds is not None and organization.kind not in kinds:
        raise not_found()
    return organization


def cell_access(scope: Scope, organization: Organization) -> CellAccess:
    """The flags of `scope` on `organization`, without any check."""
    return CellAccess(
        organization=organization,
        oversees=scope.can_read_path(organization.path),
        can_manage=scope.can_manage_path(organization.path),
        own_cell=scope.own_cell_id is not None and scope.own_cell_id == organization.pk,
        is_admin=scope.is_admin,
    )


def get_cell_for_user(
    user: Any,
    pk: int,
    *,
    write: bool = False,
    kinds: Collection[str] | None = CELL_KINDS,
    members_read: bool = False,
) -> CellAccess:
    """A cell the user may read; with `write=True`, one whose register they keep.

    - `kinds`: the organization kinds the page is about (cells by default; None: any unit,
      e.g. the member list of a whole committee's subtree);
    - `members_read`: the cell's own members read it too (its member list, its meetings).
      Pages holding sensitive data (candidates, reviews, dues, residence) leave it False:
      fellow members get 404 there, as anyone outside the scope does.
    Readable but not writable: 403."""
    organization = _unit(pk, kinds)
    access = cell_access(scope_for(user), organization)
    if not (access.oversees or (members_read and access.own_cell)):
        raise not_found()
    # Reading is not keeping the register.
    if write and not access.can_manage:
        raise PermissionDenied
    return access


def can_manage(user: Any, organization: Organization) -> bool:
    """Whether the user keeps the register of `organization` (a flag for rows of a list whose
    page was already fetched with a check)."""
    return scope_for(user).can_manage_path(organization.path)


def get_organization_for_user(user: Any, pk: int, *, write: bool = False) -> Organization:
    """An organization the user oversees (its whole subtree is readable to them).
    A plain member of a cell does not oversee it; they see it through the member list only.
    With write=True: changing the tree itself, an administrator's job."""
    access = get_cell_for_user(user, pk, kinds=None)
    if write and not access.is_admin:
        raise PermissionDenied
    return access.organization


def check_tree_admin(user: Any) -> None:
    """Creating a top-level unit is an administrator's job; for anyone else the page does not
    exist (404)."""
    if not scope_for(user).is_admin:
        raise not_found()


def get_position_to_end(user: Any, pk: int) -> Position:
    """A position the user may end: the register keepers of its unit (overseers: 403)."""
    position = Position.objects.select_related("organization").filter(pk=pk).first()
    if position is None:
        raise not_found()
    get_cell_for_user(user, position.organization_id, write=True, kinds=None)
    return position


def get_unit_for_audit(user: Any, pk: int) -> Organization | None:
    """The unit whose subtree the audit log is narrowed to, or None for an unknown id (the log
    is then shown unfiltered). The log is an administrator's page: anyone else gets 404."""
    if not scope_for(user).is_admin:
        raise not_found()
    return Organization.objects.filter(pk=pk).first()


def get_rule_override_for_user(user: Any, pk: int) -> RuleOverride:
    """A unit's rule override, to end it. Rules are set for the whole system by its
    administrators; for anyone else the override (like the rules pages) does not exist: 404."""
    if not scope_for(user).is_admin:
        raise not_found()
    override = RuleOverride.objects.select_related("organization").filter(pk=pk).first()
    if override is None:
        raise not_found()
    return override


def find_member_by_card(user: Any, card_number: str) -> Member | None:
    """The member holding this party card number, if the user may see their record (a keeper
    recording a position must not probe other scopes: unknown and unseen answer the same)."""
    member = (
        Member.objects.select_related("cell").filter(party_card_number=card_number.strip()).first()
    )
    if member is None:
        return None
    scope = scope_for(user)
    if scope.member_id == member.pk or scope.can_read_path(member.cell.path):
        return member
    return None


def visible_organizations(user: Any):
    """Every organization in the user's readable subtrees."""
    scope = scope_for(user)
    return Organization.objects.filter(scope.path_q("path"))
