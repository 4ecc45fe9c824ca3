"""The forms of proposals: raising one, and what the level holding it does."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BoundedDateField
from chibo.core.uploads import ACCEPT, check_upload
from chibo.members.models import Member
from chibo.orgs.models import CellType
from chibo.proposals.models import ProposalSource, ProposalStatus, ProposalTopic
from chibo.proposals.selectors import AGE_CHOICES


class ProposalForm(forms.Form):
    raised_by: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Raised by"), queryset=Member.objects.none(), required=False
    )
    source = forms.ChoiceField(
        label=_("Whose proposal"),
        choices=ProposalSource.choices,
        initial=ProposalSource.OWN,
        widget=forms.RadioSelect,
    )
    citizen_name = forms.CharField(
        label=_("Citizens (who)"),
        max_length=200,
        required=False,
        help_text=_('For example "Các hộ dân tổ 3".'),
    )
    citizen_place = forms.CharField(label=_("Where"), max_length=200, required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=ProposalTopic.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    content = forms.CharField(
        label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    raised_on = BoundedDateField(label=_("Raised on"), required=False)
    attachment = forms.FileField(
        label=_("Attachment (a photo or a document)"),
        required=False,
        help_text=_("PDF, Word, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, raisers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if raisers is None:
            del self.fields["raised_by"]
        else:
            self.fields["raised_by"].queryset = raisers  # type: ignore[attr-defined]
            self.fields["raised_by"].required = True

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return check_upload(upload) if upload else None


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    answered_on = BoundedDateField(label=_("Answered on"))


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for escalating"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    handler: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Handler"), queryset=Member.objects.none()
    )

    def __init__(self, *args: Any, handlers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers  # type: ignore[attr-defined]


class HandOffForm(forms.Form):
    body = forms.CharField(
        label=_("Government body"),
        max_length=200,
        help_text=_('For example "UBND phường Hưng Phú".'),
    )
    sent_on = BoundedDateField(label=_("Sent on"))


class OutsideAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("The body's answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    answered_on = BoundedDateField(label=_("Answered on"))


STATUS_FILTERS = [
    ("", _("All")),
    ("open", _("Waiting for an answer")),
    ("overdue", _("Overdue")),
    *ProposalStatus.choices,
]
LEVEL_FILTERS = [
    ("", _("Every level")),
    ("mine", _("At my level")),
    ("cell", _("At the cell")),
    ("committee", _("At a commune or ward committee")),
    ("province", _("At the province")),
]


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    age = forms.TypedChoiceField(
        label=_("Raised"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    level = forms.ChoiceField(label=_("Level holding it"), choices=LEVEL_FILTERS, required=False)
    cell_type = forms.ChoiceField(
        label=_("Type of cell"), choices=[("", _("All"))] + CellType.choices, required=False
    )
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All"))] + ProposalTopic.choices, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", gettext("Any time"))] + [
            (str(days), gettext("More than %(days)s days ago") % {"days": days})
            for days in AGE_CHOICES
        ]
        self.fields["age"].choices = choices  # type: ignore[attr-defined]
