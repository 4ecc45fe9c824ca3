"""Build member-list XLSX files in memory for the import tests.

Rows are dicts keyed by the layout's headers ("Họ và tên", "Ngày sinh" …); a missing key is an
empty cell. `member_list_file` writes title rows, the header row, then the rows, like a list a
cell secretary would keep in Excel."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def excel_like_xlsx(rows: Sequence[Sequence[Any]], *, date1904: bool = False) -> io.BytesIO:
    """An XLSX written the way Excel writes one, which openpyxl does not: shared strings (a
    `Rich` value becomes formatted runs with a phonetic reading that is not cell text),
    element names with a namespace prefix, dates as day numbers styled with a custom
    "dd/mm/yyyy" format, a `Formula` value as a formula with its last result (a `Failed` one
    with an error), and, when a
    row is a `NoRefs` list, cells without their A1 reference."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    epoch = datetime.date(1904, 1, 1) if date1904 else datetime.date(1899, 12, 30)
    shared: list[str] = []
    sheet_rows: list[str] = []
    for number, values in enumerate(rows, start=1):
        cells = []
        for index, value in enumerate(values):
            reference = "" if isinstance(values, NoRefs) else f' r="{chr(65 + index)}{number}"'
            if value is None:
                continue
            if isinstance(value, Failed):
                cells.append(
                    f'<x:c{reference} t="e"><x:f>{_escape(value.formula)}</x:f>'
                    f"<x:v>{_escape(value.error)}</x:v></x:c>"
                )
            elif isinstance(value, Formula):
                cells.append(
                    f'<x:c{reference} t="str"><x:f>{_escape(value.formula)}</x:f>'
                    f"<x:v>{_escape(value.result)}</x:v></x:c>"
                )
            elif isinstance(value, Rich):
                runs = "".join(
                    f'<x:r><x:t xml:space="preserve">{_escape(run)}</x:t></x:r>'
                    for run in value.runs
                )
                shared.append(f'{runs}<x:rPh sb="0" eb="1"><x:t>ふりがな</x:t></x:rPh>')
                cells.append(f'<x:c{reference} t="s"><x:v>{len(shared) - 1}</x:v></x:c>')
            elif isinstance(value, str):
                shared.append(f"<x:t>{_escape(value)}</x:t>")
                cells.append(f'<x:c{reference} t="s"><x:v>{len(shared) - 1}</x:v></x:c>')
            elif isinstance(value, datetime.date):
                serial = (value - epoch).days
                cells.append(f'<x:c{reference} s="1"><x:v>{serial}</x:v></x:c>')
            else:
                cells.append(f"<x:c{reference}><x:v>{value}</x:v></x:c>")
        sheet_rows.append(f'<x:row r="{number}">{"".join(cells)}</x:row>')
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<x:workbook xmlns:x="{main}" xmlns:r="{relations}">'
            f'<x:workbookPr date1904="{1 if date1904 else 0}"/><x:sheets>'
            '<x:sheet name="Ghi chú" sheetId="2" r:id="rId9"/>'
            '<x:sheet name="DS" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relations}/worksheet" '
            'Target="/xl/worksheets/data.xml"/>'
            f'<Relationship Id="rId9" Type="{relations}/worksheet" Target="worksheets/notes.xml"/>'
            f'<Relationship Id="rId2" Type="{relations}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{relations}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<x:styleSheet xmlns:x="{main}"><x:numFmts count="1">'
            '<x:numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></x:numFmts>'
            '<x:cellStyleXfs count="1"><x:xf numFmtId="14"/></x:cellStyleXfs>'
            '<x:cellXfs count="2"><x:xf numFmtId="0"/><x:xf numFmtId="164" applyNumberFormat="1"/>'
            "</x:cellXfs></x:styleSheet>"
        ),
        "xl/sharedStrings.xml": (
            f'<x:sst xmlns:x="{main}" count="{len(shared)}">'
            + "".join(f"<x:si>{item}</x:si>" for item in shared)
            + "</x:sst>"
        ),
        "xl/worksheets/data.xml": (
            f'<x:worksheet xmlns:x="{main}"><x:sheetData>{"".join(sheet_rows)}</x:sheetData>'
            "</x:worksheet>"
        ),
        # A first sheet of notes, as keepers often have: it has no header row.
        "xl/worksheets/notes.xml": (
            f'<x:worksheet xmlns:x="{main}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr">'
            "<x:is><x:t>Ghi chú</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + text)
    buffer.seek(0)
    buffer.name = "excel.xlsx"
    return buffer


class NoRefs(list):
    """A row whose cells are written without their A1 references."""


@dataclass(frozen=True)
class Formula:
    formula: str
    result: str


@dataclass(frozen=True)
class Failed:
    """A formula whose last result is an error."""

    formula: str
    error: str


@dataclass(frozen=True)
class Rich:
    runs: tuple[str, ...]
