"""Forms of the member status changes (lifecycle.status). They parse; the services check the
dates and grounds and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BoundedDateField
from chibo.lifecycle.forms import DATE_WIDGET
from chibo.lifecycle.status import ExemptionGrounds, RemovalGrounds, RequestChannel

NOTE_WIDGET = forms.Textarea(attrs={"rows": 2})


def _date(label, *, required: bool = True) -> forms.DateField:
    return BoundedDateField(label=label, widget=DATE_WIDGET, required=required)


def _text(label, *, required: bool = True, max_length: int = 100) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length)


def _note(label=None, *, required: bool = False) -> forms.CharField:
    label = label or _("Note")
    return forms.CharField(label=label, required=required, max_length=1000, widget=NOTE_WIDGET)


class ExemptionForm(forms.Form):
    request_date = _date(_("Date of the member's request"))
    request_channel = forms.ChoiceField(
        label=_("The member asked"), choices=RequestChannel.choices, widget=forms.RadioSelect
    )
    grounds = forms.ChoiceField(label=_("Grounds"), choices=ExemptionGrounds.choices)
    weak_health = forms.BooleanField(
        label=_(
            "Weak health: an illness needing treatment for 3 months or more, or a medical record"
        ),
        required=False,
        help_text=_("Required for an elderly member: age alone does not qualify."),
    )
    resolution_date = _date(_("Date of the cell's resolution"))
    resolution_ref = _text(_("Number of the cell's resolution"))
    note = _note()


class ExemptionReturnForm(forms.Form):
    request_date = _date(_("Date of the member's request"))
    effective_date = _date(_("Effective date"))
    resolution_ref = _text(_("Number of the cell's resolution"), required=False)
    note = _note()


class SuspensionForm(forms.Form):
    decision_date = _date(_("Date of the decision"))
    decision_ref = _text(_("Decision number"))
    reason = _note(_("Reason"), required=True)


class SuspensionLiftForm(forms.Form):
    decision_date = _date(_("Date of the decision"))
    decision_ref = _text(_("Decision number"))
    reason = _note(_("Reason"))


class RollRemovalForm(forms.Form):
    grounds = forms.ChoiceField(label=_("Grounds"), choices=RemovalGrounds.choices)
    proposal_date = _date(_("Date of the cell's proposal (resolution)"))
    decision_date = _date(_("Date of the committee's decision"))
    decision_ref = _text(_("Number of the committee's decision"))
    deciding_body = _text(_("Committee that decided"), required=False, max_length=200)
    note = _note()


class DeathForm(forms.Form):
    date_of_death = _date(_("Date of death"))
    note = _note()


class ReadmissionForm(forms.Form):
    decision_date = _date(_("Date of the new admission decision"))
    decision_ref = _text(_("Number of the admission decision"))
    ceremony_date = _date(_("Admission ceremony date"), required=False)
    note = _note()
