"""Recording a month of party dues for a whole cell at once: the collection sheet the
secretary fills at the monthly meeting (09-HD: dues are collected at the start of the meeting;
Quy định 01-QĐ/TW, R3.28–R3.29). One transaction: one row refused, nothing recorded."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.members import dues
from chibo.members.models import DuesAssessment, DuesChannel, DuesPayment, Member


@dataclass(frozen=True)
class SheetEntry:
    """What the secretary collected from one member for the month. `partial` says the amount
    is knowingly less than what is due (the rest stays owed)."""

    member: Member
    amount: int
    partial: bool = False


def _money(amount: int) -> str:
    return f"{intcomma(amount)} đ"


def _collect(
    *,
    entry: SheetEntry,
    member: Member,
    month: datetime.date,
    payment: DuesPayment | None,
    assessment: DuesAssessment | None,
    rates: dues.MonthRates,
) -> tuple[int, int, str | None]:
    """(amount due, amount paid after this entry, the refusal naming the member or None)."""
    name = member.full_name
    if payment is not None:
        amount_due, before = payment.amount_due, payment.amount_paid
        if before >= amount_due:
            return (
                amount_due,
                before,
                _(
                    "%(name)s: the dues of %(month)s are already paid in full (%(paid)s đ); "
                    "nothing more is recorded."
                )
                % {"name": name, "month": month.strftime("%m/%Y"), "paid": intcomma(before)},
            )
    elif assessment is None:
        return (
            0,
            0,
            _("%(name)s: set what this member's dues are computed from first.") % {"name": name},
        )
    else:
        amount_due = rates.amount_due(assessment.basis, assessment.basis_amount)
        before = 0
    if entry.amount <= 0:
        return (
            amount_due,
            before,
            _("%(name)s: the amount paid must be more than zero.") % {"name": name},
        )
    remaining = amount_due - before
    if entry.amount < remaining and not entry.partial:
        return (
            amount_due,
            before,
            _(
                "%(name)s: %(amount)s is less than the %(remaining)s still due. Tick “Partial "
                "payment” to record it as a partial payment, or correct the amount."
            )
            % {"name": name, "amount": _money(entry.amount), "remaining": _money(remaining)},
        )
    return amount_due, before + entry.amount, None


@transaction.atomic
def dues_sheet_record(
    *,
    actor: Any,
    organization: Any,
    month: datetime.date,
    entries: list[SheetEntry],
    paid_on: datetime.date,
    channel: str,
    today: datetime.date | None = None,
) -> list[DuesPayment]:
    """Record the month's dues collected from several members of the cell in one go.

    Each entry creates the member's payment for the month, or completes a partial one (a
    member-month has one payment row; what was paid adds up). An amount below what is still
    due is refused unless the entry says `partial`; paying more is allowed (R3.29: voluntary
    higher payment). A member already paid in full is refused by name. Any refusal refuses
    the whole sheet: every reason is returned, nothing is recorded. One audit entry."""
    today = today or timezone.localdate()
    month = dues.first_of_month(month)
    if month > dues.first_of_month(today):
        raise ServiceError(_("Dues cannot be recorded for a future month."))
    if paid_on > today:
        raise ServiceError(_("The payment date cannot be in the future."))
    if channel not in DuesChannel.values:
        raise ServiceError(_("Choose how the dues were paid."))
    if not entries:
        raise ServiceError(_("Tick at least one member who paid."))
    pks = [entry.member.pk for entry in entries]
    members = {
        member.pk: member
        for member in Member.objects.select_for_update().filter(pk__in=pks, cell=organization)
    }
    if len(members) != len(set(pks)):
        raise ServiceError(_("Only members of this cell can be on its collection sheet."))
    payments = {
        payment.member_id: payment
        for payment in DuesPayment.objects.select_for_update().filter(member__in=pks, month=month)
    }
    assessments = {row.member_id: row for row in DuesAssessment.objects.filter(member__in=pks)}
    rates = dues.rates_for_month(organization, month)
    refusals: list[str] = []
    to_create: list[DuesPayment] = []
    to_update: list[DuesPayment] = []
    rows: list[list[Any]] = []
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    for entry in entries:
        member = members[entry.member.pk]
        payment = payments.get(member.pk)
        assessment = assessments.get(member.pk)
        amount_due, total, refusal = _collect(
            entry=entry,
            member=member,
            month=month,
            payment=payment,
            assessment=assessment,
            rates=rates,
        )
        if refusal:
            refusals.append(refusal)
            continue
        rows.append([member.pk, amount_due, total, total < amount_due])
        if payment is not None:
            payment.amount_paid, payment.paid_on, payment.channel = total, paid_on, channel
            to_update.append(payment)
            continue
        assert assessment is not None  # _collect refused a member without a basis
        to_create.append(
            DuesPayment(
                member=member,
                month=month,
                amount_due=amount_due,
                amount_paid=total,
                paid_on=paid_on,
                channel=channel,
                basis=assessment.basis,
                basis_amount=assessment.basis_amount,
                recorded_by=recorder,
            )
        )
    if refusals:
        raise ServiceError(refusals)
    DuesPayment.objects.bulk_create(to_create)
    DuesPayment.objects.bulk_update(to_update, ["amount_paid", "paid_on", "channel"])
    audit.record(
        actor=actor,
        code="dues.sheet_recorded",
        target=organization,
        organization=organization,
        changes={
            "month": [None, month.isoformat()],
            "channel": [None, channel],
            # member, amount due, amount paid for the month after this sheet, partial
            "payments": [None, rows],
        },
    )
    return to_create + to_update
