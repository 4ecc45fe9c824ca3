"""Forms of supervision's visits: the visit record with its proposal rows, and the committee's
assignments of followers and standing attendees."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BoundedDateField
from chibo.meetings.models import MeetingRating
from chibo.members.models import Member
from chibo.orgs.models import Organization, Role
from chibo.proposals.models import ProposalSource, ProposalTopic
from chibo.supervision.models import VisitorRole


class VisitForm(forms.Form):
    observations = forms.CharField(
        label=_("Observations"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    guidance = forms.CharField(
        label=_("Guidance given"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm_score = forms.BooleanField(label=_("I confirm the meeting's score"), required=False)
    adjusted_total = forms.DecimalField(
        label=_("Adjusted score"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=_("Only if you do not agree with the score; kept beside the minutes."),
    )
    adjusted_rating = forms.ChoiceField(
        label=_("Adjusted rating"),
        required=False,
        choices=[("", "—"), *MeetingRating.choices],
    )
    adjustment_reason = forms.CharField(
        label=_("Reason for the adjustment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, role: str, score: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if score is None:
            # Nothing to confirm or adjust: the meeting was not scored.
            for name in ("confirm_score", "adjusted_total", "adjusted_rating", "adjustment_reason"):
                self.fields.pop(name, None)
        elif score.confirmed_by_id is not None:
            self.fields.pop("confirm_score", None)  # already confirmed: only an adjustment is left
        if role == VisitorRole.STANDING_ATTENDEE:
            # A standing attendee's short report (field report 004): what they informed, what
            # they heard. The score is the upper-level member's.
            self.fields["guidance"].label = _("What I informed the meeting of")
            self.fields["observations"].label = _("Opinions heard")
            for name in ("confirm_score", "adjusted_total", "adjusted_rating", "adjustment_reason"):
                self.fields.pop(name, None)
            self.order_fields(["guidance", "observations"])


class CollectedProposalForm(forms.Form):
    """One proposal heard at the meeting; a row left empty is skipped."""

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    content = forms.CharField(
        label=_("Content"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source = forms.ChoiceField(
        label=_("Whose proposal"), choices=ProposalSource.choices, initial=ProposalSource.OWN
    )
    citizen_name = forms.CharField(label=_("Citizens (who)"), max_length=200, required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=ProposalTopic.choices)
    raised_by: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Raised by"), queryset=Member.objects.none(), required=False
    )

    def __init__(self, *args: Any, raisers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if raisers is not None:
            self.fields["raised_by"].queryset = raisers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("title") or data.get("content")) and not data.get("raised_by"):
            self.add_error("raised_by", _("Say which member of the cell raised it."))
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not (data.get("title") or data.get("content"))


CollectedProposalFormSet = forms.formset_factory(CollectedProposalForm, extra=2, max_num=10)


class AssignmentForm(forms.Form):
    member: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Member"), queryset=Member.objects.none()
    )
    cell: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Cell"), queryset=Organization.objects.none()
    )
    role = forms.ChoiceField(
        label=_("Assigned as"),
        choices=[
            (Role.UPPER_COMMITTEE_MEMBER, _("Follows the cell (upper-level committee member)")),
            (Role.STANDING_ATTENDEE, _("Standing attendee of the cell's meetings")),
        ],
    )
    start_date = BoundedDateField(label=_("From"))

    def __init__(self, *args: Any, members: Any, cells: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]
        self.fields["cell"].queryset = cells  # type: ignore[attr-defined]


class AssignmentEndForm(forms.Form):
    end_date = BoundedDateField(label=_("Until"))


class CoverageFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
