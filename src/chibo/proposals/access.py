"""Who sees and who acts on a proposal: the only place deciding it. Outside the path: 404;
readable but not allowed to act: 403.

Nobody outside the proposal's path sees it: the member who raised it and its handler see
their own; the cell's keepers (and anyone with a position on the cell) see the cell's; a
committee sees the proposals of the cells of its subtree. A cell never sees another cell's.
Acting on it (assign, answer, escalate, hand off) belongs to the keepers of the unit holding
it now (secretary, deputy secretary, organisation staff) and to administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from chibo.core.scope import not_found
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import CELL_KINDS, MANAGING_ROLES, Organization, Position
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import followers_of
from chibo.proposals.models import HandOff, Proposal, ProposalAttachment


def visible_proposals(user: Any) -> QuerySet[Proposal]:
    """Every proposal the user may read."""
    scope = scope_for(user)
    if scope.is_admin:
        return Proposal.objects.all()
    if scope.is_anonymous:
        return Proposal.objects.none()
    query = scope.path_q("cell__path")
    if scope.member_id is not None:
        query |= Q(raised_by_id=scope.member_id) | Q(handler_id=scope.member_id)
    return Proposal.objects.filter(query)


def may_read(user: Any, proposal: Proposal) -> bool:
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if scope.member_id is not None and scope.member_id in (
        proposal.raised_by_id,
        proposal.handler_id,
    ):
        return True
    return scope.can_read_path(proposal.cell.path)


def kept_unit_ids(user: Any) -> set[int]:
    """The units where the user is a keeper today (their proposals are "at my level")."""
    scope = scope_for(user)
    if scope.member_id is None:
        return set()
    cached = user.__dict__.get("_chibo_proposal_units")
    if cached is None:
        cached = set(
            Position.objects.current()
            .filter(member_id=scope.member_id, role__in=MANAGING_ROLES)
            .values_list("organization_id", flat=True)
        )
        user.__dict__["_chibo_proposal_units"] = cached
    return cached


def may_act(user: Any, proposal: Proposal) -> bool:
    """Whether the user may act for the unit holding the proposal now."""
    if user is None:
        return False
    if scope_for(user).is_admin:
        return True
    return proposal.level_id in kept_unit_ids(user)


def get_proposal_for_user(user: Any, pk: int, *, act: bool = False) -> Proposal:
    proposal = (
        Proposal.objects.select_related("cell", "level", "raised_by", "handler", "answered_by_unit")
        .filter(pk=pk)
        .first()
    )
    if proposal is None or not may_read(user, proposal):
        raise not_found()
    if act and not may_act(user, proposal):
        raise PermissionDenied
    return proposal


def get_attachment(proposal: Proposal, pk: int) -> ProposalAttachment:
    attachment = proposal.attachments.filter(pk=pk).first()
    if attachment is None:
        raise not_found()
    return attachment


# -- recording a proposal ---------------------------------------------------------------------


def may_record_for_others(user: Any, cell: Organization) -> bool:
    """The cell's keepers (or a committee's above it) and the upper-level member following
    the cell record proposals for any member of the cell (DOMAIN §7: the proposals collected
    at the cell's meeting)."""
    scope = scope_for(user)
    if scope.is_admin or scope.can_manage_path(cell.path):
        return True
    return scope.member_id is not None and scope.member_id in followers_of([cell])[cell.pk]


def get_cell_to_record(user: Any, cell_pk: Any) -> tuple[Organization, bool]:
    """The cell where the user records a proposal, and whether they may name another member as
    the one who raised it (else it is their own). None given: the user's own cell."""
    scope = scope_for(user)
    if cell_pk in (None, ""):
        cell_pk = scope.own_cell_id
    try:
        cell = Organization.objects.filter(pk=int(cell_pk), kind__in=CELL_KINDS).first()
    except (TypeError, ValueError):
        cell = None
    if cell is None:
        raise not_found()
    for_others = may_record_for_others(user, cell)
    if for_others:
        return cell, True
    if scope.own_cell_id == cell.pk:
        return cell, False
    if scope.can_read_path(cell.path):
        raise PermissionDenied
    raise not_found()


def get_meeting_to_record(raw: Any) -> Any:
    """The meeting named by ?meeting= whose cell the proposal is raised in (None if not
    given); who may record there is then decided by `get_cell_to_record`."""
    if raw in (None, ""):
        return None
    meeting_model = Proposal._meta.get_field("raised_at_meeting").related_model
    try:
        meeting = (
            meeting_model._default_manager.select_related("organization")
            .filter(pk=int(raw))
            .first()
        )
    except (TypeError, ValueError):
        meeting = None
    if meeting is None:
        raise not_found()
    return meeting


def own_member_in(user: Any, cell: Organization) -> Member | None:
    """The user's own member record if they are on the rolls of `cell`."""
    member_id = scope_for(user).member_id
    if member_id is None:
        return None
    return raiser_choices(cell).filter(pk=member_id).first()


def open_hand_off(proposal: Proposal) -> HandOff | None:
    return proposal.hand_offs.filter(answered_on__isnull=True).first()


def raiser_choices(cell: Organization) -> QuerySet[Member]:
    return Member.objects.filter(cell=cell, status__in=ACTIVE_STATUSES).order_by(
        "name_sort_key", "id"
    )


def handler_choices(level: Organization) -> QuerySet[Member]:
    """Who may handle a proposal at a level: the members holding a position there, and at a
    cell, its members."""
    holders = Position.objects.current().filter(organization=level).values("member_id")
    query = Q(pk__in=holders)
    if level.kind in CELL_KINDS:
        query |= Q(cell=level)
    return (
        Member.objects.filter(query, status__in=ACTIVE_STATUSES)
        .distinct()
        .order_by("name_sort_key", "id")
    )
