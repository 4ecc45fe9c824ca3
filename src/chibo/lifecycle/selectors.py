"""Read-side of the admission pipeline: the cell's list and one candidate's timeline, next
step, deadline and warnings (DOMAIN §3.1)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.dates import full_months_between
from chibo.core.rules import Resolved
from chibo.core.scope import Scope
from chibo.lifecycle import probation, rules
from chibo.lifecycle.models import Candidate, CandidateReview, Introducer
from chibo.meetings.models import Vote, VoteSubject
from chibo.members.models import (
    ACTIVE_STATUSES,
    Member,
    MemberEvent,
    MembershipClass,
    MemberStatus,
)
from chibo.orgs.models import Organization

# The steps of R3.3, in order.
STEPS: tuple[tuple[str, object], ...] = (
    ("application", gettext_lazy("Application letter received")),
    ("personal_history", gettext_lazy("Personal history submitted")),
    ("verification", gettext_lazy("Verification of the personal history done")),
    ("introducers", gettext_lazy("Introducers")),
    ("opinions", gettext_lazy("Opinions of the mass organisations and the residence cell")),
    ("resolution", gettext_lazy("Cell resolution")),
    ("decision", gettext_lazy("Admission decision")),
    ("ceremony", gettext_lazy("Admission ceremony")),
)


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@dataclass
class Step:
    code: str
    label: str
    day: datetime.date | None
    detail: str = ""
    done: bool = False
    is_next: bool = False


@dataclass
class Deadline:
    label: str
    day: datetime.date
    explanation: str
    overdue: bool


@dataclass
class Timeline:
    steps: list[Step]
    next_step: str | None
    introducers: list[Introducer]
    deadline: Deadline | None
    warnings: list[str] = field(default_factory=list)
    age: rules.AgeCheck | None = None
    certificate_expiry: tuple[datetime.date, Resolved] | None = None
    reviews: list[CandidateReview] = field(default_factory=list)


def candidate_list(cell: Organization) -> QuerySet[Candidate]:
    return (
        Candidate.objects.filter(cell=cell)
        .select_related("cell", "mentor", "member")
        .prefetch_related("introducers__member", "reviews")
        .order_by(F("withdrawn_on").asc(nulls_first=True), "full_name", "id")
    )


def candidate_timeline_steps(
    candidate: Candidate, introducers: list[Introducer] | None = None
) -> tuple[list[Step], str | None]:
    if introducers is None:
        introducers = list(candidate.introducers.all())
    resolution_detail = ""
    if candidate.resolution_date:
        resolution_detail = _("%(yes)s of %(eligible)s official members in favour") % {
            "yes": candidate.resolution_in_favour,
            "eligible": candidate.resolution_eligible,
        }
    done = {
        "application": (candidate.application_date, ""),
        "personal_history": (candidate.personal_history_date, ""),
        "verification": (candidate.verification_date, ""),
        # The introducers are listed under the step on the candidate page.
        "introducers": (introducers[0].introduced_on if introducers else None, ""),
        "opinions": (
            max(candidate.mass_organisation_opinion_date, candidate.residence_opinion_date)
            if candidate.mass_organisation_opinion_date and candidate.residence_opinion_date
            else None,
            "",
        ),
        "resolution": (candidate.resolution_date, resolution_detail),
        "decision": (
            candidate.decision_date,
            _("Decision No. %(number)s") % {"number": candidate.decision_number}
            if candidate.decision_number
            else "",
        ),
        "ceremony": (candidate.ceremony_date, ""),
    }
    steps = []
    next_step = None
    for code, label in STEPS:
        day, detail = done[code]
        step = Step(code=code, label=str(label), day=day, detail=detail, done=day is not None)
        if not step.done and next_step is None:
            next_step = code
            step.is_next = True
        steps.append(step)
    return steps, next_step


def _review_warning(candidate: Candidate, reviews: list[CandidateReview], today: datetime.date):
    """A warning when the cell has not reviewed the candidate for the rule's interval (R3.12);
    checked until the cell's resolution, after which the file is with the committee."""
    if candidate.resolution_date or candidate.withdrawn_on or candidate.member_id:
        return None
    rule = rules.rule_for(
        "admission.candidate_review_interval_months", organization=candidate.cell, on=today
    )
    last = reviews[0].reviewed_on if reviews else None
    since = last or timezone.localdate(candidate.created_at)
    if full_months_between(since, today) < rule.value:
        return None
    if last is None:
        return _("The cell has not reviewed this candidate yet. %(rule)s") % {
            "rule": rule.explain()
        }
    return _("Last reviewed by the cell on %(date)s: a review is due. %(rule)s") % {
        "date": _d(last),
        "rule": rule.explain(),
    }


def candidate_timeline(candidate: Candidate, *, today: datetime.date) -> Timeline:
    introducers = list(candidate.introducers.all())
    steps, next_step = candidate_timeline_steps(candidate, introducers)
    cell = candidate.cell
    reviews = sorted(
        candidate.reviews.all(), key=lambda review: (review.reviewed_on, review.pk), reverse=True
    )
    timeline = Timeline(
        steps=steps, next_step=next_step, introducers=introducers, deadline=None, reviews=reviews
    )
    if candidate.withdrawn_on:
        timeline.next_step = None
        for step in steps:
            step.is_next = False
        return timeline
    review_warning = _review_warning(candidate, reviews, today)
    if review_warning:
        timeline.warnings.append(review_warning)
    consideration = candidate.resolution_date or today
    if not candidate.resolution_date:
        # The age the rule will measure, as of today; the resolution checks it on its date.
        timeline.age = rules.age_check(birth_date=candidate.birth_date, on=today, organization=cell)
        if not timeline.age.admissible:
            timeline.warnings.append(timeline.age.text)
    if candidate.awareness_certificate_date:
        expiry, rule = rules.certificate_expiry(
            certificate_date=candidate.awareness_certificate_date,
            on=consideration,
            organization=cell,
        )
        timeline.certificate_expiry = (expiry, rule)
        if expiry < consideration:
            timeline.warnings.append(
                _(
                    "The Party-awareness course certificate expired on %(expiry)s, before the "
                    "cell's consideration (%(date)s): the candidate must take the course again. "
                    "%(rule)s"
                )
                % {"expiry": _d(expiry), "date": _d(consideration), "rule": rule.explain()}
            )
        elif not candidate.resolution_date:
            timeline.deadline = Deadline(
                label=_("The cell considers the case before the certificate expires"),
                day=expiry,
                explanation=rule.explain(),
                overdue=False,
            )
    elif not candidate.resolution_date:
        timeline.warnings.append(_("No Party-awareness course certificate is recorded."))
    if candidate.decision_date:
        deadline, rule = rules.ceremony_deadline(
            decision_date=candidate.decision_date, organization=cell
        )
        if candidate.ceremony_date is None:
            timeline.deadline = Deadline(
                label=_("Admission ceremony at the latest"),
                day=deadline,
                explanation=rule.explain(),
                overdue=today > deadline,
            )
        elif candidate.ceremony_date > deadline:
            timeline.warnings.append(
                _("The ceremony was held after the deadline of %(date)s. %(rule)s")
                % {"date": _d(deadline), "rule": rule.explain()}
            )
    if candidate.ceremony_date:
        deadline, rule = rules.personal_history_deadline(
            ceremony_date=candidate.ceremony_date, organization=cell
        )
        timeline.deadline = Deadline(
            label=_("The new member's party personal history at the latest"),
            day=deadline,
            explanation=rule.explain(),
            overdue=False,
        )
    return timeline


# -- probation and recognition (R3.8, R3.9) --------------------------------------------------


@dataclass
class ProbationRow:
    member: Member
    state: str
    state_label: str
    dates: probation.ProbationDates | None
    can_manage: bool = False
    votes: list[Vote] = field(default_factory=list)
    # For a recognised member: the recognition date.
    recognised_on: datetime.date | None = None


def probation_rows(
    organization: Organization, scope: Scope, *, today: datetime.date
) -> list[ProbationRow]:
    """The probationary members of the cells in `organization`'s subtree with their dates and
    state, then those recognised as official this year. A bounded number of queries."""
    in_subtree = Q(cell__path__startswith=organization.path)
    probationary = list(
        # By class: an exempted or suspended probationary member is still on probation (R2.4).
        Member.objects.filter(
            in_subtree, membership_class=MembershipClass.PROBATIONARY, status__in=ACTIVE_STATUSES
        )
        .select_related("cell")
        .order_by("ceremony_date", "name_sort_key", "id")
    )
    first_of_year = datetime.date(today.year, 1, 1)
    recognised = list(
        Member.objects.filter(
            in_subtree,
            official_date__gte=first_of_year,
            official_date__lte=today,
            ceremony_date__isnull=False,
        )
        .filter(
            Exists(
                MemberEvent.objects.filter(
                    member=OuterRef("pk"),
                    status=MemberStatus.OFFICIAL,
                    effective_date=OuterRef("official_date"),
                )
            )
        )
        .select_related("cell")
        .order_by("-official_date", "name_sort_key", "id")
    )
    dates = probation.dates_for_many(probationary + recognised)
    votes: dict[int, list[Vote]] = {}
    for vote in (
        Vote.objects.filter(
            subject=VoteSubject.RECOGNITION,
            adopted=True,
            subject_member__in=[member.pk for member in probationary],
        )
        .select_related("meeting")
        .order_by("meeting__date", "id")
    ):
        votes.setdefault(vote.subject_member_id, []).append(vote)  # type: ignore[arg-type]
    rows = []
    for member in probationary:
        member_dates = dates.get(member.pk)
        state = member_dates.state_on(today) if member_dates else ""
        rows.append(
            ProbationRow(
                member=member,
                state=state,
                state_label=str(probation.STATE_LABELS.get(state, _("No ceremony date"))),
                dates=member_dates,
                can_manage=scope.can_manage_path(member.cell.path),
                votes=[
                    vote
                    for vote in votes.get(member.pk, [])
                    if vote.meeting.organization_id == member.cell_id
                ],
            )
        )
    for member in recognised:
        rows.append(
            ProbationRow(
                member=member,
                state=probation.DONE,
                state_label=str(probation.STATE_LABELS[probation.DONE]),
                dates=dates.get(member.pk),
                recognised_on=member.official_date,
            )
        )
    return rows
