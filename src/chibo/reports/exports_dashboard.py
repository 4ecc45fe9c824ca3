"""XLSX export of the dashboard grid (reports.selectors_dashboard.dashboard), with the figures
the page shows: one line per cell (or child unit) and month, so that a spreadsheet can filter
and pivot them. Shares are real numbers formatted as percentages. Headings are part of the
document (Vietnamese); statuses and ratings are rendered in Vietnamese whatever the user's
language (build the dashboard and call this under `translation.override("vi")`).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from chibo.core.exports.tables import PERCENT_FORMAT, Sheet, header, styled, title
from chibo.meetings.models import MeetingRating
from chibo.reports.selectors_dashboard import Dashboard

REPORT_TITLE = "BẢNG THEO DÕI SINH HOẠT CHI BỘ"
SHEET_TITLE = "Bảng theo dõi"
CELL_HEADERS = (
    "Chi bộ",
    "Mã",
    "Tháng",
    "Tình trạng",
    "Ngày họp",
    "Điểm",
    "Xếp loại",
    "Tỷ lệ dự họp",
    "Tỷ lệ phát biểu",
)
UNIT_HEADERS = (
    "Đơn vị",
    "Mã",
    "Tháng",
    "Chi bộ có buổi họp",
    "Đã họp thường kỳ",
    "Đã ký biên bản",
    "Tỷ lệ dự họp",
    "Tỷ lệ phát biểu",
    "Điểm bình quân",
    "Tốt",
    "Khá",
    "Trung bình",
    "Yếu",
)


def _share(value: Decimal | None) -> Any:
    if value is None:
        return ""
    return styled(float(value) / 100, number_format=PERCENT_FORMAT)


def _number(value: Decimal | None) -> Any:
    return "" if value is None else float(value)


def _rating(code: str) -> str:
    return str(MeetingRating(code).label) if code in MeetingRating.values else ""


def _rows(board: Dashboard) -> Iterator[list[Any]]:
    organization = board.organization
    yield [title(f"{REPORT_TITLE} — {organization.name}")]
    yield [
        f"Mã tổ chức: {organization.code} · Từ tháng {board.months[0]:%m/%Y} "
        f"đến tháng {board.months[-1]:%m/%Y} · Số liệu đến ngày {board.today:%d/%m/%Y}"
    ]
    yield []
    if board.cell_level:
        yield header(CELL_HEADERS)
        for row in board.rows:
            for month in row.months:
                day = month.row.meeting_date if month.row else None
                yield [
                    row.cell.name,
                    row.cell.code,
                    f"{month.period:%m/%Y}",
                    month.label,
                    day.strftime("%d/%m/%Y") if day else "",
                    _number(month.score),
                    _rating(month.rating),
                    _share(month.attendance),
                    _share(month.spoke),
                ]
        return
    yield header(UNIT_HEADERS)
    for unit_row in board.rows:
        for unit_month in unit_row.months:
            ratings = unit_month.ratings
            yield [
                unit_row.unit.name,
                unit_row.unit.code,
                f"{unit_month.period:%m/%Y}",
                unit_month.cells,
                unit_month.held,
                unit_month.signed,
                _share(unit_month.attendance),
                _share(unit_month.spoke),
                _number(unit_month.score),
                *(ratings.get(code, 0) for code in MeetingRating.values),
            ]


def dashboard_sheet(board: Dashboard) -> Sheet:
    widths = [30, 20, 9, 28, 12, 8, 11, 12, 12] if board.cell_level else [30, 20, 9] + [11] * 10
    return Sheet(
        SHEET_TITLE, _rows(board), widths=widths, freeze_panes="A5", orientation="landscape"
    )


def export_dashboard_xlsx(board: Dashboard) -> bytes:
    return dashboard_sheet(board).xlsx()


def dashboard_filename(board: Dashboard) -> str:
    """An ASCII file name: the organization code and the months."""
    return (
        f"bang-theo-doi-{board.organization.code}-"
        f"{board.months[0]:%Y%m}-{board.months[-1]:%Y%m}.xlsx"
    )
