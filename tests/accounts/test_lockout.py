"""django-axes with separate limits per username and per client address, a short cool-down,
the lockout page, and the client's address behind a trusted proxy (issue 14). The limits are
lowered here (3 per username, 5 per address) to keep the tests short; production's are 10
and 50 (settings, CHIBO_LOGIN_FAILURE_LIMIT and CHIBO_LOGIN_FAILURE_LIMIT_PER_IP)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import timezone

from chibo.accounts import services
from chibo.settings import trusted_proxy_settings
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
PER_USERNAME = 3
PER_ADDRESS = 5

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("axes_on"),
]


@pytest.fixture
def axes_on():
    with override_settings(
        AXES_ENABLED=True,
        AXES_FAILURE_LIMIT=PER_USERNAME,
        CHIBO_LOGIN_FAILURE_LIMIT_PER_IP=PER_ADDRESS,
        **trusted_proxy_settings(0),
    ):
        yield


def login(client, username, password=PASSWORD, ip="198.51.100.1", **headers):
    client.logout()
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def test_a_username_locks_after_its_limit_whatever_the_address(world, client):
    answers = [
        login(client, "binh", "wrong", ip=f"198.51.100.{attempt + 10}").status_code
        for attempt in range(PER_USERNAME)
    ]
    # The failure that reaches the limit is answered with the lockout page.
    assert answers == [200] * (PER_USERNAME - 1) + [429]
    # The right password, from yet another address: the username is locked.
    locked = login(client, "binh", ip="198.51.100.99")
    assert locked.status_code == 429
    # Another user at the addresses the failures came from is not.
    assert logged_in(login(client, "an", ip="198.51.100.10"))


def test_one_failure_below_the_limit_does_not_lock(world, client):
    for _attempt in range(PER_USERNAME - 1):
        login(client, "binh", "wrong")
    assert logged_in(login(client, "binh"))


def test_an_address_locks_after_its_own_higher_limit(world, client):
    # Five usernames, one failure each, from one address: no username reaches 3.
    answers = [
        login(client, username, "wrong", ip="203.0.113.5").status_code
        for username in ("an", "binh", "cuc", "dung", "ha")
    ]
    assert answers == [200] * (PER_ADDRESS - 1) + [429]
    assert login(client, "binh", ip="203.0.113.5").status_code == 429
    # The same user from another address logs in.
    assert logged_in(login(client, "binh", ip="203.0.113.6"))


def test_the_lockout_page_says_when_to_retry_and_offers_the_reset(world, client):
    start = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _attempt in range(PER_USERNAME):
            login(client, "binh", "wrong")
        page = login(client, "binh")
    text = page.content.decode()
    assert page.status_code == 429
    # 09:00 UTC is 16:00 in Hà Nội; the cool-down is 15 minutes.
    assert "Đăng nhập tạm dừng" in text
    assert "16:15 ngày 04/05/2026" in text
    assert 'href="/accounts/password_reset/"' in text


def test_the_cool_down_ends_and_tries_during_it_do_not_extend_it(world, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(PER_USERNAME):
            login(client, "binh", "wrong")
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        assert login(client, "binh", "wrong-again").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert logged_in(login(client, "binh"))


def test_a_password_reset_unlocks_the_username(world, client):
    for _attempt in range(PER_USERNAME):
        login(client, "binh", "wrong")
    assert login(client, "binh").status_code == 429
    services.user_password_reset_complete(user=world.binh_user, password="a-new-passphrase-42")
    assert logged_in(login(client, "binh", "a-new-passphrase-42"))


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(world, client):
    # A client that invents a new address in each request is still one address.
    for number, username in enumerate(("an", "binh", "cuc", "dung", "ha")):
        login(client, username, "wrong", ip="203.0.113.5", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert (
        login(client, "binh", ip="203.0.113.5", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
    )


def test_behind_one_proxy_the_address_nginx_saw_counts(world, client):
    # nginx (127.0.0.1) appends the client's address to whatever X-Forwarded-For it was sent.
    with override_settings(**trusted_proxy_settings(1)):
        for number, username in enumerate(("an", "binh", "cuc", "dung", "ha")):
            login(
                client,
                username,
                "wrong",
                ip="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"6.6.6.6, 203.0.113.{number + 1}",
            )
        recorded = set(AccessAttempt.objects.values_list("ip_address", flat=True))
        assert recorded == {f"203.0.113.{number}" for number in range(1, 6)}
        # Everyone shares nginx's address, but no client reached the address limit.
        assert logged_in(login(client, "binh", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"))
        # One client that fails five times is locked, and only that client.
        for username in ("an", "cuc", "dung", "ha", "an"):
            login(client, username, "wrong", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
        assert (
            login(client, "binh", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code
            == 429
        )
        assert logged_in(login(client, "binh", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.51"))


def test_a_negative_proxy_count_is_refused():
    with pytest.raises(ImproperlyConfigured):
        trusted_proxy_settings(-1)
