"""Reads of proposals: the lists with their filters, one proposal's history, the answers a
cell reports back at its next meeting (meetings calls `answers_to_report`), and a member's own
proposals for the handbook (accounts calls `own_proposals`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from chibo.orgs.models import CELL_KINDS, Organization, OrganizationKind
from chibo.proposals import access
from chibo.proposals.models import OPEN_STATUSES, Proposal, ProposalStatus

# The ages a list filters on, in days since the proposal was raised.
AGE_CHOICES = (15, 30, 60)

# Levels a list filters on: the unit kinds holding the proposal.
PROVINCE_KINDS = frozenset({OrganizationKind.PROVINCE_COMMITTEE})


@dataclass(frozen=True)
class ListFilters:
    status: str = ""  # "", "open", "overdue", or a ProposalStatus
    age: int | None = None  # raised more than this many days ago
    level: str = ""  # "", "mine", "cell", "committee", "province"
    cell_type: str = ""
    topic: str = ""


def _with_relations(rows: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return rows.select_related("cell", "level", "raised_by", "handler", "answered_by_unit")


def proposals_for_list(
    user: Any, filters: ListFilters, *, today: datetime.date | None = None
) -> QuerySet[Proposal]:
    """The proposals the user may read, filtered (a bounded number of queries)."""
    today = today or timezone.localdate()
    rows = access.visible_proposals(user)
    if filters.status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif filters.status == "overdue":
        rows = rows.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    elif filters.status in ProposalStatus.values:
        rows = rows.filter(status=filters.status)
    if filters.age:
        rows = rows.filter(raised_on__lt=today - datetime.timedelta(days=filters.age))
    if filters.level == "mine":
        rows = rows.filter(level_id__in=access.kept_unit_ids(user))
    elif filters.level == "cell":
        rows = rows.filter(level__kind__in=CELL_KINDS)
    elif filters.level == "province":
        rows = rows.filter(level__kind__in=PROVINCE_KINDS)
    elif filters.level == "committee":
        rows = rows.exclude(level__kind__in=CELL_KINDS | PROVINCE_KINDS)
    if filters.cell_type:
        rows = rows.filter(cell__cell_type=filters.cell_type)
    if filters.topic:
        rows = rows.filter(topic=filters.topic)
    return _with_relations(rows).order_by("-raised_on", "-id")


def default_level(user: Any) -> str:
    """A committee's keepers first see what is at their level; everyone else all they read."""
    kept = access.kept_unit_ids(user)
    if not kept:
        return ""
    committees = Organization.objects.filter(pk__in=kept).exclude(kind__in=CELL_KINDS)
    return "mine" if committees.exists() else ""


def steps_of(proposal: Proposal) -> list[Any]:
    return list(proposal.steps.select_related("from_unit", "to_unit", "actor"))


def answers_to_report(cell: Any) -> list[Proposal]:
    """Answered proposals of the cell not yet reported back at a signed meeting, oldest answer
    first: the report-back item of the cell's next agenda. An item deferred, or a proposal
    answered after the agenda was built, stays here until a signed meeting reports it."""
    return list(
        Proposal.objects.filter(
            cell=cell, status=ProposalStatus.ANSWERED, reported_back_meeting__isnull=True
        )
        .select_related("answered_by_unit")
        .order_by("answered_on", "id")
    )


def own_proposals(member_id: int | None, *, limit: int = 10) -> list[Proposal]:
    """The member's own proposals, newest first, for their handbook."""
    if member_id is None:
        return []
    return list(
        _with_relations(Proposal.objects.filter(raised_by_id=member_id)).order_by(
            "-raised_on", "-id"
        )[:limit]
    )
