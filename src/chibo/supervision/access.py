"""Fetch supervision records with a permission check: the only place deciding who sees them.

- A committee's oversight pages (coverage, model meetings it plans, briefings, inspection plans,
  quality, perfunctory flags) are read by whoever reads the committee's subtree, each over the
  part of the subtree they read; they are changed by the committee's keepers (secretary, deputy,
  organisation staff) and administrators.
- A cell sees only what concerns it: the visits to its own meetings, the model meetings it is
  invited to, its briefings, the recommendations addressed to it — never another cell's.
- A visitor (an upper-level member following the cell, or a standing attendee assigned to it)
  records their own visits to the cells they follow.
- Anyone else: 404. Readable but not theirs to change: 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from chibo.core.scope import not_found
from chibo.orgs.models import CELL_KINDS, COMMITTEE_KINDS, MANAGING_ROLES, Organization, Position
from chibo.orgs.scope import scope_for
from chibo.supervision.models import Inspection, InspectionPlan, PerfunctoryFlag, Recommendation

# -- committees ---------------------------------------------------------------------------


def read_committees(user: Any) -> QuerySet[Organization]:
    """The committees whose oversight pages the user reads: those at the top of each subtree
    they read (a ward secretary: the ward; an administrator: the provinces)."""
    scope = scope_for(user)
    if scope.is_admin:
        return Organization.objects.filter(depth=1, kind__in=COMMITTEE_KINDS).order_by("path")
    if not scope.read_paths:
        return Organization.objects.none()
    return Organization.objects.filter(
        path__in=scope.read_paths, kind__in=COMMITTEE_KINDS
    ).order_by("path")


def reads_a_committee(user: Any) -> bool:
    return read_committees(user).exists()


def kept_committees(user: Any) -> QuerySet[Organization]:
    """The committees the user keeps (secretary, deputy, organisation staff): they plan model
    meetings, briefings and inspections for them. Administrators keep every committee."""
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


def get_committee_for_user(user: Any, pk: Any, *, write: bool = False) -> Organization:
    """A committee the user reads (its subtree lies in their scope); with write=True one they
    keep. Unknown, not a committee or out of scope: 404; readable but not kept: 403."""
    try:
        committee = Organization.objects.filter(pk=int(pk), kind__in=COMMITTEE_KINDS).first()
    except (TypeError, ValueError):
        committee = None
    if committee is None:
        raise not_found()
    scope = scope_for(user)
    if not scope.can_read_path(committee.path):
        raise not_found()
    if write and not (scope.is_admin or kept_committees(user).filter(pk=committee.pk).exists()):
        raise PermissionDenied
    return committee


def may_keep(user: Any, committee: Organization) -> bool:
    """Whether the user keeps `committee` (a flag for pages fetched with a check)."""
    scope = scope_for(user)
    return scope.is_admin or kept_committees(user).filter(pk=committee.pk).exists()


# -- visits (supervision.services_visits) ---------------------------------------------------


# -- model meetings and briefings -----------------------------------------------------------


# -- inspection and supervision -------------------------------------------------------------
# A committee's plans and records are read by whoever reads the committee's subtree; the
# subject sees its own: a cell (its readers, and its members on the rolls) the inspections of
# the cell or of one of its members, and the recommendations addressed to it. Only the
# inspecting committee's keepers change plans and records and close recommendations; only
# the addressee's keepers (secretary, deputy, organisation staff of the unit) report on one.


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise not_found() from None


def reads_inspection(user: Any, inspection: Inspection) -> bool:
    """Whether the user reads the inspection's record (the subject sees its own)."""
    scope = scope_for(user)
    # The inspecting committee's readers (and those above it) read all its records.
    if scope.can_read_path(inspection.committee.path):
        return True
    subject = inspection.subject_organization
    # Readers of the subject unit (its secretary, its committee members) see it.
    if subject is not None and scope.can_read_path(subject.path):
        return True
    # The subject cell's own members see what concerns their cell.
    if subject is not None and subject.pk == scope.own_cell_id:
        return True
    member = inspection.subject_member
    if member is None:
        return False
    # A member subject: the member, their cell's members and its readers.
    return member.pk == scope.member_id or (
        member.cell_id is not None
        and (member.cell_id == scope.own_cell_id or scope.can_read_path(member.cell.path))
    )


def get_inspection_plan_for_user(user: Any, pk: Any, *, write: bool = False) -> InspectionPlan:
    """A plan of a committee the user reads (404 otherwise); write=True: one they keep (403)."""
    plan = InspectionPlan.objects.select_related("committee").filter(pk=_pk(pk)).first()
    if plan is None:
        raise not_found()
    if not scope_for(user).can_read_path(plan.committee.path):
        raise not_found()
    if write and not may_keep(user, plan.committee):
        raise PermissionDenied
    return plan


def get_inspection_for_user(user: Any, pk: Any, *, write: bool = False) -> Inspection:
    """An inspection the user reads (404 otherwise); write=True: the inspecting committee's
    keepers only (403 for readers)."""
    inspection = (
        Inspection.objects.select_related(
            "plan", "committee", "subject_organization", "subject_member__cell", "leader"
        )
        .filter(pk=_pk(pk))
        .first()
    )
    if inspection is None or not reads_inspection(user, inspection):
        raise not_found()
    if write and not may_keep(user, inspection.committee):
        raise PermissionDenied
    return inspection


def keeps_unit(user: Any, unit: Organization) -> bool:
    """Whether the user is a keeper (secretary, deputy, organisation staff) of this very unit —
    the one who reports on a recommendation addressed to it. Administrators too."""
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if scope.member_id is None:
        return False
    return (
        Position.objects.current()
        .filter(member_id=scope.member_id, organization_id=unit.pk, role__in=MANAGING_ROLES)
        .exists()
    )


def kept_units(user: Any) -> QuerySet[Organization]:
    """The units (cells and committees) whose recommendations the user reports on."""
    scope = scope_for(user)
    if scope.member_id is None:
        return Organization.objects.none()
    ids = (
        Position.objects.current()
        .filter(member_id=scope.member_id, role__in=MANAGING_ROLES)
        .values("organization_id")
    )
    return Organization.objects.filter(pk__in=ids).order_by("path")


def reads_recommendation(user: Any, recommendation: Recommendation) -> bool:
    scope = scope_for(user)
    # Readers of the inspecting committee see all its recommendations.
    if scope.can_read_path(recommendation.inspection.committee.path):
        return True
    addressee = recommendation.addressee
    # The addressee's readers and its own members see those addressed to it, never others.
    return scope.can_read_path(addressee.path) or addressee.pk == scope.own_cell_id


def get_recommendation_for_user(user: Any, pk: Any, *, action: str = "") -> Recommendation:
    """A recommendation the user reads (404 otherwise). action="report": the addressee's
    keepers only; action="decide" (close, send back): the inspecting committee's keepers
    only (403 for other readers)."""
    recommendation = (
        Recommendation.objects.select_related("inspection__committee", "addressee")
        .filter(pk=_pk(pk))
        .first()
    )
    if recommendation is None or not reads_recommendation(user, recommendation):
        raise not_found()
    if action == "report" and not keeps_unit(user, recommendation.addressee):
        raise PermissionDenied
    if action == "decide" and not may_keep(user, recommendation.inspection.committee):
        raise PermissionDenied
    return recommendation


# -- quality and perfunctory meetings -------------------------------------------------------


def reads_above(user: Any, cell: Organization) -> bool:
    """Whether the user reads a committee strictly above `cell` (the cell's own readers do not:
    perfunctory flags are for the level above)."""
    scope = scope_for(user)
    return scope.is_admin or any(
        cell.path.startswith(prefix) and len(prefix) < len(cell.path) for prefix in scope.read_paths
    )


def keeps_above(user: Any, cell: Organization) -> bool:
    """Whether the user keeps a committee strictly above `cell` (reviews its flags)."""
    if scope_for(user).is_admin:
        return True
    return any(
        cell.path.startswith(committee.path) and committee.path != cell.path
        for committee in kept_committees(user)
    )


def get_cell_quality_for_user(user: Any, pk: Any) -> Organization:
    """A cell whose meeting quality history the user reads: readers of a committee above it and
    the cell's own keepers (secretary, deputy). Unknown or outside the user's scope: 404; a
    reader of the cell who keeps nothing of it: 403."""
    try:
        cell = Organization.objects.filter(pk=int(pk), kind__in=CELL_KINDS).first()
    except (TypeError, ValueError):
        cell = None
    if cell is None:
        raise not_found()
    scope = scope_for(user)
    if not scope.can_read_path(cell.path):
        raise not_found()
    if reads_above(user, cell):
        return cell
    if not scope.can_manage_path(cell.path):
        raise PermissionDenied
    return cell


def get_flag_for_user(user: Any, pk: Any, *, write: bool = False) -> PerfunctoryFlag:
    """A perfunctory flag, read by the levels above its cell only (the cell itself and other
    cells: 404); with write=True reviewed by a keeper of a committee above the cell (403 for
    other readers)."""
    try:
        flag = (
            PerfunctoryFlag.objects.filter(pk=int(pk))
            .select_related("cell", "meeting__record", "earlier_meeting__record")
            .first()
        )
    except (TypeError, ValueError):
        flag = None
    if flag is None or not reads_above(user, flag.cell):
        raise not_found()
    if write and not keeps_above(user, flag.cell):
        raise PermissionDenied
    return flag
