"""Forms of the quality and perfunctory pages. They validate; views pass cleaned_data on."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.orgs.models import CellType
from chibo.supervision.models import PerfunctoryStatus

REVIEW_ACTIONS = (("confirm", _("Confirm and remind the cell")), ("dismiss", _("Dismiss")))


class QualityFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    cell_type = forms.ChoiceField(
        label=_("Cell type"),
        choices=[("", _("All"))] + list(CellType.choices),
        required=False,
    )

    def year_or_current(self) -> int:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("year") or timezone.localdate().year


class FlagFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + list(PerfunctoryStatus.choices),
        required=False,
    )


class FlagReviewForm(forms.Form):
    action = forms.ChoiceField(label=_("Decision"), choices=REVIEW_ACTIONS)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("action") == "dismiss" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the flag is dismissed."))
        return data
