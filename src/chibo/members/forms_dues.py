from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import AmountField, BoundedDateField, whole_number
from chibo.members import dues
from chibo.members.models import DuesBasis, DuesChannel, Member
from chibo.members.services_dues import SheetEntry


class DuesYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


class DuesMonthForm(forms.Form):
    """Which month the collection sheet shows (GET ?month=yyyy-mm)."""

    month = BoundedDateField(label=_("Month"), input_formats=["%Y-%m"], required=False)

    def chosen(self, today: datetime.date) -> datetime.date:
        """The month asked for, else the current one; never a future month, never before 2000."""
        current = dues.first_of_month(today)
        month = self.cleaned_data.get("month") if self.is_valid() else None
        if not month or month > current or month.year < 2000:
            return current
        return dues.first_of_month(month)


class _MemberChoiceForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)

    def __init__(self, *args, members: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(member.pk, member.label) for member in members]


class DuesBasisForm(_MemberChoiceForm):
    basis = forms.ChoiceField(label=_("Dues computed from"), choices=DuesBasis.choices)
    basis_amount = AmountField(
        label=_("Amount (VND)"),
        required=False,
        help_text=_(
            "Last month's insurable salary, the monthly pension, or the fixed monthly amount. "
            "Leave empty for students."
        ),
    )


def paid_in_full(row: dues.SheetRow, month: datetime.date) -> str:
    return gettext(
        "%(name)s: the dues of %(month)s are already paid in full (%(paid)s đ); "
        "nothing more is recorded."
    ) % {"name": row.member.full_name, "month": month.strftime("%m/%Y"), "paid": intcomma(row.paid)}


class DuesSheetForm(forms.Form):
    """The month's collection sheet: for every member still owing the month, a "paid" tick,
    the amount (pre-filled with what is still due) and a "partial payment" tick; one payment
    date and channel for the sheet. Rows paid in full have no fields: they cannot be paid
    again."""

    paid_on = BoundedDateField(label=_("Payment date"))
    channel = forms.ChoiceField(label=_("Payment channel"), choices=DuesChannel.choices)

    def __init__(self, *args: Any, sheet: dues.CollectionSheet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for row in sheet.payable_rows:
            pk = row.member.pk
            self.fields[f"take_{pk}"] = forms.BooleanField(label=_("Paid"), required=False)
            self.fields[f"amount_{pk}"] = AmountField(
                label=_("Amount paid (VND)"), required=False, initial=row.remaining
            )
            self.fields[f"partial_{pk}"] = forms.BooleanField(
                label=_("Partial payment"), required=False
            )

    def row_fields(self, row: dues.SheetRow) -> tuple[Any, Any, Any] | None:
        """The bound (paid, amount, partial) fields of a row, None for a row paid in full."""
        if not row.payable:
            return None
        pk = row.member.pk
        return self[f"take_{pk}"], self[f"amount_{pk}"], self[f"partial_{pk}"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in self.sheet.rows:
            # A row paid in full since the page was loaded (another phone, another tab).
            if row.state == dues.SHEET_PAID and self.data.get(f"take_{row.member.pk}"):
                self.add_error(None, paid_in_full(row, self.sheet.month))
        for row in self.sheet.payable_rows:
            pk = row.member.pk
            if not cleaned.get(f"take_{pk}") or f"amount_{pk}" in self.errors:
                continue
            amount = cleaned.get(f"amount_{pk}")
            if not amount:
                self.add_error(f"amount_{pk}", _("Enter the amount paid (more than zero)."))
            elif amount < row.remaining and not cleaned.get(f"partial_{pk}"):
                self.add_error(
                    f"amount_{pk}",
                    _(
                        "Less than the %(remaining)s đ still due: tick “Partial payment” or "
                        "correct the amount."
                    )
                    % {"remaining": intcomma(row.remaining)},
                )
        if not self.errors and not self.entries():
            raise forms.ValidationError(_("Tick at least one member who paid."))
        return cleaned

    def entries(self) -> list[SheetEntry]:
        cleaned = self.cleaned_data
        return [
            SheetEntry(
                member=row.member,
                amount=cleaned[f"amount_{row.member.pk}"],
                partial=bool(cleaned.get(f"partial_{row.member.pk}")),
            )
            for row in self.sheet.payable_rows
            if cleaned.get(f"take_{row.member.pk}")
        ]

    def error_summary(self) -> list[str]:
        """Every error, a row's naming the member and the field: "Trần Thị Bình — Số tiền
        đã nộp (đồng): …"."""
        names = {row.member.pk: row.member.full_name for row in self.sheet.rows}
        lines = [str(error) for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            field = self.fields[name]
            _kind, _sep, pk = name.partition("_")
            member_pk = whole_number(pk)
            who = names.get(member_pk) if member_pk is not None else None
            label = f"{who} — {field.label}" if who else str(field.label)
            lines.extend(
                gettext("%(field)s: %(error)s") % {"field": label, "error": error}
                for error in errors
            )
        return lines
