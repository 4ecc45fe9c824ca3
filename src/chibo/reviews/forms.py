"""Forms of the annual review. They parse and validate; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DATE_WIDGET, BoundedDateField
from chibo.reviews.models import DisciplineAuthority, DisciplineForm, Level
from chibo.supervision.models import Inspection

EXCEEDING_HELP = _(
    "Needed for HTXSNV with at least 90 points (Quy định 366-QĐ/TW, Điều 11): asserted by "
    "whoever submits, and shown to the committee."
)


def _score() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Score (out of 100)"), min_value=0, max_value=100, max_digits=4, decimal_places=1
    )


def _today():
    return timezone.localdate()


class SelfAssessmentForm(forms.Form):
    score = _score()
    level = forms.ChoiceField(label=_("Proposed level"), choices=Level.choices)
    text = forms.CharField(
        label=_("Results of the commitment and of the tasks"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    all_on_time = forms.BooleanField(label=_("All tasks done on time"), required=False)
    exceeding = forms.BooleanField(
        label=_("At least 30 per cent of the tasks exceeded the requirements"),
        required=False,
        help_text=EXCEEDING_HELP,
    )
    submitted_on = BoundedDateField(
        label=_("Self-assessment date"), widget=DATE_WIDGET, initial=_today
    )


class ProposalForm(forms.Form):
    score = _score()
    level = forms.ChoiceField(label=_("Proposed level"), choices=Level.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    all_on_time = forms.BooleanField(label=_("All tasks done on time"), required=False)
    exceeding = forms.BooleanField(
        label=_("At least 30 per cent of the tasks exceeded the requirements"),
        required=False,
        help_text=EXCEEDING_HELP,
    )
    proposed_on = BoundedDateField(
        label=_("Date of the meeting that proposed it"), widget=DATE_WIDGET, initial=_today
    )


POINTS_PREFIX = "points_"


class CriteriaPointsMixin(forms.Form):
    """A member's step (R4.2, R4.6): one number per criterion of the frame in force, from 0 to
    its maximum, in place of a typed score; `cleaned_data["points"]` is {code: points}, summed
    and checked by the service. `frame` is the rule's value; `points` the initial points."""

    def __init__(
        self,
        *args: Any,
        frame: list[dict[str, Any]],
        points: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("score", None)
        points = points or {}
        criteria = {}
        for item in frame:
            name = f"{POINTS_PREFIX}{item['code']}"
            criteria[name] = forms.DecimalField(
                label=_("%(criterion)s (at most %(max)s points)")
                % {"criterion": item["label"], "max": item["max"]},
                min_value=0,
                max_digits=4,
                decimal_places=1,
                initial=points.get(item["code"]),
                widget=forms.NumberInput(
                    attrs={"min": 0, "max": item["max"], "step": "0.1", "inputmode": "decimal"}
                ),
            )
        # The criteria first, then the level and the rest.
        self.fields = {**criteria, **self.fields}
        self.criteria_names = list(criteria)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["points"] = {
            name.removeprefix(POINTS_PREFIX): cleaned.pop(name)
            for name in self.criteria_names
            if cleaned.get(name) is not None
        }
        return cleaned


class MemberSelfAssessmentForm(CriteriaPointsMixin, SelfAssessmentForm):
    pass


class MemberProposalForm(CriteriaPointsMixin, ProposalForm):
    pass


class DecisionForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    decided_on = BoundedDateField(label=_("Decision date"), widget=DATE_WIDGET, initial=_today)
    decision_ref = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required for a correction, or for a level below what the points allow."),
    )


class BulkDecisionForm(forms.Form):
    decided_on = BoundedDateField(label=_("Decision date"), widget=DATE_WIDGET, initial=_today)
    decision_ref = forms.CharField(label=_("Decision number"), max_length=100, required=False)


class DisciplineRecordForm(forms.Form):
    form = forms.ChoiceField(label=_("Form of discipline"), choices=DisciplineForm.choices)
    authority = forms.ChoiceField(
        label=_("Decided by (level)"),
        choices=DisciplineAuthority.choices,
        initial=DisciplineAuthority.CELL,
        help_text=_(
            "The cell may reprimand or warn its members; breaches of tasks given by upper levels "
            "go to the competent level; the cell committee has no disciplinary power "
            "(QĐ 296-QĐ/TW)."
        ),
    )
    decided_by = forms.CharField(
        label=_("Name of the deciding body"),
        max_length=200,
        required=False,
        help_text=_("For a decision above the cell, e.g. the district committee's name."),
    )
    upper_task = forms.BooleanField(
        label=_("Breach of a task given by an upper level"),
        required=False,
        help_text=_("Such a breach goes to the competent upper level, not to the cell."),
    )
    decided_on = BoundedDateField(label=_("Decision date"), widget=DATE_WIDGET)
    decision_ref = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The decision takes effect when the cell announces the vote result; the member may "
            "appeal within the period the rule in force sets."
        ),
    )
    inspection = forms.ModelChoiceField(
        label=_("Following the inspection"),
        queryset=Inspection.objects.none(),
        required=False,
        help_text=_("The inspection or supervision whose conclusions led to the decision."),
    )

    def __init__(self, *args: Any, inspections: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if inspections is not None:
            self.fields["inspection"].queryset = inspections  # type: ignore[attr-defined]


class DisciplineAppealForm(forms.Form):
    lodged_on = BoundedDateField(label=_("Appeal lodged on"), widget=DATE_WIDGET, initial=_today)
