"""Import of the member register from an XLSX list in the layout of the 7-HSĐV member list.

The layout
==========
The Sổ danh sách đảng viên (form 7-HSĐV, HD 01-HD/TW 2021 §8; DOMAIN R5.3) groups several
values under one printed column ("giới tính, dân tộc, tôn giáo", "ngày vào Đảng / chính thức" …).
chibo flattens those groups into one value per column. The file has one header row; up to
`HEADER_SEARCH_ROWS` title rows may stand above it, and the header row is found by matching known
headers while ignoring diacritics, case and punctuation ("ho va ten" matches "Họ và tên"). A row
of column numbers (1, 2, 3 …) just below the header is skipped, as are blank rows.

======================================  ============================  ==========================
Header (as chibo writes it)             Member field                  Values
======================================  ============================  ==========================
STT                                     —                             ignored on import
Họ và tên                               full_name                     required
Giới tính                               sex                           required: Nam / Nữ
Dân tộc                                 ethnicity                     empty: Kinh
Tôn giáo                                religion                      empty: Không
Ngày sinh                               birth_date                    required, dd/mm/yyyy
Quê quán                                home_town
Nơi ở hiện nay                          residence_address
Trình độ học vấn                        general_education             e.g. 12/12
Trình độ chuyên môn                     professional_qualification
Lý luận chính trị                       political_theory              Sơ cấp / Trung cấp /
                                                                      Cao cấp / Cử nhân / empty
Nghề nghiệp                             occupation
Ngày quyết định kết nạp                 admission_decision_date       dd/mm/yyyy
Ngày vào Đảng (lễ kết nạp)              ceremony_date                 dd/mm/yyyy
Ngày chính thức                         official_date                 dd/mm/yyyy
Số thẻ đảng viên                        party_card_number             unique
Chi bộ (mã tổ chức)                     cell                          code 38.168.053.000.001
                                                                      (or the cell's name);
                                                                      empty: the cell imported
                                                                      into
Trạng thái                              status                        Dự bị, Chính thức, Miễn
                                                                      sinh hoạt …; empty: from
                                                                      the official date
Điện thoại                              phone
Email                                   email
Ghi chú                                 notes
======================================  ============================  ==========================

Dates may be text (dd/mm/yyyy, also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or real Excel dates.
`LAYOUT` below is the single definition: exports.py writes the same columns in the same order,
so an exported list re-imports unchanged. The headers and value labels are the file format (a
Vietnamese official list), not interface text, so they are not translated.

Reading and validating (`parse_member_file`) never writes; `import_members` writes the valid
rows in one transaction. Both batch their queries: the number of queries does not grow with the
number of rows (DESIGN §7: 100,000 rows in under a minute, every bad row reported).
"""

from __future__ import annotations

import datetime
import functools
import itertools
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.text import fold, name_sort_key
from chibo.members.models import Member, MemberEvent, MemberStatus, PoliticalTheory, Sex
from chibo.members.services import _normalise, check_member_dates, initial_status
from chibo.orgs.models import CELL_KINDS, ORG_CODE_RE, Organization

MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 10
# Columns beyond this are never read: it bounds the work a malformed sheet can cause.
MAX_COLUMNS = 60
# An XLSX is a zip; refuse archives that would expand to more than this (zip bombs).
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
DATE_FORMAT = "%d/%m/%Y"


class ImportMode(TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", gettext_lazy("Import only if every row is valid")
    VALID_ROWS_ONLY = "valid_rows_only", gettext_lazy("Import the valid rows, skip the others")


# ---------------------------------------------------------------------------------------------
# Value labels of the file format (Vietnamese, as keepers write them), folded for matching.

SEX_LABELS: dict[str, str] = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
THEORY_LABELS: dict[str, str] = {
    PoliticalTheory.NONE: "",
    PoliticalTheory.ELEMENTARY: "Sơ cấp",
    PoliticalTheory.INTERMEDIATE: "Trung cấp",
    PoliticalTheory.ADVANCED: "Cao cấp",
    PoliticalTheory.BACHELOR: "Cử nhân",
}
STATUS_LABELS: dict[str, str] = {
    MemberStatus.PROBATIONARY: "Dự bị",
    MemberStatus.OFFICIAL: "Chính thức",
    MemberStatus.EXEMPTED: "Miễn sinh hoạt",
    MemberStatus.TEMPORARILY_ATTACHED: "Sinh hoạt tạm thời",
    MemberStatus.TRANSFERRED_OUT: "Đã chuyển đi",
    MemberStatus.SUSPENDED: "Đình chỉ sinh hoạt",
    MemberStatus.REMOVED: "Đã xóa tên",
    MemberStatus.DECEASED: "Từ trần",
}

_SEX_BY_WORD = {"nam": Sex.MALE, "nu": Sex.FEMALE, "male": Sex.MALE, "female": Sex.FEMALE}
_THEORY_BY_WORD = {
    **{fold(label): value for value, label in THEORY_LABELS.items() if label},
    "khong": PoliticalTheory.NONE,
    "chua": PoliticalTheory.NONE,
    "chua qua dao tao": PoliticalTheory.NONE,
    "so cap ly luan chinh tri": PoliticalTheory.ELEMENTARY,
    "trung cap ly luan chinh tri": PoliticalTheory.INTERMEDIATE,
    "cao cap ly luan chinh tri": PoliticalTheory.ADVANCED,
    "cu nhan chinh tri": PoliticalTheory.BACHELOR,
    "cu nhan ly luan chinh tri": PoliticalTheory.BACHELOR,
}
_STATUS_BY_WORD = {
    **{fold(label): value for value, label in STATUS_LABELS.items()},
    "du bi": MemberStatus.PROBATIONARY,
    "dang vien du bi": MemberStatus.PROBATIONARY,
    "dang vien chinh thuc": MemberStatus.OFFICIAL,
    "mien cong tac va sinh hoat dang": MemberStatus.EXEMPTED,
    "mien cong tac va sinh hoat": MemberStatus.EXEMPTED,
    "mien sinh hoat dang": MemberStatus.EXEMPTED,
    "sinh hoat tam": MemberStatus.TEMPORARILY_ATTACHED,
    "chuyen di": MemberStatus.TRANSFERRED_OUT,
    "da chuyen sinh hoat": MemberStatus.TRANSFERRED_OUT,
    "dinh chi sinh hoat dang": MemberStatus.SUSPENDED,
    "xoa ten": MemberStatus.REMOVED,
    "da tu tran": MemberStatus.DECEASED,
    "da mat": MemberStatus.DECEASED,
}

_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Excel day numbers of 1/1/1910 and 31/12/9999: a bare number outside is not a date.
_SERIAL_MIN, _SERIAL_MAX = 3654, 2958465


class CellError(Exception):
    """A value that cannot be read; its message is a translated sentence for the keeper."""


class ExcelError(str):
    """A cell showing a formula error ("#N/A", "#VALUE!") instead of a value."""


# ---------------------------------------------------------------------------------------------
# Cell readers (file value -> Python value) and writers (Member -> file value).


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _text_reader(max_length: int, default: str = "") -> Callable[[Any], str]:
    def read(value: Any) -> str:
        text = _text(value)
        if len(text) > max_length:
            raise CellError(
                _("The value is too long (at most %(limit)d characters).") % {"limit": max_length}
            )
        return text or default

    return read


def read_date(value: Any) -> datetime.date | None:
    """A real Excel date, or text written dd/mm/yyyy (d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            # A date typed in a cell formatted as a number: Excel's day count from 30/12/1899.
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
        if 1000 <= value <= 2999:
            raise CellError(_("Only the year is written. Write the full date as dd/mm/yyyy."))
        raise CellError(_("This is not a date. Write dates as dd/mm/yyyy."))
    text = str(value).strip()
    if not text:
        return None
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif text.isdigit() and len(text) == 4:
        raise CellError(_("Only the year is written. Write the full date as dd/mm/yyyy."))
    else:
        raise CellError(_("This is not a date. Write dates as dd/mm/yyyy."))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("This date does not exist in the calendar.")) from None


def _choice_reader(
    words: Mapping[str, str], message: Any, *, required: bool = False, default: str | None = None
) -> Callable[[Any], str | None]:
    # The same few labels fill a whole column: look each one up once.
    @functools.lru_cache(maxsize=256)
    def choice(text: str) -> str | None:
        return words.get(fold(text)) if text else default

    def read(value: Any) -> str | None:
        text = _text(value)
        if not text and required:
            raise CellError(_("This value is required."))
        found = choice(text)
        if text and found is None:
            raise CellError(str(message))
        return found

    return read


def _read_name(value: Any) -> str:
    name = _text_reader(120)(value)
    if not name:
        raise CellError(_("The full name is required."))
    return name


def _read_birth_date(value: Any) -> datetime.date:
    day = read_date(value)
    if day is None:
        raise CellError(_("The date of birth is required."))
    return day


def _read_card(value: Any) -> str | None:
    return _text_reader(20)(value).replace(" ", "") or None


def _read_email(value: Any) -> str:
    email = _text_reader(254)(value)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CellError(_("This is not a valid e-mail address.")) from None
    return email


def _read_education(value: Any) -> str:
    # Excel turns "12/12" typed into a cell into a date of the current year.
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.day}/{value.month}"
    return _text_reader(20)(value)


def _read_cell_ref(value: Any) -> str:
    return _text_reader(200)(value)


@dataclass(frozen=True)
class Column:
    """One column of the layout. `field` is the Member attribute it fills (None: not stored);
    `read` turns a cell value into that field's value or raises CellError; `write` gives the
    value exported for a member."""

    header: str
    field: str | None
    read: Callable[[Any], Any]
    write: Callable[[Member], Any]
    aliases: tuple[str, ...] = ()
    required: bool = False
    is_date: bool = False
    width: int = 14


def _attr(name: str) -> Callable[[Member], Any]:
    return lambda member: getattr(member, name) or None


STT = "STT"
NAME = "Họ và tên"
SEX = "Giới tính"
BIRTH_DATE = "Ngày sinh"
DECISION_DATE = "Ngày quyết định kết nạp"
CEREMONY_DATE = "Ngày vào Đảng (lễ kết nạp)"
OFFICIAL_DATE = "Ngày chính thức"
CARD = "Số thẻ đảng viên"
CELL = "Chi bộ (mã tổ chức)"
STATUS = "Trạng thái"

LAYOUT: tuple[Column, ...] = (
    Column(
        STT, None, lambda value: None, lambda member: None, ("Số TT", "Số thứ tự", "TT"), width=6
    ),
    Column(
        NAME,
        "full_name",
        _read_name,
        _attr("full_name"),
        ("Họ tên", "Họ và tên khai sinh", "Họ và tên đảng viên"),
        required=True,
        width=26,
    ),
    Column(
        SEX,
        "sex",
        _choice_reader(_SEX_BY_WORD, gettext_lazy("Write Nam or Nữ."), required=True),
        lambda member: SEX_LABELS.get(member.sex),
        ("Nam/Nữ", "Nam, nữ", "Giới"),
        required=True,
        width=9,
    ),
    Column("Dân tộc", "ethnicity", _text_reader(50, "Kinh"), _attr("ethnicity"), width=10),
    Column("Tôn giáo", "religion", _text_reader(50, "Không"), _attr("religion"), width=10),
    Column(
        BIRTH_DATE,
        "birth_date",
        _read_birth_date,
        _attr("birth_date"),
        ("Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày"),
        required=True,
        is_date=True,
        width=12,
    ),
    Column("Quê quán", "home_town", _text_reader(200), _attr("home_town"), width=24),
    Column(
        "Nơi ở hiện nay",
        "residence_address",
        _text_reader(300),
        _attr("residence_address"),
        ("Nơi cư trú", "Chỗ ở hiện nay", "Nơi ở", "Địa chỉ"),
        width=24,
    ),
    Column(
        "Trình độ học vấn",
        "general_education",
        _read_education,
        _attr("general_education"),
        ("Học vấn", "Giáo dục phổ thông", "Trình độ văn hóa", "Văn hóa"),
        width=10,
    ),
    Column(
        "Trình độ chuyên môn",
        "professional_qualification",
        _text_reader(100),
        _attr("professional_qualification"),
        ("Chuyên môn", "Chuyên môn nghiệp vụ", "Trình độ chuyên môn nghiệp vụ"),
        width=16,
    ),
    Column(
        "Lý luận chính trị",
        "political_theory",
        _choice_reader(
            _THEORY_BY_WORD,
            gettext_lazy("Write Sơ cấp, Trung cấp, Cao cấp or Cử nhân, or leave the cell empty."),
            default=PoliticalTheory.NONE,
        ),
        lambda member: THEORY_LABELS.get(member.political_theory) or None,
        ("Trình độ lý luận chính trị", "LLCT", "Lý luận"),
        width=12,
    ),
    Column(
        "Nghề nghiệp",
        "occupation",
        _text_reader(120),
        _attr("occupation"),
        ("Nghề nghiệp hiện nay",),
        width=16,
    ),
    Column(
        DECISION_DATE,
        "admission_decision_date",
        read_date,
        _attr("admission_decision_date"),
        ("Ngày ký quyết định kết nạp", "Ngày QĐ kết nạp", "Ngày quyết định kết nạp đảng"),
        is_date=True,
        width=12,
    ),
    Column(
        CEREMONY_DATE,
        "ceremony_date",
        read_date,
        _attr("ceremony_date"),
        ("Ngày lễ kết nạp", "Ngày tổ chức lễ kết nạp", "Ngày vào Đảng lễ kết nạp"),
        is_date=True,
        width=12,
    ),
    Column(
        OFFICIAL_DATE,
        "official_date",
        read_date,
        _attr("official_date"),
        ("Ngày công nhận chính thức", "Ngày chuyển chính thức", "Ngày được công nhận chính thức"),
        is_date=True,
        width=12,
    ),
    Column(
        CARD,
        "party_card_number",
        _read_card,
        _attr("party_card_number"),
        ("Số thẻ", "Số thẻ đảng", "Số thẻ Đảng viên"),
        width=14,
    ),
    Column(
        CELL,
        None,
        _read_cell_ref,
        lambda member: member.cell.code,
        ("Mã chi bộ", "Mã tổ chức", "Chi bộ", "Mã tổ chức đảng"),
        width=20,
    ),
    Column(
        STATUS,
        "status",
        _choice_reader(
            _STATUS_BY_WORD,
            gettext_lazy(
                "Unknown status. Write Dự bị, Chính thức, Miễn sinh hoạt, or leave the cell empty."
            ),
        ),
        lambda member: STATUS_LABELS.get(member.status),
        ("Tình trạng",),
        width=14,
    ),
    Column(
        "Điện thoại",
        "phone",
        _text_reader(20),
        _attr("phone"),
        ("Số điện thoại", "SĐT", "ĐT"),
        width=13,
    ),
    Column("Email", "email", _read_email, _attr("email"), ("E-mail", "Thư điện tử"), width=22),
    Column("Ghi chú", "notes", _text_reader(2000), _attr("notes"), width=20),
)
HEADERS: tuple[str, ...] = tuple(column.header for column in LAYOUT)
REQUIRED_HEADERS: tuple[str, ...] = tuple(column.header for column in LAYOUT if column.required)
_COLUMN_BY_HEADER = {column.header: column for column in LAYOUT}
_POSITION = {column.header: index for index, column in enumerate(LAYOUT)}


def header_key(text: Any) -> str:
    """A header compared without diacritics, case or punctuation: "Họ và tên" -> "ho va ten"."""
    return _NOT_WORD.sub(" ", fold(_text(text))).strip()


_HEADER_BY_KEY: dict[str, str] = {}
for _column in LAYOUT:
    for _name in (_column.header, *_column.aliases):
        _HEADER_BY_KEY.setdefault(header_key(_name), _column.header)


# ---------------------------------------------------------------------------------------------
# The result of reading a file.


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem: the row number as Excel shows it, the column's header, a sentence."""

    row: int
    column: str
    message: str


@dataclass(slots=True)
class ImportRow:
    row: int
    values: dict[str, Any]
    status: str | None = None
    cell: Organization | None = None
    cell_ref: str = ""
    valid: bool = True
    # The name folded for comparison ("nguyen van an"), once.
    name_key: str = ""


@dataclass
class ImportResult:
    """Every data row of the file with its problems. Nothing has been written."""

    organization: Organization
    rows: list[ImportRow]
    problems: list[RowProblem]
    # The subset of `problems` that say a row repeats another row or an existing member.
    duplicates: list[RowProblem]
    # Columns of the file that are not part of the layout (their values are ignored).
    ignored_columns: list[str]
    header_row: int
    sheet_title: str = ""

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.valid]

    @property
    def valid_count(self) -> int:
        return sum(1 for row in self.rows if row.valid)

    @property
    def invalid_count(self) -> int:
        return self.row_count - self.valid_count

    @property
    def has_errors(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    skipped: int
    cell_ids: list[int] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# The XLSX reader. openpyxl builds an object per cell and needs about six times longer for a
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


def _feed(parser: expat.XMLParserType, stream: IO[bytes]) -> Iterator[None]:
    """Feed `stream` to `parser` a chunk at a time, pausing after each chunk."""
    while chunk := stream.read(_CHUNK_BYTES):
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


class _XlsxReader:
    """The worksheets of an XLSX archive, read as rows of plain values."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
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
            for _pause in _feed(parser, stream):
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
        from openpyxl.styles.numbers import is_date_format

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
            for _pause in _feed(parser, stream):
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
        return epoch + datetime.timedelta(days=number)
    return number


# ---------------------------------------------------------------------------------------------
# Reading.


def _check_container(file: IO[bytes]) -> zipfile.ZipFile:
    """The file's zip archive, or a ServiceError saying in one sentence why it is no XLSX."""
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
    if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
        archive.close()
        raise ServiceError(_("The file is too large. Split the list into smaller files."))
    return archive


def _unreadable() -> ServiceError:
    return ServiceError(
        _("The file could not be read. Open it in Excel, save it again as .xlsx and retry.")
    )


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
            if value is None or _text(value) == "":
                continue
            header = _HEADER_BY_KEY.get(header_key(value))
            if header and header not in mapping.values():
                mapping[position] = header
            else:
                ignored.append(_text(value))
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (number, mapping, ignored)
    return best


def parse_member_file(file: IO[bytes], *, organization: Organization) -> ImportResult:
    """Read and check every row of an XLSX member list (layout above) for import into
    `organization` (a cell, or a committee whose cells the rows name). Nothing is written.

    A file that cannot be used at all (not XLSX, empty, over 100,000 rows, required columns
    missing) raises ServiceError; every problem of a row is returned with its Excel row number
    and column header. Duplicates are rows repeating an earlier row of the file, or a member
    already registered (same party card number, or same name ignoring diacritics and case and
    same date of birth; see selectors.find_duplicates) — found with a few batched queries."""
    with _check_container(file) as archive:
        try:
            workbook = _XlsxReader(archive)
            return _parse_workbook(workbook, organization=organization)
        except (expat.ExpatError, KeyError, IndexError, ValueError, zipfile.BadZipFile):
            # A damaged or hand-made file; the reader never guesses at what it meant.
            raise _unreadable() from None


def _parse_workbook(workbook: _XlsxReader, *, organization: Organization) -> ImportResult:
    header: tuple[int, dict[int, str], list[str]] | None = None
    sheet_title = ""
    rows: Iterator[tuple[int, tuple[Any, ...]]] = iter(())
    top: list[tuple[int, tuple[Any, ...]]] = []
    for title, path in workbook.sheets:
        rows = workbook.rows(path)
        top = []
        for number, values in rows:
            top.append((number, values))
            if number >= HEADER_SEARCH_ROWS:
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
    for number, values in itertools.chain((row for row in top if row[0] > header_row), rows):
        if number == header_row + 1 and _is_column_number_row(values):
            continue
        if parser.is_blank(values):
            continue
        if parser.row_count >= MAX_ROWS:
            raise ServiceError(
                _("The file has more than %(limit)s member rows. Split it into smaller files.")
                % {"limit": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        parser.add(number, values)
    if parser.row_count == 0:
        raise ServiceError(_("The file has a header row but no member rows."))
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


def _is_column_number_row(values: tuple[Any, ...]) -> bool:
    """Printed lists often number their columns (1), (2) … under the headers."""
    filled = [_text(value) for value in values if _text(value)]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.match(value) for value in filled)


class _RowParser:
    """Reads rows one by one, then checks what needs the database in a few batched queries."""

    def __init__(self, *, organization: Organization, mapping: dict[int, str]) -> None:
        self.organization = organization
        self.today = timezone.localdate()
        self.columns = [
            (position, _COLUMN_BY_HEADER[header]) for position, header in mapping.items()
        ]
        self.content_positions = [
            position for position, column in self.columns if column.header != STT
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
        for position, column in self.columns:
            if column.header == STT:
                continue
            raw = values[position] if position < len(values) else None
            if isinstance(raw, ExcelError):
                self._problem(
                    row,
                    column.header,
                    _("The cell shows the Excel error %(error)s instead of a value.")
                    % {"error": raw},
                )
                continue
            try:
                value = column.read(raw)
            except CellError as error:
                self._problem(row, column.header, str(error))
                continue
            if column.header == CELL:
                row.cell_ref = value
            elif column.header == STATUS:
                row.status = value
            elif column.field:
                row.values[column.field] = value
        row.values = _normalise(row.values)
        row.name_key = fold(row.values["full_name"]) if row.values.get("full_name") else ""
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
        fields = (
            "id",
            "name_search",
            "birth_date",
            "party_card_number",
            "cell__name",
            "cell__path",
        )
        registered = Member.objects.select_related("cell").only(*fields)
        card_holders: dict[str, Member] = {}
        for chunk in _chunks(sorted(cards)):
            card_holders.update(
                (str(member.party_card_number), member)
                for member in registered.filter(party_card_number__in=chunk)
            )
        namesakes: dict[tuple[str, datetime.date], Member] = {}
        # Half a chunk of names, and their dates of birth, keep each query under the limit.
        for chunk in _chunks(sorted(births_by_name), share=2):
            births = set().union(*(births_by_name[name] for name in chunk))
            if len(births) <= len(chunk):
                same_birth = Q(birth_date__in=births)
            else:
                same_birth = Q(birth_date__gte=min(births), birth_date__lte=max(births))
            for member in registered.filter(same_birth, name_search__in=chunk):
                namesakes.setdefault((member.name_search, member.birth_date), member)
        if not (card_holders or namesakes):
            return
        for row in self.rows:
            card = row.values.get("party_card_number")
            holder = card_holders.get(card) if card else None
            if holder is not None:
                self._duplicate(
                    row,
                    CARD,
                    _("Party card number %(card)s already belongs to a member of %(cell)s.")
                    % {"card": card, "cell": self._where(holder)},
                )
            birth = row.values.get("birth_date")
            namesake = namesakes.get((row.name_key, birth)) if row.name_key and birth else None
            if namesake is not None and (holder is None or namesake.pk != holder.pk):
                self._duplicate(
                    row,
                    NAME,
                    _(
                        "A member with the same name and date of birth is already registered "
                        "in %(cell)s."
                    )
                    % {"cell": self._where(namesake)},
                )

    def _where(self, member: Member) -> str:
        # Name the cell only inside the subtree the keeper manages; elsewhere say no more.
        if member.cell.path.startswith(self.organization.path):
            return member.cell.name
        return _("another organization")

    # -- output -----------------------------------------------------------------------------

    @staticmethod
    def problem_order(problem: RowProblem) -> tuple[int, int]:
        return problem.row, _POSITION.get(problem.column, len(_POSITION))

    def sorted_problems(self) -> list[RowProblem]:
        return sorted(self.problems, key=self.problem_order)


def _chunks(values: list[Any], *, share: int = 1) -> Iterator[list[Any]]:
    # Stay under the database's limit on query parameters (999 on older SQLite builds);
    # `share` is the number of parameter lists of this size one query carries.
    size = (min(connection.features.max_query_params or 5000, 5000) - 9) // share
    for start in range(0, len(values), size):
        yield values[start : start + size]


# ---------------------------------------------------------------------------------------------
# Writing.


@transaction.atomic
def import_members(
    *,
    actor: Any,
    organization: Organization,
    result: ImportResult,
    mode: str = ImportMode.ALL_OR_NOTHING,
) -> ImportOutcome:
    """Register the members of a checked file (parse_member_file) in one transaction.

    ALL_OR_NOTHING (the default) refuses the whole file if any row has a problem;
    VALID_ROWS_ONLY writes the valid rows and skips the others. Each member gets its first
    status event, dated like member_create's (official date, else ceremony date, else today).
    One audit entry, "members.imported", with the count and the cells — never personal data."""
    if mode not in ImportMode.values:
        raise ValueError(f"unknown import mode: {mode!r}")
    if result.organization.pk != organization.pk:
        raise ValueError("the file was checked for another organization")
    if mode == ImportMode.ALL_OR_NOTHING and result.has_errors:
        raise ServiceError(
            ngettext(
                "Nothing was imported: %(count)d row has errors. Correct the file, or choose "
                "to import only the valid rows.",
                "Nothing was imported: %(count)d rows have errors. Correct the file, or choose "
                "to import only the valid rows.",
                result.invalid_count,
            )
            % {"count": result.invalid_count}
        )
    rows = result.valid_rows
    if not rows:
        raise ServiceError(_("No row of the file is valid; nothing was imported."))
    now = timezone.now()
    today = timezone.localdate()
    recorded_by_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    members: list[Member] = []
    # Ids rather than objects for the foreign keys: the same object setters cost a third of
    # the time on a 100,000-row import.
    for row in rows:
        if row.cell is None:
            raise ValueError(f"row {row.row} is valid but has no cell")  # cannot happen
        member = Member(
            cell_id=row.cell.pk,
            status=row.status or initial_status(row.values),
            created_at=now,
            updated_at=now,
            **row.values,
        )
        member.name_sort_key = name_sort_key(member.full_name)
        member.name_search = row.name_key
        members.append(member)
    try:
        Member.objects.bulk_create(members, batch_size=1000)
    except IntegrityError:
        # Someone registered one of these cards between the check and now.
        raise ServiceError(
            _("The register changed while the file was being checked. Upload the file again.")
        ) from None
    reason = _("Imported from a member list file")
    MemberEvent.objects.bulk_create(
        (
            MemberEvent(
                member_id=member.pk,
                status=member.status,
                cell_id=member.cell_id,
                effective_date=member.official_date or member.ceremony_date or today,
                reason=reason,
                recorded_at=now,
                recorded_by_id=recorded_by_id,
            )
            for member in members
        ),
        batch_size=1000,
    )
    cell_ids = sorted({member.cell_id for member in members})
    audit.record(
        actor=actor,
        code="members.imported",
        target=organization,
        organization=organization,
        changes={
            "count": len(members),
            "skipped": result.invalid_count,
            "cells": cell_ids,
            "mode": str(mode),
        },
    )
    return ImportOutcome(created=len(members), skipped=result.invalid_count, cell_ids=cell_ids)
