"""Computing a user's scope from the positions their member record holds (DESIGN §5).

The `Scope` type lives in `core.scope`; computing it needs the register (positions and the
member linked to the user), so it lives here, one layer up. Every app's access.py builds on
`scope_for(user)`; nothing else decides visibility.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from chibo.core.scope import ANONYMOUS, Scope, minimal_prefixes
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import (
    COMMITTEE_KINDS,
    MANAGING_ROLES,
    RULE_ISSUING_KINDS,
    Position,
    Role,
)

# The kinds of unit whose keepers get more than the register (orgs.access: founding units,
# rule overrides); their subtrees are computed with the scope, from the same positions.
KEEPER_KIND_SETS = (COMMITTEE_KINDS, RULE_ISSUING_KINDS)


def compute_scope(user: Any) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    member = Member.objects.filter(user_id=user.pk).only("id", "cell_id", "status").first()
    if member is None:
        return Scope(user_id=user.pk, is_admin=user.is_superuser)
    today = timezone.localdate()
    positions = (
        Position.objects.filter(member_id=member.pk, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("organization")
        .only("role", "organization__path", "organization__name", "organization__kind")
    )
    # A member who left the rolls keeps a login only to read their own record.
    on_rolls = member.status in ACTIVE_STATUSES
    read: set[str] = set()
    manage: set[str] = set()
    labels: list[str] = []
    keepers: dict[frozenset[str], set[str]] = {kinds: set() for kinds in KEEPER_KIND_SETS}
    for position in positions if on_rolls else ():
        if position.role == Role.STANDING_ATTENDEE:
            continue  # attends the cell's meetings, reads nothing of it (supervision.access)
        path = position.organization.path
        read.add(path)
        if position.role in MANAGING_ROLES:
            manage.add(path)
            for kinds, paths in keepers.items():
                if position.organization.kind in kinds:
                    paths.add(path)
        labels.append(f"{position.get_role_display()} — {position.organization.name}")
    user.__dict__["_chibo_keeper_paths"] = {
        kinds: minimal_prefixes(paths) for kinds, paths in keepers.items()
    }
    return Scope(
        user_id=user.pk,
        is_admin=user.is_superuser,
        member_id=member.pk,
        own_cell_id=member.cell_id if on_rolls else None,
        read_paths=minimal_prefixes(read),
        manage_paths=minimal_prefixes(manage),
        position_labels=tuple(labels),
    )


def scope_for(user: Any) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_chibo_scope", None)
    if cached is None:
        cached = compute_scope(user)
        user._chibo_scope = cached
    return cached
