"""chibo's 500 handler (`handler500` in chibo.urls): a database that does not answer
(PostgreSQL restarting, a connection cut, SQLite busy beyond its timeout) gets a 503 page asking
to try again, instead of the generic 500 page; any other error gets Django's 500 page.

A handler, not a middleware: the database may fail in a middleware before the view (the session,
the user, two-factor), and Django turns such an exception into a response at that middleware,
where no `process_exception` sees it; the 500 handler is called for every one of them, inside the
`except` block (so the exception is in `sys.exc_info()`)."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        # The type only: a database message may quote the values of the statement.
        logger.warning("database unavailable: %s", type(error).__name__)
        # Rendered without the request's context: its context processors would ask the same
        # database. A transaction cut in the middle is rolled back by the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response.headers["Retry-After"] = "5"
        return response
    return defaults.server_error(request)
