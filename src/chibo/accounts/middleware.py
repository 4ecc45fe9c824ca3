"""Two checks made on every request of a logged-in user: the session's idle and absolute
timeouts, and the forced password change."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from chibo.core.flow import is_htmx

LAST_ACTIVITY_KEY = "chibo_last_activity"
STARTED_KEY = "chibo_session_started"
# The last activity is written at most once a minute: a session write per request would cost
# every page a database write (and the idle timeout needs no finer grain).
ACTIVITY_WRITE_SECONDS = 60


def _to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows as a whole page (HX-Redirect), instead of swapping the
    target page into the row that asked."""
    if is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _login_url(request: HttpRequest) -> str:
    target = request.get_full_path() if request.method == "GET" and not is_htmx(request) else ""
    query = "?" + urlencode({"next": target}) if target else ""
    return reverse(settings.LOGIN_URL) + query


def start_session_clock(sender, request, user, **kwargs) -> None:
    """At login (Django's `user_logged_in`): the session starts now. Written with the login's
    own session save, so that the first page after it does not write the session again."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(timezone.now().timestamp())
        session[STARTED_KEY] = now
        session[LAST_ACTIVITY_KEY] = now


class SessionTimeoutMiddleware:
    """Ends a session after CHIBO_SESSION_IDLE_MINUTES without a request, and after
    SESSION_COOKIE_AGE from its start whatever the activity (Django's cookie age alone is
    renewed each time the session is saved, so it is not absolute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            session = request.session
            last = session.get(LAST_ACTIVITY_KEY)
            started = session.get(STARTED_KEY)
            idle = last is not None and now - last > settings.CHIBO_SESSION_IDLE_MINUTES * 60
            too_old = started is not None and now - started > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                login_url = _login_url(request)
                logout(request)
                messages.info(
                    request,
                    _("Your session has expired; please log in again."),
                )
                return _to(request, login_url)
            if started is None:
                session[STARTED_KEY] = now
            if last is None or now - last >= ACTIVITY_WRITE_SECONDS:
                session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class ForcedPasswordChangeMiddleware:
    """Sends a user whose password was chosen by someone else to the change page, for every
    page but that one, logging out, the two-factor steps and the static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and getattr(user, "must_change_password", False):
            change = reverse("accounts:password_change")
            # Two-factor comes first (accounts.middleware_twofactor runs before this one): a user
            # who must verify or set up an app reaches those pages, then changes the password.
            twofactor_pages = tuple(
                reverse(f"accounts:{name}")
                for name in (
                    "twofactor_verify",
                    "twofactor_recovery",
                    "twofactor_setup",
                    "twofactor_codes",
                )
            )
            allowed = (change, reverse("accounts:logout"), settings.STATIC_URL, *twofactor_pages)
            if not request.path.startswith(allowed):
                return _to(request, change)
        return self.get_response(request)
