"""Documents people attach (meeting materials, directives, proposals): one list of accepted
kinds, one size limit, one check.

The browser's own content type is not trusted: a form checks the file's extension and its first
bytes (`check_upload`) and sets the content type stored; a service refuses anything else
(`check_stored`), so a call that skips the form is refused too. Phones often send
application/octet-stream, and a renamed program would otherwise pass."""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from chibo.core.errors import ServiceError

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# Extension → (content type stored, first bytes the file must start with).
UPLOAD_KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
ALLOWED_UPLOAD_TYPES = frozenset(content_type for content_type, _bytes in UPLOAD_KINDS.values())
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# For the file inputs' `accept` attribute.
ACCEPT = ",".join(UPLOAD_KINDS)


def _kind_message() -> str:
    return _("Attach a PDF, Word or Excel file or a photo (JPEG, PNG).")


def _size_message() -> str:
    return _("The file is larger than 10 MB.")


def check_upload(upload: Any) -> Any:
    """A form's check of one uploaded file: a known extension, at most 10 MB, and content
    that starts like its extension says. Sets the content type to store."""
    extension = os.path.splitext(upload.name)[1].lower()
    kind = UPLOAD_KINDS.get(extension)
    if kind is None:
        raise forms.ValidationError(_kind_message())
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_size_message())
    content_type, signatures = kind
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise forms.ValidationError(
            _("The file's content does not match its name (%(extension)s).")
            % {"extension": extension}
        )
    upload.content_type = content_type
    return upload


def check_stored(uploads: Iterable[Any]) -> list[Any]:
    """A service's check of the files it is about to store (empty entries dropped)."""
    kept = [upload for upload in uploads if upload]
    for upload in kept:
        if (getattr(upload, "content_type", "") or "") not in ALLOWED_UPLOAD_TYPES:
            raise ServiceError(_kind_message())
        if upload.size > MAX_UPLOAD_BYTES:
            raise ServiceError(_size_message())
    return kept


# -- Limits on the files chibo reads (issue 14) -----------------------------------------------
#
# A file that is parsed (a member list today; any future list import) costs server time in
# proportion to what it expands to, not to its upload size: a 177 kB XLSX may hold 20 million
# empty rows. Every reader checks these limits BEFORE the expensive work and while it streams,
# and refuses with a sentence that names the limit. The values come from settings
# (CHIBO_IMPORT_*, docs/deployment.md "Import limits").

# Parts of a zip smaller than this are not judged by their compression ratio: tiny XML parts
# compress unevenly and cost nothing to read.
RATIO_FLOOR_BYTES = 1024 * 1024
# An XLSX or DOCX has a few dozen parts; a zip listing thousands is no office document.
MAX_ARCHIVE_MEMBERS = 1000


@dataclass(frozen=True)
class ParseLimits:
    """What reading one uploaded file may cost. `max_seconds` is wall-clock time, checked
    while the file streams (shorter in a request than in a background job)."""

    # Physical rows below the header, blank ones included (a sheet may store millions).
    max_rows: int
    # The sum of the zip's declared uncompressed sizes (zipfile never reads past them).
    max_uncompressed_bytes: int
    # Uncompressed / compressed size of any part over RATIO_FLOOR_BYTES: an XLSX list
    # compresses about 10:1, a zip bomb over 1000:1.
    max_compression_ratio: int
    max_seconds: float
    # CSV: the file's size, and the length of one line in characters.
    max_csv_bytes: int
    max_line_chars: int

    @classmethod
    def from_settings(cls, *, in_job: bool = False) -> ParseLimits:
        return cls(
            max_rows=settings.CHIBO_IMPORT_MAX_ROWS,
            max_uncompressed_bytes=settings.CHIBO_IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024,
            max_compression_ratio=settings.CHIBO_IMPORT_MAX_COMPRESSION_RATIO,
            max_seconds=(
                settings.CHIBO_IMPORT_JOB_SECONDS
                if in_job
                else settings.CHIBO_IMPORT_REQUEST_SECONDS
            ),
            max_csv_bytes=settings.CHIBO_IMPORT_MAX_CSV_MB * 1024 * 1024,
            max_line_chars=settings.CHIBO_IMPORT_MAX_LINE_CHARS,
        )


def _number(value: int) -> str:
    # Vietnamese digit grouping: 100.000
    return f"{value:,}".replace(",", ".")


def _megabytes(value: int) -> str:
    return _number(max(value // (1024 * 1024), 1))


# The clock of Deadline (a name of its own, so a test may move it without touching `time`).
_clock = time.monotonic


class Deadline:
    """A parse-time cap: `check()` raises a ServiceError once `limits.max_seconds` have passed
    since the deadline was made. Readers call it every chunk or every few hundred rows."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = _clock() + seconds

    def check(self) -> None:
        if _clock() > self.ends:
            raise ServiceError(
                _(
                    "Reading the file took longer than %(seconds)s seconds, the limit for one "
                    "file. Nothing was imported. Split the list into smaller files."
                )
                % {"seconds": _number(int(self.seconds))}
            )


def rows_limit_error(limits: ParseLimits) -> ServiceError:
    return ServiceError(
        _(
            "The file has more than %(limit)s rows below the header (blank rows count too). "
            "Delete the empty rows at the end of the sheet, or split the list into smaller files."
        )
        % {"limit": _number(limits.max_rows)}
    )


def check_archive(archive: zipfile.ZipFile, limits: ParseLimits) -> int:
    """Refuse a zip (XLSX, DOCX) that would expand beyond the limits, from its directory
    alone, before any part is decompressed. Returns the total uncompressed size."""
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ServiceError(
            _("The file holds more than %(count)s parts; it is not an office document.")
            % {"count": _number(MAX_ARCHIVE_MEMBERS)}
        )
    total = 0
    for info in members:
        total += info.file_size
        if (
            info.file_size > RATIO_FLOOR_BYTES
            and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)
        ):
            raise ServiceError(
                _(
                    "The file expands more than %(ratio)s times when opened, which no real "
                    "list does. Open it in Excel, save it again and retry."
                )
                % {"ratio": _number(limits.max_compression_ratio)}
            )
    if total > limits.max_uncompressed_bytes:
        raise ServiceError(
            _(
                "The file expands to more than %(size)s MB when opened, the limit for one "
                "file. Split the list into smaller files."
            )
            % {"size": _megabytes(limits.max_uncompressed_bytes)}
        )
    return total
