"""The two-factor pages (issue 14): the account's two-factor page, set-up with a QR code,
verification after the password, recovery codes, turning it off, and the administrator's
reset. Policy in accounts/twofactor.py, changes in accounts/twofactor_services.py."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify
from typing import Any

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts import twofactor
from chibo.accounts import twofactor_services as services
from chibo.accounts.forms_twofactor import AnyCodeForm, AppCodeForm, RecoveryCodeForm
from chibo.accounts.twofactor_access import get_account_for_admin
from chibo.core.flow import attempt, submit

PENDING_SECRET = "chibo_twofactor_pending_secret"  # noqa: S105 (a session key's name, not a secret)
NEW_CODES = "chibo_twofactor_new_codes"


def _next_url(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("home")


def _verified(request: HttpRequest, device: Any) -> None:
    """Mark the session as having passed the second factor (a new session key: what was
    known of the half-logged-in session is of no use)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    twofactor.forget(request.session)


def _is_verified(user: Any) -> bool:
    """django-otp's OTPMiddleware gives every request's user `is_verified()`."""
    return bool(user.is_verified())


def _nothing_to_verify(request: HttpRequest) -> bool:
    """Already verified, or no app to verify with (any more: an administrator may have reset
    it since the session's status was kept)."""
    if _is_verified(request.user):
        return True
    if twofactor.status_for(request.user).has_device:
        return False
    twofactor.forget(request.session)
    return True


def _refusal(result: services.Verification) -> str:
    if result.locked_until is not None:
        until = formats.time_format(timezone.localtime(result.locked_until), "H:i:s")
        return _("Too many wrong codes. Wait until %(time)s, then try again.") % {"time": until}
    return _("The code is not correct.")


def codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _account_context(account: Any) -> dict[str, Any]:
    status = twofactor.status_for(account)
    return {"account": account, "status": status, "codes_left": codes_left(account)}


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The account's two-factor state, with the links to set it up, renew codes, turn it off."""
    context = _account_context(request.user)
    context["disable_form"] = AnyCodeForm()
    return render(request, "accounts/twofactor/overview.html", context)


def _setup_context(request: HttpRequest, form: AppCodeForm) -> dict[str, Any]:
    secret = request.session.get(PENDING_SECRET) or services.new_secret()
    request.session[PENDING_SECRET] = secret
    config_url = TOTPDevice(user=request.user, key=secret).config_url
    text = b32encode(unhexlify(secret)).decode()
    return {
        "form": form,
        "qr": segno.make(config_url, error="m").svg_data_uri(scale=4, border=2),
        "secret_groups": [text[index : index + 4] for index in range(0, len(text), 4)],
        "status": getattr(request, "twofactor", None) or twofactor.status_for(request.user),
        "next": _next_url(request),
    }


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), confirm with a code; then the recovery codes."""
    form = AppCodeForm(request.POST or None)
    if request.method == "POST":
        secret = request.session.get(PENDING_SECRET, "")
        outcome = submit(
            request,
            form,
            lambda data: services.twofactor_enable(
                user=request.user, secret=secret, token=data["code"]
            ),
        )
        if outcome.ok:
            device, codes = outcome.result
            del request.session[PENDING_SECRET]
            _verified(request, device)
            request.session[NEW_CODES] = codes
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:twofactor_codes")
    return render(request, "accounts/twofactor/setup.html", _setup_context(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: a code from the authenticator app."""
    if _nothing_to_verify(request):
        return redirect(_next_url(request))
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.twofactor_verify(user=request.user, token=form.cleaned_data["code"])
        if result.ok:
            _verified(request, result.device)
            return redirect(_next_url(request))
        form.add_error("code", _refusal(result))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/twofactor/verify.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recovery(request: HttpRequest) -> HttpResponse:
    """The second step with a recovery code instead of the app (each code works once)."""
    if _nothing_to_verify(request):
        return redirect(_next_url(request))
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.twofactor_verify_recovery(
            user=request.user, code=form.cleaned_data["code"]
        )
        if result.ok:
            _verified(request, result.device)
            left = codes_left(request.user)
            messages.warning(
                request, _("Recovery code used. %(left)s codes left.") % {"left": left}
            )
            return redirect(_next_url(request))
        form.add_error("code", _refusal(result))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/twofactor/recovery.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made (shown once), or how many are left, and a button to make
    new ones (the old ones then stop working)."""
    status = twofactor.status_for(request.user)
    if request.method == "POST":
        if not _is_verified(request.user):
            messages.error(request, _("Confirm with a code from the app first."))
            return redirect("accounts:twofactor")
        outcome = attempt(
            request,
            lambda: services.twofactor_recovery_regenerate(user=request.user),
            success=_("New recovery codes made. The old ones no longer work."),
        )
        if outcome.ok:
            request.session[NEW_CODES] = outcome.result
        return redirect("accounts:twofactor_codes")
    new_codes = request.session.pop(NEW_CODES, None)
    context = {"status": status, "new_codes": new_codes, "codes_left": codes_left(request.user)}
    return render(request, "accounts/twofactor/codes.html", context)


def _any_code_accepted(user: Any, code: str) -> services.Verification:
    result = services.twofactor_verify(user=user, token=code)
    if result.ok or result.locked_until is not None:
        return result
    return services.twofactor_verify_recovery(user=user, code=code)


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off, after a code; only where it is optional for the user."""
    status = twofactor.status_for(request.user)
    form = AnyCodeForm(request.POST)
    if status.required:
        messages.error(request, _("Two-factor authentication is required for this account."))
    elif form.is_valid():
        result = _any_code_accepted(request.user, form.cleaned_data["code"])
        if not result.ok:
            messages.error(request, _refusal(result))
        else:
            attempt(
                request,
                lambda: services.twofactor_disable(user=request.user, required=status.required),
                success=_("Two-factor authentication is off."),
            )
            twofactor.forget(request.session)
    else:
        messages.error(request, _("Type a code from the app or a recovery code."))
    return redirect("accounts:twofactor")


@login_required
@require_GET
def admin_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator's view of one account's two-factor state, with the reset button."""
    account = get_account_for_admin(request.user, pk)
    return render(request, "accounts/twofactor/admin.html", _account_context(account))


@login_required
@require_POST
def admin_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator removes the account's app and recovery codes (a lost phone)."""
    account = get_account_for_admin(request.user, pk)
    attempt(
        request,
        lambda: services.twofactor_reset(user=account, by=request.user),
        success=_("Two-factor authentication of %(name)s has been reset.")
        % {"name": account.get_username()},
    )
    return redirect(_next_url(request, reverse("accounts:twofactor_admin", args=[account.pk])))
