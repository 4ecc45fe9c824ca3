"""Fetch directives with a permission check: the only place deciding who sees them.

- Issuing and forwarding: the keepers (secretary, deputy, organisation staff) of a committee,
  for that committee; administrators for any committee.
- Reading a directive with its coverage: whoever reads the issuer's subtree (the issuer's
  committee and above) sees the whole coverage; a committee below it sees the coverage of its
  own subtree only (it received the directive to pass it on).
- A receiving cell's members read the directive, its attachments and the guidance that came
  with it, and their own cell's status — never another cell's.
- Anyone else: 404. Readable but not theirs to forward: 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from chibo.core.scope import not_found
from chibo.directives.models import Directive, DirectiveAttachment, DirectiveDelivery
from chibo.orgs.models import COMMITTEE_KINDS, MANAGING_ROLES, Organization, Position
from chibo.orgs.scope import scope_for


def reads_a_committee(user: Any) -> bool:
    """Whether the user oversees a committee (their list shows what it issued or received)."""
    scope = scope_for(user)
    return scope.is_admin or (
        bool(scope.read_paths)
        and Organization.objects.filter(
            path__in=scope.read_paths, kind__in=COMMITTEE_KINDS
        ).exists()
    )


def kept_committees(user: Any) -> QuerySet[Organization]:
    """The committees the user may issue and forward directives for."""
    scope = scope_for(user)
    if scope.is_admin:
        return Organization.objects.filter(kind__in=COMMITTEE_KINDS).order_by("path")
    if scope.member_id is None or not scope.manage_paths:
        return Organization.objects.none()
    ids = (
        Position.objects.current()
        .filter(
            member_id=scope.member_id,
            role__in=MANAGING_ROLES,
            organization__kind__in=COMMITTEE_KINDS,
        )
        .values("organization_id")
    )
    return Organization.objects.filter(pk__in=ids).order_by("path")


def may_issue_for(user: Any, organization: Organization) -> bool:
    """Whether `user` keeps `organization` (a committee). None is the system (demo, jobs)."""
    if user is None:
        return True
    return (
        organization.kind in COMMITTEE_KINDS
        and kept_committees(user).filter(pk=organization.pk).exists()
    )


@dataclass(frozen=True)
class DirectiveAccess:
    """A directive (always the original) and what the user may see of it."""

    directive: Directive
    # The unit whose subtree's coverage the user sees; None: no coverage at all.
    coverage_root: Organization | None
    # The delivery to the user's own cell, if it received the directive.
    own_delivery: DirectiveDelivery | None
    # The committees the user may forward it from.
    forward_units: tuple[Organization, ...]

    @property
    def may_forward(self) -> bool:
        return bool(self.forward_units)


def units_queryset(units: Any) -> QuerySet[Organization]:
    """The given units (already checked: the user's committees) as a queryset for a form."""
    return Organization.objects.filter(pk__in=[unit.pk for unit in units]).order_by("path")


def _original(pk: int) -> Directive:
    directive = (
        Directive.objects.select_related("issuer", "forwarded_from__issuer").filter(pk=pk).first()
    )
    if directive is None:
        raise not_found()
    if directive.forwarded_from_id:
        directive = directive.forwarded_from  # type: ignore[assignment]
    return directive  # type: ignore[return-value]


def forward_units(user: Any, directive: Directive) -> tuple[Organization, ...]:
    """Committees strictly below the issuer, kept by the user, that the directive reached and
    that have not forwarded it yet."""
    issuer_path = directive.issuer.path
    units = [
        unit
        for unit in kept_committees(user)
        .filter(path__startswith=issuer_path)
        .exclude(pk__in=directive.forwards.values("issuer_id"))
        if unit.path != issuer_path
    ]
    if not units:
        return ()
    target_paths = list(directive.target_units.values_list("path", flat=True))

    def reached(unit: Organization) -> bool:
        return (
            directive.target_mode == "subtree"
            or any(unit.path.startswith(path) for path in target_paths)
            or directive.deliveries.filter(cell__path__startswith=unit.path).exists()
        )

    return tuple(unit for unit in units if reached(unit))


def directive_access(user: Any, directive: Directive) -> DirectiveAccess | None:
    scope = scope_for(user)
    issuer = directive.issuer
    root: Organization | None = None
    if scope.can_read_path(issuer.path):
        root = issuer
    else:
        # A unit below the issuer that the user reads, and that the directive reached.
        below = sorted(p for p in scope.read_paths if p.startswith(issuer.path))
        for prefix in below:
            if directive.deliveries.filter(cell__path__startswith=prefix).exists():
                root = Organization.objects.filter(path=prefix).first()
                break
    own = None
    if scope.own_cell_id is not None:
        own = (
            DirectiveDelivery.objects.select_related("via__issuer", "disseminated_meeting", "cell")
            .filter(directive=directive, cell_id=scope.own_cell_id)
            .first()
        )
    if root is None and own is None:
        return None
    return DirectiveAccess(
        directive=directive,
        coverage_root=root,
        own_delivery=own,
        forward_units=forward_units(user, directive) if root is not None else (),
    )


def get_directive_for_user(user: Any, pk: int) -> DirectiveAccess:
    """A directive the user may read (a forward's id gives its original). Else 404."""
    access = directive_access(user, _original(pk))
    if access is None:
        raise not_found()
    return access


def get_directive_to_forward(user: Any, pk: int) -> DirectiveAccess:
    """A directive the user reads and may forward from one of their committees (else 403)."""
    access = get_directive_for_user(user, pk)
    if not access.may_forward:
        raise PermissionDenied
    return access


def get_directive_to_mark_read(user: Any, pk: int) -> DirectiveAccess:
    """A directive delivered to the user's own cell (a member marks it read). Readers from
    above who are not members of a receiving cell: 403."""
    access = get_directive_for_user(user, pk)
    if access.own_delivery is None:
        raise PermissionDenied
    return access


def get_coverage_unit(user: Any, access: DirectiveAccess, pk: Any) -> Organization:
    """A unit of the coverage drill-down: inside the user's coverage root, else 404."""
    root = access.coverage_root
    if root is None:
        raise not_found()
    if pk in (None, ""):
        return root
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise not_found() from None
    unit = Organization.objects.filter(pk=pk, path__startswith=root.path).first()
    if unit is None:
        raise not_found()
    return unit


def get_attachment(user: Any, directive_pk: int, pk: int) -> DirectiveAttachment:
    """An attachment of a directive the user may read."""
    access = get_directive_for_user(user, directive_pk)
    original = access.directive
    attachment = DirectiveAttachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise not_found()
    if attachment.directive_id != original.pk:
        raise not_found()
    return attachment


def check_may_issue(user: Any) -> list[Organization]:
    """The committees the user issues for; without any the page does not exist (404)."""
    units = list(kept_committees(user))
    if not units:
        raise not_found()
    return units
