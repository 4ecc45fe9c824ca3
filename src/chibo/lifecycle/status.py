"""Member status changes other than admission, probation and transfer (DOMAIN §3.3, §3.4,
R3.10, R3.11, R3.14–R3.17): exemption from activity and the return from it, suspension and its
lifting, removal from the rolls, death, and re-admission.

Every change is one dated MemberEvent written by members.services.member_change_status; the
history is never overwritten: a wrong change is reversed by recording a new event ("return from
exemption", "lift suspension"). Each service here validates the dates and grounds the
regulations ask for, calls member_change_status in the same transaction and writes its own audit
entry.

Exemption and the annual rating (R3.17): `exempted_during(member_ids, year)` gives the members
left out of the year's rating: those exempted on 31 December of the year, or exempted for at
least n months of it (rule `exemption.rating_excluded_min_months`, 6 by default; the regulations
set no length, so the rule is marked "unsure").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit
from chibo.core.dates import add_months
from chibo.core.errors import ServiceError
from chibo.core.rules import Resolved
from chibo.lifecycle.rules import rule_for
from chibo.members import services as member_services
from chibo.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberStatus, Sex

READMISSION_KEY = "readmission.min_months_after_leaving"
RATING_EXCLUSION_KEY = "exemption.rating_excluded_min_months"
REMOVAL_MONTHS_KEY = "removal.unexcused_months_per_year"


class ExemptionGrounds(TextChoices):
    """Grounds for exemption from work and party activity (R3.15 HD 27-HD/BTCTW; R3.16
    HD 12-HD/BTCTW 2022 §IV.1.2)."""

    ELDERLY_WEAK = "elderly_weak", gettext_lazy("Elderly and in weak health")
    LONG_ILLNESS = "long_illness", gettext_lazy("Illness needing treatment for 3 months or more")
    LONG_OR_FAR_TREATMENT = (
        "long_or_far_treatment",
        gettext_lazy("Long treatment or treatment far away"),
    )
    ABROAD_ALONE = "abroad_alone", gettext_lazy("Working or travelling abroad alone")
    MOBILE_WORK = (
        "mobile_work",
        gettext_lazy("Mobile work in Vietnam for less than a year with no way to attend"),
    )
    MATERNITY_LEAVE = "maternity_leave", gettext_lazy("Maternity leave (women members)")


class RemovalGrounds(TextChoices):
    """Grounds for removal from the rolls (xóa tên; 29-QĐ/TW §8.1, 24-QĐ/TW; DOMAIN §3.4)."""

    UNEXCUSED_MONTHS = (
        "unexcused_months",
        gettext_lazy(
            "Left party activity or did not pay dues for 3 months in a year without valid reason"
        ),
    )
    CARD_RETURNED = (
        "card_returned",
        gettext_lazy("Handed back or destroyed the party card on their own"),
    )
    LOSS_OF_WILL = (
        "loss_of_will",
        gettext_lazy(
            "Lost the will to strive, did not do a member's duties, no progress after 12 months of "
            "the cell's education"
        ),
    )
    STANDARDS_TWO_YEARS = (
        "standards_two_years",
        gettext_lazy("Violated the member standards two years in a row"),
    )
    POLITICAL_STANDARD = (
        "political_standard",
        gettext_lazy("Does not meet the political standard set by the Politburo"),
    )


class RequestChannel(TextChoices):
    LETTER = "letter", gettext_lazy("By letter")
    IN_PERSON = "in_person", gettext_lazy("In person")


GROUNDS_LABELS: dict[str, Any] = {**dict(ExemptionGrounds.choices), **dict(RemovalGrounds.choices)}

# The status changes this module records, with the statuses each is allowed from.
EXEMPTION = "exemption"
EXEMPTION_RETURN = "exemption_return"
SUSPENSION = "suspension"
SUSPENSION_LIFT = "suspension_lift"
REMOVAL = "removal"
DEATH = "death"
READMISSION = "readmission"

ALLOWED_FROM: dict[str, frozenset[str]] = {
    EXEMPTION: frozenset({MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY}),
    EXEMPTION_RETURN: frozenset({MemberStatus.EXEMPTED}),
    SUSPENSION: frozenset(
        {MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPTED}
    ),
    SUSPENSION_LIFT: frozenset({MemberStatus.SUSPENDED}),
    REMOVAL: frozenset(
        {
            MemberStatus.OFFICIAL,
            MemberStatus.PROBATIONARY,
            MemberStatus.EXEMPTED,
            MemberStatus.SUSPENDED,
        }
    ),
    DEATH: ACTIVE_STATUSES,
    READMISSION: frozenset({MemberStatus.REMOVED}),
}

ACTION_LABELS: dict[str, Any] = {
    EXEMPTION: gettext_lazy("Exemption from activity"),
    EXEMPTION_RETURN: gettext_lazy("Return from exemption"),
    SUSPENSION: gettext_lazy("Suspension"),
    SUSPENSION_LIFT: gettext_lazy("Lift the suspension"),
    REMOVAL: gettext_lazy("Removal from the rolls"),
    DEATH: gettext_lazy("Death"),
    READMISSION: gettext_lazy("Re-admission"),
}


def allowed_actions(member: Member) -> list[str]:
    """The status changes that may be recorded for the member in their current status."""
    return [action for action, statuses in ALLOWED_FROM.items() if member.status in statuses]


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _history(member: Member) -> list[MemberEvent]:
    return list(member.events.order_by("effective_date", "id"))


def status_before(member: Member) -> str:
    """The status the member held before the current one (for the return from exemption and
    the lifting of a suspension): the latest event whose status differs from the current."""
    for event in reversed(_history(member)):
        if event.status != member.status:
            return event.status
    raise ServiceError(_("The status held before is not recorded; record the change by hand."))


def _lock(member: Member, action: str) -> Member:
    locked = Member.objects.select_for_update(of=("self",)).select_related("cell").get(pk=member.pk)
    if locked.status not in ALLOWED_FROM[action]:
        raise ServiceError(
            _("%(action)s cannot be recorded for a member whose status is “%(status)s”.")
            % {"action": ACTION_LABELS[action], "status": locked.get_status_display()}
        )
    return locked


def _check_day(day: datetime.date | None, what: str) -> datetime.date:
    """A required date that is not in the future."""
    if day is None:
        raise ServiceError(_("Enter the %(what)s.") % {"what": what})
    if day > timezone.localdate():
        raise ServiceError(_("The %(what)s cannot be in the future.") % {"what": what})
    return day


def _check_order(earlier: datetime.date, later: datetime.date, first: str, second: str) -> None:
    if later < earlier:
        raise ServiceError(
            _("The %(second)s (%(later)s) cannot be before the %(first)s (%(earlier)s).")
            % {"first": first, "second": second, "earlier": _d(earlier), "later": _d(later)}
        )


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _audit(actor: Any, code: str, member: Member, event: MemberEvent, note: str = "") -> None:
    audit.record(
        actor=actor,
        code=code,
        target=member,
        organization=member.cell,
        changes={
            "status": [None, event.status],
            "effective_date": [None, event.effective_date.isoformat()],
            "event": [None, event.pk],
        },
        note=note,
    )


# -- exemption (R3.14–R3.17) -----------------------------------------------------------------


@transaction.atomic
def exemption_record(
    *,
    actor: Any,
    member: Member,
    request_date: datetime.date,
    request_channel: str,
    grounds: str,
    weak_health: bool = False,
    resolution_date: datetime.date,
    resolution_ref: str,
    note: str = "",
) -> MemberEvent:
    """Exempt a member from work and party activity on their own request, by the cell's
    resolution (R3.14); the status is "exempted" from the resolution date. Age alone does not
    qualify: an elderly member must also be in weak health (R3.15). Maternity leave concerns
    women members (R3.16)."""
    locked = _lock(member, EXEMPTION)
    if grounds not in ExemptionGrounds.values:
        raise ServiceError(_("Choose the grounds for the exemption."))
    if request_channel not in RequestChannel.values:
        raise ServiceError(_("Say whether the member asked by letter or in person."))
    if grounds == ExemptionGrounds.ELDERLY_WEAK and not weak_health:
        raise ServiceError(
            _(
                "Age alone does not qualify for exemption: an elderly member must also be in "
                "weak health (an illness needing treatment for 3 months or more, or a medical "
                "record) and ask for it (HD 27-HD/BTCTW)."
            )
        )
    if grounds == ExemptionGrounds.MATERNITY_LEAVE and locked.sex != Sex.FEMALE:
        raise ServiceError(_("Exemption for maternity leave concerns women members only."))
    request_date = _check_day(request_date, _("date of the member's request"))
    resolution_date = _check_day(resolution_date, _("date of the cell's resolution"))
    _check_order(request_date, resolution_date, _("member's request"), _("cell's resolution"))
    resolution_ref = _clean(resolution_ref)
    if not resolution_ref:
        raise ServiceError(_("Enter the number of the cell's resolution."))
    event = member_services.member_change_status(
        actor=actor,
        member=locked,
        status=MemberStatus.EXEMPTED,
        effective_date=resolution_date,
        decision_ref=resolution_ref,
        reason=_clean(note) or str(ExemptionGrounds(grounds).label),
        grounds=grounds,
        details={
            "request_date": _iso(request_date),
            "request_channel": request_channel,
            "weak_health": bool(weak_health),
            "resolution_date": _iso(resolution_date),
        },
    )
    _audit(actor, "member.exempted", locked, event, note=grounds)
    return event


@transaction.atomic
def exemption_return(
    *,
    actor: Any,
    member: Member,
    request_date: datetime.date,
    effective_date: datetime.date,
    resolution_ref: str = "",
    note: str = "",
) -> MemberEvent:
    """End an exemption on the member's request (R3.17): back to the status held before
    (official or probationary) from the effective date."""
    locked = _lock(member, EXEMPTION_RETURN)
    previous = status_before(locked)
    request_date = _check_day(request_date, _("date of the member's request"))
    effective_date = _check_day(effective_date, _("date of the return to activity"))
    _check_order(request_date, effective_date, _("member's request"), _("return to activity"))
    event = member_services.member_change_status(
        actor=actor,
        member=locked,
        status=previous,
        effective_date=effective_date,
        decision_ref=_clean(resolution_ref),
        reason=_clean(note) or _("Return from exemption on the member's request"),
        details={"action": EXEMPTION_RETURN, "request_date": _iso(request_date)},
    )
    _audit(actor, "member.exemption_ended", locked, event)
    return event


# -- suspension (R3.32 keeps the dues) -------------------------------------------------------


@transaction.atomic
def suspension_record(
    *,
    actor: Any,
    member: Member,
    decision_date: datetime.date,
    decision_ref: str,
    reason: str,
) -> MemberEvent:
    """Suspend the member's party activity (đình chỉ sinh hoạt đảng) by a decision."""
    locked = _lock(member, SUSPENSION)
    decision_date = _check_day(decision_date, _("date of the decision"))
    decision_ref, reason = _clean(decision_ref), _clean(reason)
    if not decision_ref:
        raise ServiceError(_("Enter the number of the decision."))
    if not reason:
        raise ServiceError(_("Give the reason."))
    event = member_services.member_change_status(
        actor=actor,
        member=locked,
        status=MemberStatus.SUSPENDED,
        effective_date=decision_date,
        decision_ref=decision_ref,
        reason=reason,
        details={"action": SUSPENSION},
    )
    _audit(actor, "member.suspended", locked, event)
    return event


@transaction.atomic
def suspension_lift(
    *,
    actor: Any,
    member: Member,
    decision_date: datetime.date,
    decision_ref: str,
    reason: str = "",
) -> MemberEvent:
    """Lift a suspension: back to the status held before, from the decision date."""
    locked = _lock(member, SUSPENSION_LIFT)
    previous = status_before(locked)
    decision_date = _check_day(decision_date, _("date of the decision"))
    decision_ref = _clean(decision_ref)
    if not decision_ref:
        raise ServiceError(_("Enter the number of the decision."))
    event = member_services.member_change_status(
        actor=actor,
        member=locked,
        status=previous,
        effective_date=decision_date,
        decision_ref=decision_ref,
        reason=_clean(reason) or _("Suspension lifted"),
        details={"action": SUSPENSION_LIFT},
    )
    _audit(actor, "member.suspension_lifted", locked, event)
    return event


# -- removal from the rolls (DOMAIN §3.4) ----------------------------------------------------


@transaction.atomic
def removal_record(
    *,
    actor: Any,
    member: Member,
    grounds: str,
    proposal_date: datetime.date,
    decision_date: datetime.date,
    decision_ref: str,
    deciding_body: str = "",
    note: str = "",
) -> MemberEvent:
    """Remove a member from the rolls (xóa tên): the cell proposes by resolution, the
    competent committee decides; "removed" from the decision date. Not a disciplinary
    sanction. A probationary member not qualified at the end of probation is removed from the
    probationary list on the probation page instead (lifecycle.services)."""
    locked = _lock(member, REMOVAL)
    if grounds not in RemovalGrounds.values:
        raise ServiceError(_("Choose the grounds for the removal."))
    proposal_date = _check_day(proposal_date, _("date of the cell's proposal"))
    decision_date = _check_day(decision_date, _("date of the committee's decision"))
    _check_order(proposal_date, decision_date, _("cell's proposal"), _("committee's decision"))
    decision_ref = _clean(decision_ref)
    if not decision_ref:
        raise ServiceError(_("Enter the number of the committee's decision."))
    event = member_services.member_change_status(
        actor=actor,
        member=locked,
        status=MemberStatus.REMOVED,
        effective_date=decision_date,
        decision_ref=decision_ref,
        reason=_clean(note) or str(RemovalGrounds(grounds).label),
        grounds=grounds,
        details={
            "action": REMOVAL,
            "proposal_date": _iso(proposal_date),
            "deciding_body": _clean(deciding_body),
        },
    )
    _audit(actor, "member.removed_from_rolls", locked, event, note=grounds)
    return event


# -- death -----------------------------------------------------------------------------------


@transaction.atomic
def death_record(
    *, actor: Any, member: Member, date_of_death: datetime.date, note: str = ""
) -> MemberEvent:
    """Record a member's death. Final: no later change is accepted (members.services)."""
    locked = _lock(member, DEATH)
    date_of_death = _check_day(date_of_death, _("date of death"))
    event = member_services.member_change_status(
        actor=actor,
        member=locked,
        status=MemberStatus.DECEASED,
        effective_date=date_of_death,
        reason=_clean(note),
        details={"action": DEATH},
    )
    _audit(actor, "member.deceased", locked, event)
    return event


# -- re-admission (R3.10, R3.11) -------------------------------------------------------------


def _rule(key: str, *, organization: Any, on: datetime.date) -> Resolved:
    """The rule for `on` under core.rules' one fallback policy (lifecycle.rules.rule_for)."""
    return rule_for(key, organization=organization, on=on)


def readmission_earliest(
    member: Member, *, on: datetime.date | None = None
) -> tuple[datetime.date, datetime.date, Resolved]:
    """(the day the member left, the earliest day of a re-admission decision, the rule):
    n months after the latest removal (R3.11; rule `readmission.min_months_after_leaving`), by
    the rule for `on` (the decision date; today when none is given yet)."""
    left = (
        member.events.filter(status=MemberStatus.REMOVED)
        .order_by("-effective_date", "-id")
        .values_list("effective_date", flat=True)
        .first()
    )
    if left is None:
        raise ServiceError(_("The member's removal from the rolls is not recorded."))
    rule = _rule(READMISSION_KEY, organization=member.cell, on=on or timezone.localdate())
    return left, add_months(left, rule.value), rule


@transaction.atomic
def readmission_record(
    *,
    actor: Any,
    member: Member,
    decision_date: datetime.date,
    decision_ref: str,
    ceremony_date: datetime.date | None = None,
    note: str = "",
) -> MemberEvent:
    """Re-admit a member removed from the rolls by a new admission decision: probationary
    from the decision date. Refused earlier than n months after leaving (R3.11). The first
    admission decision date stays on the record: party age runs from it, minus the gap off the
    rolls (R3.10; members.badges.gaps_from_events). The new ceremony date starts the new
    probation; the earlier ceremony and recognition dates stay in the event's details."""
    locked = _lock(member, READMISSION)
    decision_date = _check_day(decision_date, _("date of the admission decision"))
    decision_ref = _clean(decision_ref)
    if not decision_ref:
        raise ServiceError(_("Enter the number of the admission decision."))
    if ceremony_date is not None:
        ceremony_date = _check_day(ceremony_date, _("admission ceremony date"))
        if ceremony_date < decision_date:
            raise ServiceError(_("The admission ceremony cannot be before the admission decision."))
    left, earliest, rule = readmission_earliest(locked, on=decision_date)
    if decision_date < earliest:
        raise ServiceError(
            _(
                "Re-admission can be decided from %(earliest)s only: the member left the Party "
                "on %(left)s. %(rule)s"
            )
            % {"earliest": _d(earliest), "left": _d(left), "rule": rule.explain()}
        )
    event = member_services.member_change_status(
        actor=actor,
        member=locked,
        status=MemberStatus.PROBATIONARY,
        effective_date=decision_date,
        decision_ref=decision_ref,
        reason=_clean(note) or _("Re-admitted"),
        details={
            "action": READMISSION,
            "left_on": _iso(left),
            "ceremony_date": _iso(ceremony_date),
            "previous_ceremony_date": _iso(locked.ceremony_date),
            "previous_official_date": _iso(locked.official_date),
        },
    )
    locked.refresh_from_db()
    before = (_iso(locked.ceremony_date), _iso(locked.official_date))
    if locked.admission_decision_date is None:
        locked.admission_decision_date = decision_date
    locked.ceremony_date = ceremony_date
    locked.official_date = None
    locked.save(update_fields=["admission_decision_date", "ceremony_date", "official_date"])
    audit.record(
        actor=actor,
        code="member.readmitted",
        target=locked,
        organization=locked.cell,
        changes={
            "status": [MemberStatus.REMOVED, MemberStatus.PROBATIONARY],
            "ceremony_date": [before[0], _iso(ceremony_date)],
            "official_date": [before[1], None],
            "event": [None, event.pk],
        },
        note=rule.explain(),
    )
    return event


# -- exemption and the annual rating (R3.17) -------------------------------------------------


@dataclass(frozen=True)
class Period:
    status: str
    start: datetime.date
    end: datetime.date | None  # the day the next status starts; None: still held


def periods_from_events(events: Iterable[tuple[str, datetime.date]]) -> list[Period]:
    """The statuses a member held, from (status, effective date) pairs in date order."""
    rows = list(events)
    periods = []
    for index, (status, day) in enumerate(rows):
        end = rows[index + 1][1] if index + 1 < len(rows) else None
        if end is not None and end <= day:
            continue  # replaced on the same day
        periods.append(Period(status, day, end))
    return periods


def periods_by_member(member_ids: Iterable[int]) -> dict[int, list[Period]]:
    """Every member's status periods, in one query over their events."""
    history: dict[int, list[tuple[str, datetime.date]]] = {}
    for member_id, status, day in (
        MemberEvent.objects.filter(member_id__in=list(member_ids))
        .order_by("member_id", "effective_date", "id")
        .values_list("member_id", "status", "effective_date")
    ):
        history.setdefault(member_id, []).append((status, day))
    return {member_id: periods_from_events(rows) for member_id, rows in history.items()}


def _days_in(period: Period, first: datetime.date, after_last: datetime.date) -> int:
    start = max(period.start, first)
    end = min(period.end or after_last, after_last)
    return max((end - start).days, 0)


def rating_exclusion_rule(organization: Any, year: int) -> Resolved:
    """The rule that leaves exempted members out of `year`'s rating, for the cell
    `organization` on 31 December (R3.17), with its explanation."""
    return _rule(RATING_EXCLUSION_KEY, organization=organization, on=datetime.date(year, 12, 31))


def exempted_during(member_ids: Iterable[int], year: int) -> set[int]:
    """The members left out of `year`'s annual rating because they were exempted from
    activity (R3.17): exempted on 31 December of the year, or for at least n months of it
    (rule `exemption.rating_excluded_min_months`, read for each member's cell on 31 December;
    a month is counted as 30 days of exemption, summed over the year)."""
    ids = list(member_ids)
    if not ids:
        return set()
    first = datetime.date(year, 1, 1)
    last = datetime.date(year, 12, 31)
    after_last = datetime.date(year + 1, 1, 1)
    cells = {
        member.pk: member.cell
        for member in Member.objects.filter(pk__in=ids).select_related("cell")
    }
    rules: dict[int, int] = {}
    result = set()
    for member_id, periods in periods_by_member(ids).items():
        exempted = [period for period in periods if period.status == MemberStatus.EXEMPTED]
        if not exempted:
            continue
        if any(p.start <= last and (p.end is None or p.end > last) for p in exempted):
            result.add(member_id)
            continue
        cell = cells[member_id]
        if cell.pk not in rules:
            rules[cell.pk] = rating_exclusion_rule(cell, year).value
        days = sum(_days_in(period, first, after_last) for period in exempted)
        if days >= rules[cell.pk] * 30:
            result.add(member_id)
    return result
