"""Fetch what the annual review pages need, with a permission check. Outside the user's scope:
404; inside but read-only: 403. A member reads and self-assesses their own review; the cell's
register keepers propose; the grassroots committee's staff decide.

Cells, grassroots organizations and members come from the register's helpers
(`orgs.access.get_cell_for_user`, `members.access.get_member_for_user`); what each page may
show or do is a flag of the access results below, computed here, not in the views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.scope import not_found
from chibo.members.access import get_member_for_user
from chibo.members.models import Member
from chibo.orgs.access import CellAccess, can_manage, get_cell_for_user
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.reviews import selectors
from chibo.reviews.models import Discipline, MemberReview, OrganizationReview


@dataclass(frozen=True)
class MemberReviewAccess:
    member: Member
    review: MemberReview | None  # the member's review of the year asked for, if opened
    own: bool  # the member themself (on the rolls): self-assessment
    oversees: bool  # oversees the member's cell (reads every review of it)
    can_propose: bool  # keeps the cell's register: self-assessment on their behalf, proposal
    manages_grassroots: bool  # staff of the review's grassroots organization: decisions

    @property
    def decided(self) -> bool:
        return self.review is not None and self.review.is_decided

    @property
    def proposed(self) -> bool:
        return self.review is not None and bool(self.review.proposed_level)

    @property
    def can_self_assess_now(self) -> bool:
        """The self-assessment form is offered until a level is proposed or decided."""
        return (self.own or self.can_propose) and not self.decided and not self.proposed

    @property
    def can_propose_now(self) -> bool:
        return self.can_propose and not self.decided

    @property
    def can_decide(self) -> bool:
        """The committee decides on a proposal (and may correct a decision)."""
        return self.manages_grassroots and self.proposed


def get_member_for_review(user: Any, pk: int, *, year: int, act: str = "") -> MemberReviewAccess:
    """The member whose review of `year` is read (`act` empty), self-assessed (`act="self"`:
    the member or the cell's register keepers) or proposed (`act="propose"`: the register
    keepers)."""
    target = get_member_for_user(user, pk)
    # Fellow members do not see each other's reviews; a member who left reads no review.
    if not (target.own_on_rolls or target.oversees):
        raise not_found()
    if act == "self" and not (target.own_on_rolls or target.can_manage):
        raise PermissionDenied
    if act == "propose" and not target.can_manage:
        raise PermissionDenied
    review = (
        MemberReview.objects.select_related("grassroots", "cell")
        .filter(member=target.member, year=year)
        .first()
    )
    return MemberReviewAccess(
        member=target.member,
        review=review,
        own=target.own_on_rolls,
        oversees=target.oversees,
        can_propose=target.can_manage,
        manages_grassroots=review is not None and can_manage(user, review.grassroots),
    )


def get_grassroots_for_decisions(user: Any, pk: int, *, manage: bool = False) -> CellAccess:
    """A grassroots organization for the committee's decision page; `can_manage` is the right
    to decide (manage=True: required, 403 otherwise)."""
    return get_cell_for_user(user, pk, write=manage, kinds=selectors.GRASSROOTS_KINDS)


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


def get_discipline_for_record(user: Any, pk: int) -> Discipline:
    """A disciplinary decision whose record the user keeps: those who keep the member's
    register (404 outside their scope, 403 read-only), as for recording the decision."""
    discipline = Discipline.objects.filter(pk=pk).only("pk", "member_id").first()
    if discipline is None:
        raise not_found()
    get_member_for_user(user, discipline.member_id, write=True, self_reads=False)
    return discipline


@dataclass(frozen=True)
class OrganizationReviewAccess:
    organization: Organization
    parent: Organization | None
    review: OrganizationReview | None  # the review of the year asked for, if opened
    can_self_assess: bool  # its own leaders
    can_decide: bool  # the level above proposes and decides

    @property
    def decided(self) -> bool:
        return self.review is not None and self.review.is_decided

    @property
    def proposed(self) -> bool:
        return self.review is not None and bool(self.review.proposed_level)

    @property
    def can_self_assess_now(self) -> bool:
        return self.can_self_assess and not self.decided and not self.proposed

    @property
    def can_propose_now(self) -> bool:
        return self.can_decide and not self.decided

    @property
    def can_decide_now(self) -> bool:
        return self.can_decide and self.proposed


def get_reviewed_org(user: Any, pk: int, *, year: int, act: str = "") -> OrganizationReviewAccess:
    """A cell or grassroots committee whose own review of `year` is read or changed: its
    leaders self-assess (`act="self"`); the level above proposes and decides (`act="upper"`)."""
    access = get_cell_for_user(user, pk, kinds=selectors.REVIEWED_ORG_KINDS)
    organization = access.organization
    parent = selectors.parent_of(organization)
    can_decide = parent is not None and can_manage(user, parent)
    if act == "self" and not access.can_manage:
        raise PermissionDenied
    if act == "upper" and not can_decide:
        raise PermissionDenied
    return OrganizationReviewAccess(
        organization=organization,
        parent=parent,
        review=organization_review_of(organization, year),
        can_self_assess=access.can_manage,
        can_decide=can_decide,
    )


def organization_review_of(organization: Organization, year: int) -> OrganizationReview | None:
    return OrganizationReview.objects.filter(organization=organization, year=year).first()
