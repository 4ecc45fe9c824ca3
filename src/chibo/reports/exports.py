"""XLSX export of the structure statistics (reports.selectors.structure_report).

One sheet, printable on A4: two title rows (the report's name with the organization, then its
code and the reference date), the total, then one section per dimension — a heading, a header
row (category, count, share) and one row per category. Shares are real numbers formatted as
percentages, so the figures can be summed or charted again in a spreadsheet. Headings are part
of the document (a Vietnamese report), not interface text; category labels are rendered in
Vietnamese whatever the user's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chibo.core.exports.tables import PERCENT_FORMAT, Sheet, bold, header, styled, title
from chibo.reports.selectors import StructureReport

REPORT_TITLE = "THỐNG KÊ CƠ CẤU ĐẢNG VIÊN"
SHEET_TITLE = "Cơ cấu đảng viên"
HEADERS = ("Nội dung", "Số lượng", "Tỷ lệ")
TOTAL_LABEL = "Tổng số đảng viên"
# Section headings, by dimension key (selectors.structure_report's tables).
SECTION_TITLES = {
    "sex": "Giới tính",
    "age": "Độ tuổi",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "education": "Trình độ học vấn",
    "political_theory": "Trình độ lý luận chính trị",
    "party_age": "Tuổi đảng",
    "status": "Trạng thái",
    "cell_type": "Loại hình chi bộ",
}


def _rows(report: StructureReport) -> Iterator[list[Any]]:
    organization = report.organization
    yield [title(f"{REPORT_TITLE} — {organization.name}")]
    yield [
        f"Mã tổ chức: {organization.code} · Số liệu đến ngày: {report.as_of.strftime('%d/%m/%Y')}"
    ]
    yield [bold(TOTAL_LABEL), bold(report.total)]
    for table in report.tables:
        yield []
        yield [bold(SECTION_TITLES[table.key].upper())]
        yield header(HEADERS)
        for row in table.rows:
            yield [row.label, row.count, styled(float(row.share), number_format=PERCENT_FORMAT)]
        yield [
            bold("Cộng"),
            bold(table.total),
            styled(1.0 if report.total else 0.0, bold=True, number_format=PERCENT_FORMAT),
        ]


def structure_sheet(report: StructureReport) -> Sheet:
    """The report as one export sheet, printable on A4, with a section per dimension."""
    return Sheet(SHEET_TITLE, _rows(report), widths=[40, 12, 10], orientation="portrait")


def export_structure_xlsx(report: StructureReport) -> bytes:
    """The report as an XLSX workbook of one sheet with a section per dimension.
    `report` must have been built under the Vietnamese language (its labels are used as is)."""
    return structure_sheet(report).xlsx()


def structure_filename(report: StructureReport) -> str:
    """An ASCII file name: the organization code and the reference date."""
    return f"co-cau-dang-vien-{report.organization.code}-{report.as_of:%Y%m%d}.xlsx"
