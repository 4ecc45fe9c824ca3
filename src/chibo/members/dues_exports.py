"""The dues book (sổ thu nộp đảng phí) of a cell for one year, as XLSX and as PDF.

Both show the grid of the dues page: a row per member with the amount paid each month, "nợ"
for a past month not paid, the year's total paid and the months in arrears; then the totals
per month (paid, and due). The headers are part of the document (a Vietnamese book), not
interface text. The PDF is an A4 landscape table set in Times New Roman (the bundled Liberation
Serif stands in, as for meeting documents: meetings.document_render)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chibo.meetings.document_render import FONT_DIR, font_faces_css
from chibo.members import dues
from chibo.members.exports import XLSX_BOLD, XLSX_HEADER_ALIGNMENT, XLSX_TITLE

BOOK_TITLE = "SỔ THU NỘP ĐẢNG PHÍ"
SHEET_TITLE = "Đảng phí"
ARREARS_MARK = "nợ"
VND_FORMAT = "#,##0"
ARREARS_FILL = PatternFill("solid", fgColor="F8D7DA")
ARREARS_FONT = Font(color="9C0006")
BASIS_LABELS = {
    "insurable_salary": "Lương đóng BHXH",
    "pension": "Lương hưu",
    "student": "Học sinh, sinh viên",
    "fixed": "Mức cố định",
}


def headers(book: dues.DuesBook) -> list[str]:
    return [
        "STT",
        "Họ và tên",
        "Căn cứ",
        *[f"T{month.month}" for month in book.months],
        "Đã nộp",
        "Số tháng nợ",
    ]


def cell_value(cell: dues.MonthCell) -> int | str | None:
    if cell.state == dues.PAID and cell.payment is not None:
        return cell.payment.amount_paid
    if cell.state == dues.ARREARS:
        return ARREARS_MARK
    return None


def _basis_text(row: dues.MemberDuesRow) -> str:
    if row.basis is None:
        return "Chưa xác định"
    label = BASIS_LABELS.get(row.basis.basis, row.basis.basis)
    if row.basis.shows_amount:
        return f"{label}: {row.basis.basis_amount:,}".replace(",", ".")
    return label


def dues_book_xlsx(book: dues.DuesBook) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    widths = [5, 28, 22, *([10] * 12), 12, 10]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.print_title_rows = "4:4"

    def text(value, font=None):
        cell = WriteOnlyCell(sheet, value=value)
        if font is not None:
            cell.font = font
        return cell

    def money(value, *, bold=False):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, int):
            cell.number_format = VND_FORMAT
        if bold:
            cell.font = XLSX_BOLD
        return cell

    organization = book.organization
    sheet.append([text(f"{BOOK_TITLE} NĂM {book.year} — {organization.name}", XLSX_TITLE)])
    today = timezone.localdate().strftime("%d/%m/%Y")
    sheet.append([text(f"Mã tổ chức: {organization.code} · Ngày lập: {today} · Đơn vị: đồng")])
    sheet.append([])
    header_cells = []
    for value in headers(book):
        cell = text(value, XLSX_BOLD)
        cell.alignment = XLSX_HEADER_ALIGNMENT
        header_cells.append(cell)
    sheet.append(header_cells)
    for number, row in enumerate(book.rows, start=1):
        cells: list[Any] = [number, row.member.full_name, _basis_text(row)]
        for month_cell in row.cells:
            amount = money(cell_value(month_cell))
            if month_cell.state == dues.ARREARS:
                amount.fill = ARREARS_FILL
                amount.font = ARREARS_FONT
            cells.append(amount)
        cells.extend([money(row.paid_amount), row.arrears_months])
        sheet.append(cells)
    sheet.append(
        [None, text("Cộng đã thu", XLSX_BOLD), None]
        + [money(total.paid, bold=True) for total in book.totals]
        + [money(book.paid_total, bold=True), None]
    )
    sheet.append(
        [None, text("Phải thu", XLSX_BOLD), None]
        + [money(total.due, bold=True) for total in book.totals]
        + [money(book.due_total, bold=True), None]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dues_book_html(book: dues.DuesBook) -> str:
    rows = [
        {
            "number": number,
            "row": row,
            "basis": _basis_text(row),
            "values": [(cell_value(cell), cell.state) for cell in row.cells],
        }
        for number, row in enumerate(book.rows, start=1)
    ]
    return render_to_string(
        "members/dues_book_pdf.html",
        {
            "book": book,
            "title": f"{BOOK_TITLE} NĂM {book.year}",
            "headers": headers(book),
            "rows": rows,
            "today": timezone.localdate(),
            "font_faces": font_faces_css(),
        },
    )


def dues_book_pdf(book: dues.DuesBook) -> bytes:
    from weasyprint import HTML

    return HTML(string=dues_book_html(book), base_url=str(FONT_DIR)).write_pdf()
