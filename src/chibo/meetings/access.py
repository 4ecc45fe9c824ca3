"""Fetch meetings with a permission check. Outside scope: 404; inside but not allowed: 403.

Who may do what:
- read: members of the cell, and anyone overseeing the cell (a position on it or above); a
  standing attendee of the cell (orgs Role.STANDING_ATTENDEE: a ward civil servant, the area
  police officer) reads the cell's meetings from publication on — the meeting they are invited
  to, never the cell's register or a meeting still being planned;
- manage (schedule, prepare, publish, open, close): the cell's register keepers — secretary,
  deputy secretary, organization staff of the cell or of a committee above;
- conduct (roll call, speeches, votes, assignments, wording): managers, and the chair and the
  minute-taker appointed for this meeting;
- confirm the score: an upper-level committee member following the cell, or the upper-level
  guest recorded at the meeting (DOMAIN R1.15), also after the minutes are signed;
- withdraw an addendum waiting for signatures: whoever recorded it, or a manager.

Cells come from the register's one cell helper (`orgs.access.get_cell_for_user` with
`members_read=True`: a cell's members read its meetings); the rows of a meeting (speeches,
votes, agenda items, addenda, documents, the cell's assignments) are fetched here, always
through their meeting.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core import request_cache
from chibo.core.rules import ancestor_paths
from chibo.core.scope import not_found
from chibo.directives.models import DirectiveDelivery
from chibo.followup.models import Assignment
from chibo.meetings.models import (
    Addendum,
    AgendaItem,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    ResolutionRecipient,
    Speech,
    Vote,
)
from chibo.members.models import Member
from chibo.orgs.access import cell_access, get_cell_for_user
from chibo.orgs.models import Organization, Position, Role
from chibo.orgs.scope import scope_for

READ, MANAGE, CONDUCT, CONFIRM = "read", "manage", "conduct", "confirm"


def can_read(user: Any, cell: Organization) -> bool:
    access = cell_access(scope_for(user), cell)
    return access.oversees or access.own_cell


def can_manage(user: Any, cell: Organization) -> bool:
    return cell_access(scope_for(user), cell).can_manage


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
    """Whether the user confirms the meeting's score: the upper-level member who attended it,
    or one following the cell. Asked by several parts of a page: once per request."""
    member_id = scope_for(user).member_id
    if member_id is None:
        return False
    return request_cache.cached(
        ("can_confirm_score", member_id, meeting.pk),
        lambda: _follows_or_attended(member_id, meeting),
    )


def _follows_or_attended(member_id: int, meeting: Meeting) -> bool:
    if meeting.guests.filter(member_id=member_id, is_upper_level=True).exists():
        return True
    # Assigned to follow this cell (a position on the cell) or on a committee above it.
    paths = ancestor_paths(meeting.organization.path)
    return (
        Position.objects.current()
        .filter(
            member_id=member_id,
            role=Role.UPPER_COMMITTEE_MEMBER,
            organization__path__in=paths,
        )
        .exists()
    )


def _attends(user: Any, meeting: Meeting) -> bool:
    """Whether the user is a standing attendee of the meeting's cell and the meeting is
    published (invited like the upper-level member, meetings.services.upper_level_users)."""
    scope = scope_for(user)
    return (
        scope.member_id is not None
        and meeting.status != MeetingStatus.PLANNED
        and Position.objects.current()
        .filter(
            member_id=scope.member_id,
            organization_id=meeting.organization_id,
            role=Role.STANDING_ATTENDEE,
        )
        .exists()
    )


def get_cell_for_meetings(user: Any, pk: int, *, write: bool = False) -> Organization:
    """A cell whose meetings the user may see (write=True: schedule them). A thin wrapper
    kept for the meetings and followup views: the rule is the register's cell helper's."""
    return get_cell_for_user(user, pk, write=write, members_read=True).organization


def get_organization_for_policy(user: Any, pk: int) -> Organization:
    """An organization whose meeting policy the user sets: any unit (a committee's policy is
    inherited below it); overseers and the cell's members see it (404 for others), only its
    register keepers set it (403)."""
    return get_cell_for_user(user, pk, write=True, kinds=None, members_read=True).organization


def get_meeting_for_user(user: Any, pk: int, *, need: str = READ) -> Meeting:
    """A meeting the user may read; `need` asks for more (MANAGE, CONDUCT, CONFIRM)."""
    meeting = (
        Meeting.objects.select_related("organization", "chair", "minute_taker")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise not_found()
    if not can_read(user, meeting.organization) and not _attends(user, meeting):
        raise not_found()
    if need == MANAGE and not can_manage(user, meeting.organization):
        raise PermissionDenied
    if need == CONDUCT and not can_conduct(user, meeting):
        raise PermissionDenied
    if need == CONFIRM and not can_confirm_score(user, meeting):
        raise PermissionDenied
    return meeting


# -- rows of a meeting: always through the meeting the user was allowed to see -------------


def get_speech(meeting: Meeting, pk: int) -> Speech:
    speech = Speech.objects.filter(pk=pk, meeting=meeting).first()
    if speech is None:
        raise not_found()
    return speech


def get_agenda_item(meeting: Meeting, pk: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("meeting").filter(pk=pk, meeting=meeting).first()
    if item is None:
        raise not_found()
    return item


def get_vote(meeting: Meeting, pk: int) -> Vote:
    vote = Vote.objects.filter(pk=pk, meeting=meeting).first()
    if vote is None:
        raise not_found()
    return vote


def get_addendum(meeting: Meeting, number: int) -> Addendum:
    addendum = Addendum.objects.filter(meeting=meeting, number=number).first()
    if addendum is None:
        raise not_found()
    return addendum


def can_withdraw_addendum(user: Any, addendum: Addendum) -> bool:
    """Who withdraws an addendum waiting for signatures: the one who recorded it, or a
    register keeper of the cell or of a committee above (the managers who may record one)."""
    if addendum.created_by_id is not None and addendum.created_by_id == user.pk:
        return True
    return can_manage(user, addendum.meeting.organization)


def get_addendum_to_withdraw(user: Any, meeting: Meeting, number: int) -> Addendum:
    """An addendum of a meeting the user reads, which they may withdraw (403 otherwise)."""
    addendum = get_addendum(meeting, number)
    addendum.meeting = meeting
    if not can_withdraw_addendum(user, addendum):
        raise PermissionDenied
    return addendum


def get_document(meeting: Meeting, pk: int) -> MeetingDocument:
    document = MeetingDocument.objects.filter(pk=pk, meeting=meeting).first()
    if document is None:
        raise not_found()
    return document


def get_cell_assignment(meeting: Meeting, pk: int) -> Assignment:
    """An assignment of the meeting's cell (set at an earlier meeting), whose result this
    meeting records."""
    assignment = Assignment.objects.filter(pk=pk, organization_id=meeting.organization_id).first()
    if assignment is None:
        raise not_found()
    return assignment


def member_of_user(user: Any) -> Member | None:
    """The member record linked to the user (the confirmer of a score), if any."""
    return Member.objects.filter(user_id=user.pk or 0).first()


def get_recipient(meeting: Meeting, pk: int) -> ResolutionRecipient:
    """A recipient of the meeting's resolution (resolutions outward), through its meeting."""
    recipient = ResolutionRecipient.objects.filter(pk=pk, meeting=meeting).first()
    if recipient is None:
        raise not_found()
    recipient.meeting = meeting
    return recipient


def get_directive_delivery(meeting: Meeting, pk: int) -> DirectiveDelivery:
    """A directive delivered to the meeting's cell (to put on its agenda); another cell's: 404."""
    delivery = (
        DirectiveDelivery.objects.select_related("directive__issuer", "via__issuer")
        .filter(pk=pk, cell_id=meeting.organization_id)
        .first()
    )
    if delivery is None:
        raise not_found()
    return delivery
