"""The list-exporter contract (after pretix's exporters): an export is a table whose rows are
produced once, lazily, from a source (a queryset iterator, a list, a generator), and rendered to
XLSX or CSV by the same code. Apps describe *what* a list holds — columns with a header and a
value getter, title lines, footer rows — and never build a workbook themselves.

- `Table`: columns and a source. Each source item becomes one row through the column getters
  (or is taken as the row itself when a column has no getter). Rendering walks the source once,
  so a generator or a queryset `.iterator()` is never held in memory; a second rendering of a
  consumed one-shot source is refused rather than silently empty.
- `Sheet`: free-form rows (reports with a section per dimension), same renderers.
- `Cell`/`Style`: a value with its look in XLSX (bold, title size, number format, fill); CSV
  writes the bare value.

XLSX is written with openpyxl in write-only mode: memory stays flat for a committee of tens of
thousands of members. Only a workbook that needs what write-only mode cannot do (drop-down
validations over empty cells, as in the import template) is written in normal mode.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

EXCEL_DATE_FORMAT = "DD/MM/YYYY"
CSV_DATE_FORMAT = "%d/%m/%Y"
PERCENT_FORMAT = "0.0%"
VND_FORMAT = "#,##0"


@dataclass(frozen=True)
class Style:
    bold: bool = False
    size: float | None = None
    number_format: str = ""
    fill: str = ""  # background colour, RGB hex
    color: str = ""  # font colour, RGB hex
    centred: bool = False  # centred and wrapped, as header cells are

    def font(self) -> Font | None:
        if not (self.bold or self.size or self.color):
            return None
        return Font(bold=self.bold, size=self.size, color=self.color or None)


PLAIN = Style()
BOLD = Style(bold=True)
TITLE = Style(bold=True, size=14)
HEADER = Style(bold=True, centred=True)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Cell:
    """A value with its look in XLSX."""

    value: Any
    style: Style = PLAIN


def styled(value: Any, style: Style = PLAIN, **changes: Any) -> Cell:
    """`value` in `style`, with some attributes changed: styled(0.5, number_format="0.0%")."""
    if changes:
        style = Style(**{**style.__dict__, **changes})
    return Cell(value, style)


def title(text: str) -> Cell:
    return Cell(text, TITLE)


def bold(value: Any) -> Cell:
    return Cell(value, BOLD)


def header(texts: Iterable[str]) -> list[Cell]:
    return [Cell(text, HEADER) for text in texts]


def bare(value: Any) -> Any:
    return value.value if isinstance(value, Cell) else value


class _RowNumber:
    def __repr__(self) -> str:
        return "ROW_NUMBER"


# A column getter that numbers the rows 1, 2, 3 … (the "STT" column of Vietnamese lists).
ROW_NUMBER: Any = _RowNumber()


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any] | None = None  # None: the source item is the row, by position
    width: float | None = None
    number_format: str = ""  # for every non-empty value (dates, money)


@dataclass
class Sheet:
    """One worksheet: rows of values (or `Cell`s) written in order, and its page set-up."""

    title: str
    rows: Iterable[Sequence[Any]]
    widths: Sequence[float | None] = ()
    freeze_panes: str | None = None
    orientation: str | None = None  # "portrait" / "landscape" on A4; None: Excel's default
    print_title_rows: str | None = None
    # Normal-mode workbooks only: a last touch on the worksheet (data validations …).
    decorate: Callable[[Worksheet], None] | None = None

    def iter_rows(self) -> Iterator[Sequence[Any]]:
        return iter(self.rows)

    def data_rows(self) -> Iterator[Sequence[Any]]:
        """The rows a CSV holds: all of them for a free-form sheet."""
        return self.iter_rows()

    def xlsx(self) -> bytes:
        return render_xlsx([self])

    def csv(self) -> bytes:
        return render_csv(self)


class Table(Sheet):
    """A list: optional title lines and a blank row, the header row, one row per source item,
    then optional footer rows (totals). The source is consumed once per rendering."""

    def __init__(
        self,
        columns: Sequence[Column],
        source: Iterable[Any],
        *,
        sheet_title: str,
        title_lines: Sequence[Any] = (),
        footer: Iterable[Sequence[Any]] | Callable[[], Iterable[Sequence[Any]]] = (),
        freeze_panes: str | None = None,
        orientation: str | None = "landscape",
        print_header: bool = True,
    ) -> None:
        self.columns = list(columns)
        self.source = source
        self.title_lines = list(title_lines)
        self.footer = footer
        self._one_shot = iter(source) is source  # a generator or iterator: one pass only
        self._consumed = False
        super().__init__(
            title=sheet_title,
            rows=(),
            widths=[column.width for column in self.columns],
            freeze_panes=freeze_panes,
            orientation=orientation,
            print_title_rows=(f"{self.header_row}:{self.header_row}" if print_header else None),
        )

    @property
    def header_row(self) -> int:
        """The sheet row of the header (1-based): after the title lines and a blank row."""
        return len(self.title_lines) + 2 if self.title_lines else 1

    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def _items(self) -> Iterator[Any]:
        if self._one_shot:
            if self._consumed:
                raise RuntimeError("This table's source is an iterator and was already rendered.")
            self._consumed = True
        return iter(self.source)

    def _value(self, column: Column, number: int, item: Any, position: int) -> Any:
        if column.value is ROW_NUMBER:
            value = number
        elif column.value is None:
            value = item[position]
        else:
            value = column.value(item)
        if column.number_format and value is not None and not isinstance(value, Cell):
            return Cell(value, Style(number_format=column.number_format))
        return value

    def body(self) -> Iterator[list[Any]]:
        """The data rows, each source item read once, in order."""
        columns = list(enumerate(self.columns))
        for number, item in enumerate(self._items(), start=1):
            yield [self._value(column, number, item, index) for index, column in columns]

    def _footer_rows(self) -> Iterable[Sequence[Any]]:
        return self.footer() if callable(self.footer) else self.footer

    def iter_rows(self) -> Iterator[Sequence[Any]]:
        for line in self.title_lines:
            yield [line]
        if self.title_lines:
            yield []
        yield header(self.headers())
        yield from self.body()
        yield from self._footer_rows()

    def data_rows(self) -> Iterator[Sequence[Any]]:
        """A CSV holds the header, the rows and the footer; title lines belong to the sheet."""
        yield self.headers()
        yield from self.body()
        yield from self._footer_rows()


# -- XLSX -----------------------------------------------------------------------------------


# A text starting with one of these is a live formula once a spreadsheet opens the file
# (CSV injection, OWASP): a name "=HYPERLINK(...)" typed into chibo must stay a name.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """Whether `value` is text a spreadsheet would read as a formula. Numbers never are: a
    negative number stays a number."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _as_text(cell: Any) -> None:
    """Store the cell as plain text, shown as typed: openpyxl would otherwise write a text
    starting with '=' as a formula; the quote prefix keeps Excel from re-reading it as one
    when the cell is edited."""
    cell.data_type = "s"
    cell.quotePrefix = True


def _write_only_cell(worksheet: Any, value: Any) -> Any:
    if not isinstance(value, Cell) and not is_formula_like(value):
        return value
    cell = WriteOnlyCell(worksheet, value=bare(value))
    if isinstance(value, Cell):
        _apply_style(cell, value.style)
    if is_formula_like(cell.value):
        _as_text(cell)
    return cell


def _apply_style(cell: Any, style: Style) -> None:
    font = style.font()
    if font is not None:
        cell.font = font
    if style.centred:
        cell.alignment = HEADER_ALIGNMENT
    if style.number_format:
        cell.number_format = style.number_format
    if style.fill:
        cell.fill = PatternFill("solid", fgColor=style.fill)


def _set_up(worksheet: Any, sheet: Sheet) -> None:
    for index, width in enumerate(sheet.widths, start=1):
        if width is not None:
            worksheet.column_dimensions[get_column_letter(index)].width = width
    if sheet.freeze_panes:
        worksheet.freeze_panes = sheet.freeze_panes
    if sheet.orientation:
        worksheet.page_setup.orientation = sheet.orientation
        worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    if sheet.print_title_rows:
        worksheet.print_title_rows = sheet.print_title_rows


def render_xlsx(sheets: Sequence[Sheet], *, write_only: bool = True) -> bytes:
    """The sheets as one XLSX workbook, rows streamed in order (write-only mode by default)."""
    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        _set_up(worksheet, sheet)
        for row in sheet.iter_rows():
            if write_only:
                worksheet.append([_write_only_cell(worksheet, value) for value in row])
                continue
            worksheet.append([bare(value) for value in row])
            for column, value in enumerate(row, start=1):
                if isinstance(value, Cell):
                    _apply_style(worksheet.cell(row=worksheet.max_row, column=column), value.style)
                if is_formula_like(bare(value)):
                    _as_text(worksheet.cell(row=worksheet.max_row, column=column))
        if sheet.decorate is not None and not write_only:
            sheet.decorate(worksheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- CSV ------------------------------------------------------------------------------------


def _csv_text(value: Any) -> Any:
    value = bare(value)
    if isinstance(value, datetime.datetime):
        return value.strftime(f"{CSV_DATE_FORMAT} %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime(CSV_DATE_FORMAT)
    if is_formula_like(value):
        return "'" + value  # CSV has no text type: the quote is what spreadsheets honour
    return "" if value is None else value


def render_csv(sheet: Sheet) -> bytes:
    """The sheet's data rows as CSV in UTF-8 with a byte-order mark (so that Excel reads the
    Vietnamese letters), dates as dd/mm/yyyy."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in sheet.data_rows():
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")
