"""The cell's yearly minutes book and resolution book as one PDF (DOMAIN R5.1, R5.2), built by
merging the stored signed PDFs behind a generated cover and table of contents (issue 13).

Each signed meeting's document already exists as the exact bytes that were signed
(`SignedFile`); laying every meeting out again made a year's book cost as much as rendering
each minutes PDF once more (about 0.4 s a meeting). The book therefore copies the stored pages
unchanged — they stay the documents that were signed, each with its own page numbers and
fingerprint — and only the cover and the table of contents are laid out. A meeting signed
while its files are not stored yet (the demo's history, frozen in bulk, gets them from the job
meetings.jobs.store_signed_files) is rendered from its frozen content for the book without
being stored: reading a book never writes.

The table of contents gives the page of the book on which each document starts: the cover is
page 1, the contents follow, then the documents in date order, each minutes followed by the
addenda signed since. The contents' own length is found by laying it out (one page holds about
twenty lines; a longer year takes two or more), then the numbers are final. The PDF also has
an outline (bookmarks): one entry per meeting, its addenda below it.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.core.exports import pdf as pdf_render
from chibo.core.exports.layout import short_date
from chibo.meetings.documents import files
from chibo.meetings.documents import layout as document_layout
from chibo.meetings.documents.data import (
    BOOKS,
    DOCUMENT_LANGUAGE,
    MINUTES_BOOK,
    DocumentData,
    signed_meetings,
)
from chibo.meetings.models import Addendum, Meeting, SignedFile
from chibo.orgs.models import Organization

# Layouts of the contents tried before giving up on a stable page count (the count can only
# grow with the numbers it prints, and one more page never adds a digit to twenty lines).
CONTENTS_ATTEMPTS = 4


@dataclass
class Part:
    """One document of the book: the signed PDF's bytes and where it starts in the book."""

    meeting: Meeting
    addendum: Addendum | None
    label: str
    date: datetime.date
    content: bytes
    stored: bool  # False: rendered from the frozen content because no file is stored yet
    pages: int = 0
    first_page: int = 0


@dataclass
class Book:
    content: bytes
    pages: int
    meetings: int
    front_pages: int = 0  # the cover and the table of contents
    parts: list[Part] = field(default_factory=list)


@dataclass
class Readiness:
    """How many of a book's signed meetings have their signed files stored."""

    total: int
    waiting: list[int]  # ids of the signed meetings whose files are not all stored yet

    @property
    def ready(self) -> int:
        return self.total - len(self.waiting)

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.ready * 100 // self.total


def book_readiness(cell: Organization, year: int) -> Readiness:
    """Whether the book of `year` can be merged from stored files right away. A meeting frozen
    in bulk (the demo's history) waits for the job meetings.jobs.store_signed_files; rendering
    such meetings while the book is asked for takes about 0.4 s each, so a year of them runs
    as that job first, with a progress bar (issue 13: exports over 2 s are jobs)."""
    ids = list(signed_meetings(cell, year).values_list("pk", flat=True))
    return Readiness(total=len(ids), waiting=files.meetings_without_files(ids) if ids else [])


def _minutes_or_resolution(book: str) -> str:
    return "minutes" if book == MINUTES_BOOK else "resolution"


def book_parts(cell: Organization, year: int, book: str) -> list[Part]:
    """The documents of a book in order, with their signed PDF bytes: each signed meeting's
    minutes followed by its signed addenda (minutes book), or each signed meeting's resolution
    (resolution book). Three queries, plus a rendering for any file not stored yet."""
    meetings = list(signed_meetings(cell, year))
    if not meetings:
        return []
    kind = _minutes_or_resolution(book)
    addenda: dict[int, list[Addendum]] = {}
    if book == MINUTES_BOOK:
        for row in (
            Addendum.objects.filter(meeting__in=meetings, frozen_at__isnull=False)
            .exclude(fingerprint="")
            .order_by("number")
        ):
            addenda.setdefault(row.meeting_id, []).append(row)
    wanted = Q(addendum__isnull=True, kind=kind)
    if addenda:
        wanted |= Q(addendum__in=[row for rows in addenda.values() for row in rows])
    stored: dict[tuple[int, int | None], bytes] = {}
    for meeting_id, addendum_id, blob in (
        SignedFile.objects.filter(wanted, meeting__in=meetings, format="pdf")
        .order_by("-id")  # the first stored file of a document wins, as for a download
        .values_list("meeting_id", "addendum_id", "content")
    ):
        stored[(meeting_id, addendum_id)] = bytes(blob)

    parts: list[Part] = []
    with translation.override(DOCUMENT_LANGUAGE):
        for meeting in meetings:
            data = DocumentData.from_json(meeting.record.frozen_content or {})
            label = (
                document_layout.minutes_label(data)
                if kind == "minutes"
                else document_layout.resolution_label(data)
            )
            content = stored.get((meeting.pk, None))
            parts.append(
                Part(
                    meeting=meeting,
                    addendum=None,
                    label=label,
                    date=meeting.date,
                    content=content or files.signed_file(meeting, kind, "pdf").content,
                    stored=content is not None,
                )
            )
            for row in addenda.get(meeting.pk, []):
                row.meeting = meeting
                content = stored.get((meeting.pk, row.pk))
                parts.append(
                    Part(
                        meeting=meeting,
                        addendum=row,
                        label=_("Addendum %(number)s to the minutes of %(date)s")
                        % {"number": row.number, "date": short_date(meeting.date)},
                        date=timezone.localdate(row.frozen_at) if row.frozen_at else meeting.date,
                        content=content or files.addendum_file(row, "pdf").content,
                        stored=content is not None,
                    )
                )
    return parts


def _front_matter(cell: Organization, year: int, book: str, parts: list[Part], meetings: int):
    """The cover and the table of contents, laid out (WeasyPrint document)."""
    parent = Organization.objects.get_parent(cell)
    title = (
        _("MINUTES BOOK OF THE CELL'S MEETINGS") if book == MINUTES_BOOK else _("RESOLUTION BOOK")
    )
    cover = pdf_render.Cover(
        upper=(parent.name if parent else "").upper(),
        issuer=cell.name.upper(),
        title=title,
        year_line=_("YEAR %(year)s") % {"year": year},
        summary=ngettext("%(count)s signed meeting", "%(count)s signed meetings", meetings)
        % {"count": meetings},
        contents_title=_("CONTENTS"),
        contents_columns=[_("No."), _("Date"), _("Document"), _("Page")],
        entries=[
            pdf_render.ContentsEntry(date=part.date, label=part.label, page=part.first_page)
            for part in parts
        ],
    )
    return pdf_render.pdf_document([], cover=cover, title=f"{title} — {cell.name} — {year}")


def _number(parts: list[Part], front_pages: int) -> None:
    page = front_pages + 1
    for part in parts:
        part.first_page = page
        page += part.pages


def render_book_pdf(cell: Organization, year: int, book: str = MINUTES_BOOK) -> Book | None:
    """One PDF for the cell's book of `year`: a cover ("SỔ BIÊN BẢN SINH HOẠT CHI BỘ" or "SỔ
    NGHỊ QUYẾT", the cell, the year), the table of contents with the page each document
    starts on, then every signed meeting's signed PDF unchanged. None when no meeting of the
    year is signed."""
    from pypdf import PdfReader, PdfWriter  # loaded only when a book is made

    if book not in BOOKS:
        raise ValueError(f"no such book: {book}")
    parts = book_parts(cell, year, book)
    if not parts:
        return None
    readers = []
    for part in parts:
        reader = PdfReader(io.BytesIO(part.content))
        part.pages = len(reader.pages)
        readers.append(reader)
    meetings = sum(1 for part in parts if part.addendum is None)

    with translation.override(DOCUMENT_LANGUAGE):
        front_pages = 2  # the cover, and the contents on one page until laid out
        for _attempt in range(CONTENTS_ATTEMPTS):
            _number(parts, front_pages)
            front = _front_matter(cell, year, book, parts, meetings)
            if len(front.pages) == front_pages:
                break
            front_pages = len(front.pages)
        else:  # pragma: no cover — the page count settles on the second layout
            raise RuntimeError("the table of contents does not settle on a page count")
        front_bytes = front.write_pdf()
        contents_label = _("CONTENTS")

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front_bytes)), import_outline=False)
    for reader in readers:
        writer.append(reader, import_outline=False)
    writer.add_outline_item(title=contents_label, page_number=1)
    parent = None
    for part in parts:
        title = f"{short_date(part.date)} — {part.label}"
        if part.addendum is None:
            parent = writer.add_outline_item(title=title, page_number=part.first_page - 1)
        else:
            writer.add_outline_item(title=title, page_number=part.first_page - 1, parent=parent)
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": front.metadata.title or "", "/Creator": "chibo"})
    output = io.BytesIO()
    writer.write(output)
    return Book(
        content=output.getvalue(),
        pages=len(writer.pages),
        meetings=meetings,
        front_pages=front_pages,
        parts=parts,
    )
