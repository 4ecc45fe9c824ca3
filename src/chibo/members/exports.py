"""XLSX exports of the member register in the 7-HSĐV list layout (members.imports.LAYOUT).

The sheet has two title rows (the list's name with the organization, then its code and the
date), a blank row, the header row, and one row per member in the order given. The same
columns in the same order are read back by members.imports, so an exported list re-imports
unchanged. Written in openpyxl's write-only mode: memory stays flat for a large committee.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from chibo.members.imports import (
    LAYOUT,
    SEX_LABELS,
    STATUS_LABELS,
    THEORY_LABELS,
    Column,
)
from chibo.members.models import Member
from chibo.orgs.models import Organization

# The list's title and sheet names are part of the document (a Vietnamese official list),
# like the headers, so they are not interface text.
LIST_TITLE = "DANH SÁCH ĐẢNG VIÊN"
SHEET_TITLE = "Danh sách đảng viên"
GUIDE_SHEET_TITLE = "Hướng dẫn"
EXCEL_DATE_FORMAT = "DD/MM/YYYY"
TITLE_ROWS = 3  # the header is on row 4 of an export

XLSX_BOLD = Font(bold=True)
XLSX_TITLE = Font(bold=True, size=14)
XLSX_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _prepare_sheet(sheet, *, header_row: int) -> None:
    for index, column in enumerate(LAYOUT, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"C{header_row + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _header_cells(sheet) -> list[WriteOnlyCell]:
    cells = []
    for column in LAYOUT:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = XLSX_BOLD
        cell.alignment = XLSX_HEADER_ALIGNMENT
        cells.append(cell)
    return cells


def _title_cell(sheet, text: str, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    if font is not None:
        cell.font = font
    return cell


def _member_row(sheet, number: int, member: Member, columns: Iterable[Column]) -> list:
    row: list = []
    for column in columns:
        if column.field is None and column.header == LAYOUT[0].header:
            row.append(number)
            continue
        value = column.write(member)
        if column.is_date and value is not None:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = EXCEL_DATE_FORMAT
            row.append(cell)
        else:
            # Text stays text: card numbers keep their leading zeros, "12/12" is no date.
            row.append(str(value) if value is not None else None)
    return row


def export_members_xlsx(
    members_queryset: QuerySet[Member],
    *,
    organization: Organization,
    today: datetime.date | None = None,
) -> bytes:
    """The members of `members_queryset`, in its order, as an XLSX list of `organization`
    in the 7-HSĐV layout. Rows are streamed from the database in chunks."""
    today = today or timezone.localdate()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    header_row = TITLE_ROWS + 1
    _prepare_sheet(sheet, header_row=header_row)
    sheet.append([_title_cell(sheet, f"{LIST_TITLE} — {organization.name}", XLSX_TITLE)])
    sheet.append(
        [
            _title_cell(
                sheet,
                f"Mã tổ chức: {organization.code} · Ngày lập: {today.strftime('%d/%m/%Y')}",
            )
        ]
    )
    sheet.append([])
    sheet.append(_header_cells(sheet))
    members = members_queryset.select_related("cell").iterator(chunk_size=2000)
    for number, member in enumerate(members, start=1):
        sheet.append(_member_row(sheet, number, member, LAYOUT))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_template_xlsx() -> bytes:
    """A blank list with the header row, drop-down choices for the coded columns, and a
    second sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([LIST_TITLE])
    sheet["A1"].font = XLSX_TITLE
    sheet.append([])
    sheet.append([column.header for column in LAYOUT])
    header_row = 3
    for index, column in enumerate(LAYOUT, start=1):
        cell = sheet.cell(row=header_row, column=index)
        cell.font = XLSX_BOLD
        cell.alignment = XLSX_HEADER_ALIGNMENT
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        if column.is_date:
            for row in range(header_row + 1, header_row + 501):
                sheet.cell(row=row, column=index).number_format = EXCEL_DATE_FORMAT
    sheet.freeze_panes = f"C{header_row + 1}"
    choices = {
        "sex": [label for label in SEX_LABELS.values()],
        "political_theory": [label for label in THEORY_LABELS.values() if label],
        "status": [label for label in STATUS_LABELS.values()],
    }
    for index, column in enumerate(LAYOUT, start=1):
        if column.field in choices:
            letter = get_column_letter(index)
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(choices[column.field]) + '"',
                allow_blank=True,
            )
            validation.add(f"{letter}{header_row + 1}:{letter}{header_row + 100_000}")
            sheet.add_data_validation(validation)
    guide = workbook.create_sheet(GUIDE_SHEET_TITLE)
    guide.append(["Cột", "Bắt buộc", "Cách ghi"])
    for cell in guide[1]:
        cell.font = XLSX_BOLD
    for column in LAYOUT:
        guide.append(
            [column.header, "Có" if column.required else "", _GUIDE.get(column.header, "")]
        )
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_GUIDE = {
    "STT": "Số thứ tự, không bắt buộc.",
    "Họ và tên": "Họ, tên đệm và tên, ví dụ: Nguyễn Văn An.",
    "Giới tính": "Nam hoặc Nữ.",
    "Dân tộc": "Để trống: Kinh.",
    "Tôn giáo": "Để trống: Không.",
    "Ngày sinh": "Ngày đầy đủ, dạng dd/mm/yyyy, ví dụ 05/09/1975.",
    "Trình độ học vấn": "Ví dụ: 12/12.",
    "Lý luận chính trị": "Sơ cấp, Trung cấp, Cao cấp, Cử nhân; để trống nếu chưa qua đào tạo.",
    "Ngày quyết định kết nạp": "dd/mm/yyyy.",
    "Ngày vào Đảng (lễ kết nạp)": "dd/mm/yyyy; không trước ngày quyết định kết nạp.",
    "Ngày chính thức": "dd/mm/yyyy; không trước ngày lễ kết nạp. Để trống nếu là đảng viên dự bị.",
    "Số thẻ đảng viên": "Không trùng với đảng viên khác.",
    "Chi bộ (mã tổ chức)": (
        "Mã tổ chức của chi bộ, ví dụ 38.168.053.000.001. Để trống khi nhập vào một chi bộ."
    ),
    "Trạng thái": (
        "Dự bị, Chính thức, Miễn sinh hoạt, Sinh hoạt tạm thời, Đình chỉ sinh hoạt … "
        "Để trống: Chính thức nếu có ngày chính thức, nếu không là Dự bị."
    ),
}
