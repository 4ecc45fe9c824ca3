"""HTTP responses carrying an exported file. Every download goes through `file_response`:
the content type, the Content-Disposition with the file name (RFC 6266: an ASCII name is quoted
as is, a Vietnamese name is sent as UTF-8 `filename*`), and a Cache-Control that keeps personal
data out of shared caches."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Personal data: never stored by a shared cache, nor kept by the browser.
NO_STORE = "no-store"


def file_response(
    content: bytes,
    filename: str,
    *,
    content_type: str,
    inline: bool = False,
    cache_control: str = NO_STORE,
) -> HttpResponse:
    """`content` as a download named `filename` (or shown in the browser when `inline`)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    response["Cache-Control"] = cache_control
    return response


def xlsx_response(content: bytes, filename: str, *, cache_control: str = NO_STORE) -> HttpResponse:
    return file_response(
        content, filename, content_type=XLSX_CONTENT_TYPE, cache_control=cache_control
    )


def csv_response(content: bytes, filename: str, *, cache_control: str = NO_STORE) -> HttpResponse:
    return file_response(
        content, filename, content_type=CSV_CONTENT_TYPE, cache_control=cache_control
    )


def pdf_response(
    content: bytes, filename: str, *, inline: bool = False, cache_control: str = NO_STORE
) -> HttpResponse:
    return file_response(
        content,
        filename,
        content_type=PDF_CONTENT_TYPE,
        inline=inline,
        cache_control=cache_control,
    )


def docx_response(content: bytes, filename: str, *, cache_control: str = NO_STORE) -> HttpResponse:
    return file_response(
        content, filename, content_type=DOCX_CONTENT_TYPE, cache_control=cache_control
    )
