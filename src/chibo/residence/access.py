"""Who sees and changes what in the residence feature (Quy định 213).

- The workplace cell (those who oversee the member's cell) reads the member's links and
  comments; those who keep its register create and end links and request comments.
- The residence cell (those who oversee it, committees above included) reads the links of
  members living in its area, logs participation and, if they keep its register, writes the
  comments. It sees only the member's name, address, cell and the comment: never the record.
- The member reads their own links and comments. Everyone else: 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.scope import not_found
from chibo.members.models import Member
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.residence.models import ResidenceFeedback, ResidenceLink


@dataclass(frozen=True)
class LinkAccess:
    workplace_read: bool
    workplace_manage: bool
    residence_read: bool
    residence_manage: bool
    own: bool

    @property
    def any(self) -> bool:
        return self.workplace_read or self.residence_read or self.own


def link_access(user: Any, link: ResidenceLink) -> LinkAccess:
    scope = scope_for(user)
    workplace_path = link.workplace_cell.path
    residence_path = link.residence_cell.path
    return LinkAccess(
        workplace_read=scope.can_read_path(workplace_path),
        workplace_manage=scope.can_manage_path(workplace_path),
        residence_read=scope.can_read_path(residence_path),
        residence_manage=scope.can_manage_path(residence_path),
        own=scope.member_id is not None and scope.member_id == link.member_id,
    )


def get_link_for_user(user: Any, pk: int) -> tuple[ResidenceLink, LinkAccess]:
    link = (
        ResidenceLink.objects.select_related("member", "workplace_cell", "residence_cell")
        .filter(pk=pk)
        .first()
    )
    if link is None:
        raise not_found()
    access = link_access(user, link)
    if not access.any:
        raise not_found()
    return link, access


def get_link_to_manage(user: Any, pk: int) -> ResidenceLink:
    """For the workplace cell's register keepers (create, end, request)."""
    link, access = get_link_for_user(user, pk)
    if not access.workplace_manage:
        raise PermissionDenied
    return link


def get_link_to_comment(user: Any, pk: int) -> ResidenceLink:
    """For the residence cell's register keepers (participation, comments)."""
    link, access = get_link_for_user(user, pk)
    if not access.residence_manage:
        raise PermissionDenied
    return link


def get_feedback_to_write(user: Any, pk: int) -> ResidenceFeedback:
    feedback = ResidenceFeedback.objects.select_related("link").filter(pk=pk).first()
    if feedback is None:
        raise not_found()
    get_link_to_comment(user, feedback.link_id)
    return feedback


def get_member_for_link(user: Any, pk: int, *, manage: bool = False) -> tuple[Member, bool]:
    """(member, can_manage) for the member's residence panel: the member themself or those who
    oversee the member's cell."""
    member = Member.objects.select_related("cell").filter(pk=pk).first()
    if member is None:
        raise not_found()
    scope = scope_for(user)
    oversees = scope.can_read_path(member.cell.path)
    if not (oversees or scope.member_id == member.pk):
        raise not_found()
    can_manage = scope.can_manage_path(member.cell.path)
    if manage and not can_manage:
        raise PermissionDenied
    return member, can_manage


def get_cell_for_user(user: Any, pk: int) -> tuple[Organization, bool]:
    """(cell, can_manage) for a cell page: those who oversee it only."""
    cell = Organization.objects.filter(pk=pk).first()
    if cell is None or not cell.is_cell:
        raise not_found()
    scope = scope_for(user)
    if not scope.can_read_path(cell.path):
        raise not_found()
    return cell, scope.can_manage_path(cell.path)
