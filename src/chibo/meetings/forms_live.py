"""Forms of the live meeting screen. They validate; views pass cleaned_data to services."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.dates import add_months
from chibo.core.forms import BoundedDateField, BoundedDateTimeField
from chibo.followup.models import AssignmentStatus
from chibo.meetings.models import (
    AttendanceStatus,
    CommendationKind,
    ResolutionKind,
    VoteSubject,
)
from chibo.members.forms import MemberChoiceField, MembersChoiceField


class OpenForm(forms.Form):
    chair = MemberChoiceField(label=_("Chair"), queryset=None)
    minute_taker = MemberChoiceField(label=_("Minute-taker"), queryset=None)
    started_at = BoundedDateTimeField(
        label=_("Start time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    # The upper-level committee member following the cell, chosen by their record (never
    # matched by a typed name: namesakes exist).
    guest_member = MemberChoiceField(
        label=_("Upper-level committee member attending"),
        queryset=None,
        required=False,
        empty_label=_("Nobody from the upper level"),
    )
    standing_guests = MembersChoiceField(
        label=_("Standing attendees present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guest_name = forms.CharField(label=_("Another guest"), max_length=120, required=False)
    guest_title = forms.CharField(label=_("Guest's position"), max_length=200, required=False)
    guest_is_upper_level = forms.BooleanField(
        label=_("Upper-level committee member"), required=False
    )

    def __init__(self, *args, members, upper_members, standing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = members
        self.fields["minute_taker"].queryset = members
        self.fields["guest_member"].queryset = upper_members
        if standing is None or not standing.exists():
            del self.fields["standing_guests"]
        else:
            self.fields["standing_guests"].queryset = standing
        if not self.is_bound:
            self.initial.setdefault(
                "started_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    reason = forms.CharField(max_length=300, required=False)
    version = forms.IntegerField(required=False, min_value=0)


class SpeechForm(forms.Form):
    member = MemberChoiceField(label=_("Speaker"), queryset=None)
    agenda_item: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("On agenda item"), queryset=None, required=False
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, members, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["agenda_item"].queryset = items


class CommendationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Praise or criticism"), choices=CommendationKind.choices)
    member = MemberChoiceField(label=_("Member"), queryset=None)
    note = forms.CharField(label=_("For what"), widget=forms.Textarea(attrs={"rows": 2}))
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class AgendaNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    conclusion = forms.CharField(
        label=_("Chair's conclusion"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    deferred = forms.BooleanField(label=_("Deferred to the next meeting"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Assignment"), max_length=300)
    members = MembersChoiceField(
        label=_("Assigned to"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    due_date = BoundedDateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class AssignmentReviewForm(forms.Form):
    status = forms.ChoiceField(label=_("Result"), choices=AssignmentStatus.choices)
    progress = forms.CharField(label=_("Note"), max_length=2000, required=False)


class VoteForm(forms.Form):
    title = forms.CharField(label=_("What is voted on"), max_length=300)
    subject = forms.ChoiceField(label=_("Kind of decision"), choices=VoteSubject.choices)
    subject_member = MemberChoiceField(
        label=_("Person concerned (admission, recognition)"), queryset=None, required=False
    )
    in_favour = forms.IntegerField(label=_("In favour"), min_value=0)
    against = forms.IntegerField(label=_("Against"), min_value=0, initial=0)
    abstain = forms.IntegerField(label=_("Abstaining"), min_value=0, initial=0)
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_member"].queryset = members


class CloseForm(forms.Form):
    started_at = BoundedDateTimeField(
        label=_("Start time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    ended_at = BoundedDateTimeField(
        label=_("End time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )


class RecordForm(forms.Form):
    resolution_kind = forms.ChoiceField(
        label=_("The meeting adopts a"), choices=ResolutionKind.choices
    )
    resolution_subject = forms.CharField(label=_("Subject line"), max_length=300, required=False)
    opening_text = forms.CharField(
        label=_("Opening of the minutes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    resolution_evaluation = forms.CharField(
        label=_("Evaluation of last month"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    resolution_tasks = forms.CharField(
        label=_("Tasks for next month"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    resolution_implementation = forms.CharField(
        label=_("Implementation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    closing_text = forms.CharField(
        label=_("Closing of the minutes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AddendumForm(forms.Form):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AddendumWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=300)


def default_due_date(meeting_date: datetime.date) -> datetime.date:
    """The end of the month after the meeting: assignments are "for next month"."""
    return add_months(meeting_date.replace(day=1), 2) - datetime.timedelta(days=1)
