"""Forms of the transfer pages (DOMAIN R3.13)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.forms import DATE_WIDGET, BoundedDateField
from chibo.lifecycle.access import receiving_cell
from chibo.lifecycle.models import TransferKind, TransferReason
from chibo.orgs.models import Organization


class TransferIssueForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of transfer"), choices=TransferKind.choices)
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=TransferReason.choices)
    reason_note = forms.CharField(
        label=gettext_lazy("Details of the reason"), max_length=300, required=False
    )
    to_cell_code = forms.CharField(
        label=gettext_lazy("Receiving cell (code)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"list": "cell-options", "autocomplete": "off"}),
        help_text=gettext_lazy("Search by name or code in the box above, or type the code."),
    )
    destination = forms.CharField(
        label=gettext_lazy("Or: organisation outside chibo"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Only when the receiving organisation is not in chibo: the member then leaves the "
            "rolls on the slip date."
        ),
    )
    decision_date = BoundedDateField(
        label=gettext_lazy("Date of the decision (job move, retirement, …)"),
        widget=DATE_WIDGET,
        required=False,
    )
    slip_number = forms.CharField(label=gettext_lazy("Transfer slip number"), max_length=50)
    slip_date = BoundedDateField(label=gettext_lazy("Transfer slip date"), widget=DATE_WIDGET)
    slip_issuer = forms.CharField(label=gettext_lazy("Issuing committee"), max_length=200)

    def clean_to_cell_code(self) -> Organization | None:
        code = self.cleaned_data["to_cell_code"].strip()
        if not code:
            return None
        cell = receiving_cell(code)
        if cell is None:
            raise forms.ValidationError(_("No party cell has the code %(code)s.") % {"code": code})
        return cell


class ConfirmForm(forms.Form):
    received_on = BoundedDateField(label=gettext_lazy("Date received"), widget=DATE_WIDGET)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )


class EndForm(forms.Form):
    ended_on = BoundedDateField(label=gettext_lazy("Date of return"), widget=DATE_WIDGET)
