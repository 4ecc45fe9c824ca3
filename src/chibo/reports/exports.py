"""XLSX export of the structure statistics (reports.selectors.structure_report).

One sheet, printable on A4: two title rows (the report's name with the organization, then its
code and the reference date), the total, then one section per dimension — a heading, a header
row (category, count, share) and one row per category. Shares are real numbers formatted as
percentages, so the figures can be summed or charted again in a spreadsheet. Headings are part
of the document (a Vietnamese report), not interface text; category labels are rendered in
Vietnamese whatever the user's language.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from chibo.members.exports import XLSX_BOLD, XLSX_HEADER_ALIGNMENT, XLSX_TITLE
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
PERCENT_FORMAT = "0.0%"


def _cell(
    sheet: Worksheet, value, *, font: Font | None = None, number_format: str = ""
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    return cell


def export_structure_xlsx(report: StructureReport) -> bytes:
    """The report as an XLSX workbook of one sheet with a section per dimension.
    `report` must have been built under the Vietnamese language (its labels are used as is)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 10
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    organization = report.organization
    sheet.append([_cell(sheet, f"{REPORT_TITLE} — {organization.name}", font=XLSX_TITLE)])
    sheet.append(
        [
            _cell(
                sheet,
                f"Mã tổ chức: {organization.code} · "
                f"Số liệu đến ngày: {report.as_of.strftime('%d/%m/%Y')}",
            )
        ]
    )
    sheet.append(
        [_cell(sheet, TOTAL_LABEL, font=XLSX_BOLD), _cell(sheet, report.total, font=XLSX_BOLD)]
    )
    for table in report.tables:
        sheet.append([])
        sheet.append([_cell(sheet, SECTION_TITLES[table.key].upper(), font=XLSX_BOLD)])
        header = []
        for text in HEADERS:
            cell = _cell(sheet, text, font=XLSX_BOLD)
            cell.alignment = XLSX_HEADER_ALIGNMENT
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append(
                [
                    row.label,
                    row.count,
                    _cell(sheet, float(row.share), number_format=PERCENT_FORMAT),
                ]
            )
        sheet.append(
            [
                _cell(sheet, "Cộng", font=XLSX_BOLD),
                _cell(sheet, table.total, font=XLSX_BOLD),
                _cell(
                    sheet,
                    1.0 if report.total else 0.0,
                    font=XLSX_BOLD,
                    number_format=PERCENT_FORMAT,
                ),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def structure_filename(report: StructureReport) -> str:
    """An ASCII file name: the organization code and the reference date."""
    return f"co-cau-dang-vien-{report.organization.code}-{report.as_of:%Y%m%d}.xlsx"
