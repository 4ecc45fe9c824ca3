"""Documents people attach (meeting materials, directives, proposals): one list of accepted
kinds, one size limit, one check.

The browser's own content type is not trusted: a form checks the file's extension and its first
bytes (`check_upload`) and sets the content type stored; a service refuses anything else
(`check_stored`), so a call that skips the form is refused too. Phones often send
application/octet-stream, and a renamed program would otherwise pass."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from django import forms
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
