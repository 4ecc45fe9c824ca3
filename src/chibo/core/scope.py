"""Scope primitives: what a user may see and change in the organization tree.

The `Scope` type: the subtrees (materialized-path prefixes) a user may read and manage. It is
computed from the register by `orgs.scope.scope_for` (core stays below the apps) and is the
only thing every app's access.py decides visibility from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404


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


def minimal_prefixes(paths: set[str]) -> tuple[str, ...]:
    """Drop paths already covered by a shorter prefix, so filters stay small."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return tuple(sorted(kept))


def not_found() -> Http404:
    """Outside the user's scope: answer as if the object did not exist."""
    return Http404("not found")
