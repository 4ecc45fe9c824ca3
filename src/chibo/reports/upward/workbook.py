"""The XLSX of a report upward: "Tổng hợp" (section I's figures, and the counts of section III)
and "Lưới" — exactly the grid of `reports.grid.cell_grid` for the period: one row per cell, one
column per month with the status label, then one score column and one attendance column per
month. The sheet starts with its header row, so it can be read back and compared with the grid
on screen. A province's report adds "Đơn vị", its grid per child unit.

Headings are the document's (Vietnamese), as in reports.exports; the status labels come from
gettext and are rendered inside translation.override("vi") by the job.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chibo.core.exports.tables import (
    PERCENT_FORMAT,
    Sheet,
    bold,
    header,
    render_xlsx,
    styled,
    title,
)
from chibo.reports.selectors_upward import RATINGS, ReportData
from chibo.reports.upward.document import RATING_WORDS, month_label, subject

GRID_SHEET = "Lưới"
SUMMARY_SHEET = "Tổng hợp"
UNITS_SHEET = "Đơn vị"


def _fraction(value: Any) -> Any:
    """A percentage (Decimal 0–100) as a spreadsheet fraction shown as a percent; None: blank."""
    if value is None:
        return None
    return styled(float(value) / 100, number_format=PERCENT_FORMAT)


def grid_header(data: ReportData) -> list[str]:
    months = [month_label(m) for m in data.months]
    return [
        "Mã",
        "Chi bộ",
        *months,
        *(f"Điểm {m}" for m in months),
        *(f"Dự họp {m}" for m in months),
    ]


def grid_rows(data: ReportData) -> Iterator[list[Any]]:
    for row in data.rows:
        yield [
            row.cell.code,
            row.cell.name,
            *(square.label for square in row.months),
            *(float(square.score) if square.score is not None else None for square in row.months),
            *(_fraction(square.attendance) for square in row.months),
        ]


def _grid(data: ReportData) -> Iterator[list[Any]]:
    yield header(grid_header(data))
    yield from grid_rows(data)


def _summary(data: ReportData) -> Iterator[list[Any]]:
    f = data.figures
    a = data.activity
    yield [title(f"BÁO CÁO {subject(data.job.kind, data.job.period_start).upper()}")]
    yield [f"{data.organization.name} · Số liệu đến ngày {data.today:%d/%m/%Y}"]
    yield []
    yield header(["Nội dung", "Số lượng", "Tỷ lệ"])
    yield ["Tổng số chi bộ", f.cells, None]
    yield ["Lượt chi bộ - tháng", f.squares, None]
    yield ["Đã sinh hoạt thường kỳ", f.held, _fraction(f.held_share)]
    yield ["Tổ chức muộn", f.held_late, None]
    yield ["Không sinh hoạt", len(f.not_held), None]
    yield ["Hoãn, hủy", f.cancelled, None]
    yield ["Đã ký biên bản", f.signed, None]
    yield ["Chi bộ bảo đảm sinh hoạt chuyên đề", f.thematic_cells, None]
    yield ["Tỷ lệ đảng viên dự sinh hoạt", None, _fraction(f.attendance)]
    yield ["Tỷ lệ đảng viên phát biểu", None, _fraction(f.spoke)]
    yield ["Thời lượng bình quân (phút)", f.average_duration, None]
    yield [
        "Điểm bình quân",
        float(f.average_score) if f.average_score is not None else None,
        None,
    ]
    for rating in RATINGS:
        yield [f"Xếp loại {RATING_WORDS[rating]}", f.ratings[rating.value], None]
    yield []
    yield [bold("Quán triệt, kiến nghị, giám sát")]
    yield ["Văn bản đã quán triệt", a.directives_disseminated, None]
    yield ["Kiến nghị nêu mới", a.proposals_raised, None]
    yield ["Kiến nghị đã trả lời", a.proposals_answered, None]
    yield ["Kiến nghị quá hạn", a.proposals_overdue, None]
    yield ["Lượt cấp ủy viên cấp trên dự sinh hoạt", a.visits, None]
    yield ["Buổi sinh hoạt có dấu hiệu hình thức", a.flags, None]
    if f.not_held:
        yield []
        yield [bold("Chi bộ không sinh hoạt")]
        for item in f.not_held:
            yield [item.cell.name, month_label(item.period), None]
    if data.quality is not None:
        yield []
        yield [bold("Xếp loại chất lượng sinh hoạt cả năm")]
        for rating in RATINGS:
            yield [RATING_WORDS[rating], data.quality.counts[rating.value], None]
        yield ["Tỷ lệ chi bộ xếp loại Tốt", None, _fraction(data.quality.good_share)]


def _units(data: ReportData) -> Iterator[list[Any]]:
    yield header(["Mã", "Đơn vị", *(month_label(m) for m in data.months)])
    for row in data.units or []:
        yield [row.unit.code, row.unit.name, *(square.label for square in row.months)]


def report_xlsx(data: ReportData) -> bytes:
    months = len(data.months)
    sheets = [
        Sheet(SUMMARY_SHEET, _summary(data), widths=[48, 14, 12], orientation="portrait"),
        Sheet(
            GRID_SHEET,
            _grid(data),
            widths=[12, 36, *([18] * months), *([10] * months), *([10] * months)],
            freeze_panes="C2",
            orientation="landscape",
        ),
    ]
    if data.units is not None:
        sheets.append(
            Sheet(UNITS_SHEET, _units(data), widths=[12, 36, *([12] * months)], freeze_panes="C2")
        )
    return render_xlsx(sheets)
