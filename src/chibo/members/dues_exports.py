"""The dues book (sổ thu nộp đảng phí) of a cell for one year, as XLSX and as PDF.

Both show the grid of the dues page: a row per member with the amount paid each month, "nợ"
for a past month not paid, the year's total paid and the months in arrears; then the totals
per month (paid, and due). The headers are part of the document (a Vietnamese book), not
interface text. The PDF is an A4 landscape table set in Times New Roman (the bundled Liberation
Serif stands in: core.exports). Both go through the core export kit."""

from __future__ import annotations

import functools
from typing import Any

from django.utils import timezone

from chibo.core.exports.pdf import template_pdf
from chibo.core.exports.tables import (
    ROW_NUMBER,
    VND_FORMAT,
    Cell,
    Column,
    Style,
    Table,
    bold,
    styled,
    title,
)
from chibo.members import dues

BOOK_TITLE = "SỔ THU NỘP ĐẢNG PHÍ"
SHEET_TITLE = "Đảng phí"
ARREARS_MARK = "nợ"
ARREARS = Style(fill="F8D7DA", color="9C0006")
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


def _money(value: Any, *, strong: bool = False) -> Cell:
    return styled(value, bold=strong, number_format=VND_FORMAT if isinstance(value, int) else "")


def _month(cell: dues.MonthCell) -> Cell:
    if cell.state == dues.ARREARS:
        return Cell(cell_value(cell), ARREARS)
    return _money(cell_value(cell))


def _month_of_row(row: dues.MemberDuesRow, *, index: int) -> Cell:
    return _month(row.cells[index])


def dues_table(book: dues.DuesBook) -> Table:
    """The dues page as an export table: a row per member, then the totals paid and due."""
    months = [
        Column(f"T{month.month}", functools.partial(_month_of_row, index=index), width=10)
        for index, month in enumerate(book.months)
    ]
    organization = book.organization
    today = timezone.localdate().strftime("%d/%m/%Y")
    return Table(
        [
            Column("STT", ROW_NUMBER, width=5),
            Column("Họ và tên", lambda row: row.member.full_name, width=28),
            Column("Căn cứ", _basis_text, width=22),
            *months,
            Column("Đã nộp", lambda row: _money(row.paid_amount), width=12),
            Column("Số tháng nợ", lambda row: row.arrears_months, width=10),
        ],
        book.rows,
        sheet_title=SHEET_TITLE,
        title_lines=[
            title(f"{BOOK_TITLE} NĂM {book.year} — {organization.name}"),
            f"Mã tổ chức: {organization.code} · Ngày lập: {today} · Đơn vị: đồng",
        ],
        footer=[
            [None, bold("Cộng đã thu"), None]
            + [_money(total.paid, strong=True) for total in book.totals]
            + [_money(book.paid_total, strong=True), None],
            [None, bold("Phải thu"), None]
            + [_money(total.due, strong=True) for total in book.totals]
            + [_money(book.due_total, strong=True), None],
        ],
        freeze_panes="D5",
    )


def dues_book_xlsx(book: dues.DuesBook) -> bytes:
    return dues_table(book).xlsx()


def dues_book_pdf(book: dues.DuesBook) -> bytes:
    """The dues page as an A4 landscape PDF (template members/dues_book_pdf.html)."""
    rows = [
        {
            "number": number,
            "row": row,
            "basis": _basis_text(row),
            "values": [(cell_value(cell), cell.state) for cell in row.cells],
        }
        for number, row in enumerate(book.rows, start=1)
    ]
    context = {
        "book": book,
        "title": f"{BOOK_TITLE} NĂM {book.year}",
        "headers": headers(book),
        "rows": rows,
        "today": timezone.localdate(),
    }
    return template_pdf("members/dues_book_pdf.html", context)
