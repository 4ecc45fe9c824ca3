"""What the supervision landing page shows each user: their own part (calendar, invitations,
briefings, recommendations, their cell's quality) and, for each committee they read, its pages
with the counts that ask for attention. A bounded number of queries per committee."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from chibo.orgs.models import CELL_KINDS, Organization
from chibo.orgs.scope import scope_for
from chibo.supervision import access
from chibo.supervision.models import (
    Briefing,
    ModelMeetingInvitation,
    PerfunctoryFlag,
    PerfunctoryStatus,
    Recommendation,
    RecommendationStatus,
)


@dataclass(frozen=True)
class CommitteeCard:
    committee: Organization
    keeps: bool
    plans_model_meetings: bool  # only grassroots, commune and ward committees plan them
    open_flags: int
    open_recommendations: int
    overdue_recommendations: int


@dataclass(frozen=True)
class Mine:
    upcoming_invitations: int
    upcoming_briefings: int
    open_recommendations: int
    quality_cell: Organization | None  # the own cell whose quality history the user reads
    # Whether the person has anything there at all (a plain member is never invited to
    # briefings and keeps no unit that receives recommendations: no empty page is offered).
    invited: bool = False
    briefed: bool = False
    keeps_units: bool = False


def mine(user: Any, today: datetime.date | None = None) -> Mine:
    today = today or timezone.localdate()
    scope = scope_for(user)
    invitations = briefings = 0
    invited = briefed = False
    if scope.member_id is not None:
        invited = ModelMeetingInvitation.objects.filter(invitee_id=scope.member_id).exists()
        briefed = Briefing.objects.filter(attendance__member_id=scope.member_id).exists()
        invitations = ModelMeetingInvitation.objects.filter(
            invitee_id=scope.member_id,
            model_meeting__cancelled_at__isnull=True,
            model_meeting__meeting__date__gte=today,
        ).count()
        briefings = Briefing.objects.filter(
            attendance__member_id=scope.member_id, date__gte=today
        ).count()
    units = access.kept_units(user)
    keeps_units = units.exists()
    open_recommendations = Recommendation.objects.filter(
        addressee__in=units, status=RecommendationStatus.OPEN
    ).count()
    cell = None
    if scope.own_cell_id is not None:
        cell = Organization.objects.filter(pk=scope.own_cell_id, kind__in=CELL_KINDS).first()
        if cell is not None and not scope.can_manage_path(cell.path):
            cell = None  # a plain member: the cell's quality history is its keepers'
    return Mine(invitations, briefings, open_recommendations, cell, invited, briefed, keeps_units)


def committee_cards(user: Any, today: datetime.date | None = None) -> list[CommitteeCard]:
    today = today or timezone.localdate()
    kept = set(access.kept_committees(user).values_list("pk", flat=True))
    is_admin = scope_for(user).is_admin
    cards = []
    for committee in access.read_committees(user):
        subtree = Q(cell__path__startswith=committee.path)
        recommendations = Recommendation.objects.filter(
            inspection__committee__path__startswith=committee.path
        ).exclude(status=RecommendationStatus.CLOSED)
        cards.append(
            CommitteeCard(
                committee=committee,
                keeps=is_admin or committee.pk in kept,
                plans_model_meetings=committee.kind in access.PLANNING_KINDS,
                open_flags=PerfunctoryFlag.objects.filter(
                    subtree, status=PerfunctoryStatus.OPEN
                ).count(),
                open_recommendations=recommendations.count(),
                overdue_recommendations=recommendations.filter(
                    status=RecommendationStatus.OPEN, due_on__lt=today
                ).count(),
            )
        )
    return cards
