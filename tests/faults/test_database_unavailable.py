"""A view whose database does not answer gets chibo's 503 page (core.middleware); other errors
are left to Django's 500 handling."""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from chibo.core.middleware import DatabaseUnavailableMiddleware


def _middleware():
    return DatabaseUnavailableMiddleware(lambda request: HttpResponse("ok"))


def test_a_database_that_does_not_answer_gets_a_503_page_asking_to_try_again():
    request = RequestFactory().post("/meetings/1/live/speeches/")
    for error in (OperationalError("database is locked"), InterfaceError("connection closed")):
        answer = _middleware().process_exception(request, error)
        page = answer.content.decode()
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == "5"
        assert "Hệ thống tạm thời gián đoạn" in page
        assert "đồng chí vui lòng kiểm tra lại" in page
        assert "database is locked" not in page and "Traceback" not in page


def test_other_errors_are_not_taken_for_the_database():
    request = RequestFactory().get("/")
    assert _middleware().process_exception(request, ValueError("a bug")) is None
