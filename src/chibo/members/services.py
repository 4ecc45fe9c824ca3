"""Every change to the member register. One transaction, one audit entry each."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.text import InvalidName, fold, name_sort_key, normalize_name
from chibo.members import badges, dues, standing
from chibo.members.models import (
    BadgeAward,
    DuesAssessment,
    DuesBasis,
    DuesChannel,
    DuesPayment,
    Member,
    MemberEvent,
    MembershipClass,
    MemberStatus,
)
from chibo.members.selectors import gaps_by_member
from chibo.orgs.models import Organization

# The states of an open transfer (lifecycle's Transfer, reached through the reverse relation
# `Member.transfers`): issued and not yet received, or a temporary attachment in progress. The
# register refuses other moves meanwhile; it reads the transfer through the relation because
# the life-cycle app sits above it (tests keep these equal to lifecycle.models' states).
TRANSFER_ISSUED = "issued"
TRANSFER_ATTACHED = "attached"
OPEN_TRANSFER_STATES = (TRANSFER_ISSUED, TRANSFER_ATTACHED)

# Fields a register keeper edits directly. Status and cell change only through events.
IDENTITY_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "ethnicity",
    "religion",
    "home_town",
    "residence_address",
    "general_education",
    "professional_qualification",
    "political_theory",
    "occupation",
    "party_card_number",
    "admission_decision_date",
    "ceremony_date",
    "official_date",
    "phone",
    "email",
    "notes",
)


# Translated only when a message needs one (the import checks up to 100,000 rows).
_MEMBER_DATE_LABELS = (
    gettext_lazy("admission decision date"),
    gettext_lazy("admission ceremony date"),
    gettext_lazy("official recognition date"),
)


def check_member_dates(values: dict[str, Any], *, today: datetime.date | None = None) -> None:
    """Refuse dates that cannot be true together, with one clear sentence each."""
    today = today or timezone.localdate()
    birth = values.get("birth_date")
    decision = values.get("admission_decision_date")
    ceremony = values.get("ceremony_date")
    official = values.get("official_date")
    if birth and birth > today:
        raise ServiceError(_("The date of birth cannot be in the future."))
    for label, day in zip(_MEMBER_DATE_LABELS, (decision, ceremony, official), strict=True):
        if day and day > today:
            raise ServiceError(_("The %(field)s cannot be in the future.") % {"field": str(label)})
        if day and birth and day <= birth:
            raise ServiceError(
                _("The %(field)s must be after the date of birth.") % {"field": str(label)}
            )
    if decision and ceremony and ceremony < decision:
        raise ServiceError(_("The admission ceremony cannot be before the admission decision."))
    if ceremony and official and official < ceremony:
        raise ServiceError(_("Official recognition cannot be before the admission ceremony."))
    if official and not ceremony:
        raise ServiceError(_("An official member needs an admission ceremony date."))


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    if "full_name" in cleaned:
        try:
            cleaned["full_name"] = normalize_name(str(cleaned["full_name"]))
        except InvalidName as error:
            raise ServiceError(str(error)) from None
    if "party_card_number" in cleaned:
        card = (cleaned["party_card_number"] or "").strip()
        cleaned["party_card_number"] = card or None
    return cleaned


def _apply_name(member: Member) -> None:
    member.name_sort_key = name_sort_key(member.full_name)
    member.name_search = fold(member.full_name)


def initial_status(values: dict[str, Any]) -> str:
    """Official once recognised, probationary before (Charter Art. 5)."""
    return MemberStatus.OFFICIAL if values.get("official_date") else MemberStatus.PROBATIONARY


def initial_membership_class(status: str, values: dict[str, Any]) -> str:
    """The class of a member registered with `status`: the status when it is a class; else
    official when recognised (an official recognition date) or when no admission ceremony is
    recorded either (older members whose dates were never entered), probationary otherwise."""
    official = bool(values.get("official_date")) or not values.get("ceremony_date")
    return standing.class_of_status(status, official=official)


@transaction.atomic
def member_create(
    *,
    actor: Any,
    cell: Organization,
    status: str | None = None,
    status_date: datetime.date | None = None,
    membership_class: str | None = None,
    **values: Any,
) -> Member:
    """Register a member in `cell`. The first status event is written with the record.
    `membership_class` is needed only when `status` is not a class (an exempted member, say)
    and the dates do not tell it (initial_membership_class)."""
    if not cell.is_cell:
        raise ServiceError(_("Members are registered in a party cell."))
    values = _normalise(values)
    unknown = set(values) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"not member fields: {sorted(unknown)}")
    if not values.get("full_name"):
        raise ServiceError(_("The full name is required."))
    check_member_dates(values)
    card = values.get("party_card_number")
    if card and Member.objects.filter(party_card_number=card).exists():
        raise ServiceError(
            _("Another member already has party card number %(card)s.") % {"card": card}
        )
    status = status or initial_status(values)
    if status in MembershipClass.values:
        membership_class = status
    elif membership_class not in MembershipClass.values:
        membership_class = initial_membership_class(status, values)
    member = Member(cell=cell, status=status, membership_class=membership_class, **values)
    _apply_name(member)
    member.save()
    MemberEvent.objects.create(
        member=member,
        status=status,
        cell=cell,
        effective_date=status_date
        or values.get("official_date")
        or values.get("ceremony_date")
        or timezone.localdate(),
        reason=_("Registered in chibo"),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="member.created",
        target=member,
        organization=cell,
        changes={
            "cell": [None, cell.pk],
            "status": [None, status],
            "membership_class": [None, membership_class],
        },
    )
    return member


@transaction.atomic
def member_update(
    *, actor: Any, member: Member, version: int | None = None, **values: Any
) -> Member:
    """Change a member's identity fields. `version` is the version the user saw: if someone
    else saved the record in between, nothing is changed and the user is told."""
    values = _normalise(values)
    unknown = set(values) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"not member fields: {sorted(unknown)}")
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if version is not None and locked.version != version:
        raise ServiceError(
            _("Someone else changed this record while you were editing it. Reload and try again.")
        )
    before = audit.snapshot(locked, IDENTITY_FIELDS)
    merged = {**before, **{k: getattr(locked, k) for k in IDENTITY_FIELDS}, **values}
    check_member_dates(merged)
    card = values.get("party_card_number")
    if card and Member.objects.filter(party_card_number=card).exclude(pk=locked.pk).exists():
        raise ServiceError(
            _("Another member already has party card number %(card)s.") % {"card": card}
        )
    for name, value in values.items():
        setattr(locked, name, value)
    changes = audit.changes_between(before, audit.snapshot(locked, IDENTITY_FIELDS))
    if not changes:
        return locked
    update_fields = [*changes, "version", "updated_at"]
    if "full_name" in changes:
        _apply_name(locked)
        update_fields += ["name_sort_key", "name_search"]
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=update_fields)
    audit.record(
        actor=actor, code="member.updated", target=locked, organization=locked.cell, changes=changes
    )
    return locked


def refuse_move_in_flight(member: Member, *, status: str, cell: Organization) -> None:
    """Called by member_change_status for every change made outside lifecycle.transfers: a
    member with an open transfer is not moved, transferred out or attached by another path;
    while temporarily attached elsewhere, their status changes only by ending the attachment
    (death excepted)."""
    state = (
        member.transfers.filter(state__in=OPEN_TRANSFER_STATES)
        .values_list("state", flat=True)
        .first()
    )
    if state is None:
        return
    moves = cell.pk != member.cell_id or status in (
        MemberStatus.TRANSFERRED_OUT,
        MemberStatus.TEMPORARILY_ATTACHED,
    )
    if state == TRANSFER_ISSUED and moves:
        raise ServiceError(
            _(
                "This member has a transfer in flight: the receiving cell confirms it or the "
                "sending cell withdraws it first."
            )
        )
    if state == TRANSFER_ATTACHED and status != MemberStatus.DECEASED:
        raise ServiceError(
            _(
                "This member is temporarily attached to another cell: end the temporary "
                "transfer first."
            )
        )


@transaction.atomic
def member_change_status(
    *,
    actor: Any,
    member: Member,
    status: str,
    effective_date: datetime.date,
    reason: str = "",
    decision_ref: str = "",
    cell: Organization | None = None,
    grounds: str = "",
    details: dict[str, Any] | None = None,
    via_transfer: bool = False,
) -> MemberEvent:
    """Record a dated status change (and, for a transfer, the new cell). The earlier events
    stay; the member's current status is the latest event's. `grounds` and `details` keep the
    structured grounds and the dated steps behind the change (lifecycle.status).

    The membership class follows a change to official or probationary (recognition,
    readmission); any other status (exemption, suspension, attachment, transfer, removal,
    death) leaves it as it was: an exempted probationary member stays probationary (R2.4)."""
    if status not in MemberStatus.values:
        raise ServiceError(_("Unknown status."))
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if effective_date > timezone.localdate():
        raise ServiceError(_("A status change cannot take effect in the future."))
    if locked.birth_date and effective_date < locked.birth_date:
        raise ServiceError(_("A status change cannot take effect before the date of birth."))
    latest = locked.events.order_by("-effective_date", "-id").first()
    if latest and effective_date < latest.effective_date:
        raise ServiceError(
            _("The new status must take effect on or after the latest one (%(date)s).")
            % {"date": latest.effective_date.strftime("%d/%m/%Y")}
        )
    if locked.status == MemberStatus.DECEASED:
        raise ServiceError(_("This member is recorded as deceased; no further change is possible."))
    new_cell = cell or locked.cell
    if not new_cell.is_cell:
        raise ServiceError(_("Members are registered in a party cell."))
    if not via_transfer:
        # A member with an open transfer moves only through lifecycle.transfers.
        refuse_move_in_flight(locked, status=status, cell=new_cell)
    if status == MemberStatus.OFFICIAL and not locked.official_date:
        locked.official_date = effective_date
    if (
        status == MemberStatus.OFFICIAL
        and locked.ceremony_date
        and effective_date < locked.ceremony_date
    ):
        raise ServiceError(_("Official recognition cannot be before the admission ceremony."))
    event = MemberEvent.objects.create(
        member=locked,
        status=status,
        effective_date=effective_date,
        cell=new_cell,
        reason=reason,
        decision_ref=decision_ref,
        grounds=grounds,
        details=details or {},
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    changes: dict[str, list[Any]] = {"status": [locked.status, status]}
    if status in MembershipClass.values and status != locked.membership_class:
        changes["membership_class"] = [locked.membership_class, status]
        locked.membership_class = status
    if grounds:
        changes["grounds"] = [None, grounds]
    if new_cell.pk != locked.cell_id:
        changes["cell"] = [locked.cell_id, new_cell.pk]
    locked.status = status
    locked.cell = new_cell
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(
        update_fields=[
            "status",
            "membership_class",
            "cell",
            "official_date",
            "version",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        code="member.status_changed",
        target=locked,
        organization=new_cell,
        changes=changes,
        note=reason,
    )
    return event


@transaction.atomic
def member_link_user(*, actor: Any, member: Member, user: Any) -> Member:
    """Give a member a login (or move the login to another record)."""
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise ServiceError(_("This login already belongs to another member."))
    before = member.user_id
    member.user = user
    member.save(update_fields=["user"])
    audit.record(
        actor=actor,
        code="member.login_linked",
        target=member,
        organization=member.cell,
        changes={"user": [before, user.pk]},
    )
    return member


@transaction.atomic
def badge_award_record(
    *,
    actor: Any,
    member: Member,
    milestone_years: int,
    awarded_on: datetime.date,
    occasion: str = "",
    decision_ref: str = "",
    early_for_illness: bool = False,
    note: str = "",
) -> BadgeAward:
    """Record the Party badge a member received (HD 01-HD/TW 2021 §18; DOMAIN R3.24–R3.26).
    Refused: a milestone the rules do not know, a date in the future, a second badge for the
    same milestone, and a milestone not yet reached on the award date, unless the badge is given
    early for serious illness within the months the rules allow (R3.25: 12 months for 30–65
    years, 24 for 70–90)."""
    today = timezone.localdate()
    locked = Member.objects.select_for_update().select_related("cell").get(pk=member.pk)
    rules = badges.badge_rules(locked.cell, on=today)
    if milestone_years not in rules.milestones:
        raise ServiceError(
            _("There is no Party badge for %(years)s years of party age.")
            % {"years": milestone_years}
        )
    if awarded_on > today:
        raise ServiceError(_("The award date cannot be in the future."))
    existing = locked.badge_awards.filter(milestone_years=milestone_years).first()
    if existing is not None:
        raise ServiceError(
            _("This member already received the %(years)s-year Party badge on %(date)s.")
            % {"years": milestone_years, "date": existing.awarded_on.strftime("%d/%m/%Y")}
        )
    if locked.admission_decision_date is None:
        raise ServiceError(
            _("The member's admission decision date is not recorded: party age is unknown.")
        )
    gaps = gaps_by_member(Member.objects.filter(pk=locked.pk)).get(locked.pk, [])
    reached_on = badges.milestone_date(locked.admission_decision_date, milestone_years, gaps)
    if reached_on is None:
        raise ServiceError(
            _("The member is off the rolls: party age stopped before %(years)s years.")
            % {"years": milestone_years}
        )
    if awarded_on < reached_on:
        if not early_for_illness:
            raise ServiceError(
                _(
                    "The member reaches %(years)s years of party age on %(date)s; the badge "
                    "cannot be awarded before then, except early for serious illness."
                )
                % {"years": milestone_years, "date": reached_on.strftime("%d/%m/%Y")}
            )
        early_months = rules.early_months(milestone_years)
        earliest = badges.add_months(reached_on, -early_months)
        if awarded_on < earliest:
            raise ServiceError(
                _(
                    "For serious illness the %(years)s-year badge may be awarded at most "
                    "%(months)s months before the member reaches it (%(reached)s), that is "
                    "from %(earliest)s."
                )
                % {
                    "years": milestone_years,
                    "months": early_months,
                    "reached": reached_on.strftime("%d/%m/%Y"),
                    "earliest": earliest.strftime("%d/%m/%Y"),
                }
            )
    award = BadgeAward.objects.create(
        member=locked,
        milestone_years=milestone_years,
        awarded_on=awarded_on,
        occasion=occasion.strip(),
        decision_ref=decision_ref.strip(),
        early_for_illness=early_for_illness,
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="badge.awarded",
        target=award,
        organization=locked.cell,
        changes={
            "member": [None, locked.pk],
            "milestone_years": [None, milestone_years],
            "awarded_on": [None, awarded_on.isoformat()],
            "early_for_illness": [None, early_for_illness],
        },
        note=decision_ref.strip(),
    )
    return award


# -- party dues (Quy định 01-QĐ/TW; DOMAIN §3.8) ---------------------------------------------


@transaction.atomic
def dues_basis_set(
    *, actor: Any, member: Member, basis: str, basis_amount: int = 0
) -> DuesAssessment:
    """Set what the member's monthly dues are computed from (R3.30: the member reports the
    income to the cell). Students pay the rule's fixed amount: their basis amount is 0."""
    if basis not in DuesBasis.values:
        raise ServiceError(_("Choose what the dues are computed from."))
    if basis_amount is None or basis_amount < 0:
        raise ServiceError(_("The basis amount cannot be negative."))
    if basis == DuesBasis.STUDENT:
        basis_amount = 0
    elif basis_amount == 0:
        raise ServiceError(_("Enter the amount the dues are computed from."))
    locked = Member.objects.select_for_update().get(pk=member.pk)
    current = DuesAssessment.objects.filter(member=locked).first()
    before = (current.basis, current.basis_amount) if current else (None, None)
    if current is None:
        current = DuesAssessment(member=locked)
    current.basis = basis
    current.basis_amount = basis_amount
    current.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    current.updated_at = timezone.now()
    current.save()
    audit.record(
        actor=actor,
        code="dues.basis_set",
        target=current,
        organization=locked.cell,
        changes={
            "member": [locked.pk, locked.pk],
            "basis": [before[0], basis],
            "basis_amount": [before[1], basis_amount],
        },
    )
    return current


@transaction.atomic
def dues_payment_record(
    *,
    actor: Any,
    member: Member,
    month: datetime.date,
    amount_paid: int,
    paid_on: datetime.date,
    channel: str,
    note: str = "",
    today: datetime.date | None = None,
) -> DuesPayment:
    """Record one month of dues paid by the member, in cash to the cell or on the National
    Public Service Portal (R3.28). The amount due is computed from the member's basis with the
    rules in force for that month; paying more is allowed (R3.29: voluntary higher payment)."""
    today = today or timezone.localdate()
    month = dues.first_of_month(month)
    if month > dues.first_of_month(today):
        raise ServiceError(_("Dues cannot be recorded for a future month."))
    if paid_on > today:
        raise ServiceError(_("The payment date cannot be in the future."))
    if amount_paid is None or amount_paid < 0:
        raise ServiceError(_("The amount paid cannot be negative."))
    if amount_paid == 0:
        raise ServiceError(_("The amount paid must be more than zero."))
    if channel not in DuesChannel.values:
        raise ServiceError(_("Choose how the dues were paid."))
    locked = Member.objects.select_for_update().select_related("cell").get(pk=member.pk)
    if DuesPayment.objects.filter(member=locked, month=month).exists():
        raise ServiceError(
            _("The dues of %(month)s are already recorded for this member.")
            % {"month": month.strftime("%m/%Y")}
        )
    assessment = DuesAssessment.objects.filter(member=locked).first()
    if assessment is None:
        raise ServiceError(_("Set what this member's dues are computed from first."))
    rates = dues.rates_for_month(locked.cell, month)
    amount_due = rates.amount_due(assessment.basis, assessment.basis_amount)
    payment = DuesPayment.objects.create(
        member=locked,
        month=month,
        amount_due=amount_due,
        amount_paid=amount_paid,
        paid_on=paid_on,
        channel=channel,
        basis=assessment.basis,
        basis_amount=assessment.basis_amount,
        note=note.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="dues.payment_recorded",
        target=payment,
        organization=locked.cell,
        changes={
            "member": [None, locked.pk],
            "month": [None, month.isoformat()],
            "amount_due": [None, amount_due],
            "amount_paid": [None, amount_paid],
            "channel": [None, channel],
        },
    )
    return payment
