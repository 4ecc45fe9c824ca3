"""The trends page of an organization's subtree: charts over the last 12/24/36 months or a
calendar year, each with its table, and their exports (XLSX of every chart, CSV of one)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from chibo.core.exports.responses import csv_response, xlsx_response
from chibo.core.replica import replica_view
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for
from chibo.reports.access import dashboard_organization
from chibo.reports.exports_trends import (
    export_series_csv,
    export_trends_xlsx,
    period_text,
    trends_filename,
)
from chibo.reports.selectors_trends import (
    DEFAULT_MONTHS,
    INT,
    MONTH_CHOICES,
    NUMBER,
    PERCENT,
    TrendReport,
    trend_report,
)

FIRST_YEAR = 2000
YEARS_OFFERED = 6


class PeriodForm(forms.Form):
    """?months=12|24|36 or ?year=YYYY (a year wins). Anything else: the defaults, said so."""

    months = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in MONTH_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Choose 12, 24 or 36 months.")},
    )
    year = forms.IntegerField(required=False)

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # Not a number or out of range: the same sentence.
        self.fields["year"].error_messages = {
            **self.fields["year"].error_messages,
            "invalid": self.year_message(),
        }

    def year_message(self) -> str:
        return _("Choose a year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": self.today.year,
        }

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and not FIRST_YEAR <= year <= self.today.year:
            raise forms.ValidationError(self.year_message())
        return year


def _period(request: Any, today: datetime.date) -> tuple[int, int | None, list[str]]:
    """The months and year asked for, or the defaults with the errors to show."""
    form = PeriodForm(request.GET, today=today)
    if not form.is_valid():
        errors = [str(error) for field in form.errors.values() for error in field]
        return DEFAULT_MONTHS, None, errors
    return form.cleaned_data["months"] or DEFAULT_MONTHS, form.cleaned_data["year"], []


def _report(request: Any, org_pk: int) -> tuple[TrendReport, int, int | None, list[str]]:
    organization = dashboard_organization(request.user, org_pk)
    today = timezone.localdate()
    months, year, errors = _period(request, today)
    report = trend_report(organization, today=today, months=months, year=year)
    return report, months, year, errors


@login_required
@require_GET
@replica_view
def trends(request, org_pk: int):
    """Charts of the subtree's meetings, quality, admissions and membership, with tables."""
    report, months, year, errors = _report(request, org_pk)
    today = timezone.localdate()
    context = {
        "organization": report.organization,
        "report": report,
        "months": months,
        "year": year,
        "errors": errors,
        "month_choices": MONTH_CHOICES,
        "year_choices": list(range(today.year, today.year - YEARS_OFFERED, -1)),
        "period_text": period_text(report),
        "chart_data": report.chart_data(),
        "query": _query(months, year),
        "kinds": {"int": INT, "number": NUMBER, "percent": PERCENT},
        "breadcrumbs": breadcrumbs_for(
            report.organization, scope_for(request.user), last_label=_("Trends")
        ),
    }
    return render(request, "reports/trends/trends.html", context)


def _query(months: int, year: int | None) -> str:
    return f"?year={year}" if year else f"?months={months}"


@login_required
@require_GET
@replica_view
def trends_xlsx(request, org_pk: int):
    """Every chart's table, one sheet per chart, in Vietnamese whatever the interface language."""
    organization = dashboard_organization(request.user, org_pk)
    today = timezone.localdate()
    months, year, _errors = _period(request, today)
    with translation.override("vi"):
        report = trend_report(organization, today=today, months=months, year=year)
        content = export_trends_xlsx(report)
    return xlsx_response(content, trends_filename(report))


@login_required
@require_GET
@replica_view
def trends_csv(request, org_pk: int, chart: str):
    """One chart's table as CSV; an unknown chart is 404."""
    organization = dashboard_organization(request.user, org_pk)
    today = timezone.localdate()
    months, year, _errors = _period(request, today)
    with translation.override("vi"):
        report = trend_report(organization, today=today, months=months, year=year)
        series = report.by_key(chart)
        if series is None:
            raise Http404
        content = export_series_csv(series)
    return csv_response(content, trends_filename(report, "csv", series.key))
