"""XLSX exports of the member register in the 7-HSĐV list layout (members.imports.LAYOUT).

The sheet has two title rows (the list's name with the organization, then its code and the
date), a blank row, the header row, and one row per member in the order given. The same
columns in the same order are read back by members.imports, so an exported list re-imports
unchanged. Built as a core.exports Table: rows are streamed into openpyxl's write-only mode, so
memory stays flat for a large committee.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from chibo.core.exports.tables import (
    EXCEL_DATE_FORMAT,
    ROW_NUMBER,
    Column,
    Sheet,
    Table,
    bold,
    header,
    render_xlsx,
    title,
)
from chibo.members.imports import (
    LAYOUT,
    SEX_LABELS,
    STATUS_LABELS,
    THEORY_LABELS,
)
from chibo.members.imports import Column as LayoutColumn
from chibo.members.models import Member
from chibo.orgs.models import Organization

# The list's title and sheet names are part of the document (a Vietnamese official list),
# like the headers, so they are not interface text.
LIST_TITLE = "DANH SÁCH ĐẢNG VIÊN"
SHEET_TITLE = "Danh sách đảng viên"
GUIDE_SHEET_TITLE = "Hướng dẫn"
TITLE_ROWS = 3  # the header is on row 4 of an export


def _getter(column: LayoutColumn) -> Any:
    if column.field is None and column.header == LAYOUT[0].header:
        return ROW_NUMBER

    def value(member: Member) -> Any:
        written = column.write(member)
        if column.is_date or written is None:
            return written
        # Text stays text: card numbers keep their leading zeros, "12/12" is no date.
        return str(written)

    return value


def member_table(
    members: Any, *, organization: Organization, today: datetime.date | None = None
) -> Table:
    """The 7-HSĐV list of `members` (an iterable, read once), as an export table."""
    today = today or timezone.localdate()
    return Table(
        [
            Column(
                column.header,
                _getter(column),
                width=column.width,
                number_format=EXCEL_DATE_FORMAT if column.is_date else "",
            )
            for column in LAYOUT
        ],
        members,
        sheet_title=SHEET_TITLE,
        title_lines=[
            title(f"{LIST_TITLE} — {organization.name}"),
            f"Mã tổ chức: {organization.code} · Ngày lập: {today.strftime('%d/%m/%Y')}",
        ],
        freeze_panes=f"C{TITLE_ROWS + 2}",
    )


def export_members_xlsx(
    members_queryset: QuerySet[Member],
    *,
    organization: Organization,
    today: datetime.date | None = None,
) -> bytes:
    """The members of `members_queryset`, in its order, as an XLSX list of `organization`
    in the 7-HSĐV layout. Rows are streamed from the database in chunks."""
    members = members_queryset.select_related("cell").iterator(chunk_size=2000)
    return member_table(members, organization=organization, today=today).xlsx()


def _template_extras(sheet: Worksheet, *, header_row: int) -> None:
    """Date formats on the first 500 rows and drop-down choices for the coded columns."""
    choices = {
        "sex": [label for label in SEX_LABELS.values()],
        "political_theory": [label for label in THEORY_LABELS.values() if label],
        "status": [label for label in STATUS_LABELS.values()],
    }
    for index, column in enumerate(LAYOUT, start=1):
        if column.is_date:
            for row in range(header_row + 1, header_row + 501):
                sheet.cell(row=row, column=index).number_format = EXCEL_DATE_FORMAT
        if column.field in choices:
            letter = get_column_letter(index)
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(choices[column.field]) + '"',
                allow_blank=True,
            )
            validation.add(f"{letter}{header_row + 1}:{letter}{header_row + 100_000}")
            sheet.add_data_validation(validation)


def import_template_xlsx() -> bytes:
    """A blank list with the header row, drop-down choices for the coded columns, and a
    second sheet explaining each column. Written in openpyxl's normal mode: write-only sheets
    cannot format and validate cells that hold no value yet."""
    header_row = 3
    template = Sheet(
        SHEET_TITLE,
        [[title(LIST_TITLE)], [], header(column.header for column in LAYOUT)],
        widths=[column.width for column in LAYOUT],
        freeze_panes=f"C{header_row + 1}",
        decorate=lambda sheet: _template_extras(sheet, header_row=header_row),
    )
    guide = Sheet(
        GUIDE_SHEET_TITLE,
        [
            [bold("Cột"), bold("Bắt buộc"), bold("Cách ghi")],
            *(
                [column.header, "Có" if column.required else "", _GUIDE.get(column.header, "")]
                for column in LAYOUT
            ),
        ],
        widths=[28, 10, 90],
    )
    return render_xlsx([template, guide], write_only=False)


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
