"""Forms of the model meetings pages. They validate; views pass cleaned_data to the services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BoundedDateField, BoundedModelMultipleChoiceField
from chibo.orgs.models import Organization

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CellChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class CellsChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class ModelMeetingPlanForm(forms.Form):
    cell = CellChoiceField(label=_("Host cell"), queryset=Organization.objects.none())
    date = BoundedDateField(label=_("Date"))
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET, initial=datetime.time(19, 30))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    invited_cells = CellsChoiceField(
        label=_("Invited cells"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their secretaries are invited; by default the cells of the same type."),
    )

    def __init__(self, *args: Any, cells: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [cell.pk for cell in cells]
        queryset = Organization.objects.filter(pk__in=ids).order_by("path")
        for name in ("cell", "invited_cells"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
