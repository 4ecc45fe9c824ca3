from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.followup.models import AssignmentStatus

# What a member records about their own assignment; "not done" and "cancelled" are decided
# when the cell reviews it.
MEMBER_STATUSES = [
    (AssignmentStatus.IN_PROGRESS, _("Being carried out")),
    (AssignmentStatus.DONE, _("Done")),
]


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=MEMBER_STATUSES,
        error_messages={"required": _("Choose a status."), "invalid_choice": _("Choose a status.")},
    )
    progress = forms.CharField(
        label=_("Progress note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


OVERDUE = "overdue"


class CellFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), (OVERDUE, _("Overdue")), *AssignmentStatus.choices],
    )
