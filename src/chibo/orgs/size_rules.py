"""The size rules of party organizations (issue 9, item 5), read from the rule set:
`cell.min_official_members` (R2.7: a cell needs at least 3 official members; below that the
upper committee moves members in or merges the cell, and until then the cell cannot lawfully vote
on, e.g., recognition as an official member), `cell.committee_min_official_members` (R2.8: below
9 official members the cell elects a secretary and a deputy, not a cell committee) and
`grassroots.committee_min_members` (R6.1: a grassroots organization of 30 members or more is a
grassroots party committee, below that a grassroots cell)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from chibo.core.errors import ServiceError
from chibo.core.rules import Resolved, rule_in_force
from chibo.members.models import Member, MemberStatus
from chibo.members.standing import RollCounts
from chibo.orgs.models import Organization, OrganizationKind, Position, Role

MIN_OFFICIAL_KEY = "cell.min_official_members"
COMMITTEE_KEY = "cell.committee_min_official_members"
COMMITTEE_MAX_KEY = "cell.committee_max_members"
# The members of a cell committee: its secretary and deputies are elected from among them.
CELL_COMMITTEE_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER)
GRASSROOTS_KEY = "grassroots.committee_min_members"


@dataclass(frozen=True)
class SizeNote:
    """A sentence about the organization's size against a rule, shown on its page."""

    text: str
    rule: Resolved


def official_count(cell: Organization) -> int:
    return Member.objects.filter(cell=cell, status=MemberStatus.OFFICIAL).count()


def below_minimum_text(*, officials: int, rule: Resolved) -> str:
    """What a cell below the minimum may not do (R2.7), or "" when it is not below."""
    if officials >= rule.value:
        return ""
    return _(
        "The cell has %(count)s official members, below the minimum of %(min)s: the upper "
        "committee must move members in or merge the cell, and until then the cell cannot "
        "decide on its own on admission or on recognition as an official member. %(rule)s."
    ) % {"count": officials, "min": rule.value, "rule": rule.explain()}


def minimum_warning(organization: Organization, *, on: datetime.date) -> str:
    """The warning of a cell below the minimum (R2.7), "" for a unit that is not a cell or a
    cell that is not below it."""
    if not organization.is_cell:
        return ""
    rule = rule_in_force(MIN_OFFICIAL_KEY, organization=organization, on=on)
    return below_minimum_text(officials=official_count(organization), rule=rule)


def check_cell_may_decide(*, cell: Organization, officials: int, on: datetime.date) -> None:
    """Refuse a cell decision (a recognition or admission vote) taken with fewer official
    members than the minimum in force (R2.7)."""
    rule = rule_in_force(MIN_OFFICIAL_KEY, organization=cell, on=on)
    text = below_minimum_text(officials=officials, rule=rule)
    if text:
        raise ServiceError(text)


def check_position(
    *, organization: Organization, member: Member, role: str, on: datetime.date
) -> None:
    """Refuse a cell committee member in a cell with fewer official members than the rule
    needs for a cell committee, and a member beyond the largest committee the rule allows
    (R2.8): a small cell elects a secretary and a deputy only; a committee has at most 7."""
    if role not in CELL_COMMITTEE_ROLES or not organization.is_cell:
        return
    _check_committee_size(organization=organization, member=member, on=on)
    if role != Role.COMMITTEE_MEMBER:
        return
    rule = rule_in_force(COMMITTEE_KEY, organization=organization, on=on)
    officials = official_count(organization)
    if officials < rule.value:
        raise ServiceError(
            _(
                "%(cell)s has %(count)s official members: below %(min)s a cell elects a "
                "secretary (and a deputy if needed), not a cell committee. %(rule)s."
            )
            % {
                "cell": organization.name,
                "count": officials,
                "min": rule.value,
                "rule": rule.explain(),
            }
        )


def _check_committee_size(*, organization: Organization, member: Member, on: datetime.date):
    rule = rule_in_force(COMMITTEE_MAX_KEY, organization=organization, on=on)
    holders = set(
        Position.objects.current(on)
        .filter(organization=organization, role__in=CELL_COMMITTEE_ROLES)
        .exclude(member=member)
        .values_list("member_id", flat=True)
    )
    if len(holders) >= rule.value:
        raise ServiceError(
            _(
                "%(cell)s already has %(count)s members in its leadership, the most the rule "
                "allows: end a position first. %(rule)s."
            )
            % {"cell": organization.name, "count": len(holders), "rule": rule.explain()}
        )


def size_notes(organization: Organization, summary: RollCounts, *, on: datetime.date):
    """The size rules the organization's page shows, with the counts of `summary`
    (orgs.selectors.member_summary)."""
    notes: list[SizeNote] = []
    if organization.is_cell:
        minimum = rule_in_force(MIN_OFFICIAL_KEY, organization=organization, on=on)
        text = below_minimum_text(officials=summary["official"], rule=minimum)
        if text:
            notes.append(SizeNote(text, minimum))
        committee = rule_in_force(COMMITTEE_KEY, organization=organization, on=on)
        if summary["official"] < committee.value:
            text = _(
                "%(count)s official members: below %(min)s the cell elects a secretary (and "
                "a deputy if needed), not a cell committee."
            )
        else:
            text = _(
                "%(count)s official members: from %(min)s the cell elects a cell committee, "
                "then the secretary and a deputy from among its members."
            )
        values = {"count": summary["official"], "min": committee.value}
        notes.append(SizeNote(text % values, committee))
    if organization.kind in (
        OrganizationKind.GRASSROOTS_CELL,
        OrganizationKind.GRASSROOTS_COMMITTEE,
    ):
        rule = rule_in_force(GRASSROOTS_KEY, organization=organization, on=on)
        values = {"count": summary["total"], "min": rule.value}
        if organization.kind == OrganizationKind.GRASSROOTS_CELL and summary["total"] >= rule.value:
            notes.append(
                SizeNote(
                    _(
                        "%(count)s members: a grassroots organization of %(min)s members or "
                        "more is a grassroots party committee with subordinate cells."
                    )
                    % values,
                    rule,
                )
            )
        if (
            organization.kind == OrganizationKind.GRASSROOTS_COMMITTEE
            and summary["total"] < rule.value
        ):
            notes.append(
                SizeNote(
                    _(
                        "%(count)s members: a grassroots organization with fewer than %(min)s "
                        "members is a grassroots cell."
                    )
                    % values,
                    rule,
                )
            )
    return notes
