"""Build member-list XLSX files in memory for the import tests.

Rows are dicts keyed by the layout's headers ("Họ và tên", "Ngày sinh" …); a missing key is an
empty cell. `member_list_file` writes title rows, the header row, then the rows, like a list a
cell secretary would keep in Excel."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

from chibo.members.imports import HEADERS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def member_row(full_name: str, **overrides: Any) -> dict[str, Any]:
    """A valid row for a probationary member. `overrides` are keyed by header:
    member_row("Lê Thị Hoa", **{"Giới tính": "Nữ"})."""
    row: dict[str, Any] = {
        "Họ và tên": full_name,
        "Giới tính": "Nam",
        "Ngày sinh": "15/06/1990",
        "Ngày quyết định kết nạp": "01/03/2020",
        "Ngày vào Đảng (lễ kết nạp)": "19/03/2020",
    }
    row.update(overrides)
    return row


def workbook_bytes(rows: Iterable[Sequence[Any]], *, sheet_title: str = "Danh sách") -> bytes:
    """An XLSX whose first sheet holds `rows` as given (None: an empty cell)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for values in rows:
        sheet.append(list(values))
    for column in sheet.iter_cols(min_row=1):
        for cell in column:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def member_list_file(
    rows: Iterable[dict[str, Any] | None],
    *,
    headers: Sequence[str] = HEADERS,
    title_rows: Sequence[str] = ("DANH SÁCH ĐẢNG VIÊN", "Chi bộ Khối 1"),
) -> io.BytesIO:
    """A member list: title rows, the header row, then one line per row (None: a blank line).
    The STT column is numbered like a keeper would."""
    lines: list[list[Any]] = [[title] for title in title_rows]
    lines.append(list(headers))
    number = 0
    for row in rows:
        if row is None:
            lines.append([])
            continue
        number += 1
        lines.append([number if header == "STT" else row.get(header) for header in headers])
    file = io.BytesIO(workbook_bytes(lines))
    file.name = "danh-sach.xlsx"
    return file


def many_rows(count: int, *, start: int = 1) -> list[dict[str, Any]]:
    """`count` distinct valid rows (different names and card numbers)."""
    return [
        member_row(
            f"Nguyễn Văn Thử {number}",
            **{
                "Ngày sinh": datetime.date(1960 + number % 40, 1 + number % 12, 1 + number % 28),
                "Số thẻ đảng viên": f"{90000000 + number}",
            },
        )
        for number in range(start, start + count)
    ]
