"""Session timeouts (issue 14): a session ends after CHIBO_SESSION_IDLE_MINUTES (30) without a
request, and SESSION_COOKIE_AGE (8 hours) after the login whatever the activity; the last
activity is written at most once a minute."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

START = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)
HOME = "/"


def at(minutes: float):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


@pytest.fixture
def logged_in(world, client):
    with at(0):
        client.force_login(world.binh_user)
    return client


def session_writes(client, path=HOME) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(
        1
        for query in queries
        if "django_session" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


@pytest.mark.django_db
def test_thirty_minutes_without_a_request_ends_the_session(logged_in):
    with at(29):
        assert logged_in.get(HOME).status_code == 200
    with at(29 + 31):
        response = logged_in.get(HOME)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2F"
        page = logged_in.get(response["Location"])
        assert "Phiên làm việc đã hết hạn" in page.content.decode()
        # Logged out for good, not just redirected once.
        assert logged_in.get(HOME)["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_request_every_twenty_minutes_keeps_the_session(logged_in):
    for minutes in range(20, 7 * 60, 20):
        with at(minutes):
            assert logged_in.get(HOME).status_code == 200, minutes


@pytest.mark.django_db
def test_eight_hours_after_the_login_the_session_ends_whatever_the_activity(logged_in):
    for minutes in range(20, 8 * 60, 20):
        with at(minutes):
            logged_in.get(HOME)
    with at(8 * 60 + 1):
        assert logged_in.get(HOME).status_code == 302


@pytest.mark.django_db
def test_htmx_after_the_timeout_gets_a_whole_page_redirect(logged_in):
    with at(45):
        response = logged_in.get(HOME, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/accounts/login/"


@pytest.mark.django_db
def test_the_last_activity_is_written_at_most_once_a_minute(logged_in):
    with at(0.2):
        assert session_writes(logged_in) == 0  # the login wrote the clock
    with at(0.9):
        assert session_writes(logged_in) == 0
    with at(1.5):
        assert session_writes(logged_in) == 1
    with at(1.7):
        assert session_writes(logged_in) == 0
