"""Every change of the annual review (Quy định 366-QĐ/TW; R4.3–R4.5) and of the discipline
record (R3.18). Each service is one transaction, locks what it changes, refuses with a
ServiceError and writes one audit entry. A decided review is frozen: a correction is a new
decision superseding the old one."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.members.models import Member, MembershipClass
from chibo.orgs.models import Organization
from chibo.reviews import rules, selectors
from chibo.reviews.models import (
    PROBATIONARY_FORMS,
    Discipline,
    Level,
    MemberReview,
    OrganizationReview,
    ReviewDecision,
)
from chibo.supervision.models import Inspection


def _check_year(year: int) -> None:
    today = timezone.localdate()
    if year > today.year:
        raise ServiceError(
            _("The review of %(year)s cannot start before that year.") % {"year": year}
        )


def _check_date(day: datetime.date, label: str) -> None:
    if day > timezone.localdate():
        raise ServiceError(_("The %(field)s cannot be in the future.") % {"field": label})


def _member_review_locked(member: Member, year: int) -> MemberReview:
    """The member's review of `year`, opened if needed, locked."""
    review = MemberReview.objects.select_for_update().filter(member=member, year=year).first()
    if review is not None:
        return review
    if member.pk in selectors.exempted_during([member.pk], year):
        raise ServiceError(
            _(
                "This member was exempted from activity in %(year)s: exempted members are not "
                "rated. %(rule)s."
            )
            % {"year": year, "rule": selectors.exclusion_rule(member.cell, year).explain()}
        )
    cell = member.cell
    review = MemberReview.objects.create(
        member=member, year=year, cell=cell, grassroots=selectors.grassroots_of(cell)
    )
    return MemberReview.objects.select_for_update().get(pk=review.pk)


def _show(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _check_not_decided(review: Any) -> None:
    if review.decided_level:
        raise ServiceError(
            _(
                "The committee has decided this review: it is frozen. A correction is a new "
                "decision of the committee."
            )
        )


def _step_snapshot(review: MemberReview, step: str) -> dict[str, Any]:
    """The score, level and points per criterion of one step ("self" or "proposed")."""
    values = audit.snapshot(review, [f"{step}_score", f"{step}_level"])
    values[f"{step}_points"] = dict(getattr(review, f"{step}_points") or {})
    return values


def _score(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _checked_points(
    review: MemberReview,
    *,
    points: dict[str, Any],
    level: str,
    all_on_time: bool,
    exceeding: bool,
    note: str,
) -> tuple[dict[str, int | float], Decimal]:
    """The points of a member's step checked against the frame in force (R4.2, R4.6) and
    their sum, the score, checked against the level asked for (R4.3)."""
    stored, score = rules.criteria_points(rules.frame_rule(review.cell, review.year), points)
    rules.check_level(
        rule=rules.bands_rule(review.cell, review.year),
        level=level,
        score=score,
        all_on_time=all_on_time,
        exceeding=exceeding,
        note=note,
    )
    return stored, score


@transaction.atomic
def member_review_self_assess(
    *,
    actor: Any,
    member: Member,
    year: int,
    points: dict[str, Any],
    level: str,
    text: str,
    all_on_time: bool,
    exceeding: bool,
    submitted_on: datetime.date,
) -> MemberReview:
    """Step 1 (R4.5): the member's self-assessment, by the member or entered by the cell's
    secretary on their behalf: points per criterion of the frame in force (R4.2, R4.6), whose
    sum is the score. Until the cell proposes a level it can be submitted again."""
    _check_year(year)
    _check_date(submitted_on, _("self-assessment date"))
    member = Member.objects.select_related("cell").select_for_update().get(pk=member.pk)
    review = _member_review_locked(member, year)
    _check_not_decided(review)
    if review.proposed_level:
        raise ServiceError(
            _("The cell has already proposed a level: the self-assessment can no longer change.")
        )
    stored, score = _checked_points(
        review,
        points=points,
        level=level,
        all_on_time=all_on_time,
        exceeding=exceeding,
        note=text,
    )
    before = _step_snapshot(review, "self")
    review.self_points = stored
    review.self_score = score
    review.self_level = level
    review.self_text = text
    review.self_all_on_time = all_on_time
    review.self_exceeding = exceeding
    review.self_submitted_on = submitted_on
    review.self_by = actor if getattr(actor, "is_authenticated", False) else None
    review.version += 1
    review.save()
    audit.record(
        actor=actor,
        code="member_review.self_assessed",
        target=review,
        organization=review.cell,
        changes=audit.changes_between(before, _step_snapshot(review, "self")),
    )
    return review


@transaction.atomic
def member_review_propose(
    *,
    actor: Any,
    member: Member,
    year: int,
    points: dict[str, Any],
    level: str,
    note: str,
    all_on_time: bool,
    exceeding: bool,
    proposed_on: datetime.date,
) -> MemberReview:
    """Step 2 (R4.5): the cell's proposal after its review meeting: points per criterion of the
    frame in force (R4.2, R4.6) whose sum is the score, a level and the conditions the cell
    asserts. Can be revised until the committee decides."""
    _check_year(year)
    _check_date(proposed_on, _("date of the meeting that proposed it"))
    member = Member.objects.select_related("cell").select_for_update().get(pk=member.pk)
    review = _member_review_locked(member, year)
    _check_not_decided(review)
    if proposed_on.year < year:
        raise ServiceError(_("The cell's meeting cannot be before the year it reviews."))
    stored, score = _checked_points(
        review,
        points=points,
        level=level,
        all_on_time=all_on_time,
        exceeding=exceeding,
        note=note,
    )
    before = _step_snapshot(review, "proposed")
    review.proposed_points = stored
    review.proposed_score = score
    review.proposed_level = level
    review.proposed_note = note
    review.proposed_all_on_time = all_on_time
    review.proposed_exceeding = exceeding
    review.proposed_on = proposed_on
    review.proposed_by = actor if getattr(actor, "is_authenticated", False) else None
    review.version += 1
    review.save()
    audit.record(
        actor=actor,
        code="member_review.proposed",
        target=review,
        organization=review.cell,
        changes=audit.changes_between(before, _step_snapshot(review, "proposed")),
    )
    return review


def _check_decision(review: Any, level: str, note: str, organization: Organization) -> None:
    if not review.proposed_level:
        raise ServiceError(
            _("No level has been proposed yet: the committee decides on a proposal.")
        )
    if review.decided_level and not note.strip():
        raise ServiceError(_("A correction of a decision needs a note giving the reason."))
    rules.check_level(
        rule=rules.bands_rule(organization, review.year),
        level=level,
        score=review.proposed_score,
        all_on_time=review.proposed_all_on_time,
        exceeding=review.proposed_exceeding,
        note=note or review.proposed_note,
    )


def _write_decision(
    *, review: Any, level: str, decided_on: datetime.date, decision_ref: str, note: str, actor: Any
) -> ReviewDecision:
    target = (
        {"member_review": review}
        if isinstance(review, MemberReview)
        else {"organization_review": review}
    )
    previous = review.decisions.filter(superseded_by__isnull=True).first()
    decision = ReviewDecision.objects.create(
        **target,
        level=level,
        decided_on=decided_on,
        decision_ref=decision_ref,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if previous is not None:
        previous.superseded_by = decision
        previous.save(update_fields=["superseded_by"])
    review.decided_level = level
    review.decided_on = decided_on
    review.version += 1
    review.save(update_fields=["decided_level", "decided_on", "version"])
    return decision


def _check_quota(
    grassroots: Organization, year: int, changes: dict[int, str], before: dict
) -> None:
    """R4.4: excellent ratings at most the quota's share of good ones in the grassroots
    organization. Only a change that adds an excellent or removes a good one is refused."""
    adds_excellent = any(
        level == Level.EXCELLENT and before.get(pk) != Level.EXCELLENT
        for pk, level in changes.items()
    )
    removes_good = any(
        before.get(pk) == Level.GOOD and level != Level.GOOD for pk, level in changes.items()
    )
    if not (adds_excellent or removes_good):
        return
    state = selectors.quota_state(grassroots, year, changes=changes)
    if not state.within:
        raise ServiceError(rules.quota_message(state))


@transaction.atomic
def member_review_decide(
    *,
    actor: Any,
    review: MemberReview,
    level: str,
    decided_on: datetime.date,
    decision_ref: str = "",
    note: str = "",
) -> ReviewDecision:
    """Step 3 (R4.5): the grassroots committee's decision on the cell's proposal. The level
    must agree with the proposed score and conditions (R4.3) and keep the excellent quota
    (R4.4). On a decided review it is a correction: a new decision superseding the old one."""
    _check_date(decided_on, _("decision date"))
    # Lock every review of the grassroots organization's year: the quota counts them all.
    list(
        MemberReview.objects.select_for_update()
        .filter(grassroots_id=review.grassroots_id, year=review.year)
        .values_list("id", flat=True)
    )
    review = MemberReview.objects.select_related("grassroots", "cell").get(pk=review.pk)
    _check_decision(review, level, note, review.cell)
    _check_quota(
        review.grassroots, review.year, {review.pk: level}, {review.pk: review.decided_level}
    )
    previous_level = review.decided_level
    decision = _write_decision(
        review=review,
        level=level,
        decided_on=decided_on,
        decision_ref=decision_ref,
        note=note,
        actor=actor,
    )
    audit.record(
        actor=actor,
        code="member_review.corrected" if previous_level else "member_review.decided",
        target=review,
        organization=review.grassroots,
        changes={"decided_level": [previous_level or None, level]},
    )
    return decision


@transaction.atomic
def member_reviews_decide_proposed(
    *,
    actor: Any,
    grassroots: Organization,
    year: int,
    decided_on: datetime.date,
    decision_ref: str = "",
) -> int:
    """Step 3 for every review of the grassroots organization's year that has a proposal and
    no decision: the proposed levels are decided together, and the quota (R4.4) is checked on
    the whole batch. Returns how many were decided."""
    _check_date(decided_on, _("decision date"))
    pending = list(
        MemberReview.objects.select_for_update()
        .filter(grassroots=grassroots, year=year, decided_level="")
        .exclude(proposed_level="")
        .select_related("cell")
    )
    if not pending:
        raise ServiceError(_("No proposal is waiting for a decision."))
    changes = {review.pk: review.proposed_level for review in pending}
    _check_quota(grassroots, year, changes, {})
    for review in pending:
        _write_decision(
            review=review,
            level=review.proposed_level,
            decided_on=decided_on,
            decision_ref=decision_ref,
            note="",
            actor=actor,
        )
    audit.record(
        actor=actor,
        code="member_review.decided_in_bulk",
        target=grassroots,
        organization=grassroots,
        changes={"year": year, "count": len(pending)},
    )
    return len(pending)


# -- organizations -------------------------------------------------------------------------


def _organization_review_locked(organization: Organization, year: int) -> OrganizationReview:
    review, _created = OrganizationReview.objects.get_or_create(
        organization=organization, year=year
    )
    return OrganizationReview.objects.select_for_update().get(pk=review.pk)


def _check_collective_level(organization: Organization, year: int, level: str) -> None:
    if level == Level.EXCELLENT and selectors.disciplined_in(organization, year):
        raise ServiceError(
            _(
                "HTXSNV is refused: a member of this organization was disciplined in %(year)s; "
                "an excellent collective has no member disciplined (Quy định 366-QĐ/TW, Điều 11)."
            )
            % {"year": year}
        )


@transaction.atomic
def organization_review_self_assess(
    *,
    actor: Any,
    organization: Organization,
    year: int,
    score: Decimal | float,
    level: str,
    text: str,
    all_on_time: bool,
    exceeding: bool,
    submitted_on: datetime.date,
) -> OrganizationReview:
    """Step 1 for a collective: its own assessment (R4.1, R4.5)."""
    _check_year(year)
    _check_date(submitted_on, _("self-assessment date"))
    review = _organization_review_locked(organization, year)
    _check_not_decided(review)
    if review.proposed_level:
        raise ServiceError(
            _(
                "The level above has already proposed a level: the self-assessment can no longer "
                "change."
            )
        )
    rules.check_level(
        rule=rules.bands_rule(organization, year),
        level=level,
        score=_score(score),
        all_on_time=all_on_time,
        exceeding=exceeding,
        note=text,
    )
    review.self_score = _score(score)
    review.self_level = level
    review.self_text = text
    review.self_all_on_time = all_on_time
    review.self_exceeding = exceeding
    review.self_submitted_on = submitted_on
    review.self_by = actor if getattr(actor, "is_authenticated", False) else None
    review.version += 1
    review.save()
    audit.record(
        actor=actor,
        code="organization_review.self_assessed",
        target=review,
        organization=organization,
        changes={"self_level": [None, level]},
    )
    return review


@transaction.atomic
def organization_review_propose(
    *,
    actor: Any,
    organization: Organization,
    year: int,
    score: Decimal | float,
    level: str,
    note: str,
    all_on_time: bool,
    exceeding: bool,
    proposed_on: datetime.date,
) -> OrganizationReview:
    """Step 2 for a collective: the proposal of the level above."""
    _check_year(year)
    _check_date(proposed_on, _("date of the meeting that proposed it"))
    review = _organization_review_locked(organization, year)
    _check_not_decided(review)
    rules.check_level(
        rule=rules.bands_rule(organization, year),
        level=level,
        score=_score(score),
        all_on_time=all_on_time,
        exceeding=exceeding,
        note=note,
    )
    _check_collective_level(organization, year, level)
    review.proposed_score = _score(score)
    review.proposed_level = level
    review.proposed_note = note
    review.proposed_all_on_time = all_on_time
    review.proposed_exceeding = exceeding
    review.proposed_on = proposed_on
    review.proposed_by = actor if getattr(actor, "is_authenticated", False) else None
    review.version += 1
    review.save()
    audit.record(
        actor=actor,
        code="organization_review.proposed",
        target=review,
        organization=organization,
        changes={"proposed_level": [None, level]},
    )
    return review


@transaction.atomic
def organization_review_decide(
    *,
    actor: Any,
    review: OrganizationReview,
    level: str,
    decided_on: datetime.date,
    decision_ref: str = "",
    note: str = "",
) -> ReviewDecision:
    """Step 3 for a collective: the competent committee's decision (a correction supersedes)."""
    _check_date(decided_on, _("decision date"))
    review = (
        OrganizationReview.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=review.pk)
    )
    _check_decision(review, level, note, review.organization)
    _check_collective_level(review.organization, review.year, level)
    previous_level = review.decided_level
    decision = _write_decision(
        review=review,
        level=level,
        decided_on=decided_on,
        decision_ref=decision_ref,
        note=note,
        actor=actor,
    )
    audit.record(
        actor=actor,
        code="organization_review.corrected" if previous_level else "organization_review.decided",
        target=review,
        organization=review.organization,
        changes={"decided_level": [previous_level or None, level]},
    )
    return decision


# -- discipline ----------------------------------------------------------------------------


@transaction.atomic
def discipline_record(
    *,
    actor: Any,
    member: Member,
    form: str,
    decided_on: datetime.date,
    authority: str,
    decided_by: str = "",
    upper_task: bool = False,
    decision_ref: str,
    reason: str,
    inspection: Inspection | None = None,
) -> Discipline:
    """Record a disciplinary decision about a member (R3.18, R3.19): a probationary member can
    only be reprimanded or warned, and the level that decided may only decide the forms the
    rule `discipline.authority` in force gives it."""
    _check_date(decided_on, _("decision date"))
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.membership_class == MembershipClass.PROBATIONARY and form not in PROBATIONARY_FORMS:
        raise ServiceError(
            _("A probationary member can only be reprimanded or warned (Điều lệ Đảng, Điều 35).")
        )
    rules.check_authority(
        rule=rules.authority_rule(member.cell, decided_on),
        form=form,
        authority=authority,
        upper_task=upper_task,
    )
    if not reason.strip():
        raise ServiceError(_("Give the reason."))
    discipline = Discipline.objects.create(
        member=member,
        form=form,
        decided_on=decided_on,
        authority=authority,
        decided_by=decided_by.strip(),
        upper_task=upper_task,
        decision_ref=decision_ref,
        reason=reason,
        inspection=inspection,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="discipline.recorded",
        target=discipline,
        organization=member.cell,
        changes={"form": form, "authority": authority, "decided_on": decided_on.isoformat()},
    )
    return discipline


@transaction.atomic
def discipline_appeal_record(
    *, actor: Any, discipline: Discipline, lodged_on: datetime.date
) -> Discipline:
    """Record that the member appealed against a disciplinary decision (R3.19): only within
    the appeal period of the rule `discipline.appeal_days` in force on the decision day; after
    it the decision is final and the appeal is refused."""
    _check_date(lodged_on, _("appeal date"))
    discipline = (
        Discipline.objects.select_for_update(of=("self",))
        .select_related("member__cell")
        .get(pk=discipline.pk)
    )
    if discipline.appeal_lodged_on is not None:
        raise ServiceError(_("An appeal against this decision is already recorded."))
    if lodged_on < discipline.decided_on:
        raise ServiceError(_("An appeal cannot be lodged before the decision."))
    period = rules.appeal_period(
        organization=discipline.member.cell, decided_on=discipline.decided_on, today=lodged_on
    )
    if not period.open:
        raise ServiceError(
            _(
                "The appeal period ended on %(until)s: the decision is final and an appeal "
                "lodged on %(date)s is refused. %(rule)s."
            )
            % {
                "until": _show(period.until),
                "date": _show(lodged_on),
                "rule": period.rule.explain(),
            }
        )
    discipline.appeal_lodged_on = lodged_on
    discipline.save(update_fields=["appeal_lodged_on"])
    audit.record(
        actor=actor,
        code="discipline.appeal_recorded",
        target=discipline,
        organization=discipline.member.cell,
        changes={"appeal_lodged_on": [None, lodged_on.isoformat()]},
    )
    return discipline
