"""Forms of the scheduling and preparation pages. They validate; views pass cleaned_data to
meetings.services, which decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DATE_WIDGET, BoundedDateField
from chibo.core.uploads import ACCEPT, check_upload
from chibo.meetings.models import (
    MeetingKind,
    NonWorkingDayShift,
    SignatureAuthority,
)
from chibo.members.forms import MembersChoiceField
from chibo.members.models import ACTIVE_STATUSES, Member

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _first_of_year():
    return timezone.localdate().replace(month=1, day=1)


class PolicyForm(forms.Form):
    day_of_month = forms.IntegerField(
        label=_("Meeting day of the month"),
        widget=forms.NumberInput(attrs={"min": 1, "max": 28, "inputmode": "numeric"}),
        help_text=_("From the 1st to the 28th, so that every month has the day."),
    )
    non_working_day = forms.ChoiceField(
        label=_("When that day is a Sunday or a public holiday"),
        choices=NonWorkingDayShift.choices,
    )
    default_time = forms.TimeField(label=_("Default time"), widget=TIME_WIDGET)
    default_place = forms.CharField(
        label=_("Default place"),
        max_length=300,
        required=False,
        help_text=_("Used when the cell has no meeting place of its own."),
    )
    months_ahead = forms.IntegerField(
        label=_("Months generated ahead"),
        widget=forms.NumberInput(attrs={"min": 1, "max": 12, "inputmode": "numeric"}),
    )
    term_start = BoundedDateField(
        label=_("Start of the current committee term"),
        widget=DATE_WIDGET,
        initial=_first_of_year,
        help_text=_("Document numbers start again from 01 in each term."),
    )
    signature_authority = forms.ChoiceField(
        label=_("Signature block"), choices=SignatureAuthority.choices
    )

    def clean_day_of_month(self):
        day = self.cleaned_data["day_of_month"]
        if not 1 <= day <= 28:
            raise forms.ValidationError(_("The meeting day must be between the 1st and the 28th."))
        return day

    def clean_months_ahead(self):
        months = self.cleaned_data["months_ahead"]
        if not 1 <= months <= 12:
            raise forms.ValidationError(_("Generate between 1 and 12 months ahead."))
        return months


class MeetingCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    date = BoundedDateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the cell's meeting place."),
    )
    topic = forms.CharField(
        label=_("Topic"),
        max_length=300,
        required=False,
        help_text=_("Required for a thematic meeting or a thematic part."),
    )
    with_thematic_part = forms.BooleanField(
        label=_("Combined with a thematic part"),
        required=False,
        help_text=_("Only for a regular meeting; the two parts stay distinct on the agenda."),
    )


class ReasonMixin(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Members receive it with the notification."),
    )


class RescheduleForm(ReasonMixin):
    date = BoundedDateField(label=_("New date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("New time"), widget=TIME_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)

    field_order = ["date", "time", "place", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _(
            "Give the reason for moving the meeting."
        )


class CancelForm(ReasonMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _(
            "Give the reason for cancelling the meeting."
        )


class PreparationForm(forms.Form):
    held_on = BoundedDateField(label=_("Held on"), widget=DATE_WIDGET)
    participants = MembersChoiceField(
        label=_("Participants"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    agreed = forms.CharField(
        label=_("What was agreed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The evaluation of last month, the tasks for next month, who prepares what, the "
            "time and form of the meeting, the draft resolution."
        ),
    )

    def __init__(self, *args, cell, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Member.objects.filter(
            cell=cell, status__in=ACTIVE_STATUSES
        ).order_by("name_sort_key", "id")


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    guidance = forms.CharField(
        label=_("Content suggestions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DetailsForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    with_thematic_part = forms.BooleanField(
        label=_("Combined with a thematic part"), required=False
    )
    resolution_draft = forms.CharField(
        label=_("Draft resolution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file name."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ACCEPT},
        ),
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])
