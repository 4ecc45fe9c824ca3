"""Read-side of the residence feature (Quy định 213; DOMAIN R3.20–R3.22).

`residence_evidence` is the input the annual review reads: for each member, whether the
residence cell's written comment for the year was received, is missing, is not required
(special category of R3.22) or whether the member has no residence link at all."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.core.text import fold
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import CELL_KINDS, RESIDENTIAL_CELL_TYPES, Organization
from chibo.orgs.selectors import sorted_naturally
from chibo.residence.models import (
    FeedbackRequest,
    Participation,
    ResidenceFeedback,
    ResidenceLink,
    SpecialCategory,
)

RECEIVED = "received"
MISSING = "missing"
NOT_REQUIRED = "not_required"
NO_LINK = "no_link"

# Where the rule comes from, shown next to every computed state.
SOURCE = "Quy định 213-QĐ/TW; Hướng dẫn 33-HD/BTCTW"


@dataclass(frozen=True)
class ResidenceEvidence:
    state: str  # "received" | "missing" | "not_required" | "no_link"
    text: str  # the comment, "" if none
    written_on: date | None
    residence_cell_name: str
    summary: str  # one translated sentence for the review's evidence panel


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _overlaps_year(year: int) -> Q:
    """Links whose period meets `year`."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))


def links_overlapping_year(member_ids: Iterable[int], year: int):
    return ResidenceLink.objects.filter(_overlaps_year(year), member_id__in=list(member_ids))


def current_feedbacks(member_ids: Iterable[int], year: int):
    """Sent comments for the year that no sent correction supersedes."""
    return (
        ResidenceFeedback.objects.filter(
            member_id__in=list(member_ids), year=year, sent_at__isnull=False
        )
        .exclude(superseded_by__sent_at__isnull=False)
        .select_related("residence_cell")
    )


def residence_evidence(member_ids: Iterable[int], year: int) -> dict[int, ResidenceEvidence]:
    """The residence comment for `year` of each member, in two queries whatever their number."""
    ids = list(member_ids)
    if not ids:
        return {}
    links: dict[int, ResidenceLink] = {}
    for link in (
        links_overlapping_year(ids, year)
        .select_related("residence_cell")
        .order_by("member_id", "start_date", "id")
    ):
        links[link.member_id] = link  # the latest link in the year wins
    feedbacks: dict[int, ResidenceFeedback] = {}
    for fb in current_feedbacks(ids, year).order_by("member_id", "sent_at", "id"):
        feedbacks[fb.member_id] = fb  # the latest sent comment wins
    result: dict[int, ResidenceEvidence] = {}
    for member_id in ids:
        link = links.get(member_id)
        fb = feedbacks.get(member_id)
        if fb is not None:
            cell_name = fb.residence_cell.name
            result[member_id] = ResidenceEvidence(
                state=RECEIVED,
                text=fb.text,
                written_on=fb.written_on,
                residence_cell_name=cell_name,
                summary=_("Residence comment for %(year)s received from %(cell)s, dated %(date)s.")
                % {"year": year, "cell": cell_name, "date": _d(fb.written_on)},
            )
        elif link is None:
            result[member_id] = ResidenceEvidence(
                state=NO_LINK,
                text="",
                written_on=None,
                residence_cell_name="",
                summary=_("No residence cell is recorded for %(year)s.") % {"year": year},
            )
        elif link.special_category:
            result[member_id] = ResidenceEvidence(
                state=NOT_REQUIRED,
                text="",
                written_on=None,
                residence_cell_name=link.residence_cell.name,
                summary=_(
                    "No annual residence comment is required: %(category)s "
                    "(Quy định 213, Hướng dẫn 33 — commented on only when needed)."
                )
                % {"category": SpecialCategory(link.special_category).label},
            )
        else:
            result[member_id] = ResidenceEvidence(
                state=MISSING,
                text="",
                written_on=None,
                residence_cell_name=link.residence_cell.name,
                summary=_("The residence comment for %(year)s from %(cell)s has not been received.")
                % {"year": year, "cell": link.residence_cell.name},
            )
    return result


# -- pages ---------------------------------------------------------------------------------


def participation_counts(link_ids: Iterable[int], year: int) -> dict[int, tuple[int, int]]:
    """{link id: (attended, recorded)} for the year, in one query."""
    rows = (
        Participation.objects.filter(link_id__in=list(link_ids), date__year=year)
        .values("link_id")
        .annotate(total=Count("id"), attended=Count("id", filter=Q(attended=True)))
    )
    return {row["link_id"]: (row["attended"], row["total"]) for row in rows}


@dataclass
class LinkRow:
    link: ResidenceLink
    evidence: ResidenceEvidence
    attended: int
    recorded: int
    pending_request: bool


def _pending_years(link_ids: list[int]) -> dict[int, set[int]]:
    pending: dict[int, set[int]] = {}
    for link_id, year in FeedbackRequest.objects.filter(
        link_id__in=link_ids, answered_by__isnull=True
    ).values_list("link_id", "year"):
        pending.setdefault(link_id, set()).add(year)
    return pending


def residence_cell_rows(cell, year: int) -> list[LinkRow]:
    """The members working elsewhere who lived in the cell's area during `year`."""
    links = list(
        ResidenceLink.objects.filter(_overlaps_year(year), residence_cell=cell)
        .select_related("member", "workplace_cell", "residence_cell")
        .order_by("member__name_sort_key", "-start_date")
    )
    return _rows(links, year)


def _rows(links: list[ResidenceLink], year: int) -> list[LinkRow]:
    ids = [link.pk for link in links]
    evidence = residence_evidence({link.member_id for link in links}, year)
    counts = participation_counts(ids, year)
    pending = _pending_years(ids)
    return [
        LinkRow(
            link=link,
            evidence=evidence[link.member_id],
            attended=counts.get(link.pk, (0, 0))[0],
            recorded=counts.get(link.pk, (0, 0))[1],
            pending_request=year in pending.get(link.pk, set()),
        )
        for link in links
    ]


@dataclass
class WorkplaceRow:
    member: Member
    link: ResidenceLink | None
    evidence: ResidenceEvidence
    pending_request: bool


def workplace_rows(cell, year: int) -> list[WorkplaceRow]:
    """Every member on the rolls of the workplace cell with the state of their residence
    comment for `year`, those lacking it first."""
    members = list(
        Member.objects.filter(cell=cell, status__in=ACTIVE_STATUSES).order_by("name_sort_key")
    )
    ids = [member.pk for member in members]
    evidence = residence_evidence(ids, year)
    links: dict[int, ResidenceLink] = {}
    for link in (
        links_overlapping_year(ids, year)
        .select_related("residence_cell")
        .order_by("member_id", "start_date", "id")
    ):
        links[link.member_id] = link
    pending = _pending_years([link.pk for link in links.values()])
    order = {MISSING: 0, NO_LINK: 1, NOT_REQUIRED: 2, RECEIVED: 3}
    rows = [
        WorkplaceRow(
            member=member,
            link=links.get(member.pk),
            evidence=evidence[member.pk],
            pending_request=member.pk in links and year in pending.get(links[member.pk].pk, set()),
        )
        for member in members
    ]
    rows.sort(key=lambda row: order[row.evidence.state])
    return rows


@dataclass
class MemberResidence:
    """The member's residence links, comments and requests, for their detail page panel and
    their handbook."""

    current: ResidenceLink | None
    links: list[ResidenceLink]
    feedbacks: list[ResidenceFeedback]
    pending_years: dict[int, set[int]]
    evidence: ResidenceEvidence
    year: int
    attended: int
    recorded: int


def member_residence(member_id: int, *, today: datetime.date) -> MemberResidence:
    links = list(
        ResidenceLink.objects.filter(member_id=member_id)
        .select_related("residence_cell", "workplace_cell")
        .order_by("-start_date", "-id")
    )
    current = next((link for link in links if link.end_date is None), None)
    feedbacks = list(
        ResidenceFeedback.objects.filter(member_id=member_id)
        .select_related("residence_cell", "supersedes", "superseded_by")
        .order_by("-year", "-created_at", "-id")
    )
    counts = participation_counts([current.pk], today.year) if current else {}
    attended, recorded = counts.get(current.pk, (0, 0)) if current else (0, 0)
    return MemberResidence(
        current=current,
        links=links,
        feedbacks=feedbacks,
        pending_years=_pending_years([link.pk for link in links]),
        evidence=residence_evidence([member_id], today.year)[member_id],
        year=today.year,
        attended=attended,
        recorded=recorded,
    )


def residential_cell_search(query: str):
    """Residential cells anywhere in the tree whose code starts with, or whose name contains,
    `query` (diacritics and case ignored), at most 30. Only names and codes are shown."""
    folded = fold(query or "")
    if not folded:
        return []
    # In natural order ("Khối 2" before "Khối 10").
    return sorted_naturally(
        Organization.objects.filter(kind__in=CELL_KINDS, cell_type__in=RESIDENTIAL_CELL_TYPES)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=timezone.localdate()))
        .filter(Q(code__startswith=query.strip()) | Q(name_search__contains=folded))
        .order_by("path")[:30]
    )
