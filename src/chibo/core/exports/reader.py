"""The streaming XLSX reader used by imports (the member register; any future list import).

openpyxl builds an object per cell and needs about six times longer for a 100,000-row list than
the budget allows (DESIGN §7), so a sheet is streamed through expat here. Only what a list needs
is read: sheet order, shared strings, which cell styles are dates, cell values (formulas give
their last computed value). `open_xlsx` checks the container first and says in one sentence why
a file is no XLSX; a damaged part raises one of READ_ERRORS, which callers turn into
`unreadable()`.

    with open_xlsx(file) as archive:
        try:
            workbook = XlsxReader(archive)
            for title, path in workbook.sheets:
                for row_number, values in workbook.rows(path): ...
        except READ_ERRORS:
            raise unreadable() from None
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import is_date_format

from chibo.core.errors import ServiceError
from chibo.core.uploads import Deadline, ParseLimits, check_archive, rows_limit_error

# Columns beyond this are never read: it bounds the work a malformed sheet can cause.
MAX_COLUMNS = 60
# What a damaged or hand-made file raises while it is read; the reader never guesses.
READ_ERRORS = (expat.ExpatError, KeyError, IndexError, ValueError, zipfile.BadZipFile)


class ExcelError(str):
    """A cell showing a formula error ("#N/A", "#VALUE!") instead of a value."""


# openpyxl builds an object per cell and needs about six times longer for a
# 100,000-row list than the budget allows, so the sheet is streamed through expat here. Only
# what a list needs is read: sheet order, shared strings, which cell styles are dates, cell
# values (formulas give their last computed value).

_SPREADSHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # "strict" OOXML
)
_SHEET_TAGS = ("row", "c", "v", "t", "rPh")
_TAG_BY_NAME = {
    f"{namespace}|{tag}": tag for namespace in _SPREADSHEET_NAMESPACES for tag in _SHEET_TAGS
} | {tag: tag for tag in _SHEET_TAGS}
# Built-in number formats that show a date: 14-22 and 45-47 everywhere, 27-36 and 50-58 in
# East Asian versions of Excel. Custom formats are judged by their code.
_BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)})
_EPOCH_1900 = datetime.datetime(1899, 12, 30)
_EPOCH_1904 = datetime.datetime(1904, 1, 1)
_CHUNK_BYTES = 1 << 20


def _local(name: str) -> str:
    return name.rpartition("|")[2]


def _refuse_doctype(*args: Any) -> None:
    # No part of an XLSX has a DTD; refusing one rules out entity tricks.
    raise ValueError("an XLSX part with a DTD")


def _xml_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator="|")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartDoctypeDeclHandler = _refuse_doctype
    return parser


def _feed(
    parser: expat.XMLParserType, stream: IO[bytes], deadline: Deadline | None = None
) -> Iterator[None]:
    """Feed `stream` to `parser` a chunk at a time, pausing after each chunk; past the
    deadline (core.uploads.Deadline) the reading stops with its error."""
    while chunk := stream.read(_CHUNK_BYTES):
        if deadline is not None:
            deadline.check()
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


@functools.cache
def _letters_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _column_index(reference: str) -> int:
    """0 for "A7", 27 for "AB12"."""
    return _letters_index(reference.rstrip("0123456789"))


class XlsxReader:
    """The worksheets of an XLSX archive, read as rows of plain values."""

    def __init__(self, archive: zipfile.ZipFile, *, deadline: Deadline | None = None) -> None:
        self.archive = archive
        self.deadline = deadline
        relations = self._relations("xl/_rels/workbook.xml.rels")
        self.sheets: list[tuple[str, str]] = []
        self.epoch = _EPOCH_1900
        self._read_workbook(relations)
        by_type = {kind: target for kind, target in relations.values()}
        self.shared_strings = self._read_shared_strings(by_type.get("sharedStrings"))
        self.date_styles = self._read_date_styles(by_type.get("styles"))

    def _walk(self, path: str, start: Callable, end: Callable | None = None, text=None) -> None:
        parser = _xml_parser()
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        with self.archive.open(path) as stream:
            for _pause in _feed(parser, stream, self.deadline):
                pass

    def _relations(self, path: str) -> dict[str, tuple[str, str]]:
        """{relation id: (type, part path)} of the workbook's parts."""
        relations: dict[str, tuple[str, str]] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs["Target"]
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                kind = attrs.get("Type", "").rpartition("/")[2]
                relations[attrs["Id"]] = (kind, posixpath.normpath(path))

        self._walk(path, start)
        return relations

    def _read_workbook(self, relations: dict[str, tuple[str, str]]) -> None:
        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "sheet":
                relation_id = next(value for key, value in attrs.items() if _local(key) == "id")
                kind, path = relations.get(relation_id, ("", ""))
                if kind == "worksheet":
                    self.sheets.append((attrs.get("name", ""), path))
            elif tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.epoch = _EPOCH_1904

        self._walk("xl/workbook.xml", start)

    def _read_shared_strings(self, path: str | None) -> list[str]:
        strings: list[str] = []
        if path is None:
            return strings
        parts: list[str] = []
        state = {"text": False, "phonetic": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "si":
                parts.clear()
            elif tag == "t":
                state["text"] = not state["phonetic"]
            elif tag == "rPh":
                state["phonetic"] = True

        def end(name: str) -> None:
            tag = _local(name)
            if tag == "si":
                strings.append("".join(parts))
            elif tag == "t":
                state["text"] = False
            elif tag == "rPh":
                state["phonetic"] = False

        def text(data: str) -> None:
            if state["text"]:
                parts.append(data)

        self._walk(path, start, end, text)
        return strings

    def _read_date_styles(self, path: str | None) -> frozenset[int]:
        """The indexes of the cell styles whose number format shows a date."""
        if path is None:
            return frozenset()
        custom: dict[int, str] = {}
        formats: list[int] = []
        state = {"cell_styles": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "numFmt":
                custom[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                state["cell_styles"] = True
            elif tag == "xf" and state["cell_styles"]:
                formats.append(int(attrs.get("numFmtId", 0)))

        def end(name: str) -> None:
            if _local(name) == "cellXfs":
                state["cell_styles"] = False

        self._walk(path, start, end)
        return frozenset(
            index
            for index, format_id in enumerate(formats)
            if format_id in _BUILTIN_DATE_FORMATS
            or (format_id in custom and is_date_format(custom[format_id]))
        )

    def rows(self, path: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(Excel row number, values by column index) for every row the sheet stores, in
        order. Columns past MAX_COLUMNS are not read."""
        shared, date_styles, epoch = self.shared_strings, self.date_styles, self.epoch
        tag_by_name = _TAG_BY_NAME
        done: list[tuple[int, tuple[Any, ...]]] = []
        values: list[Any] = []
        parts: list[str] = []
        # The row being read, and the cell: its column, type, style and whether text counts.
        row_number, column, kind, style = 0, 0, "n", None
        collecting = phonetic = False

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row_number, column, kind, style, collecting, phonetic
            tag = tag_by_name.get(name)
            if tag == "c":
                reference = attrs.get("r")
                column = _column_index(reference) if reference else column + 1
                kind, style = attrs.get("t", "n"), attrs.get("s")
                parts.clear()
            elif tag == "v" or (tag == "t" and not phonetic):
                collecting = True
            elif tag == "row":
                reference = attrs.get("r")
                row_number = int(reference) if reference else row_number + 1
                values.clear()
                column = -1
            elif tag == "rPh":
                phonetic = True

        def end(name: str) -> None:
            nonlocal collecting, phonetic
            tag = tag_by_name.get(name)
            if tag == "c":
                if column < MAX_COLUMNS:
                    value = _cell_value(kind, style, "".join(parts), shared, date_styles, epoch)
                    if value is not None:
                        if column >= len(values):
                            values.extend([None] * (column + 1 - len(values)))
                        values[column] = value
            elif tag == "v" or tag == "t":
                collecting = False
            elif tag == "row":
                done.append((row_number, tuple(values)))
            elif tag == "rPh":
                phonetic = False

        def text(data: str) -> None:
            if collecting:
                parts.append(data)

        parser = _xml_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        with self.archive.open(path) as stream:
            for _pause in _feed(parser, stream, self.deadline):
                yield from done
                done.clear()


def _cell_value(
    kind: str,
    style: str | None,
    text: str,
    shared: list[str],
    date_styles: frozenset[int],
    epoch: datetime.datetime,
) -> Any:
    if kind == "s":
        return shared[int(text)] if text else None
    if kind == "inlineStr" or kind == "str":
        return text
    if not text:
        return None
    if kind == "b":
        return text == "1"
    if kind == "e":
        return ExcelError(text)
    if kind == "d":
        return datetime.datetime.fromisoformat(text.rstrip("Z"))
    try:
        number: int | float = int(text)
    except ValueError:
        number = float(text)
    if style is not None and int(style) in date_styles:
        try:
            return epoch + datetime.timedelta(days=number)
        except (OverflowError, ValueError):
            # Beyond what a date can hold (1e300 in a date-styled cell): the bare number,
            # which the reader of the column refuses in the keeper's words.
            return number
    return number


def open_xlsx(file: IO[bytes], limits: ParseLimits | None = None) -> zipfile.ZipFile:
    """The file's zip archive, or a ServiceError saying in one sentence why it is no XLSX or
    which limit it exceeds (core.uploads.check_archive: size and compression ratio, judged
    from the zip's directory before anything is decompressed)."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head:
        raise ServiceError(_("The file is empty."))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ServiceError(
            _(
                "This is an old Excel 97-2003 (.xls) file. Open it in Excel, save it as an "
                "Excel Workbook (.xlsx) and upload it again."
            )
        )
    not_xlsx = ServiceError(
        _("This is not an Excel (.xlsx) file. Save the list as an Excel Workbook (.xlsx).")
    )
    if not head.startswith(b"PK"):
        raise not_xlsx
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        raise not_xlsx from None
    if "xl/workbook.xml" not in archive.namelist():
        archive.close()
        raise not_xlsx
    try:
        check_archive(archive, limits or ParseLimits.from_settings())
    except ServiceError:
        archive.close()
        raise
    return archive


def unreadable() -> ServiceError:
    return ServiceError(
        _("The file could not be read. Open it in Excel, save it again as .xlsx and retry.")
    )


# -- CSV ----------------------------------------------------------------------------------------

CSV_DELIMITERS = (",", ";", "\t")


class CsvReader:
    """A CSV list read like a one-sheet workbook (`sheets`, `rows`): each record is a row,
    numbered as Excel numbers it when it opens the file; empty fields are None.

    The limits come first, from the bytes alone: the file's size, then UTF-8 (an encoding
    error names its row), then the number of lines and the longest line. Excel's "CSV UTF-8"
    (with its byte-order mark) and the comma, semicolon or tab Excel writes by locale are
    read."""

    def __init__(
        self, file: IO[bytes], limits: ParseLimits, *, deadline: Deadline | None = None
    ) -> None:
        file.seek(0)
        data = file.read(limits.max_csv_bytes + 1)
        if len(data) > limits.max_csv_bytes:
            raise ServiceError(
                _("The CSV file is larger than %(size)s MB, the limit for one file.")
                % {"size": limits.max_csv_bytes // (1024 * 1024)}
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ServiceError(
                _(
                    "Row %(row)d of the CSV file is not UTF-8 text. In Excel, save the list as "
                    "“CSV UTF-8 (Comma delimited)” and upload it again."
                )
                % {"row": data.count(b"\n", 0, error.start) + 1}
            ) from None
        if "\x00" in text:
            raise ServiceError(
                _("Row %(row)d of the CSV file holds a NUL character; it is not a text list.")
                % {"row": text.count("\n", 0, text.index("\x00")) + 1}
            )
        # Records end at \r\n, \r or \n, as the csv module reads them (not at the other
        # separators str.splitlines knows).
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        # Every physical line counts, blank or not, like every row of a sheet (a header and
        # a few title lines above it are allowed).
        if len(lines) > limits.max_rows + _CSV_HEADER_LINES:
            raise rows_limit_error(limits)
        for number, line in enumerate(lines, start=1):
            if len(line) > limits.max_line_chars:
                raise ServiceError(
                    _(
                        "Row %(row)d of the CSV file is longer than %(limit)s characters, the "
                        "limit for one row."
                    )
                    % {"row": number, "limit": f"{limits.max_line_chars:,}".replace(",", ".")}
                )
        self.text = text
        self.deadline = deadline
        first = lines[0] if lines else ""
        self.delimiter = max(CSV_DELIMITERS, key=first.count)
        self.sheets: list[tuple[str, str]] = [("CSV", "csv")]

    def rows(self, path: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        number = 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise ServiceError(
                    _(
                        "Row %(row)d of the CSV file cannot be read: a quotation mark is not "
                        "closed, or a value is too long."
                    )
                    % {"row": number + 1}
                ) from None
            number += 1
            if self.deadline is not None and number % 1000 == 0:
                self.deadline.check()
            yield number, tuple(value if value != "" else None for value in record[:MAX_COLUMNS])


# Title lines and the header a CSV list may have above its rows (HEADER_SEARCH_ROWS).
_CSV_HEADER_LINES = 10
