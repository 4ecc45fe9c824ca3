"""Reads of the organization tree."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, Q, Value, When
from django.db.models.functions import Substr
from django.urls import reverse

from chibo.core.scope import Scope
from chibo.core.text import fold
from chibo.members import standing
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import Organization, Position, Role


def top_organizations(scope: Scope):
    """The highest units the user oversees: the roots for an administrator."""
    if scope.is_admin:
        return Organization.objects.get_root_nodes()
    return Organization.objects.filter(path__in=scope.read_paths).order_by("path")


def children_with_counts(organization: Organization) -> list[Organization]:
    """Direct children, each with `member_count` (members on the rolls in its subtree), in two
    queries whatever the number of children."""
    children = list(Organization.objects.get_children(organization))
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


def organization_search(scope: Scope, query: str):
    """Units the user oversees whose code starts with, or whose name contains, `query`
    (diacritics and case ignored), at most 50."""
    folded = fold(query)
    if not folded:
        return Organization.objects.none()
    return (
        Organization.objects.filter(scope.path_q("path"))
        .filter(Q(code__startswith=query.strip()) | Q(name_search__contains=folded))
        .order_by("path")[:50]
    )
