"""Reading and checking a member list (`parse_member_file`): find the header row, read every
row through the layout's cell readers, then check what needs the database (cells, duplicates)
in a few batched queries. Nothing is written here."""

from __future__ import annotations

import datetime
import functools
import itertools
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.core.errors import ServiceError
from chibo.core.exports.reader import (
    READ_ERRORS,
    CsvReader,
    ExcelError,
    XlsxReader,
    open_xlsx,
    unreadable,
)
from chibo.core.text import fold
from chibo.core.uploads import Deadline, ParseLimits, rows_limit_error
from chibo.members.imports.columns import (
    BIRTH_DATE,
    CARD,
    CELL,
    CEREMONY_DATE,
    COLUMN_BY_HEADER,
    COLUMN_NUMBER,
    DECISION_DATE,
    HEADER_BY_KEY,
    NAME,
    OFFICIAL_DATE,
    POSITION,
    REQUIRED_HEADERS,
    STATUS,
    STT,
    CellError,
    Column,
    cell_text,
    header_key,
)
from chibo.members.imports.results import ImportResult, ImportRow, RowProblem
from chibo.members.models import Member, MemberStatus
from chibo.members.services import check_member_dates, initial_status
from chibo.orgs.models import CELL_KINDS, ORG_CODE_RE, Organization

# The default of settings.CHIBO_IMPORT_MAX_ROWS (core.uploads.ParseLimits.max_rows), the rows
# below the header a list may have; the settings' value is the one enforced.
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 10
# Rows read between two looks at the clock (core.uploads.Deadline).
DEADLINE_EVERY_ROWS = 500


def _find_header(
    rows: list[tuple[int, tuple[Any, ...]]],
) -> tuple[int, dict[int, str], list[str]] | None:
    """(row number, {column index: layout header}, ignored headers) of the row that matches
    the most known headers (at least two), or None."""
    best: tuple[int, dict[int, str], list[str]] | None = None
    for number, row in rows:
        mapping: dict[int, str] = {}
        ignored: list[str] = []
        for position, value in enumerate(row):
            if value is None or cell_text(value) == "":
                continue
            header = HEADER_BY_KEY.get(header_key(value))
            if header and header not in mapping.values():
                mapping[position] = header
            else:
                ignored.append(cell_text(value))
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (number, mapping, ignored)
    return best


def parse_member_file(
    file: IO[bytes],
    *,
    organization: Organization,
    filename: str = "",
    limits: ParseLimits | None = None,
    deadline: Deadline | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> ImportResult:
    """Read and check every row of a member list (layout above; XLSX, or CSV when `filename`
    ends in .csv) for import into `organization` (a cell, or a committee whose cells the rows
    name). Nothing is written.

    A file that cannot be used at all (not XLSX, empty, beyond a limit of core.uploads
    .ParseLimits — rows below the header counted blank or not, uncompressed size, compression
    ratio, reading time, CSV size and line length —, required columns missing) raises
    ServiceError; every problem of a row is returned with its Excel row number and column
    header. Duplicates are rows repeating an earlier row of the file, or a member already
    registered (same party card number, or same name ignoring diacritics and case and same
    date of birth; see selectors.find_duplicates) — found with a few batched queries.
    `on_rows(count)` is told the rows read so far, every few hundred (a job's progress)."""
    limits = limits or ParseLimits.from_settings()
    deadline = deadline or Deadline(limits.max_seconds)
    if is_csv_name(filename):
        reader = CsvReader(file, limits, deadline=deadline)
        return _parse_workbook(
            reader, organization=organization, limits=limits, deadline=deadline, on_rows=on_rows
        )
    with open_xlsx(file, limits) as archive:
        try:
            workbook = XlsxReader(archive, deadline=deadline)
            return _parse_workbook(
                workbook,
                organization=organization,
                limits=limits,
                deadline=deadline,
                on_rows=on_rows,
            )
        except READ_ERRORS:
            # A damaged or hand-made file; the reader never guesses at what it meant.
            raise unreadable() from None


def is_csv_name(filename: str) -> bool:
    return filename.lower().endswith(".csv")


def _parse_workbook(
    workbook: XlsxReader | CsvReader,
    *,
    organization: Organization,
    limits: ParseLimits,
    deadline: Deadline,
    on_rows: Callable[[int], None] | None = None,
) -> ImportResult:
    header: tuple[int, dict[int, str], list[str]] | None = None
    sheet_title = ""
    rows: Iterator[tuple[int, tuple[Any, ...]]] = iter(())
    top: list[tuple[int, tuple[Any, ...]]] = []
    for title, path in workbook.sheets:
        rows = workbook.rows(path)
        top = []
        for number, values in rows:
            top.append((number, values))
            if number >= HEADER_SEARCH_ROWS or len(top) >= HEADER_SEARCH_ROWS:
                break
        header = _find_header([(n, v) for n, v in top if n <= HEADER_SEARCH_ROWS])
        if header:
            sheet_title = title
            break
    if header is None:
        if not any(any(value not in (None, "") for value in row) for _, row in top):
            raise ServiceError(_("The file is empty."))
        raise ServiceError(
            _(
                "No header row was found in the first %(count)d rows. The header row must "
                "contain the columns %(columns)s. Download the template to see the layout."
            )
            % {"count": HEADER_SEARCH_ROWS, "columns": ", ".join(REQUIRED_HEADERS)}
        )
    header_row, mapping, ignored = header
    required = list(REQUIRED_HEADERS)
    if not organization.is_cell:
        required.append(CELL)
    missing = [name for name in required if name not in mapping.values()]
    if missing:
        raise ServiceError(
            ngettext(
                "The file has no column %(columns)s. Add it to the header row (row %(row)d).",
                "The file has no columns %(columns)s. Add them to the header row (row %(row)d).",
                len(missing),
            )
            % {"columns": ", ".join(f"“{name}”" for name in missing), "row": header_row}
        )
    parser = _RowParser(organization=organization, mapping=mapping)
    # Every physical row below the header counts toward the limit, blank or not: a sheet may
    # store millions of empty rows (issue 14), and the reading stops at the first one over.
    physical_rows = 0
    row_limit = limits.max_rows
    for number, values in itertools.chain((row for row in top if row[0] > header_row), rows):
        physical_rows += 1
        if physical_rows > row_limit:
            raise rows_limit_error(limits)
        if physical_rows % DEADLINE_EVERY_ROWS == 0:
            deadline.check()
            if on_rows is not None:
                on_rows(physical_rows)
        if number == header_row + 1 and _is_column_number_row(values):
            continue
        if parser.is_blank(values):
            continue
        parser.add(number, values)
    if parser.row_count == 0:
        raise ServiceError(_("The file has a header row but no member rows."))
    deadline.check()
    parser.finish()
    return ImportResult(
        organization=organization,
        rows=parser.rows,
        problems=parser.sorted_problems(),
        duplicates=sorted(parser.duplicates, key=parser.problem_order),
        ignored_columns=ignored,
        header_row=header_row,
        sheet_title=sheet_title,
    )


@functools.lru_cache(maxsize=16384)
def _fold_word(word: str) -> str:
    return fold(word)


def _fold_name(name: str) -> str:
    """core.text.fold of a name the reader has normalised (NFC, no invisible characters, one
    space between words), word by word: names share their words, so each is folded once."""
    return " ".join(folded for folded in map(_fold_word, name.split(" ")) if folded)


_CELL_REF = "<cell>"
_STATUS = "<status>"


def _target(column: Column) -> str | None:
    """Where a column's value goes in an ImportRow: its cell reference, its status, a member
    field (row.values) or nowhere."""
    if column.header == CELL:
        return _CELL_REF
    if column.header == STATUS:
        return _STATUS
    return column.field


def _is_column_number_row(values: tuple[Any, ...]) -> bool:
    """Printed lists often number their columns (1), (2) … under the headers."""
    filled = [cell_text(value) for value in values if cell_text(value)]
    return len(filled) >= 3 and all(COLUMN_NUMBER.match(value) for value in filled)


class _RowParser:
    """Reads rows one by one, then checks what needs the database in a few batched queries."""

    def __init__(self, *, organization: Organization, mapping: dict[int, str]) -> None:
        self.organization = organization
        self.today = timezone.localdate()
        self.columns = [
            (position, COLUMN_BY_HEADER[header]) for position, header in mapping.items()
        ]
        self.content_positions = [
            position for position, column in self.columns if column.header != STT
        ]
        # (position, header, reader, where the value goes) of each column read, once.
        self._readers = [
            (position, column.header, column.read, _target(column))
            for position, column in self.columns
            if column.header != STT
        ]
        self.rows: list[ImportRow] = []
        self.problems: list[RowProblem] = []
        self.duplicates: list[RowProblem] = []
        self._first_row_by_card: dict[str, int] = {}
        self._first_row_by_person: dict[tuple[str, datetime.date], int] = {}

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def is_blank(self, values: tuple[Any, ...]) -> bool:
        """A row with nothing but (perhaps) its number is not a member row."""
        for position in self.content_positions:
            value = values[position] if position < len(values) else None
            if value is not None and not (isinstance(value, str) and not value.strip()):
                return False
        return True

    def _problem(self, row: ImportRow, column: str, message: str) -> RowProblem:
        problem = RowProblem(row=row.row, column=column, message=message)
        self.problems.append(problem)
        row.valid = False
        return problem

    def add(self, row_number: int, values: tuple[Any, ...]) -> None:
        row = ImportRow(row=row_number, values={})
        self.rows.append(row)
        width = len(values)
        fields = row.values
        for position, header, read, target in self._readers:
            raw = values[position] if position < width else None
            if isinstance(raw, ExcelError):
                self._problem(
                    row,
                    header,
                    _("The cell shows the Excel error %(error)s instead of a value.")
                    % {"error": raw},
                )
                continue
            try:
                value = read(raw)
            except CellError as error:
                self._problem(row, header, str(error))
                continue
            if target is _CELL_REF:
                row.cell_ref = value
            elif target is _STATUS:
                row.status = value
            elif target:
                fields[target] = value
        # The readers have given the name normalised (core.text.normalize_name) and the card
        # number without spaces or None: what services._normalise gives member_create.
        full_name = fields.get("full_name")
        row.name_key = _fold_name(full_name) if full_name else ""
        self._check_dates(row)
        self._check_status(row)
        self._note_in_file_duplicates(row)

    def _check_dates(self, row: ImportRow) -> None:
        """check_member_dates, given one more date at a time, so the problem names the
        column whose date makes the set impossible."""
        try:
            check_member_dates(row.values, today=self.today)
            return
        except ServiceError:
            pass
        checked: dict[str, Any] = {}
        for header, name in (
            (BIRTH_DATE, "birth_date"),
            (DECISION_DATE, "admission_decision_date"),
            (CEREMONY_DATE, "ceremony_date"),
            (OFFICIAL_DATE, "official_date"),
        ):
            day = row.values.get(name)
            if day is None:
                continue
            checked[name] = day
            try:
                check_member_dates(checked, today=self.today)
            except ServiceError as error:
                self._problem(row, header, error.messages[0])
                return

    def _check_status(self, row: ImportRow) -> None:
        official = row.values.get("official_date")
        if row.status is None:
            row.status = initial_status(row.values)
        elif row.status == MemberStatus.OFFICIAL and not official:
            self._problem(row, STATUS, _("An official member needs an official recognition date."))
        elif row.status == MemberStatus.PROBATIONARY and official:
            self._problem(
                row, STATUS, _("A probationary member has no official recognition date yet.")
            )

    def _duplicate(self, row: ImportRow, column: str, message: str) -> None:
        self.duplicates.append(self._problem(row, column, message))

    def _note_in_file_duplicates(self, row: ImportRow) -> None:
        card = row.values.get("party_card_number")
        if card:
            first = self._first_row_by_card.setdefault(card, row.row)
            if first != row.row:
                self._duplicate(
                    row,
                    CARD,
                    _("Party card number %(card)s is also on row %(row)d of the file.")
                    % {"card": card, "row": first},
                )
        birth = row.values.get("birth_date")
        if row.name_key and birth:
            first = self._first_row_by_person.setdefault((row.name_key, birth), row.row)
            if first != row.row:
                self._duplicate(
                    row,
                    NAME,
                    _("The same name and date of birth are also on row %(row)d of the file.")
                    % {"row": first},
                )

    def finish(self) -> None:
        self._resolve_cells()
        self._note_database_duplicates()

    # -- cells ------------------------------------------------------------------------------

    def _resolve_cells(self) -> None:
        organization = self.organization
        references = {row.cell_ref for row in self.rows if row.cell_ref}
        codes = {ref for ref in references if ORG_CODE_RE.match(ref)}
        names = {fold(ref) for ref in references - codes}
        subtree = Organization.objects.filter(path__startswith=organization.path).only(
            "id", "name", "code", "kind", "path", "active_to"
        )
        by_code: dict[str, Organization] = {}
        for chunk in _chunks(sorted(codes)):
            by_code.update((unit.code, unit) for unit in subtree.filter(code__in=chunk))
        by_name: dict[str, list[Organization]] = {}
        if names:
            for unit in subtree.filter(kind__in=CELL_KINDS):
                by_name.setdefault(fold(unit.name), []).append(unit)
        for row in self.rows:
            if not row.cell_ref:
                if organization.is_cell:
                    row.cell = organization
                else:
                    self._problem(
                        row,
                        CELL,
                        _("Write the code of the member's cell: members are registered in a cell."),
                    )
                continue
            if row.cell_ref in codes:
                unit = by_code.get(row.cell_ref)
                if unit is None:
                    self._problem(
                        row,
                        CELL,
                        _("There is no unit with code %(code)s in %(organization)s.")
                        % {"code": row.cell_ref, "organization": organization.name},
                    )
                    continue
            else:
                matches = by_name.get(fold(row.cell_ref), [])
                if len(matches) != 1:
                    message = (
                        _("Several cells in %(organization)s have this name; write the code.")
                        if matches
                        else _("There is no cell named “%(name)s” in %(organization)s.")
                    )
                    self._problem(
                        row,
                        CELL,
                        message % {"name": row.cell_ref, "organization": organization.name},
                    )
                    continue
                unit = matches[0]
            if unit.kind not in CELL_KINDS:
                self._problem(
                    row,
                    CELL,
                    _(
                        "%(code)s is %(name)s, which is not a party cell; members are "
                        "registered in a cell."
                    )
                    % {"code": unit.code, "name": unit.name},
                )
            elif not unit.is_active:
                self._problem(
                    row,
                    CELL,
                    _("The cell %(name)s has been dissolved or merged.") % {"name": unit.name},
                )
            else:
                row.cell = unit

    # -- duplicates of registered members -------------------------------------------------------

    def _note_database_duplicates(self) -> None:
        cards = {
            row.values["party_card_number"]
            for row in self.rows
            if row.values.get("party_card_number")
        }
        births_by_name: dict[str, set[datetime.date]] = {}
        for row in self.rows:
            birth = row.values.get("birth_date")
            if row.name_key and birth:
                births_by_name.setdefault(row.name_key, set()).add(birth)
        # (id, folded name, date of birth, card, cell name, cell path) of registered members:
        # tuples, not model instances (a list uploaded again repeats every member).
        registered = Member.objects.values_list(
            "id", "name_search", "birth_date", "party_card_number", "cell__name", "cell__path"
        )
        card_holders: dict[str, tuple[Any, ...]] = {}
        for chunk in _chunks(sorted(cards)):
            card_holders.update(
                (str(member[3]), member)
                for member in registered.filter(party_card_number__in=chunk)
            )
        namesakes: dict[tuple[str, datetime.date], tuple[Any, ...]] = {}
        # Half a chunk of names, and their dates of birth, keep each query under the limit.
        for chunk in _chunks(sorted(births_by_name), share=2):
            births = set().union(*(births_by_name[name] for name in chunk))
            if len(births) <= len(chunk):
                same_birth = Q(birth_date__in=births)
            else:
                same_birth = Q(birth_date__gte=min(births), birth_date__lte=max(births))
            for member in registered.filter(same_birth, name_search__in=chunk):
                namesakes.setdefault((member[1], member[2]), member)
        if not (card_holders or namesakes):
            return
        # Translated once, not once a row.
        card_taken = _("Party card number %(card)s already belongs to a member of %(cell)s.")
        person_registered = _(
            "A member with the same name and date of birth is already registered in %(cell)s."
        )
        elsewhere = _("another organization")
        path = self.organization.path

        def where(member: tuple[Any, ...]) -> str:
            # Name the cell only inside the subtree the keeper manages; elsewhere say no more.
            return str(member[4]) if str(member[5]).startswith(path) else elsewhere

        for row in self.rows:
            card = row.values.get("party_card_number")
            holder = card_holders.get(card) if card else None
            if holder is not None:
                self._duplicate(row, CARD, card_taken % {"card": card, "cell": where(holder)})
            birth = row.values.get("birth_date")
            namesake = namesakes.get((row.name_key, birth)) if row.name_key and birth else None
            if namesake is not None and (holder is None or namesake[0] != holder[0]):
                self._duplicate(row, NAME, person_registered % {"cell": where(namesake)})

    # -- output -----------------------------------------------------------------------------

    @staticmethod
    def problem_order(problem: RowProblem) -> tuple[int, int]:
        return problem.row, POSITION.get(problem.column, len(POSITION))

    def sorted_problems(self) -> list[RowProblem]:
        return sorted(self.problems, key=self.problem_order)


def _chunks(values: list[Any], *, share: int = 1) -> Iterator[list[Any]]:
    # Stay under the database's limit on query parameters (999 on older SQLite builds);
    # `share` is the number of parameter lists of this size one query carries.
    size = (min(connection.features.max_query_params or 5000, 5000) - 9) // share
    for start in range(0, len(values), size):
        yield values[start : start + size]


# Bytes of a list per member row, from which `estimate_rows` guesses the rows before reading:
# low on purpose (an XLSX sheet written by openpyxl takes ~400 bytes a row uncompressed,
# Excel's with shared strings less; a CSV line ~120 bytes), so a list is rather read in a job
# than too long in a request.
XLSX_BYTES_PER_ROW = 200
CSV_BYTES_PER_ROW = 80


def estimate_rows(file: IO[bytes], *, filename: str = "", limits: ParseLimits | None = None) -> int:
    """About how many rows the list has, from its size alone (nothing is parsed): a CSV's
    bytes, an XLSX's uncompressed worksheets. An XLSX beyond the archive limits (size,
    compression ratio) is refused here, before anything is decompressed."""
    limits = limits or ParseLimits.from_settings()
    if is_csv_name(filename):
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
        return size // CSV_BYTES_PER_ROW
    with open_xlsx(file, limits) as archive:
        sheets = sum(
            info.file_size
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        )
    file.seek(0)
    return sheets // XLSX_BYTES_PER_ROW
