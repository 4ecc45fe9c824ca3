"""The one exception services raise for a refused action. Its message is a translated,
user-facing sentence; views show it and nothing is changed (the service's transaction rolls
back).

`storage_errors_refused` turns the two database failures a user can meet into such a refusal:
the database's own refusal to change a signed record (the triggers of meetings 0007) and a full
disk. Either way the transaction has rolled back and nothing was saved."""

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError
from django.utils.translation import gettext as _

# Raised by the triggers of meetings/migrations/0007_signed_records_immutable.py.
SIGNED_RECORD_IMMUTABLE = "chibo: signed record is immutable"
# SQLite's SQLITE_FULL, and PostgreSQL's disk_full (SQLSTATE 53100).
_DISK_FULL_TEXTS = ("database or disk is full", "no space left on device")
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


class ServiceError(ValidationError):
    pass


def is_disk_full(error: BaseException) -> bool:
    """True for a full disk (or quota), whichever layer reported it."""
    for item in (error, error.__cause__):
        if isinstance(item, OSError) and item.errno in _DISK_FULL_ERRNOS:
            return True
        if getattr(item, "sqlstate", None) == "53100":
            return True
    return isinstance(error, OperationalError) and any(
        text in str(error).lower() for text in _DISK_FULL_TEXTS
    )


@contextmanager
def storage_errors_refused() -> Iterator[None]:
    """Wrap a service's transaction (outside it, so that it has rolled back first)."""
    try:
        yield
    except IntegrityError as error:
        if SIGNED_RECORD_IMMUTABLE in str(error):
            raise ServiceError(
                _("This record is signed and can no longer be changed or deleted.")
            ) from error
        raise
    except (OSError, OperationalError) as error:
        if is_disk_full(error):
            raise ServiceError(
                _(
                    "The server's disk is full, so nothing was saved. Tell the administrator; "
                    "once space is freed, do it again."
                )
            ) from error
        raise
