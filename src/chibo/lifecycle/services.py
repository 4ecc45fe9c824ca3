"""Every change to the admission pipeline (DOMAIN §3.1). One transaction and one audit entry
each; a step out of order (R3.3) or with an impossible date is refused with a ServiceError and
nothing is changed."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.dates import full_months_between
from chibo.core.errors import ServiceError
from chibo.lifecycle import probation, rules
from chibo.lifecycle.models import Candidate, CandidateReview, Introducer
from chibo.meetings.models import (
    Attendance,
    Meeting,
    MeetingStatus,
    MemberCategory,
    Vote,
    VoteSubject,
)
from chibo.members import services as member_services
from chibo.members import standing
from chibo.members.models import Member, MemberStatus
from chibo.orgs import size_rules
from chibo.orgs.models import Organization

MAX_INTRODUCERS = 2


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _check_day(day: datetime.date | None, *, label: str, candidate_birth: datetime.date) -> None:
    if day is None:
        raise ServiceError(_("Enter the date of the %(step)s.") % {"step": label})
    if day > timezone.localdate():
        raise ServiceError(_("The date of the %(step)s cannot be in the future.") % {"step": label})
    if day <= candidate_birth:
        raise ServiceError(
            _("The date of the %(step)s must be after the date of birth.") % {"step": label}
        )


def _not_before(
    day: datetime.date, earlier: datetime.date | None, *, label: str, earlier_label: str
):
    if earlier is not None and day < earlier:
        raise ServiceError(
            _("The %(step)s (%(date)s) cannot be before the %(earlier)s (%(earlier_date)s).")
            % {
                "step": label,
                "date": _d(day),
                "earlier": earlier_label,
                "earlier_date": _d(earlier),
            }
        )


def _require(done: Any, *, label: str, missing: str) -> None:
    if not done:
        raise ServiceError(
            _("Record the %(missing)s before the %(step)s.") % {"missing": missing, "step": label}
        )


def _lock(candidate: Candidate) -> Candidate:
    locked = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("cell")
        .get(pk=candidate.pk)
    )
    if locked.member_id is not None:
        raise ServiceError(_("This candidate has already been admitted."))
    if locked.withdrawn_on is not None:
        raise ServiceError(
            _("This candidate was taken off the list on %(date)s: nothing more can be recorded.")
            % {"date": _d(locked.withdrawn_on)}
        )
    return locked


def _check_mentor(mentor: Member | None, cell: Organization) -> None:
    if mentor is None:
        return
    if not standing.may_mentor(mentor, cell):
        raise ServiceError(_("The mentor must be an official member of the cell."))


# -- the steps, in the order of R3.3 ---------------------------------------------------------


@transaction.atomic
def candidate_create(
    *,
    actor: Any,
    cell: Organization,
    full_name: str,
    sex: str,
    birth_date: datetime.date,
    mentor: Member | None = None,
    awareness_certificate_date: datetime.date | None = None,
) -> Candidate:
    """Put a person on the cell's list of candidates (R3.12), with the mentor the cell assigned."""
    if not cell.is_cell:
        raise ServiceError(_("Candidates are kept by a party cell."))
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ServiceError(_("The full name is required."))
    today = timezone.localdate()
    if birth_date >= today:
        raise ServiceError(_("The date of birth must be in the past."))
    _check_mentor(mentor, cell)
    if awareness_certificate_date is not None:
        if awareness_certificate_date > today:
            raise ServiceError(_("The certificate date cannot be in the future."))
        if awareness_certificate_date <= birth_date:
            raise ServiceError(_("The certificate date must be after the date of birth."))
    candidate = Candidate.objects.create(
        cell=cell,
        full_name=full_name,
        sex=sex,
        birth_date=birth_date,
        mentor=mentor,
        awareness_certificate_date=awareness_certificate_date,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="candidate.created",
        target=candidate,
        organization=cell,
        changes={"cell": [None, cell.pk]},
    )
    return candidate


def _record_date(
    *, actor: Any, candidate: Candidate, field: str, day: datetime.date, code: str
) -> Candidate:
    before = audit.snapshot(candidate, [field])
    setattr(candidate, field, day)
    candidate.save(update_fields=[field])
    audit.record(
        actor=actor,
        code=code,
        target=candidate,
        organization=candidate.cell,
        changes=audit.changes_between(before, audit.snapshot(candidate, [field])),
    )
    return candidate


@transaction.atomic
def candidate_application_record(
    *, actor: Any, candidate: Candidate, day: datetime.date
) -> Candidate:
    """The application letter (đơn) is received; it comes before the personal history."""
    candidate = _lock(candidate)
    label = _("application letter")
    _check_day(day, label=label, candidate_birth=candidate.birth_date)
    if candidate.personal_history_date and day > candidate.personal_history_date:
        raise ServiceError(_("The application letter must be written before the personal history."))
    return _record_date(
        actor=actor,
        candidate=candidate,
        field="application_date",
        day=day,
        code="candidate.application_received",
    )


@transaction.atomic
def candidate_personal_history_record(
    *, actor: Any, candidate: Candidate, day: datetime.date
) -> Candidate:
    candidate = _lock(candidate)
    label = _("personal history")
    _check_day(day, label=label, candidate_birth=candidate.birth_date)
    _require(candidate.application_date, label=label, missing=_("application letter"))
    _not_before(day, candidate.application_date, label=label, earlier_label=_("application letter"))
    return _record_date(
        actor=actor,
        candidate=candidate,
        field="personal_history_date",
        day=day,
        code="candidate.personal_history_submitted",
    )


@transaction.atomic
def candidate_verification_record(
    *, actor: Any, candidate: Candidate, day: datetime.date
) -> Candidate:
    candidate = _lock(candidate)
    label = _("verification of the personal history")
    _check_day(day, label=label, candidate_birth=candidate.birth_date)
    _require(candidate.personal_history_date, label=label, missing=_("personal history"))
    _not_before(
        day, candidate.personal_history_date, label=label, earlier_label=_("personal history")
    )
    return _record_date(
        actor=actor,
        candidate=candidate,
        field="verification_date",
        day=day,
        code="candidate.verified",
    )


@transaction.atomic
def candidate_introducer_add(
    *,
    actor: Any,
    candidate: Candidate,
    member: Member,
    known_since: datetime.date,
    day: datetime.date,
) -> Introducer:
    """An official member introduces the candidate, having known them ≥ 12 months (R3.5)."""
    candidate = _lock(candidate)
    label = _("introduction")
    _check_day(day, label=label, candidate_birth=candidate.birth_date)
    _require(
        candidate.verification_date, label=label, missing=_("verification of the personal history")
    )
    if candidate.resolution_date:
        raise ServiceError(_("The cell resolution is recorded: introducers can no longer change."))
    if member.status != MemberStatus.OFFICIAL:
        raise ServiceError(
            _(
                "%(name)s is not an official member: only official members may introduce a "
                "candidate."
            )
            % {"name": member.full_name}
        )
    if candidate.introducers.filter(member=member).exists():
        raise ServiceError(
            _("%(name)s already introduces this candidate.") % {"name": member.full_name}
        )
    if candidate.introducers.count() >= MAX_INTRODUCERS:
        raise ServiceError(_("A candidate has at most two introducers."))
    if known_since > day:
        raise ServiceError(
            _(
                "The date the introducer has known the candidate since cannot be after the "
                "introduction."
            )
        )
    months = full_months_between(known_since, day)
    rule = rules.rule_for("admission.introducer_min_months", organization=candidate.cell, on=day)
    minimum = rule.value
    if months < minimum:
        raise ServiceError(
            _(
                "%(name)s has known the candidate for %(months)s months on %(date)s: an introducer "
                "must have worked, studied or lived with the candidate for at least %(min)s "
                "months. %(rule)s."
            )
            % {
                "name": member.full_name,
                "months": months,
                "date": _d(day),
                "min": minimum,
                "rule": rule.explain(),
            }
        )
    introducer = Introducer.objects.create(
        candidate=candidate, member=member, known_since=known_since, introduced_on=day
    )
    audit.record(
        actor=actor,
        code="candidate.introducer_added",
        target=candidate,
        organization=candidate.cell,
        changes={"introducer": [None, member.pk]},
    )
    return introducer


@transaction.atomic
def candidate_opinions_record(
    *,
    actor: Any,
    candidate: Candidate,
    mass_organisations: datetime.date,
    residence: datetime.date,
) -> Candidate:
    """The opinions of the mass organisations (Youth Union, trade union) and of the residence
    cell are received."""
    candidate = _lock(candidate)
    label = _("opinions of the mass organisations and the residence cell")
    _check_day(mass_organisations, label=label, candidate_birth=candidate.birth_date)
    _check_day(residence, label=label, candidate_birth=candidate.birth_date)
    _require(candidate.introducers.exists(), label=label, missing=_("introducer"))
    for day in (mass_organisations, residence):
        _not_before(
            day,
            candidate.verification_date,
            label=label,
            earlier_label=_("verification of the personal history"),
        )
    fields = ["mass_organisation_opinion_date", "residence_opinion_date"]
    before = audit.snapshot(candidate, fields)
    candidate.mass_organisation_opinion_date = mass_organisations
    candidate.residence_opinion_date = residence
    candidate.save(update_fields=fields)
    audit.record(
        actor=actor,
        code="candidate.opinions_received",
        target=candidate,
        organization=candidate.cell,
        changes=audit.changes_between(before, audit.snapshot(candidate, fields)),
    )
    return candidate


def _check_cell_may_vote(vote: Vote, cell: Organization) -> None:
    """Refuse a vote of a cell with fewer official members than the minimum (R2.7: until the
    upper committee moves members in or merges it, such a cell cannot lawfully vote on, e.g.,
    recognition as an official member): the official members on the meeting's roll, or on the
    cell's roll now if it kept none."""
    officials = Attendance.objects.filter(
        meeting=vote.meeting, category=MemberCategory.OFFICIAL
    ).count() or size_rules.official_count(cell)
    size_rules.check_cell_may_decide(cell=cell, officials=officials, on=vote.meeting.date)


@transaction.atomic
def candidate_resolution_record(
    *,
    actor: Any,
    candidate: Candidate,
    vote: Vote | None = None,
    day: datetime.date | None = None,
    in_favour: int | None = None,
    eligible: int | None = None,
) -> Candidate:
    """The cell resolution proposing admission (≥ 2/3 of official members, R2.5): an adopted
    admission vote of one of the cell's meetings, or the date and counts recorded elsewhere.
    The candidate's age is checked on that day (R3.1)."""
    candidate = _lock(candidate)
    label = _("cell resolution")
    _require(
        candidate.residence_opinion_date and candidate.mass_organisation_opinion_date,
        label=label,
        missing=_("opinions of the mass organisations and the residence cell"),
    )
    if candidate.resolution_date:
        raise ServiceError(_("The cell resolution is already recorded."))
    if vote is not None:
        vote = Vote.objects.select_related("meeting").get(pk=vote.pk)
        if (
            vote.meeting.organization_id != candidate.cell_id
            or vote.subject != VoteSubject.ADMISSION
        ):
            raise ServiceError(_("Choose a vote on admission taken at a meeting of this cell."))
        if not vote.adopted:
            raise ServiceError(
                _("This vote did not adopt the proposal: the cell has not resolved to admit.")
            )
        _check_cell_may_vote(vote, candidate.cell)
        day = vote.meeting.date
        in_favour, eligible = vote.in_favour, vote.eligible
    else:
        if in_favour is None or not eligible:
            raise ServiceError(_("Enter the votes in favour and the number of official members."))
        if in_favour > eligible:
            raise ServiceError(
                _("The votes in favour cannot exceed the number of official members.")
            )
    _check_day(day, label=label, candidate_birth=candidate.birth_date)
    assert day is not None  # _check_day refuses an empty date
    for earlier, earlier_label in (
        (candidate.mass_organisation_opinion_date, _("opinion of the mass organisations")),
        (candidate.residence_opinion_date, _("opinion of the residence cell")),
    ):
        _not_before(day, earlier, label=label, earlier_label=earlier_label)
    if vote is None:
        passes, rule = rules.resolution_passes(
            in_favour=in_favour, eligible=eligible, organization=candidate.cell, on=day
        )
        if not passes:
            raise ServiceError(
                _("%(yes)s of %(eligible)s official members in favour is not enough. %(rule)s")
                % {"yes": in_favour, "eligible": eligible, "rule": rule.explain()}
            )
    age = rules.age_check(birth_date=candidate.birth_date, on=day, organization=candidate.cell)
    if not age.admissible:
        raise ServiceError(age.text)
    fields = ["resolution_date", "resolution_vote", "resolution_in_favour", "resolution_eligible"]
    before = audit.snapshot(candidate, fields)
    candidate.resolution_date = day
    candidate.resolution_vote = vote
    candidate.resolution_in_favour = in_favour
    candidate.resolution_eligible = eligible
    candidate.save(update_fields=fields)
    audit.record(
        actor=actor,
        code="candidate.resolution_recorded",
        target=candidate,
        organization=candidate.cell,
        changes=audit.changes_between(before, audit.snapshot(candidate, fields)),
    )
    return candidate


@transaction.atomic
def candidate_decision_record(
    *, actor: Any, candidate: Candidate, day: datetime.date, number: str
) -> Candidate:
    """The competent committee's admission decision (date and number)."""
    candidate = _lock(candidate)
    label = _("admission decision")
    _check_day(day, label=label, candidate_birth=candidate.birth_date)
    _require(candidate.resolution_date, label=label, missing=_("cell resolution"))
    _not_before(day, candidate.resolution_date, label=label, earlier_label=_("cell resolution"))
    number = (number or "").strip()
    if not number:
        raise ServiceError(_("Enter the number of the admission decision."))
    fields = ["decision_date", "decision_number"]
    before = audit.snapshot(candidate, fields)
    candidate.decision_date = day
    candidate.decision_number = number
    candidate.save(update_fields=fields)
    audit.record(
        actor=actor,
        code="candidate.decision_recorded",
        target=candidate,
        organization=candidate.cell,
        changes=audit.changes_between(before, audit.snapshot(candidate, fields)),
    )
    return candidate


@transaction.atomic
def candidate_ceremony_record(*, actor: Any, candidate: Candidate, day: datetime.date) -> Member:
    """The admission ceremony (lễ kết nạp): the candidate becomes a probationary member of the
    cell, with the decision and ceremony dates. A ceremony after the deadline of R3.6 is
    recorded (it happened) and the lateness noted in the audit."""
    candidate = _lock(candidate)
    label = _("admission ceremony")
    _check_day(day, label=label, candidate_birth=candidate.birth_date)
    _require(candidate.decision_date, label=label, missing=_("admission decision"))
    _not_before(day, candidate.decision_date, label=label, earlier_label=_("admission decision"))
    decision_date: datetime.date = candidate.decision_date  # type: ignore[assignment]
    deadline, rule = rules.ceremony_deadline(
        decision_date=decision_date, organization=candidate.cell
    )
    member = member_services.member_create(
        actor=actor,
        cell=candidate.cell,
        status=MemberStatus.PROBATIONARY,
        status_date=day,
        full_name=candidate.full_name,
        sex=candidate.sex,
        birth_date=candidate.birth_date,
        admission_decision_date=candidate.decision_date,
        ceremony_date=day,
    )
    candidate.ceremony_date = day
    candidate.member = member
    candidate.save(update_fields=["ceremony_date", "member"])
    note = ""
    if day > deadline:
        note = _("Held after the deadline of %(date)s. %(rule)s") % {
            "date": _d(deadline),
            "rule": rule.explain(),
        }
    audit.record(
        actor=actor,
        code="candidate.admitted",
        target=candidate,
        organization=candidate.cell,
        changes={"ceremony_date": [None, day.isoformat()], "member": [None, member.pk]},
        note=note,
    )
    return member


# -- probation and recognition as an official member (R3.8, R3.9, R2.5) ----------------------


def _lock_probationary(member: Member) -> tuple[Member, Any]:
    """The member, locked, with their probation dates; refused unless probationary with a
    ceremony date."""
    locked = Member.objects.select_for_update(of=("self",)).select_related("cell").get(pk=member.pk)
    if locked.status != MemberStatus.PROBATIONARY:
        raise ServiceError(_("%(name)s is not a probationary member.") % {"name": locked.full_name})
    if locked.ceremony_date is None:
        raise ServiceError(
            _("The admission ceremony date of %(name)s is not recorded: record it first.")
            % {"name": locked.full_name}
        )
    dates = probation.probation_dates(ceremony_date=locked.ceremony_date, organization=locked.cell)
    return locked, dates


def _after_probation(day: datetime.date, dates: Any, *, what: str) -> None:
    if day < dates.end:
        raise ServiceError(
            _(
                "Probation ends on %(end)s: the %(what)s cannot be decided before (the date "
                "given is %(date)s). %(rule)s"
            )
            % {
                "end": _d(dates.end),
                "what": what,
                "date": _d(day),
                "rule": dates.months_rule.explain(),
            }
        )


@transaction.atomic
def recognition_record(
    *, actor: Any, member: Member, vote: Vote, decision_date: datetime.date
) -> Member:
    """Recognise a probationary member as official (R3.9): after probation ends, on the
    adopted individual recognition vote of a meeting of the member's cell (≥ 2/3 of official
    members, R2.5, applied when the vote was recorded). The status change is a dated event;
    the recognition date is the day probation ends or the decision date, as the setting
    `recognition.effective_date` selects (probation.recognition_effective_date)."""
    locked, dates = _lock_probationary(member)
    if decision_date is None:
        raise ServiceError(_("Enter the date of the decision."))
    vote = Vote.objects.select_related("meeting").get(pk=vote.pk)
    if (
        vote.subject != VoteSubject.RECOGNITION
        or vote.subject_member_id != locked.pk
        or vote.meeting.organization_id != locked.cell_id
    ):
        raise ServiceError(
            _(
                "Choose the vote on recognising %(name)s as an official member taken at a "
                "meeting of the cell."
            )
            % {"name": locked.full_name}
        )
    if not vote.adopted:
        raise ServiceError(
            _(
                "This vote did not adopt the recognition (%(yes)s of %(eligible)s official "
                "members in favour): the member cannot be recognised on it."
            )
            % {"yes": vote.in_favour, "eligible": vote.eligible}
        )
    _check_cell_may_vote(vote, locked.cell)
    what = _("recognition as an official member")
    _after_probation(vote.meeting.date, dates, what=what)
    _after_probation(decision_date, dates, what=what)
    if decision_date < vote.meeting.date:
        raise ServiceError(
            _("The decision (%(date)s) cannot be before the cell's vote (%(vote_date)s).")
            % {"date": _d(decision_date), "vote_date": _d(vote.meeting.date)}
        )
    official_on, official_rule = probation.recognition_effective_date(
        end=dates.end, decision_date=decision_date, organization=locked.cell
    )
    notes = [official_rule.explain()]
    if vote.meeting.date > dates.deadline:
        notes.insert(
            0,
            _("Considered after the deadline of %(date)s. %(rule)s")
            % {"date": _d(dates.deadline), "rule": dates.deadline_rule.explain()},
        )
    note = " ".join(notes)
    member_services.member_change_status(
        actor=actor,
        member=locked,
        status=MemberStatus.OFFICIAL,
        effective_date=official_on,
        reason=vote.title,
    )
    locked.refresh_from_db()
    if locked.official_date != official_on:
        locked.official_date = official_on
        locked.save(update_fields=["official_date"])
    audit.record(
        actor=actor,
        code="member.recognised",
        target=locked,
        organization=locked.cell,
        changes={
            "official_date": [None, official_on.isoformat()],
            "decision_date": [None, decision_date.isoformat()],
            "vote": [None, vote.pk],
        },
        note=note,
    )
    return locked


@transaction.atomic
def probation_end_without_recognition(
    *, actor: Any, member: Member, decided_on: datetime.date, reason: str
) -> Member:
    """Remove a probationary member from the probationary list after probation ends, when
    the cell does not recognise them (R3.9): a dated event to "removed from the rolls" with
    the reason."""
    locked, dates = _lock_probationary(member)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Give the reason for the removal."))
    if decided_on is None:
        raise ServiceError(_("Enter the date of the decision."))
    _after_probation(decided_on, dates, what=_("removal from the probationary list"))
    member_services.member_change_status(
        actor=actor,
        member=locked,
        status=MemberStatus.REMOVED,
        effective_date=decided_on,
        reason=reason,
    )
    locked.refresh_from_db()
    audit.record(
        actor=actor,
        code="member.probation_ended_without_recognition",
        target=locked,
        organization=locked.cell,
        changes={"status": [MemberStatus.PROBATIONARY, MemberStatus.REMOVED]},
        note=reason,
    )
    return locked


# -- the list itself: monthly review, taking a candidate off it (R3.12) ----------------------


@transaction.atomic
def candidate_review_record(
    *,
    actor: Any,
    candidate: Candidate,
    reviewed_on: datetime.date,
    note: str,
    meeting: Meeting | None = None,
) -> CandidateReview:
    """Record the cell's monthly review of a candidate: one per month, never edited."""
    locked = _lock(candidate)
    note = (note or "").strip()
    if not note:
        raise ServiceError(_("Write what the cell said of the candidate's progress."))
    if reviewed_on > timezone.localdate():
        raise ServiceError(_("The review date cannot be in the future."))
    if reviewed_on <= locked.birth_date:
        raise ServiceError(_("The review date must be after the date of birth."))
    if meeting is not None:
        if meeting.organization_id != locked.cell_id or meeting.status == MeetingStatus.CANCELLED:
            raise ServiceError(_("Choose a meeting of the candidate's cell."))
        if meeting.date != reviewed_on:
            raise ServiceError(_("The review date must be the date of the chosen meeting."))
    same_month = locked.reviews.filter(
        reviewed_on__year=reviewed_on.year, reviewed_on__month=reviewed_on.month
    ).first()
    if same_month is not None:
        raise ServiceError(
            _("The candidate was already reviewed this month (%(date)s).")
            % {"date": _d(same_month.reviewed_on)}
        )
    review = CandidateReview.objects.create(
        candidate=locked,
        reviewed_on=reviewed_on,
        meeting=meeting,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="candidate.reviewed",
        target=locked,
        organization=locked.cell,
        changes={"reviewed_on": [None, reviewed_on.isoformat()]},
    )
    return review


@transaction.atomic
def candidate_withdraw(
    *, actor: Any, candidate: Candidate, day: datetime.date, reason: str
) -> Candidate:
    """Take a candidate off the cell's list (moved away, no longer wishes to join, not
    qualified). The record and its steps stay; nothing more can be recorded on it."""
    locked = _lock(candidate)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give the reason the candidate is taken off the list."))
    if day > timezone.localdate():
        raise ServiceError(_("The date cannot be in the future."))
    if day <= locked.birth_date:
        raise ServiceError(_("The date must be after the date of birth."))
    locked.withdrawn_on = day
    locked.withdrawal_reason = reason
    locked.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    audit.record(
        actor=actor,
        code="candidate.withdrawn",
        target=locked,
        organization=locked.cell,
        changes={"withdrawn_on": [None, day.isoformat()]},
    )
    return locked
