"""Forms of inspection and supervision: they validate; the views pass the cleaned data to
supervision.services_inspections."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BoundedDateField, BoundedModelMultipleChoiceField
from chibo.members.models import Member
from chibo.orgs.models import Organization
from chibo.supervision.models import InspectionKind


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {obj.cell.name}" if obj.cell_id else obj.full_name


class MembersChoice(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {obj.cell.name}" if obj.cell_id else obj.full_name


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    number_symbol = forms.CharField(label=_("Number and symbol"), max_length=60, required=False)
    approved_on = BoundedDateField(label=_("Approved on"), required=False)


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Inspection or supervision"), choices=InspectionKind.choices)
    content = forms.CharField(label=_("Content"), max_length=300)
    subject_organization = forms.ModelChoiceField(
        label=_("Subject: organization"), queryset=Organization.objects.none(), required=False
    )
    subject_member = MemberChoice(
        label=_("Subject: member"), queryset=Member.objects.none(), required=False
    )
    starts_on = BoundedDateField(label=_("From"))
    ends_on = BoundedDateField(label=_("To"))
    leader = MemberChoice(label=_("Team leader"), queryset=Member.objects.none(), required=False)
    team = MembersChoice(
        label=_("Team members"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    meeting_quality = forms.BooleanField(
        label=_("Thematic supervision of meeting quality"), required=False
    )

    def __init__(self, *args: Any, units: Any, members: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject_organization"].queryset = units  # type: ignore[attr-defined]
        self.fields["subject_member"].queryset = members  # type: ignore[attr-defined]
        self.fields["leader"].queryset = people  # type: ignore[attr-defined]
        self.fields["team"].queryset = people  # type: ignore[attr-defined]


class RecordForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    conclusions = forms.CharField(
        label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ConcludeForm(forms.Form):
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusions = forms.CharField(label=_("Conclusions"), widget=forms.Textarea(attrs={"rows": 4}))
    concluded_on = BoundedDateField(label=_("Concluded on"))


class MeetingsForm(forms.Form):
    meetings = BoundedModelMultipleChoiceField(
        label=_("Meetings attended"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meetings"]
        field.queryset = meetings  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.date:%d/%m/%Y} — {m.organization.name}"
        )


class RecommendationForm(forms.Form):
    addressee = forms.ModelChoiceField(
        label=_("Addressed to"), queryset=Organization.objects.none()
    )
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = BoundedDateField(label=_("Deadline"))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = units  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class OptionalNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
