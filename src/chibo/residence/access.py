"""Who sees and changes what in the residence feature (Quy định 213).

- The workplace cell (those who oversee the member's cell) reads the member's links and
  comments; those who keep its register create and end links and request comments.
- The residence cell (those who oversee it, committees above included) reads the links of
  members living in its area, logs participation and, if they keep its register, writes the
  comments. It sees only the member's name, address, cell and the comment: never the record.
- The member reads their own links and comments. Everyone else: 404.

Cells and members come from the register's helpers (`orgs.access.get_cell_for_user`,
`members.access.get_member_for_user`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.scope import not_found
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.residence.models import ResidenceFeedback, ResidenceLink


@dataclass(frozen=True)
class LinkAccess:
    """What the user may do with one link, by the side they stand on."""

    workplace_read: bool
    workplace_manage: bool
    residence_read: bool
    residence_manage: bool
    own: bool

    @property
    def any(self) -> bool:
        return self.workplace_read or self.residence_read or self.own


def link_access(user: Any, link: ResidenceLink) -> LinkAccess:
    """The flags of the user on `link`, without any check."""
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
    """A link the user may read (the workplace side, the residence side or the member)."""
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


def get_feedback_to_write(user: Any, pk: int, *, draft: bool = False) -> ResidenceFeedback:
    """A comment the residence cell's register keepers edit, send or correct. `draft=True`
    (editing): a comment already sent is corrected, never edited, so it answers 404."""
    feedback = ResidenceFeedback.objects.select_related("link").filter(pk=pk).first()
    if feedback is None:
        raise not_found()
    get_link_to_comment(user, feedback.link_id)
    if draft and feedback.is_sent:
        raise not_found()
    return feedback


def chosen_residence_cell(pk: int) -> Organization | None:
    """The residence cell a workplace keeper picked from the search. Any cell of the tree may
    be a member's residence cell, so this is deliberately not limited to the user's scope (the
    page shows names and codes only); `services.link_create` checks that it is residential."""
    return Organization.objects.filter(pk=pk).first()
