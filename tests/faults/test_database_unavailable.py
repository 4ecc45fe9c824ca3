"""A database that does not answer gets chibo's 503 page asking to try again (the 500 handler,
core.views_errors), wherever the error is raised — in the view or, as it most often is, in a
middleware that loads the session or the user before the view; other errors keep Django's 500."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from chibo.core.views_errors import server_error


def _answer_while_handling(error: Exception):
    request = RequestFactory().post("/meetings/1/live/speeches/")
    try:
        raise error
    except Exception:
        # Django calls handler500 inside its `except` block, as here.
        return server_error(request)


@pytest.mark.django_db
def test_a_database_that_does_not_answer_gets_a_503_page_asking_to_try_again():
    for error in (OperationalError("database is locked"), InterfaceError("connection closed")):
        answer = _answer_while_handling(error)
        page = answer.content.decode()
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == "5"
        assert "Hệ thống tạm thời gián đoạn" in page
        assert "đồng chí vui lòng kiểm tra lại" in page
        assert "database is locked" not in page and "Traceback" not in page


@pytest.mark.django_db
def test_other_errors_are_not_taken_for_the_database():
    answer = _answer_while_handling(ValueError("a bug"))
    assert answer.status_code == 500
    assert "Retry-After" not in answer.headers


@pytest.mark.django_db
def test_a_session_that_cannot_be_read_in_a_middleware_gets_the_503_page(
    world, client, monkeypatch
):
    """The session is read by the middlewares (two-factor, timeouts) before any view: when the
    database fails there, the answer is still the 503 page, not a bare 500."""
    client.force_login(world.binh_user)

    def unavailable(self):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "load", unavailable)
    client.raise_request_exception = False
    answer = client.get("/")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert "Hệ thống tạm thời gián đoạn" in answer.content.decode()
