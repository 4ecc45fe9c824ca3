"""The list of members proposed for the Party badge at an award occasion, as XLSX.

Same contract as members.exports: two title rows, a blank row, the header row, one row per
member in the order given (Vietnamese name order), written in openpyxl's write-only mode.
Headers and titles are part of the Vietnamese document, not interface text."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chibo.members.exports import EXCEL_DATE_FORMAT, XLSX_BOLD, XLSX_HEADER_ALIGNMENT, XLSX_TITLE
from chibo.members.selectors import BadgeListRow
from chibo.orgs.models import Organization

LIST_TITLE = "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG"
SHEET_TITLE = "Huy hiệu Đảng"
EARLY_NOTE = "Xét tặng sớm (ốm nặng)"
# (header, width)
COLUMNS = (
    ("STT", 6),
    ("Họ và tên", 28),
    ("Ngày sinh", 12),
    ("Chi bộ", 28),
    ("Ngày quyết định kết nạp", 14),
    ("Tuổi đảng đến dịp trao", 16),
    ("Huy hiệu (năm tuổi đảng)", 12),
    ("Ngày đủ tuổi đảng", 14),
    ("Dịp trao sớm nhất", 14),
    ("Ghi chú", 26),
)


def _date_cell(sheet, value: datetime.date | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = EXCEL_DATE_FORMAT
    return cell


def _text_cell(sheet, value: str, font=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    return cell


def export_badge_list_xlsx(
    rows: list[BadgeListRow],
    *,
    organization: Organization,
    occasion: datetime.date,
    today: datetime.date | None = None,
) -> bytes:
    """The badge list of `organization` for `occasion`, one row per member in the given order."""
    today = today or timezone.localdate()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, (_header, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.print_title_rows = "4:4"
    sheet.append([_text_cell(sheet, f"{LIST_TITLE} — {organization.name}", XLSX_TITLE)])
    sheet.append(
        [
            _text_cell(
                sheet,
                f"Dịp trao: {occasion.strftime('%d/%m/%Y')} · Mã tổ chức: {organization.code}"
                f" · Ngày lập: {today.strftime('%d/%m/%Y')}",
            )
        ]
    )
    sheet.append([])
    header = []
    for title, _width in COLUMNS:
        cell = _text_cell(sheet, title, XLSX_BOLD)
        cell.alignment = XLSX_HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)
    for number, row in enumerate(rows, start=1):
        member = row.member
        age = row.party_age
        sheet.append(
            [
                number,
                member.full_name,
                _date_cell(sheet, member.birth_date),
                member.cell.name,
                _date_cell(sheet, member.admission_decision_date),
                f"{age.years} năm {age.months % 12} tháng" if age else "",
                row.due.milestone_years,
                _date_cell(sheet, row.due.reached_on),
                _date_cell(sheet, row.due.occasion),
                EARLY_NOTE if row.due.early else "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
