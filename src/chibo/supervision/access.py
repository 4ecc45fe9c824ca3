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
from chibo.meetings.models import MeetingStatus
from chibo.orgs.models import (
    COMMITTEE_KINDS,
    MANAGING_ROLES,
    Organization,
    OrganizationKind,
    Position,
    Role,
)
from chibo.orgs.scope import scope_for
from chibo.supervision.models import Briefing, BriefingAttendance, ModelMeeting

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

# Committees that plan model meetings and briefings with their cells (R7.5: a grassroots,
# commune or ward committee; a special zone is a commune-level unit).
PLANNING_KINDS = frozenset(
    {
        OrganizationKind.COMMUNE_COMMITTEE,
        OrganizationKind.WARD_COMMITTEE,
        OrganizationKind.SPECIAL_ZONE_COMMITTEE,
        OrganizationKind.GRASSROOTS_COMMITTEE,
    }
)


def _in_subtree(path: str, root_path: str) -> bool:
    return path.startswith(root_path)


def may_read_model_meeting(user: Any, model_meeting: ModelMeeting) -> bool:
    """Who reads a model meeting: the committee's readers; whoever reads the host cell (its
    overseers) and its members; the invited cells' secretaries; once the meeting is signed,
    every member of the committee's subtree, as an example."""
    scope = scope_for(user)
    committee, cell = model_meeting.committee, model_meeting.cell
    if scope.can_read_path(committee.path) or scope.can_read_path(cell.path):
        return True
    if scope.own_cell_id == cell.pk:
        return True
    if scope.member_id is not None and any(
        invitation.invitee_id == scope.member_id for invitation in model_meeting.invitations.all()
    ):
        return True
    meeting = model_meeting.meeting
    if meeting is None or meeting.status != MeetingStatus.SIGNED:
        return False
    if model_meeting.cancelled_at is not None:
        return False
    # Signed: an example for the whole subtree (its cells' members and those overseeing a part).
    if (
        scope.own_cell_id is not None
        and Organization.objects.filter(
            pk=scope.own_cell_id, path__startswith=committee.path
        ).exists()
    ):
        return True
    return any(_in_subtree(path, committee.path) for path in scope.read_paths)


def get_model_meeting_for_user(user: Any, pk: Any, *, write: bool = False) -> ModelMeeting:
    """A model meeting the user reads (404 otherwise); with write=True one whose committee they
    keep (403 when they only read it)."""
    model_meeting = (
        ModelMeeting.objects.select_related("committee", "cell", "meeting")
        .prefetch_related("invitations")
        .filter(pk=pk)
        .first()
    )
    if model_meeting is None or not may_read_model_meeting(user, model_meeting):
        raise not_found()
    if write and not may_keep(user, model_meeting.committee):
        raise PermissionDenied
    return model_meeting


def get_planning_committee_for_user(user: Any, pk: Any, *, write: bool = False) -> Organization:
    """A committee whose model meetings and briefings the user reads (write: plans); only a
    grassroots, commune or ward committee plans them (another committee: 404)."""
    committee = get_committee_for_user(user, pk, write=write)
    if committee.kind not in PLANNING_KINDS:
        raise not_found()
    return committee


def get_briefing_for_user(user: Any, pk: Any, *, write: bool = False) -> Briefing:
    """A briefing the user reads: the committee's readers and the secretaries invited to it.
    write=True: the committee's keepers (403 for the others who read it)."""
    briefing = Briefing.objects.select_related("committee").filter(pk=pk).first()
    if briefing is None:
        raise not_found()
    scope = scope_for(user)
    invited = (
        scope.member_id is not None
        and briefing.attendance.filter(member_id=scope.member_id).exists()
    )
    if not (scope.can_read_path(briefing.committee.path) or invited):
        raise not_found()
    if write and not may_keep(user, briefing.committee):
        raise PermissionDenied
    return briefing


def secretary_cell_ids(user: Any) -> set[int]:
    """The cells the user is the current secretary of (they write those cells' briefing
    reports)."""
    scope = scope_for(user)
    if scope.member_id is None:
        return set()
    return set(
        Position.objects.current()
        .filter(member_id=scope.member_id, role=Role.SECRETARY)
        .values_list("organization_id", flat=True)
    )


def is_cell_secretary(user: Any, cell: Organization) -> bool:
    return cell.pk in secretary_cell_ids(user)


def get_attendance_for_report(user: Any, briefing: Briefing, pk: Any) -> BriefingAttendance:
    """A cell's row of a briefing the user reads, for its report: written by the cell's own
    secretary or by the committee's keepers; another cell's row: 403; not of this briefing: 404."""
    row = briefing.attendance.select_related("cell").filter(pk=pk).first()
    if row is None:
        raise not_found()
    if may_keep(user, briefing.committee):
        return row
    if is_cell_secretary(user, row.cell):
        return row
    raise PermissionDenied


# -- inspection and supervision -------------------------------------------------------------


# -- quality and perfunctory meetings -------------------------------------------------------
