"""Fetch meetings with a permission check. Outside scope: 404; inside but not allowed: 403.

Who may do what:
- read: members of the cell, and anyone overseeing the cell (a position on it or above);
- manage (schedule, prepare, publish, open, close): the cell's register keepers — secretary,
  deputy secretary, organization staff of the cell or of a committee above;
- conduct (roll call, speeches, votes, assignments, wording): managers, and the chair and the
  minute-taker appointed for this meeting;
- confirm the score: an upper-level committee member following the cell, or the upper-level
  guest recorded at the meeting (DOMAIN R1.15).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.rules import ancestor_paths
from chibo.core.scope import not_found
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organization, Position, Role
from chibo.orgs.scope import scope_for

READ, MANAGE, CONDUCT, CONFIRM = "read", "manage", "conduct", "confirm"


def can_read(user: Any, cell: Organization) -> bool:
    scope = scope_for(user)
    return scope.can_read_path(cell.path) or scope.own_cell_id == cell.pk


def can_manage(user: Any, cell: Organization) -> bool:
    return scope_for(user).can_manage_path(cell.path)


def can_conduct(user: Any, meeting: Meeting) -> bool:
    scope = scope_for(user)
    if scope.can_manage_path(meeting.organization.path):
        return True
    # The appointed chair and minute-taker run the meeting even without a managing position.
    return scope.member_id is not None and scope.member_id in (
        meeting.chair_id,
        meeting.minute_taker_id,
    )


def can_confirm_score(user: Any, meeting: Meeting) -> bool:
    scope = scope_for(user)
    if scope.member_id is None:
        return False
    if meeting.guests.filter(member_id=scope.member_id, is_upper_level=True).exists():
        return True
    # Assigned to follow this cell (a position on the cell) or on a committee above it.
    paths = ancestor_paths(meeting.organization.path)
    return (
        Position.objects.current()
        .filter(
            member_id=scope.member_id,
            role=Role.UPPER_COMMITTEE_MEMBER,
            organization__path__in=paths,
        )
        .exists()
    )


def get_cell_for_meetings(user: Any, pk: int, *, write: bool = False) -> Organization:
    """A cell whose meetings the user may see (write=True: schedule them)."""
    cell = Organization.objects.filter(pk=pk).first()
    if cell is None or not cell.is_cell:
        raise not_found()
    if not can_read(user, cell):
        raise not_found()
    if write and not can_manage(user, cell):
        raise PermissionDenied
    return cell


def get_meeting_for_user(user: Any, pk: int, *, need: str = READ) -> Meeting:
    """A meeting the user may read; `need` asks for more (MANAGE, CONDUCT, CONFIRM)."""
    meeting = (
        Meeting.objects.select_related("organization", "chair", "minute_taker")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise not_found()
    if not can_read(user, meeting.organization):
        raise not_found()
    if need == MANAGE and not can_manage(user, meeting.organization):
        raise PermissionDenied
    if need == CONDUCT and not can_conduct(user, meeting):
        raise PermissionDenied
    if need == CONFIRM and not can_confirm_score(user, meeting):
        raise PermissionDenied
    return meeting
