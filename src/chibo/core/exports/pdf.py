"""Official documents and other printable pages as PDF: HTML/CSS through WeasyPrint, set in
Times New Roman with the bundled Liberation Serif as fallback (fonts.py), so every Vietnamese
diacritic renders on any server. `pdf`/`pdf_document` draw layout blocks in the layout of
36-HD/VPTW (DOMAIN §5.3, R5.10–R5.11): A4; margins top 25, bottom 25, left 35, right 15 mm,
mirrored on the back of a sheet; page numbers from page 2, centred 10 mm from the top edge.
`template_pdf` renders any app template that puts `{{ font_faces|safe }}` in its style sheet.

WeasyPrint is imported inside the functions that use it: it is a heavy library (Pango, cairo
bindings) that most requests never need, not a cycle.

Speed (issue 13): the style sheet of official documents (core/exports/pdf.css) is parsed once
and its bundled fonts registered once in a WeasyPrint `FontConfiguration`, then both are reused
by every render instead of being rebuilt per PDF (about a tenth of a minutes PDF's CPU). A
`FontConfiguration` wraps a fontconfig configuration and a Pango font map, which are not
documented as safe to share between threads, so each thread keeps its own pair
(`threading.local`): gunicorn's threads never share one, and the pair is built from constants,
so nothing needs resetting."""

from __future__ import annotations

import atexit
import datetime
import threading
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from chibo.core.exports.fonts import FONT_DIR, font_faces_css
from chibo.core.exports.layout import (
    MARGIN_BOTTOM,
    MARGIN_INSIDE,
    MARGIN_OUTSIDE,
    MARGIN_TOP,
    PAGE_NUMBER_FROM_TOP,
    Document,
)


@dataclass
class ContentsEntry:
    """A line of a book's table of contents: the document and the book page it starts on."""

    date: datetime.date
    label: str
    page: int


@dataclass
class Cover:
    """The first page of a book: organization, title, year, and the table of contents."""

    upper: str
    issuer: str
    title: str
    year_line: str
    summary: str
    contents_title: str
    contents_columns: list[str]
    entries: list[ContentsEntry] = field(default_factory=list)


def _margins() -> dict[str, float]:
    return {
        "top": MARGIN_TOP,
        "bottom": MARGIN_BOTTOM,
        "inside": MARGIN_INSIDE,
        "outside": MARGIN_OUTSIDE,
        "number": PAGE_NUMBER_FROM_TOP,
        # The page-number box spans the top margin; padding puts the number 10 mm down.
        "number_box": MARGIN_TOP - PAGE_NUMBER_FROM_TOP,
    }


def stylesheet_text() -> str:
    """The style sheet of official documents: page box, margins, fonts, blocks."""
    return render_to_string(
        "core/exports/pdf.css", {"font_faces": font_faces_css(), "margins": _margins()}
    )


_per_thread = threading.local()


@atexit.register
def _release_styles() -> None:
    # Free the main thread's font configuration while its C libraries are still loaded (at
    # interpreter exit they are gone and WeasyPrint's finaliser would fail noisily).
    _per_thread.__dict__.pop("styles", None)


def _prepared_styles() -> tuple[Any, Any]:
    """This thread's parsed style sheet and the font configuration holding its fonts."""
    prepared = getattr(_per_thread, "styles", None)
    if prepared is None:
        from weasyprint import CSS  # heavy library, loaded only when a PDF is made
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        css = CSS(string=stylesheet_text(), base_url=str(FONT_DIR), font_config=font_config)
        prepared = _per_thread.styles = (css, font_config)
    return prepared


def html(documents: list[Document], *, cover: Cover | None = None, title: str = "") -> str:
    """One HTML document: an optional cover with the table of contents, then each document
    from a new page. Each document sets the footer it prints (fingerprint or draft notice).
    The style sheet is not in it: `pdf_document` applies the prepared one."""
    prepared = [
        {
            "doc": document,
            "footer_text": "\n".join(document.footer_lines),
        }
        for document in documents
    ]
    return render_to_string(
        "core/exports/pdf.html",
        {
            "documents": prepared,
            "cover": cover,
            "title": title or (documents[0].label if documents else ""),
        },
    )


def pdf_document(documents: list[Document], *, cover: Cover | None = None, title: str = ""):
    """The laid-out WeasyPrint document (its `pages` can be counted before writing)."""
    from weasyprint import HTML  # heavy library, loaded only when a PDF is made

    css, font_config = _prepared_styles()
    return HTML(string=html(documents, cover=cover, title=title), base_url=str(FONT_DIR)).render(
        stylesheets=[css], font_config=font_config
    )


def pdf(documents: list[Document], *, cover: Cover | None = None, title: str = "") -> bytes:
    return pdf_document(documents, cover=cover, title=title).write_pdf()


def template_pdf(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> bytes:
    """An app's own printable template (a dues book, a statistics table, a letter) as PDF bytes;
    the template gets `font_faces` (the @font-face rules of the bundled font)."""
    from weasyprint import HTML  # heavy library, loaded only when a PDF is made

    html_text = render_to_string(
        template_name, {**context, "font_faces": font_faces_css()}, request=request
    )
    return HTML(string=html_text, base_url=str(FONT_DIR)).write_pdf()
