"""The forms of resolutions outward: a recipient of the signed resolution, and its receipt."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DATE_WIDGET, BoundedDateField
from chibo.meetings.models import RecipientContent, RecipientKind


class RecipientForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of body"), choices=RecipientKind.choices)
    name = forms.CharField(
        label=_("Name of the recipient"),
        max_length=200,
        help_text=_('For example "Ban công tác Mặt trận khu phố 1".'),
    )
    content = forms.ChoiceField(
        label=_("What was sent"),
        choices=RecipientContent.choices,
        initial=RecipientContent.RESOLUTION,
    )
    extract = forms.CharField(
        label=_("Extract for the public"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when the extract is sent; the signed resolution is not changed."),
    )
    sent_on = BoundedDateField(label=_("Date sent"), widget=DATE_WIDGET)


class AcknowledgeForm(forms.Form):
    acknowledged_on = BoundedDateField(label=_("Date received"), widget=DATE_WIDGET)
    acknowledged_by = forms.CharField(label=_("Received by"), max_length=200, required=False)
