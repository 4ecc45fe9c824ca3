from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.members.models import CorrectionSection, CorrectionStatus


class CorrectionRequestForm(forms.Form):
    """What the member finds wrong in their data and what it should be."""

    section = forms.ChoiceField(
        label=_("Which part of your data"), choices=CorrectionSection.choices
    )
    field_label = forms.CharField(
        label=_("Which field or entry"),
        max_length=200,
        required=False,
        help_text=_("For example: date of birth, the meeting of 12/03/2026, dues of 05/2026."),
    )
    wrong_text = forms.CharField(
        label=_("What is wrong"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    correct_text = forms.CharField(
        label=_("What it should be"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectionAnswerForm(forms.Form):
    """The keeper's answer: corrected or rejected, and why."""

    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (CorrectionStatus.DONE, _("The data was corrected")),
            (CorrectionStatus.REJECTED, _("The request is rejected")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer to the member"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what was changed, or why the data stays as it is."),
    )
