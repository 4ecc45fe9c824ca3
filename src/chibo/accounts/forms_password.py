"""Forms of the password pages and of the administrators' accounts page. Django's own forms
check the old password and run AUTH_PASSWORD_VALIDATORS; these add what chibo needs."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts import services
from chibo.accounts.models import User


def _same_address(one: str, other: str) -> bool:
    """Django's comparison of e-mail addresses (Unicode case folding, NFKC)."""
    return (
        unicodedata.normalize("NFKC", one).casefold()
        == unicodedata.normalize("NFKC", other).casefold()
    )


class ChiboPasswordResetForm(PasswordResetForm):
    """Finds the logins by their own e-mail address or by the address of their member
    record, and sends each the reset e-mail to the address typed (it is theirs). Says nothing
    about whether an address was found: the page that follows is the same."""

    def get_users(self, email: str):
        candidates = User.objects.filter(
            Q(email__iexact=email) | Q(member__email__iexact=email), is_active=True
        ).select_related("member")
        for user in candidates:
            member = getattr(user, "member", None)
            addresses = [user.email, member.email if member is not None else ""]
            if user.has_usable_password() and any(
                _same_address(email, address) for address in addresses if address
            ):
                yield user

    def save(self, **_options: Any) -> None:  # type: ignore[override]
        email = self.cleaned_data["email"]
        for user in self.get_users(email):
            services.password_reset_mail(user=user, to_email=email)


class AdminResetForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How"),
        choices=[
            ("temporary", _("Give a temporary password (shown once)")),
            ("email", _("Send a reset e-mail")),
        ],
        widget=forms.RadioSelect,
        initial="temporary",
    )


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )


class NewLoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and . _ - only, for example bithu.khoi1."),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()
