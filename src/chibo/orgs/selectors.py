"""Reads of the organization tree."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, Q, Value, When
from django.db.models.functions import Substr
from django.urls import reverse

from chibo.core.rules import ancestor_paths
from chibo.core.scope import Scope
from chibo.core.text import fold
from chibo.members import standing
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import (
    ALLOWED_CHILDREN,
    ORG_CODE_RE,
    Organization,
    OrganizationKind,
    Position,
    Role,
)

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[str | int, ...]:
    """A sort key that reads the numbers in a name as numbers, diacritics and case ignored:
    "Chi bộ Khối 2" before "Chi bộ Khối 10". Text and numbers alternate at fixed positions,
    so two keys always compare like with like."""
    parts = _DIGITS.split(fold(name))
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


def unit_sort_key(organization: Any) -> tuple[Any, ...]:
    """How units (cells above all) are listed everywhere: by name in natural order, then code."""
    return (natural_key(organization.name), organization.code)


def sorted_naturally(units: Iterable[Any]) -> list[Any]:
    return sorted(units, key=unit_sort_key)


# DOMAIN R6.7 (a third-party reading of 208-QĐ/TW, unsure): M1.M2.M3.M4.M5 — province (2
# digits), the committee directly above grassroots (3), grassroots committee or cell (3),
# subordinate committee (3, "000" if none), subordinate cell (3). How many parts each kind's code
# has; a party group has no level of its own.
CODE_PARTS: dict[str, int] = {
    OrganizationKind.PROVINCE_COMMITTEE: 1,
    OrganizationKind.BLOC_COMMITTEE: 2,
    OrganizationKind.COMMUNE_COMMITTEE: 2,
    OrganizationKind.WARD_COMMITTEE: 2,
    OrganizationKind.SPECIAL_ZONE_COMMITTEE: 2,
    OrganizationKind.GRASSROOTS_COMMITTEE: 3,
    OrganizationKind.GRASSROOTS_CELL: 3,
    OrganizationKind.SUBORDINATE_COMMITTEE: 4,
    OrganizationKind.CELL: 5,
}

# The kind a new unit most often has under each kind of parent (DOMAIN R6.1-R6.3).
DEFAULT_CHILD_KIND: dict[str | None, str] = {
    None: OrganizationKind.PROVINCE_COMMITTEE,
    OrganizationKind.PROVINCE_COMMITTEE: OrganizationKind.COMMUNE_COMMITTEE,
    OrganizationKind.BLOC_COMMITTEE: OrganizationKind.GRASSROOTS_COMMITTEE,
    OrganizationKind.COMMUNE_COMMITTEE: OrganizationKind.CELL,
    OrganizationKind.WARD_COMMITTEE: OrganizationKind.CELL,
    OrganizationKind.SPECIAL_ZONE_COMMITTEE: OrganizationKind.CELL,
    OrganizationKind.GRASSROOTS_COMMITTEE: OrganizationKind.CELL,
    OrganizationKind.SUBORDINATE_COMMITTEE: OrganizationKind.CELL,
    OrganizationKind.GRASSROOTS_CELL: OrganizationKind.PARTY_GROUP,
    OrganizationKind.CELL: OrganizationKind.PARTY_GROUP,
}


def proposed_code(parent: Organization | None, kind: str) -> str:
    """The next free code for a unit of `kind` under `parent` in R6.7's shape: the parent's code,
    "000" for the levels the tree skips (a cell directly under a ward), then one more than the
    highest number in use at that level (one query). "" when the parent's own code is not in
    that shape."""
    parent_parts = parent.code.split(".") if parent is not None else []
    if parent is not None and not ORG_CODE_RE.match(parent.code):
        return ""
    parts = CODE_PARTS.get(kind, len(parent_parts) + 1)
    if parts <= len(parent_parts):
        parts = len(parent_parts) + 1
    width = 2 if parts == 1 else 3
    prefix = ".".join([*parent_parts, *["000"] * (parts - len(parent_parts) - 1)])
    prefix = f"{prefix}." if prefix else ""
    numbers = [
        int(rest)
        for rest in (
            code[len(prefix) :]
            for code in Organization.objects.filter(code__startswith=prefix).values_list(
                "code", flat=True
            )
        )
        if rest.isdigit() and len(rest) == width
    ]
    following = max(numbers, default=0) + 1
    if following >= 10**width:
        return ""
    return f"{prefix}{following:0{width}d}"


def top_organizations(scope: Scope) -> list[Organization]:
    """The highest units the user oversees, in natural order: the roots for an administrator."""
    if scope.is_admin:
        return sorted_naturally(Organization.objects.get_root_nodes())
    return sorted_naturally(Organization.objects.filter(path__in=scope.read_paths))


def proposed_codes(parent: Organization | None) -> dict[str, str]:
    """{kind: proposed code} for every kind that may sit under `parent` (a query per kind,
    at most six)."""
    allowed = ALLOWED_CHILDREN.get(parent.kind if parent is not None else None, frozenset())
    proposals = {}
    for kind in OrganizationKind.values:
        if kind in allowed:
            proposals[kind] = proposed_code(parent, kind)
    return proposals


def children_with_counts(organization: Organization) -> list[Organization]:
    """Direct children, each with `member_count` (members on the rolls in its subtree), in two
    queries whatever the number of children."""
    children = sorted_naturally(Organization.objects.get_children(organization))
    if not children:
        return children
    prefix_length = len(children[0].path)
    counts = dict(
        Member.objects.filter(cell__path__startswith=organization.path, status__in=ACTIVE_STATUSES)
        .annotate(prefix=Substr("cell__path", 1, prefix_length))
        .values_list("prefix")
        .annotate(n=Count("id"))
        .values_list("prefix", "n")
    )
    for child in children:
        child.member_count = counts.get(child.path, 0)
    return children


def member_summary(organization: Organization) -> standing.RollCounts:
    """Members on the rolls of a subtree, counted so that the numbers add up
    (members.standing.RollCounts: official + probationary = total, by class; exempted,
    suspended and temporarily attached counted apart among them): one query."""
    return standing.roll_counts(Member.objects.filter(cell__path__startswith=organization.path))


ROLE_RANK = [
    Role.SECRETARY,
    Role.DEPUTY_SECRETARY,
    Role.COMMITTEE_MEMBER,
    Role.ORGANIZATION_STAFF,
    Role.UPPER_COMMITTEE_MEMBER,
]


def current_positions(organization: Organization):
    """Current positions in a unit, secretary first, then deputy, committee, staff, overseers."""
    rank = Case(
        *[When(role=role, then=Value(index)) for index, role in enumerate(ROLE_RANK)],
        default=Value(len(ROLE_RANK)),
    )
    return (
        Position.objects.current()
        .filter(organization=organization)
        .select_related("member")
        .order_by(rank, "member__name_sort_key")
    )


def breadcrumbs_for(organization: Organization, scope: Scope, *, last_label: Any = None):
    """The chain of units above `organization` that the user may open, then the page itself."""
    crumbs = []
    for unit in [*Organization.objects.get_ancestors(organization), organization]:
        if scope.can_read_path(unit.path):
            crumbs.append({"url": reverse("orgs:detail", args=[unit.pk]), "label": unit.name})
        elif unit.pk == organization.pk and scope.own_cell_id == unit.pk:
            crumbs.append({"url": reverse("members:cell_list", args=[unit.pk]), "label": unit.name})
    if last_label:
        crumbs.append({"url": "", "label": last_label})
    return crumbs


def organization_search(scope: Scope, query: str) -> list[Organization]:
    """Units the user oversees whose code starts with, or whose name contains, `query`
    (diacritics and case ignored), at most 50, in natural order."""
    folded = fold(query)
    if not folded:
        return []
    return sorted_naturally(
        Organization.objects.filter(scope.path_q("path"))
        .filter(Q(code__startswith=query.strip()) | Q(name_search__contains=folded))
        .order_by("path")[:50]
    )


def followers_of(cells: list[Organization]) -> dict[int, set[int]]:
    """For each cell, the members following it (the one follower finder of chibo: the
    upper-level committee members of DOMAIN §7): those assigned to the cell itself, else to the
    nearest organization above with such an assignment (one query)."""
    paths = {path for cell in cells for path in ancestor_paths(cell.path)}
    assigned: dict[str, set[int]] = {}
    for path, member_id in (
        Position.objects.current()
        .filter(role=Role.UPPER_COMMITTEE_MEMBER, organization__path__in=paths)
        .values_list("organization__path", "member_id")
    ):
        assigned.setdefault(path, set()).add(member_id)
    followers: dict[int, set[int]] = {}
    for cell in cells:
        nearest = max((p for p in ancestor_paths(cell.path) if p in assigned), key=len, default="")
        followers[cell.pk] = assigned.get(nearest, set())
    return followers
