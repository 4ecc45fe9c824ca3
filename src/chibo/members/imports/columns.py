"""The columns of the 7-HSĐV member list (see the package docstring): the value labels of the
file format, the cell readers (file value → Python value, or CellError with a sentence for the
keeper) and writers (Member → file value), and `LAYOUT`, the single definition of the columns
that both the import and the export (members.exports) use."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.forms import EARLIEST_DATE, YEARS_AHEAD, date_out_of_bounds
from chibo.core.text import InvalidName, fold, normalize_name
from chibo.members.models import Member, MemberStatus, PoliticalTheory, Sex

DATE_FORMAT = "%d/%m/%Y"

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
COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Dates before this are within core.forms' bounds whatever day it is from now on (the upper
# bound is 50 years after today, and today only moves forward).
_SURELY_IN_BOUNDS_BEFORE = datetime.date(datetime.date.today().year + YEARS_AHEAD - 1, 1, 1)
# Excel day numbers of 1/1/1910 and 31/12/9999: a bare number outside is not a date.
_SERIAL_MIN, _SERIAL_MAX = 3654, 2958465


class CellError(Exception):
    """A value that cannot be read; its message is a translated sentence for the keeper."""


# ---------------------------------------------------------------------------------------------
# Cell readers (file value -> Python value) and writers (Member -> file value).


def cell_text(value: Any) -> str:
    if value.__class__ is str:
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _text_reader(max_length: int, default: str = "") -> Callable[[Any], str]:
    def read(value: Any) -> str:
        text = cell_text(value)
        if len(text) > max_length:
            raise CellError(
                _("The value is too long (at most %(limit)d characters).") % {"limit": max_length}
            )
        return text or default

    return read


def read_date(value: Any) -> datetime.date | None:
    """A real Excel date, or text written dd/mm/yyyy (d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy),
    between 1/1/1900 and 50 years ahead (core.forms.date_out_of_bounds)."""
    day = _read_any_date(value)
    if day is None or EARLIEST_DATE <= day < _SURELY_IN_BOUNDS_BEFORE:
        # Most dates: no need to ask for today's date (a time zone look-up) per cell.
        return day
    if message := date_out_of_bounds(day):
        raise CellError(message)
    return day


def _read_any_date(value: Any) -> datetime.date | None:
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
        text = cell_text(value)
        if not text and required:
            raise CellError(_("This value is required."))
        found = choice(text)
        if text and found is None:
            raise CellError(str(message))
        return found

    return read


_read_name_text = _text_reader(120)
_read_card_text = _text_reader(20)
_read_email_text = _text_reader(254)
_read_education_text = _text_reader(20)


def _read_name(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = normalize_name(value)
        except InvalidName as error:
            raise CellError(str(error)) from None
    name = _read_name_text(value)
    if not name:
        raise CellError(_("The full name is required."))
    return name


def _read_birth_date(value: Any) -> datetime.date:
    day = read_date(value)
    if day is None:
        raise CellError(_("The date of birth is required."))
    return day


def _read_card(value: Any) -> str | None:
    return _read_card_text(value).replace(" ", "") or None


def _read_email(value: Any) -> str:
    email = _read_email_text(value)
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
    return _read_education_text(value)


_read_cell_ref = _text_reader(200)


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
COLUMN_BY_HEADER = {column.header: column for column in LAYOUT}
POSITION = {column.header: index for index, column in enumerate(LAYOUT)}


def header_key(text: Any) -> str:
    """A header compared without diacritics, case or punctuation: "Họ và tên" -> "ho va ten"."""
    return _NOT_WORD.sub(" ", fold(cell_text(text))).strip()


HEADER_BY_KEY: dict[str, str] = {}
for _column in LAYOUT:
    for _name in (_column.header, *_column.aliases):
        HEADER_BY_KEY.setdefault(header_key(_name), _column.header)
