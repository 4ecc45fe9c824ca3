"""Fetch what the annual review pages need, with a permission check. Outside the user's scope:
404; inside but read-only: 403. A member reads and self-assesses their own review; the cell's
register keepers propose; the grassroots committee's staff decide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.scope import not_found
from chibo.members.models import Member
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.reviews import selectors
from chibo.reviews.models import MemberReview, OrganizationReview


def get_cell_for_reviews(user: Any, pk: int, *, manage: bool = False):
    """(cell, can_manage) for the cell's review page: those who oversee the cell only."""
    cell = Organization.objects.filter(pk=pk).first()
    if cell is None or not cell.is_cell:
        raise not_found()
    scope = scope_for(user)
    if not scope.can_read_path(cell.path):
        raise not_found()
    can_manage = scope.can_manage_path(cell.path)
    if manage and not can_manage:
        raise PermissionDenied
    return cell, can_manage


@dataclass(frozen=True)
class MemberReviewAccess:
    member: Member
    own: bool  # the member themself: self-assessment
    can_propose: bool  # keeps the cell's register: self-assessment on their behalf, proposal


def get_member_for_review(user: Any, pk: int, *, act: str = "") -> MemberReviewAccess:
    """The member whose review is read (`act` empty), self-assessed (`act="self"`: the member
    or the cell's register keepers) or proposed (`act="propose"`: the register keepers)."""
    member = Member.objects.select_related("cell").filter(pk=pk).first()
    if member is None:
        raise not_found()
    scope = scope_for(user)
    own = scope.member_id == member.pk and scope.own_cell_id is not None
    # Fellow members do not see each other's reviews.
    if not (own or scope.can_read_path(member.cell.path)):
        raise not_found()
    can_propose = scope.can_manage_path(member.cell.path)
    if act == "self" and not (own or can_propose):
        raise PermissionDenied
    if act == "propose" and not can_propose:
        raise PermissionDenied
    return MemberReviewAccess(member=member, own=own, can_propose=can_propose)


def get_grassroots_for_decisions(user: Any, pk: int, *, manage: bool = False):
    """(grassroots organization, can_decide) for the committee's decision page."""
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None or organization.kind not in selectors.GRASSROOTS_KINDS:
        raise not_found()
    scope = scope_for(user)
    if not scope.can_read_path(organization.path):
        raise not_found()
    can_decide = scope.can_manage_path(organization.path)
    if manage and not can_decide:
        raise PermissionDenied
    return organization, can_decide


def get_review_for_decision(user: Any, pk: int) -> MemberReview:
    """A member review the user decides on: staff who manage its grassroots organization."""
    review = MemberReview.objects.select_related("grassroots", "member").filter(pk=pk).first()
    if review is None:
        raise not_found()
    scope = scope_for(user)
    if not scope.can_read_path(review.grassroots.path):
        raise not_found()
    if not scope.can_manage_path(review.grassroots.path):
        raise PermissionDenied
    return review


def get_org_for_reviews(user: Any, pk: int) -> Organization:
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None or not scope_for(user).can_read_path(organization.path):
        raise not_found()
    return organization


@dataclass(frozen=True)
class OrganizationReviewAccess:
    organization: Organization
    parent: Organization | None
    can_self_assess: bool  # its own leaders
    can_decide: bool  # the level above proposes and decides


def get_reviewed_org(user: Any, pk: int, *, act: str = "") -> OrganizationReviewAccess:
    """A cell or grassroots committee whose own review is read or changed: its leaders
    self-assess (`act="self"`); the level above proposes and decides (`act="upper"`)."""
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None or organization.kind not in selectors.REVIEWED_ORG_KINDS:
        raise not_found()
    scope = scope_for(user)
    if not scope.can_read_path(organization.path):
        raise not_found()
    parent = selectors.parent_of(organization)
    can_self = scope.can_manage_path(organization.path)
    can_decide = parent is not None and scope.can_manage_path(parent.path)
    if act == "self" and not can_self:
        raise PermissionDenied
    if act == "upper" and not can_decide:
        raise PermissionDenied
    return OrganizationReviewAccess(
        organization=organization, parent=parent, can_self_assess=can_self, can_decide=can_decide
    )


def organization_review_of(organization: Organization, year: int) -> OrganizationReview | None:
    return OrganizationReview.objects.filter(organization=organization, year=year).first()


def get_member_for_discipline(user: Any, pk: int) -> Member:
    """The member whose discipline is recorded: the register keepers of their cell."""
    member = Member.objects.select_related("cell").filter(pk=pk).first()
    if member is None:
        raise not_found()
    scope = scope_for(user)
    if not scope.can_read_path(member.cell.path):
        raise not_found()
    if not scope.can_manage_path(member.cell.path):
        raise PermissionDenied
    return member
