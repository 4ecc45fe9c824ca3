"""Two-factor enforcement on every request (issue 14). Runs after django-otp's OTPMiddleware
(which sets `user.is_verified()` from the session) and the request cache.

- A user with a confirmed authenticator app who has not typed a code since the password goes to
  the verification page first, whatever page they asked for.
- A user for whom two-factor is required (accounts.twofactor) and who has no app yet: during the
  grace period every page shows a banner with the date (`request.twofactor`); after it, every
  page except the set-up, logout, static and error pages sends them to the set-up page.
- Everybody else passes through. The status is computed at login (`on_login`, which also
  starts the grace period) and kept in the session for five minutes (accounts.twofactor), so
  an ordinary page costs no query; a verified page costs django-otp's one (the device).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from chibo.accounts import twofactor
from chibo.accounts.twofactor_services import twofactor_requirement_sync

# Pages a user on the way to two-factor may always reach (by URL name in the accounts app).
VERIFY_PAGES = ("twofactor_verify", "twofactor_recovery", "logout")
SETUP_PAGES = ("twofactor_setup", "twofactor_codes", "logout")


def _exempt_paths(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(reverse(f"accounts:{name}") for name in names)


def _redirect(request: Any, name: str) -> HttpResponse:
    url = reverse(f"accounts:{name}")
    if request.method == "GET" and not request.headers.get("HX-Request"):
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        # An htmx request would swap the page into a fragment: ask htmx to load it whole.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def current_status(request: Any, user: Any, now: Any) -> twofactor.TwoFactorStatus:
    """The user's status: kept in the session, or computed (one query), the grace period
    started or forgotten as the requirement says, and kept."""
    status = twofactor.remembered(request.session, user, now)
    if status is not None:
        return status
    status = twofactor.status_for(user)
    if not status.has_device:
        twofactor_requirement_sync(user=user, required=status.required, now=now)
    status = twofactor.with_since(status, user)
    twofactor.remember(request.session, user, status, now)
    return status


def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At login: a fresh status for the new session, and the grace period started for a user
    who must use two-factor and has no app yet."""
    if request is not None and hasattr(request, "session"):
        twofactor.forget(request.session)
        current_status(request, user, timezone.now())


def connect() -> None:
    """Connected by AccountsConfig.ready: Django's login signal is the one hook that both the
    login page and `Client.force_login` pass through, so pages' own requests do not write."""
    user_logged_in.connect(on_login, dispatch_uid="chibo.accounts.twofactor_login")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        now = timezone.now()
        status = current_status(request, user, now)
        request.twofactor = status
        if request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        if status.has_device:
            if not request.path.startswith(_exempt_paths(VERIFY_PAGES)):
                return _redirect(request, "twofactor_verify")
        elif status.overdue(now) and not request.path.startswith(_exempt_paths(SETUP_PAGES)):
            return _redirect(request, "twofactor_setup")
        return self.get_response(request)
