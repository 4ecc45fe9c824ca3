"""The inbox: a user's notifications, newest first; and the user's own notification settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chibo.core import flow
from chibo.notify import selectors, services
from chibo.notify.access import get_notification_for_user, inbox_of
from chibo.notify.forms import PreferencesForm


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    notifications = inbox_of(request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about."""
    # Another user's notification does not exist for this user.
    notification = get_notification_for_user(request.user, pk)
    services.notification_mark_read(notification=notification)
    # Only links inside chibo are followed (no open redirect through a stored url).
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notify:inbox")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked as read.",
            "%(count)s notifications marked as read.",
            count,
        )
        % {"count": count}
        if count
        else _("Every notification was already read."),
    )
    return redirect("notify:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """The user's own channels per kind of message ("Cài đặt thông báo"); nobody else's."""
    current = selectors.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST":
        outcome = flow.submit(
            request,
            form,
            lambda _data: services.preferences_save(user=request.user, choices=form.choices()),
            success=_("Notification settings saved."),
        )
        if outcome.ok:
            return redirect("notify:preferences")
    return render(
        request,
        "notify/preferences.html",
        {
            "form": form,
            "has_email": bool(getattr(request.user, "email", "")),
            "has_phone": selectors.has_phone(request.user),
        },
    )
