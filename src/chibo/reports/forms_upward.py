"""The form that requests a report upward: its kind, the period (a month, a quarter or a year),
the number the committee gives it and the requester's assessment and next steps."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.dates import add_months
from chibo.reports.models import ReportKind

FIRST_YEAR = 2000
LAST_YEAR = 2100


def default_initial(today: datetime.date) -> dict[str, object]:
    """Last month's monthly report: what a committee sends up at the start of a month."""
    last_month = add_months(today.replace(day=1), -1)
    return {
        "kind": ReportKind.MONTHLY,
        "year": last_month.year,
        "month": last_month.month,
        "quarter": (last_month.month - 1) // 3 + 1,
    }


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of report"),
        choices=ReportKind.choices,
        error_messages={"invalid_choice": _("Choose a kind of report.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "invalid": _("Enter the year as a number, e.g. 2026."),
            "required": _("Enter the year."),
            "min_value": _("Enter a year between 2000 and 2100."),
            "max_value": _("Enter a year between 2000 and 2100."),
        },
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[(m, str(m)) for m in range(1, 13)],
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choose a month from 1 to 12.")},
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[(q, ("I", "II", "III", "IV")[q - 1]) for q in range(1, 5)],
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choose a quarter from I to IV.")},
    )
    number = forms.CharField(
        label=_("Number"),
        max_length=40,
        required=False,
        help_text=_(
            "The report's number, e.g. 12 for “Số 12-BC/ĐU”; leave it blank to write it by hand."
        ),
    )
    notes = forms.CharField(
        label=_("Assessment and next steps"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional: printed as the report's last section."),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        kind, year = data.get("kind"), data.get("year")
        if not kind or not year:
            return data
        if kind == ReportKind.MONTHLY:
            if not data.get("month"):
                self.add_error("month", _("Choose a month from 1 to 12."))
                return data
            data["period"] = datetime.date(year, data["month"], 1)
        elif kind == ReportKind.QUARTERLY:
            if not data.get("quarter"):
                self.add_error("quarter", _("Choose a quarter from I to IV."))
                return data
            data["period"] = datetime.date(year, 3 * data["quarter"] - 2, 1)
        else:
            data["period"] = datetime.date(year, 1, 1)
        return data
