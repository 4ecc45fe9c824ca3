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
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.orgs.models import (
    CELL_KINDS,
    COMMITTEE_KINDS,
    MANAGING_ROLES,
    Organization,
    OrganizationKind,
    Position,
    Role,
)
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import followers_of
from chibo.supervision.models import (
    Briefing,
    BriefingAttendance,
    CalendarFeed,
    Inspection,
    InspectionPlan,
    ModelMeeting,
    PerfunctoryFlag,
    Recommendation,
    Visit,
    VisitorRole,
)

# The positions a committee assigns on the assignments page (who follows / attends a cell).
ASSIGNMENT_ROLES = (Role.UPPER_COMMITTEE_MEMBER, Role.STANDING_ATTENDEE)

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


# Meetings a visit may be recorded for: held, whatever came after (DOMAIN R7.3).
HELD_STATUSES = frozenset({MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED, MeetingStatus.SIGNED})


def visitor_role(user: Any, cell: Organization) -> str:
    """How the user attends `cell`'s meetings: as an upper-level committee member following
    it (orgs.selectors.followers_of), as its standing attendee, or "" (neither)."""
    member_id = scope_for(user).member_id
    if member_id is None:
        return ""
    if member_id in followers_of([cell])[cell.pk]:
        return VisitorRole.UPPER_MEMBER
    attends = Position.objects.current().filter(
        member_id=member_id, organization=cell, role=Role.STANDING_ATTENDEE
    )
    return VisitorRole.STANDING_ATTENDEE if attends.exists() else ""


def get_meeting_to_visit_for_user(user: Any, meeting_pk: Any) -> tuple[Meeting, str]:
    """A meeting the user may record a visit to, and the role they attended it in. Not a
    follower or standing attendee of its cell: 404 (whatever else they read); a meeting not
    held yet: 403."""
    try:
        meeting = Meeting.objects.select_related("organization").filter(pk=int(meeting_pk)).first()
    except (TypeError, ValueError):
        meeting = None
    if meeting is None:
        raise not_found()
    role = visitor_role(user, meeting.organization)
    if not role:
        raise not_found()
    if meeting.status not in HELD_STATUSES:
        raise PermissionDenied
    return meeting, role


def _reads_visit(user: Any, visit: Visit) -> bool:
    scope = scope_for(user)
    return (
        scope.is_admin
        or (scope.member_id is not None and visit.visitor_id == scope.member_id)
        or scope.can_read_path(visit.cell.path)
    )


def get_visit_for_user(user: Any, pk: Any) -> Visit:
    """A visit the user reads: their own, or one to a cell in their scope (the cell's
    secretary sees the visits to its meetings). Anyone else: 404."""
    try:
        visit = (
            Visit.objects.select_related("meeting", "cell", "visitor", "meeting__score")
            .filter(pk=int(pk))
            .first()
        )
    except (TypeError, ValueError):
        visit = None
    if visit is None or not _reads_visit(user, visit):
        raise not_found()
    return visit


def visits_readable_on_meeting(user: Any, meeting: Meeting) -> QuerySet[Visit]:
    """The visits to a meeting the user already reads (meeting detail)."""
    scope = scope_for(user)
    visits = Visit.objects.filter(meeting=meeting).select_related("visitor")
    if scope.is_admin or scope.can_read_path(meeting.organization.path):
        return visits
    if scope.member_id is None:
        return visits.none()
    return visits.filter(visitor_id=scope.member_id)


def get_assignment_for_user(user: Any, committee: Organization, pk: Any) -> Position:
    """A following or standing-attendance position in the subtree of `committee`, which the
    caller fetched with write=True. Any other position: 404."""
    try:
        position = (
            Position.objects.select_related("organization", "member")
            .filter(
                pk=int(pk),
                role__in=ASSIGNMENT_ROLES,
                organization__path__startswith=committee.path,
                organization__depth__gt=committee.depth,
            )
            .first()
        )
    except (TypeError, ValueError):
        position = None
    if position is None:
        raise not_found()
    return position


def get_feed_by_token(token: str) -> CalendarFeed:
    """The calendar feed of a secret address (no login: the address is the key). A wrong or
    revoked token: 404."""
    feed = CalendarFeed.objects.select_related("user").filter(token=str(token)).first()
    if feed is None or not feed.user.is_active:
        raise not_found()
    return feed


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
