"""The official documents of a meeting: minutes and resolution files (a draft until signed, then
the stored signed bytes), addenda, the verification page, and the cell's minutes and resolution
books for a year."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.exports.responses import (
    DOCX_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    file_response,
    pdf_response,
)
from chibo.core.text import fold
from chibo.meetings import documents, jobs
from chibo.meetings.access import can_read, get_cell_for_meetings, get_meeting_for_user
from chibo.meetings.documents import book as book_file
from chibo.meetings.documents import files
from chibo.meetings.documents import layout as document_layout
from chibo.meetings.forms_documents import VerifyForm
from chibo.meetings.models import Addendum, DocumentKind, Meeting, MeetingKind, MeetingStatus
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for

CONTENT_TYPES = {"pdf": PDF_CONTENT_TYPE, "docx": DOCX_CONTENT_TYPE}


def _file_name(meeting: Meeting, stem: str, fmt: str, *, draft: bool) -> str:
    parts = [stem, meeting.organization.name, meeting.date.isoformat()]
    if draft:
        parts.append(_("draft"))
    return slugify(fold(" ".join(parts))) + "." + fmt


def _file_response(content: bytes, *, fmt: str, filename: str, signed: bool) -> HttpResponse:
    # PDFs open in the browser; DOCX files are downloaded for Word. A draft changes with every
    # edit; a signed file never changes.
    return file_response(
        content,
        filename,
        content_type=CONTENT_TYPES[fmt],
        inline=fmt != "docx",
        cache_control="private, max-age=86400" if signed else "private, no-store",
    )


def _meeting_file(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    if fmt not in documents.FORMATS:
        raise Http404
    meeting = get_meeting_for_user(request.user, pk)
    stems = {"minutes": "bien-ban", "resolution": "nghi-quyet"}
    if meeting.status == MeetingStatus.SIGNED:
        download = files.signed_file(meeting, kind, fmt)
        return _file_response(
            download.content,
            fmt=fmt,
            filename=_file_name(meeting, stems[kind], fmt, draft=False),
            signed=True,
        )
    return _file_response(
        files.render(meeting, kind, fmt),
        fmt=fmt,
        filename=_file_name(meeting, stems[kind], fmt, draft=True),
        signed=False,
    )


@login_required
@require_GET
def minutes_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The minutes as PDF or DOCX: a draft while the meeting is not signed, the stored signed
    file after."""
    return _meeting_file(request, pk, "minutes", fmt)


@login_required
@require_GET
def resolution_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return _meeting_file(request, pk, "resolution", fmt)


@login_required
@require_GET
def addendum_file(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponse:
    if fmt not in documents.FORMATS:
        raise Http404
    meeting = get_meeting_for_user(request.user, pk)
    addendum = Addendum.objects.filter(meeting=meeting, number=number).first()
    if addendum is None:
        raise Http404
    addendum.meeting = meeting
    download = files.addendum_file(addendum, fmt)
    signed = bool(addendum.fingerprint)
    return _file_response(
        download.content,
        fmt=fmt,
        filename=_file_name(meeting, f"bo-sung-{number}", fmt, draft=not signed),
        signed=signed,
    )


# -- verification ---------------------------------------------------------------------------


def _match_details(match: files.Match) -> dict:
    meeting = match.meeting
    kind_labels: dict[str, str] = {
        DocumentKind.MINUTES: _("Minutes"),
        DocumentKind.RESOLUTION: _("Resolution"),
        DocumentKind.ADDENDUM: _("Addendum"),
    }
    if match.addendum is not None:
        document = _("Addendum %(number)s to the minutes") % {"number": match.addendum.number}
    elif match.document_kind:
        document = kind_labels.get(match.document_kind, match.document_kind)
    else:
        document = _("Minutes and resolution")
    return {
        "cell": meeting.organization.name,
        "cell_code": meeting.organization.code,
        "meeting": meeting,
        "meeting_kind": MeetingKind(meeting.kind).label,
        "document": document,
        "format": match.format.upper(),
        "fingerprint": match.fingerprint,
        "signed_at": match.signed_at,
        "signers": match.signers,
        "url": reverse("meetings:detail", args=[meeting.pk]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Check a file (its SHA-256 against the stored signed files) or a fingerprint (against the
    signed records). Anyone logged in may check; the details of the record are shown only to
    those who may read its cell."""
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    result = None
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data.get("file")
        fingerprint = form.cleaned_data.get("fingerprint")
        if upload:
            match = files.match_file(upload.read())
            checked = "file"
        else:
            match = files.match_fingerprint(fingerprint or "")
            checked = "fingerprint"
        result = {
            "checked": checked,
            "name": upload.name if upload else fingerprint,
            "matched": match is not None,
            "details": (
                _match_details(match)
                if match is not None and can_read(request.user, match.meeting.organization)
                else None
            ),
        }
    return render(
        request,
        "meetings/verify.html",
        {"form": form, "result": result, "title": _("Check a signed document")},
    )


# -- the books ------------------------------------------------------------------------------


def _book_kind(request: HttpRequest) -> str:
    value = request.GET.get("book", documents.MINUTES_BOOK)
    return value if value in documents.BOOKS else documents.MINUTES_BOOK


def _year_choices(cell, year: int) -> list[int]:
    years = {
        day.year
        for day in Meeting.objects.filter(organization=cell, status=MeetingStatus.SIGNED).dates(
            "date", "year"
        )
    }
    years |= {year, timezone.localdate().year}
    return sorted(years, reverse=True)


def _book_entries(meetings: list[Meeting], which: str) -> list[dict[str, Any]]:
    """One entry per signed meeting: its minutes or resolution laid out as signed (the frozen
    content), with the addenda frozen since."""
    addenda: dict[int, list[Addendum]] = {}
    for row in (
        Addendum.objects.filter(meeting__in=meetings).exclude(fingerprint="").order_by("number")
    ):
        addenda.setdefault(row.meeting_id, []).append(row)
    entries = []
    with translation.override(documents.DOCUMENT_LANGUAGE):
        for meeting in meetings:
            record = meeting.record
            data = (
                documents.DocumentData.from_json(record.frozen_content)
                if record.frozen_content
                else documents.document_data(meeting)
            )
            layout = document_layout.minutes if which == "minutes" else document_layout.resolution
            doc = layout(data, fingerprint=record.fingerprint)
            entries.append(
                {
                    "meeting": meeting,
                    "doc": doc,
                    "number": document_layout.document_number(data),
                    "subject": document_layout.resolution_subject(data),
                    "title": document_layout.meeting_title(data),
                    "rating": data.score.rating if data.score else "",
                    "addenda": addenda.get(meeting.pk, []),
                }
            )
    return entries


@login_required
@require_GET
def book(request: HttpRequest, cell_pk: int, year: int) -> HttpResponse:
    """The cell's minutes book or resolution book of a year, on screen: the signed meetings in
    date order, each document readable in full, with its fingerprint and its files."""
    cell = get_cell_for_meetings(request.user, cell_pk)
    if not 1900 <= year <= 2999:
        raise Http404
    which = _book_kind(request)
    entries = _book_entries(list(documents.signed_meetings(cell, year)), which)
    context = {
        "cell": cell,
        "year": year,
        "which": which,
        "entries": entries,
        "years": _year_choices(cell, year),
        "breadcrumbs": breadcrumbs_for(
            cell,
            scope_for(request.user),
            last_label=_("Minutes book") if which == "minutes" else _("Resolution book"),
        ),
    }
    return render(request, "meetings/book.html", context)


def _book_cell(request: HttpRequest, cell_pk: int, year: int):
    cell = get_cell_for_meetings(request.user, cell_pk)
    if not 1900 <= year <= 2999:
        raise Http404
    return cell


def _progress(request: HttpRequest, cell, year: int, which: str, template: str) -> HttpResponse:
    readiness = book_file.book_readiness(cell, year)
    context = {"cell": cell, "year": year, "which": which, "readiness": readiness}
    return render(request, template, context)


@login_required
@require_GET
def book_pdf(request: HttpRequest, cell_pk: int, year: int) -> HttpResponse:
    """The whole book of a year as one PDF, to print for the archives: the stored signed PDFs
    merged behind a cover and the contents. While some signed meetings have no stored files
    yet (frozen in bulk), a page with a progress bar waits for the job that stores them."""
    cell = _book_cell(request, cell_pk, year)
    which = _book_kind(request)
    if book_file.book_readiness(cell, year).waiting:
        return _progress(request, cell, year, which, "meetings/book_preparing.html")
    result = book_file.render_book_pdf(cell, year, which)
    if result is None:
        messages.info(
            request,
            _("%(cell)s has no signed meeting in %(year)s yet.")
            % {"cell": cell.name, "year": year},
        )
        return redirect(f"{reverse('meetings:book', args=[cell.pk, year])}?book={which}")
    stem = "so-bien-ban" if which == documents.MINUTES_BOOK else "so-nghi-quyet"
    filename = f"{stem}-{slugify(fold(cell.name))}-{year}.pdf"
    return pdf_response(result.content, filename, inline=True, cache_control="private, no-store")


@login_required
@require_POST
def book_prepare(request: HttpRequest, cell_pk: int, year: int) -> HttpResponse:
    """Queue the job that stores the signed files the book still lacks (the preparing page
    posts here once it is shown; the job skips what is stored, so asking twice is harmless),
    and answer with the progress partial."""
    cell = _book_cell(request, cell_pk, year)
    waiting = book_file.book_readiness(cell, year).waiting
    if waiting:
        transaction.on_commit(lambda: jobs.store_signed_files(waiting))
    return _progress(request, cell, year, _book_kind(request), "meetings/_book_progress.html")


@login_required
@require_GET
def book_progress(request: HttpRequest, cell_pk: int, year: int) -> HttpResponse:
    """The progress partial, polled by the preparing page until the book can be merged."""
    cell = _book_cell(request, cell_pk, year)
    return _progress(request, cell, year, _book_kind(request), "meetings/_book_progress.html")
