"""Setting up two-factor, the code after the password, recovery codes, throttling, turning it
off and the administrator's reset (issue 14). Codes are computed as the phone's app would:
django_otp.oath.totp with the device's key, at a frozen time."""

from __future__ import annotations

import datetime
import zoneinfo
from binascii import unhexlify

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts import twofactor_services as services
from chibo.accounts.views_twofactor import PENDING_SECRET
from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from tests.conftest import PASSWORD

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime.datetime(2026, 12, 1, 8, 0, 0, tzinfo=VN)
HOME = reverse("home")
LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:twofactor_setup")
VERIFY = reverse("accounts:twofactor_verify")
RECOVERY = reverse("accounts:twofactor_recovery")
CODES = reverse("accounts:twofactor_codes")


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """The tests move the clock back to T0 and forward; a session made at one moment must not
    expire at another (SESSION_COOKIE_AGE is 8 hours)."""
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600


def code_for(secret_hex: str, at: datetime.datetime, steps: int = 0) -> str:
    with time_machine.travel(at + datetime.timedelta(seconds=30 * steps), tick=False):
        return f"{totp(unhexlify(secret_hex)):06d}"


def wrong_code(secret_hex: str, at: datetime.datetime) -> str:
    """A code the app does not show at `at` nor one step before or after (the tolerance)."""
    near = {code_for(secret_hex, at, steps) for steps in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in near)


def setup_with_page(client, user, at=T0) -> tuple[str, list[str]]:
    """Set up through the pages: the QR page, then the code; returns (key, recovery codes)."""
    client.force_login(user)
    with time_machine.travel(at, tick=False):
        page = client.get(SETUP)
        assert page.status_code == 200
        secret = client.session[PENDING_SECRET]
        response = client.post(SETUP, {"code": code_for(secret, at)})
        assert response.url == CODES
        shown = client.get(CODES).context["new_codes"]
    return secret, shown


def log_in_with_password(client, user) -> None:
    client.logout()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_setup_shows_a_qr_code_and_the_key_and_confirms_with_a_real_code(world, client):
    client.force_login(world.cuc_user)
    with time_machine.travel(T0, tick=False):
        page = client.get(SETUP)
        html = page.content.decode()
        assert 'src="data:image/svg+xml' in html  # the QR code, inline (CSP: img-src data:)
        secret = client.session[PENDING_SECRET]
        key_text = "".join(page.context["secret_groups"])
        assert key_text in html.replace('<span class="me-2 text-nowrap">', "").replace(
            "</span>", ""
        )
        assert 'inputmode="numeric"' in html and 'autocomplete="one-time-code"' in html
        # A wrong code is refused with a clear error and sets nothing up.
        refused = client.post(SETUP, {"code": wrong_code(secret, T0)})
        assert refused.status_code == 200
        assert refused.context["form"].errors
        assert not TOTPDevice.objects.filter(user=world.cuc_user).exists()
        assert client.session[PENDING_SECRET] == secret  # the phone keeps the same key
        # Letters are not a code.
        assert client.post(SETUP, {"code": "abcdef"}).context["form"].errors["code"]
        response = client.post(SETUP, {"code": code_for(secret, T0)})
    assert response.url == CODES
    device = TOTPDevice.objects.get(user=world.cuc_user)
    assert device.confirmed and device.key == secret
    assert AuditEntry.objects.filter(code="twofactor.enabled", target_id=str(world.cuc_user.pk))
    # Ten recovery codes, shown once.
    first = client.get(CODES)
    assert len(first.context["new_codes"]) == 10
    assert all(code in first.content.decode() for code in first.context["new_codes"])
    assert client.get(CODES).context["new_codes"] is None
    # The session that set it up is verified: no banner, no detour.
    assert client.get(HOME).status_code == 200
    assert 'id="twofactor-banner"' not in client.get(HOME).content.decode()


@pytest.mark.django_db
def test_after_setup_a_new_login_asks_for_the_code_before_the_home_page(world, client):
    secret, _codes = setup_with_page(client, world.cuc_user)
    later = T0 + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        log_in_with_password(client, world.cuc_user)
        response = client.get(HOME)
        assert response.url == f"{VERIFY}?next=%2F"
        assert client.get(reverse("accounts:handbook")).url.startswith(VERIFY)
        # The password alone cannot replace the app nor turn it off.
        assert client.get(SETUP).url.startswith(VERIFY)
        assert client.post(reverse("accounts:twofactor_disable")).url == VERIFY
        page = client.get(VERIFY + "?next=/accounts/handbook/")
        assert RECOVERY in page.content.decode()  # "use a recovery code"
        assert 'autocomplete="one-time-code"' in page.content.decode()
        response = client.post(
            VERIFY, {"code": code_for(secret, later), "next": "/accounts/handbook/"}
        )
        assert response.url == "/accounts/handbook/"
        assert client.get(HOME).status_code == 200
        # The same code cannot be used twice (a second session replaying it).
        log_in_with_password(client, world.cuc_user)
        replay = client.post(VERIFY, {"code": code_for(secret, later)})
        assert replay.status_code == 200 and replay.context["form"].errors


@pytest.mark.django_db
def test_an_outside_next_is_not_followed(world, client):
    secret, _codes = setup_with_page(client, world.binh_user)
    later = T0 + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        log_in_with_password(client, world.binh_user)
        response = client.post(
            VERIFY, {"code": code_for(secret, later), "next": "https://x.example/"}
        )
    assert response.url == HOME


@pytest.mark.django_db
def test_a_recovery_code_logs_in_once(world, client):
    _secret, codes = setup_with_page(client, world.cuc_user)
    log_in_with_password(client, world.cuc_user)
    response = client.post(RECOVERY, {"code": codes[0].upper()})
    assert response.url == HOME
    assert client.get(HOME).status_code == 200
    assert StaticToken.objects.filter(device__user=world.cuc_user).count() == 9
    assert AuditEntry.objects.filter(code="twofactor.recovery_code_used").count() == 1
    log_in_with_password(client, world.cuc_user)
    with time_machine.travel(T0 + datetime.timedelta(minutes=1), tick=False):
        again = client.post(RECOVERY, {"code": codes[0]})
    assert again.status_code == 200 and again.context["form"].errors
    assert client.get(HOME).url.startswith(VERIFY)


@pytest.mark.django_db
def test_regenerating_the_recovery_codes_invalidates_the_old_ones(world, client):
    _secret, old = setup_with_page(client, world.cuc_user)
    response = client.post(CODES)
    assert response.url == CODES
    new = client.get(CODES).context["new_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEntry.objects.filter(code="twofactor.recovery_codes_regenerated").count() == 1
    log_in_with_password(client, world.cuc_user)
    with time_machine.travel(T0 + datetime.timedelta(minutes=1), tick=False):
        assert client.post(RECOVERY, {"code": old[0]}).context["form"].errors
    with time_machine.travel(T0 + datetime.timedelta(minutes=2), tick=False):
        assert client.post(RECOVERY, {"code": new[0]}).url == HOME


@pytest.mark.django_db
def test_an_unverified_session_cannot_regenerate_codes(world, client):
    _secret, old = setup_with_page(client, world.cuc_user)
    log_in_with_password(client, world.cuc_user)
    assert client.post(CODES).url.startswith(VERIFY)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)


@pytest.mark.django_db
def test_wrong_codes_are_throttled(world, client):
    secret, _codes = setup_with_page(client, world.cuc_user)
    later = T0 + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        log_in_with_password(client, world.cuc_user)
        wrong = client.post(VERIFY, {"code": wrong_code(secret, later)})
        assert wrong.status_code == 200
        # The right code at once is still refused: django-otp makes the device wait 1 s after
        # one failure, 2 s after two, 4 s after three …
        throttled = client.post(VERIFY, {"code": code_for(secret, later)})
        error = throttled.context["form"].errors["code"][0]
        assert "08:05:01" in error  # wait until (Asia/Ho_Chi_Minh)
        assert client.get(HOME).url.startswith(VERIFY)
    with time_machine.travel(later + datetime.timedelta(seconds=1), tick=False):
        assert client.post(VERIFY, {"code": code_for(secret, later)}).url == HOME


@pytest.mark.django_db
def test_an_optional_user_may_turn_it_off_after_a_code(world, client):
    secret, _codes = setup_with_page(client, world.binh_user)
    later = T0 + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        refused = client.post(reverse("accounts:twofactor_disable"), {"code": "123"})
        assert refused.url == reverse("accounts:twofactor")
        assert TOTPDevice.objects.filter(user=world.binh_user).exists()
    # After the wait that one wrong code costs (1 s), the right one turns it off.
    with time_machine.travel(later + datetime.timedelta(seconds=1), tick=False):
        client.post(reverse("accounts:twofactor_disable"), {"code": code_for(secret, later)})
    assert not TOTPDevice.objects.filter(user=world.binh_user).exists()
    assert not StaticDevice.objects.filter(user=world.binh_user).exists()
    assert AuditEntry.objects.filter(code="twofactor.disabled").count() == 1
    log_in_with_password(client, world.binh_user)
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_a_required_user_cannot_turn_it_off(world, client):
    secret, _codes = setup_with_page(client, world.cuc_user)
    later = T0 + datetime.timedelta(minutes=5)
    page = client.get(reverse("accounts:twofactor"))
    assert 'id="twofactor-disable-form"' not in page.content.decode()
    with time_machine.travel(later, tick=False):
        client.post(reverse("accounts:twofactor_disable"), {"code": code_for(secret, later)})
    assert TOTPDevice.objects.filter(user=world.cuc_user).exists()
    assert AuditEntry.objects.filter(code="twofactor.disabled").count() == 0


@pytest.mark.django_db
def test_the_administrator_resets_a_lost_phone(world, client):
    setup_with_page(client, world.cuc_user)
    reset = reverse("accounts:twofactor_admin_reset", args=[world.cuc_user.pk])
    panel = reverse("accounts:twofactor_admin", args=[world.cuc_user.pk])
    client.force_login(world.admin_user)
    page = client.get(panel)
    assert page.status_code == 200 and 'id="twofactor-reset"' in page.content.decode()
    assert client.get(reset).status_code == 405
    assert client.post(reset).url == panel
    assert not TOTPDevice.objects.filter(user=world.cuc_user).exists()
    assert not StaticDevice.objects.filter(user=world.cuc_user).exists()
    entry = AuditEntry.objects.get(code="twofactor.reset")
    assert entry.actor == world.admin_user and entry.target_id == str(world.cuc_user.pk)
    assert client.post(reverse("accounts:twofactor_admin_reset", args=[999999])).status_code == 404
    # Cúc logs in with her password only; her grace is long over, so she sets up a new phone.
    world.cuc_user.two_factor_required_since = T0 - datetime.timedelta(days=30)
    world.cuc_user.save(update_fields=["two_factor_required_since"])
    log_in_with_password(client, world.cuc_user)
    assert client.get(HOME).url.startswith(SETUP)


@pytest.mark.django_db
def test_nobody_but_an_administrator_may_reset_or_see_anothers_two_factor(world, client):
    setup_with_page(client, world.binh_user)
    reset = reverse("accounts:twofactor_admin_reset", args=[world.binh_user.pk])
    panel = reverse("accounts:twofactor_admin", args=[world.binh_user.pk])
    # Not even her own account, in her verified session: resetting is the administrator's
    # (she turns it off herself, after a code).
    assert client.post(reset).status_code == 403
    for user in (world.an_user, world.cuc_user, world.dung_user):  # her secretary, upper, other
        client.force_login(user)
        assert client.post(reset).status_code == 403
        assert client.get(panel).status_code == 403
    assert TOTPDevice.objects.filter(user=world.binh_user).exists()
    assert AuditEntry.objects.filter(code="twofactor.reset").count() == 0


@pytest.mark.django_db
def test_the_reset_service_refuses_a_non_administrator(world):
    with pytest.raises(ServiceError):
        services.twofactor_reset(user=world.binh_user, by=world.an_user)
