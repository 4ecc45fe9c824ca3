"""Password change, reset by e-mail, and the lockout page: Django's views with chibo's
templates, the state changes going through accounts.services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from chibo.accounts import lockout as lockout_rules
from chibo.accounts import services
from chibo.accounts.forms_password import ChiboPasswordResetForm


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own change (also the forced change after an administrator's reset)."""

    template_name = "accounts/password/change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        user = services.user_password_change(
            user=self.request.user,
            actor=self.request.user,
            password=form.cleaned_data["new_password1"],
        )
        # Keeps this session logged in; the user's other sessions end with the old password.
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password/reset.html"
    form_class = ChiboPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password/reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password/reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        services.user_password_reset_complete(
            user=form.user, password=form.cleaned_data["new_password1"]
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your new password is set; log in with it now."))
        return HttpResponseRedirect(self.get_success_url())


def lockout(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes' answer to a locked login (AXES_LOCKOUT_CALLABLE): when to try again, and
    the password reset, which unlocks the username at once."""
    context = {
        "retry_at": lockout_rules.retry_at(request, credentials),
        "cooloff_minutes": settings.CHIBO_LOGIN_COOLOFF_MINUTES,
        "reset_url": reverse("accounts:password_reset"),
    }
    return render(request, "accounts/lockout.html", context, status=429)
