"""Forms of the briefings pages. They validate; views pass cleaned_data to the services."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BoundedDateField
from chibo.supervision.models import BriefingAttendanceStatus, BriefingPeriod

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class BriefingPlanForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Held"), choices=BriefingPeriod.choices, initial=BriefingPeriod.MONTHLY
    )
    date = BoundedDateField(label=_("Date"))
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET, initial=datetime.time(8, 0))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(label=_("Attendance"), choices=BriefingAttendanceStatus.choices)


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("What the cell reported"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConclusionsForm(forms.Form):
    conclusions = forms.CharField(label=_("Conclusions"), widget=forms.Textarea(attrs={"rows": 5}))
