"""Exports of the trends page (reports.selectors_trends): an XLSX workbook with one sheet per
chart, each holding the chart's table as the page shows it, and a CSV of one chart.

A sheet: a title row (the chart and the organization), the organization's code and the months
covered, a blank row, the header row and one row per line of the table. Percentages are real
numbers formatted as percentages (0.875 shown as 87.5%), so they can be charted again in a
spreadsheet; a month with nothing measured is an empty cell. Texts are the report's own
(rendered under the Vietnamese language by the view).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from chibo.core.exports.tables import (
    PERCENT_FORMAT,
    Sheet,
    header,
    render_xlsx,
    styled,
    title,
)
from chibo.reports.selectors_trends import PERCENT, Series, TrendReport, month_label

SHEET_TITLE_LENGTH = 31  # Excel's limit


def _value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == PERCENT:
        return styled(float(Decimal(value) / 100), number_format=PERCENT_FORMAT)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _csv_value(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def period_text(report: TrendReport) -> str:
    return _("Months %(first)s to %(last)s") % {
        "first": month_label(report.first),
        "last": month_label(report.last),
    }


def _sheet_rows(report: TrendReport, series: Series) -> Iterator[list[Any]]:
    organization = report.organization
    yield [title(f"{series.title} — {organization.name}")]
    yield [f"{_('Code')}: {organization.code} · {period_text(report)}"]
    yield []
    yield header(series.headers)
    for row in series.rows:
        yield [_value(value, kind) for value, kind in zip(row, series.kinds, strict=True)]


def _sheet_title(index: int, series: Series) -> str:
    # Sheet names must be unique, at most 31 characters, without []:*?/\ .
    name = f"{index}. {series.title}"
    for forbidden in "[]:*?/\\":
        name = name.replace(forbidden, " ")
    return name[:SHEET_TITLE_LENGTH].rstrip()


def trend_sheets(report: TrendReport) -> list[Sheet]:
    return [
        Sheet(
            _sheet_title(index, series),
            list(_sheet_rows(report, series)),
            widths=[24] + [14] * (len(series.headers) - 1),
            orientation="portrait",
        )
        for index, series in enumerate(report.series, start=1)
    ]


def export_trends_xlsx(report: TrendReport) -> bytes:
    """Every chart's table, one sheet per chart, in the page's order."""
    return render_xlsx(trend_sheets(report))


def export_series_csv(series: Series) -> bytes:
    """One chart's table as CSV: the header row and the rows, percentages as on the page."""
    rows = [list(series.headers), *([_csv_value(value) for value in row] for row in series.rows)]
    return Sheet(series.title, rows).csv()


def trends_filename(report: TrendReport, extension: str = "xlsx", key: str = "") -> str:
    """An ASCII file name: the organization code, the months and the chart for a CSV."""
    suffix = f"-{key.replace('_', '-')}" if key else ""
    return (
        f"xu-huong-{report.organization.code}-{report.first:%Y%m}-{report.last:%Y%m}"
        f"{suffix}.{extension}"
    )
