"""Fetch organizations with a permission check. Outside scope: 404; inside but read-only: 403.

One helper per object type of the register layer, importable by every app:
- `get_cell_for_user`: the one cell (or unit) helper every page of a cell uses — member list,
  meetings, candidates, dues, residence, reviews. What differs between those pages is said by
  two small parameters (`kinds`, `members_read`), and the result carries the flags;
- `get_organization_for_user`: a unit of the tree itself;
- `get_parent_for_new_unit`, `get_unit_to_change`, `may_place_under`: founding, changing and
  moving units, the job of a committee's secretaries, deputies and organisation staff for their
  own subtree (`tree_rights`), and of administrators everywhere;
- `get_position_to_end`: a position held in a unit;
- `check_rules_page`, `get_rule_organization_for_user`, `get_rule_override_for_user`: the
  rules pages, for the administrators and the keepers of a province, bloc or commune-level
  committee (their own subtree only); the rest of the users must not learn they exist;
- `get_unit_for_audit`: the administrators' audit log.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from chibo.core.models import RuleOverride
from chibo.core.scope import Scope, minimal_prefixes, not_found
from chibo.members.models import Member
from chibo.orgs.models import (
    ALLOWED_CHILDREN,
    CELL_KINDS,
    COMMITTEE_KINDS,
    MANAGING_ROLES,
    RULE_ISSUING_KINDS,
    Organization,
    Position,
)
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


def _keeper_paths(user: Any, kinds: frozenset[str]) -> tuple[str, ...]:
    """The subtrees of the units of `kinds` where the user is a secretary, deputy secretary or
    organisation staff today. Computed with the scope from the same positions (orgs.scope), so
    it costs no query; a member off the rolls keeps none."""
    scope = scope_for(user)
    if scope.member_id is None or not scope.manage_paths:
        return ()
    cached = user.__dict__.get("_chibo_keeper_paths", {})
    if kinds in cached:
        return cached[kinds]
    paths = (
        Position.objects.current()
        .filter(member_id=scope.member_id, role__in=MANAGING_ROLES, organization__kind__in=kinds)
        .values_list("organization__path", flat=True)
    )
    return minimal_prefixes(set(paths))


def _inside(path: str, prefixes: Collection[str]) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


def _below(path: str, prefixes: Collection[str]) -> bool:
    return any(path.startswith(prefix) and path != prefix for prefix in prefixes)


@dataclass(frozen=True)
class TreeRights:
    """What the user may do to the tree at one unit."""

    # Found a unit directly under it.
    may_add: bool
    # Change its details or move it with its subtree.
    may_edit: bool


def tree_rights(user: Any, organization: Organization) -> TreeRights:
    """Administrators change the whole tree. A committee's secretaries, deputy secretaries and
    organisation staff found units anywhere in their committee's subtree, and change or move
    the units below their committee, not the committee itself (that is decided above it), nor
    anything beside or above it."""
    can_have_children = bool(ALLOWED_CHILDREN.get(organization.kind))
    if scope_for(user).is_admin:
        return TreeRights(may_add=can_have_children, may_edit=True)
    paths = _keeper_paths(user, COMMITTEE_KINDS)
    return TreeRights(
        may_add=can_have_children and _inside(organization.path, paths),
        may_edit=_below(organization.path, paths),
    )


def get_organization_for_user(user: Any, pk: int, *, write: bool = False) -> Organization:
    """An organization the user oversees (its whole subtree is readable to them).
    A plain member of a cell does not oversee it; they see it through the member list only.
    With write=True: changing the unit itself (`tree_rights(...).may_edit`), else 403."""
    organization = get_cell_for_user(user, pk, kinds=None).organization
    if write and not tree_rights(user, organization).may_edit:
        raise PermissionDenied
    return organization


def get_parent_for_new_unit(user: Any, pk: int) -> Organization:
    """The unit under which the user founds a new one: outside their scope 404, readable but
    not theirs to extend 403."""
    organization = get_cell_for_user(user, pk, kinds=None).organization
    if not tree_rights(user, organization).may_add:
        raise PermissionDenied
    return organization


def get_unit_to_change(user: Any, pk: int) -> Organization:
    """A unit the user may edit or move (see `tree_rights`): outside scope 404, else 403."""
    return get_organization_for_user(user, pk, write=True)


def may_place_under(user: Any, parent: Organization) -> bool:
    """Whether the user may move a unit under `parent`: anywhere for administrators, inside
    their own committee's subtree for its keepers."""
    if scope_for(user).is_admin:
        return True
    return _inside(parent.path, _keeper_paths(user, COMMITTEE_KINDS))


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


def rule_paths(user: Any) -> tuple[str, ...]:
    """The subtrees whose rule overrides the user manages: those of the province, bloc and
    commune-level committees where they are secretary, deputy secretary or organisation staff
    (DOMAIN §0, R1.14: these committees issue their own rules). Administrators: everything."""
    if scope_for(user).is_admin:
        return ("",)
    return _keeper_paths(user, RULE_ISSUING_KINDS)


def may_manage_rules(user: Any) -> bool:
    return bool(rule_paths(user))


def check_rules_page(user: Any) -> None:
    """The rules pages exist only for those who manage some overrides (404 for the rest)."""
    if not may_manage_rules(user):
        raise not_found()


def rule_organizations(user: Any):
    """The units whose overrides the user manages (their committees and every unit below)."""
    query = Q()
    for prefix in rule_paths(user):
        query |= Q(path__startswith=prefix)
    return Organization.objects.filter(query) if query else Organization.objects.none()


def get_rule_organization_for_user(user: Any, pk: Any) -> Organization:
    """A unit whose overrides the user manages; 404 for anything else (another ward, a unit
    above, an unknown or malformed id)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise not_found() from None
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None or not _inside(organization.path, rule_paths(user)):
        raise not_found()
    return organization


def get_rule_override_for_user(user: Any, pk: int) -> RuleOverride:
    """A unit's rule override, to end it: one of the user's own subtree (see `rule_paths`).
    For anyone else the override does not exist: 404."""
    paths = rule_paths(user)
    if not paths:
        raise not_found()
    override = RuleOverride.objects.select_related("organization").filter(pk=pk).first()
    if override is None or not _inside(override.organization.path, paths):
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
