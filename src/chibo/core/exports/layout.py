"""The block layout of official documents, drawn by both renderers (`pdf`: HTML/CSS through
WeasyPrint, and `docx`: python-docx), so the two formats always say the same thing.

A document is a list of blocks: the letterhead of a Party document (36-HD/VPTW 2018, DOMAIN
§5.3: upper committee and issuer with an asterisk and the number on the left; "ĐẢNG CỘNG SẢN
VIỆT NAM" underlined and the italic place-and-date line on the right), paragraphs of styled runs,
grid tables and the closing (recipients and signatures). Apps compose their documents from these
blocks (meetings.document_layout: minutes, resolutions, addenda); the helpers below format dates
and numbers the way Vietnamese documents write them. Every sentence is a gettext msgid: callers
render inside translation.override("vi").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# -- blocks ---------------------------------------------------------------------------------


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Paragraph:
    """One paragraph. Styles: type (document type, CAPS bold 16, centred), subject (bold,
    centred), rule (the short line under the subject), heading (section heading, bold), body
    (justified, first line indented), item ("- " list line), subitem ("+ " line), note
    (italic), center."""

    runs: list[Run]
    style: str = "body"
    keep_with_next: bool = False
    block: str = "paragraph"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Column:
    label: str
    width: int  # percent of the text width
    align: str = "left"


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[str]]
    footer: list[str] | None = None
    block: str = "table"

    @property
    def aligned_rows(self) -> list[list[tuple[str, str]]]:
        return [self._aligned(row) for row in self.rows]

    @property
    def aligned_footer(self) -> list[tuple[str, str]]:
        return self._aligned(self.footer or [])

    def _aligned(self, row: list[str]) -> list[tuple[str, str]]:
        return [(value, column.align) for value, column in zip(row, self.columns, strict=False)]


@dataclass
class Letterhead:
    upper: str
    issuer: str
    number: str
    party: str
    place_date: str
    block: str = "letterhead"


@dataclass
class Signer:
    titles: list[str]  # CAPS bold lines: ["T/M CHI BỘ", "BÍ THƯ"] or ["CHỦ TRÌ"]
    name: str
    signed_note: str = ""


@dataclass
class Closing:
    """The bottom of the document: recipients on the left (resolutions) or the minute-taker's
    signature, and the signature on the right."""

    signers: list[Signer]
    recipients: list[str] = field(default_factory=list)
    recipients_label: str = ""
    block: str = "closing"


@dataclass
class Document:
    kind: str  # minutes | resolution | addendum
    label: str  # one line for tables of contents: "Biên bản sinh hoạt chi bộ … tháng 11 …"
    date: datetime.date
    blocks: list
    fingerprint: str
    footer_lines: list[str]
    draft_label: str = ""  # "BẢN NHÁP" while not signed
    anchor: str = ""

    @property
    def draft(self) -> bool:
        return not self.fingerprint


# -- page setup ----------------------------------------------------------------------------

# Margins in millimetres (R5.11) and the distance of the page number from the top edge.
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_INSIDE, MARGIN_OUTSIDE = 25, 25, 35, 15
PAGE_NUMBER_FROM_TOP = 10


# -- formatting -----------------------------------------------------------------------------


def day_month_year(day: datetime.date) -> str:
    """ "ngày 05 tháng 11 năm 2026": days under 10 and months under 3 take a leading zero
    (36-HD/VPTW §1.3)."""
    return _("day %(day)s month %(month)s year %(year)s") % {
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


def short_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def clock(value: str) -> str:
    """ "19:30" → "19 giờ 30 phút"."""
    hour, minute = value.split(":")
    return _("%(hour)s h %(minute)s") % {"hour": int(hour), "minute": minute}


def number(value: Decimal | str | int) -> str:
    """Vietnamese decimals: "85.0" → "85", "4.5" → "4,5"."""
    amount = Decimal(str(value)).quantize(Decimal("0.1"))
    if amount == amount.to_integral_value():
        return str(int(amount))
    return str(amount).replace(".", ",")


def percent(part: int, whole: int) -> str:
    if not whole:
        return "0"
    return number(Decimal(part) * 100 / Decimal(whole))


def roman(index: int) -> str:
    numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
    return numerals[index - 1]


def paragraph(
    text: str, style: str = "body", *, bold: bool = False, italic: bool = False
) -> Paragraph:
    return Paragraph([Run(text, bold=bold, italic=italic)], style=style)


def labelled(label: str, text: str, style: str = "item") -> Paragraph:
    """ "- Chủ trì: …" with the label in bold."""
    return Paragraph([Run(label, bold=True), Run(" " + text if text else "")], style=style)


def lines(text: str, style: str = "body") -> list[Paragraph]:
    return [paragraph(line.strip(), style) for line in text.splitlines() if line.strip()]


class Sections:
    """Numbered section headings (I., II., …): sections with nothing to say are left out."""

    def __init__(self) -> None:
        self.count = 0

    def heading(self, title: str) -> Paragraph:
        self.count += 1
        return paragraph(f"{roman(self.count)}. {title}", "heading", bold=True)
