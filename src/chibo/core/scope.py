"""Scope primitives: what a user may see and change in the organization tree.

Scope comes only from the positions the user's member record holds (DESIGN §5), plus the
administrator flag. It is computed once per request and kept on the request's user object.
Every app's access.py builds on `scope_for(user)`; nothing else decides visibility.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_admin: bool = False
    member_id: int | None = None
    own_cell_id: int | None = None
    # Subtrees (materialized-path prefixes) the user may read in full.
    read_paths: tuple[str, ...] = ()
    # Subtrees whose member register the user may change.
    manage_paths: tuple[str, ...] = ()
    position_labels: tuple[str, ...] = field(default=())

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def can_read_path(self, path: str) -> bool:
        return self.is_admin or any(path.startswith(prefix) for prefix in self.read_paths)

    def can_manage_path(self, path: str) -> bool:
        return self.is_admin or any(path.startswith(prefix) for prefix in self.manage_paths)

    def path_q(self, field_name: str, *, manage: bool = False) -> Q:
        """A filter keeping rows whose `field_name` path lies in the user's readable (or
        manageable) subtrees. Administrators get an always-true filter."""
        if self.is_admin:
            return Q()
        prefixes = self.manage_paths if manage else self.read_paths
        if not prefixes:
            return Q(pk__in=[])
        query = Q()
        for prefix in prefixes:
            query |= Q(**{f"{field_name}__startswith": prefix})
        return query

    @property
    def has_any_oversight(self) -> bool:
        return self.is_admin or bool(self.read_paths)


ANONYMOUS = Scope(user_id=None)


def _minimal_prefixes(paths: set[str]) -> tuple[str, ...]:
    """Drop paths already covered by a shorter prefix, so filters stay small."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return tuple(sorted(kept))


def compute_scope(user: Any) -> Scope:
    from chibo.members.models import ACTIVE_STATUSES, Member
    from chibo.orgs.models import MANAGING_ROLES, Position

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
        .only("role", "organization__path", "organization__name")
    )
    # A member who left the rolls keeps a login only to read their own record.
    on_rolls = member.status in ACTIVE_STATUSES
    read: set[str] = set()
    manage: set[str] = set()
    labels: list[str] = []
    for position in positions if on_rolls else ():
        path = position.organization.path
        read.add(path)
        if position.role in MANAGING_ROLES:
            manage.add(path)
        labels.append(f"{position.get_role_display()} — {position.organization.name}")
    return Scope(
        user_id=user.pk,
        is_admin=user.is_superuser,
        member_id=member.pk,
        own_cell_id=member.cell_id if on_rolls else None,
        read_paths=_minimal_prefixes(read),
        manage_paths=_minimal_prefixes(manage),
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


def not_found() -> Http404:
    """Outside the user's scope: answer as if the object did not exist."""
    return Http404("not found")
