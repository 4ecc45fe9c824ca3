"""The code fields of the two-factor pages (issue 14)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.accounts.twofactor_services import normalise_code


class AppCodeForm(forms.Form):
    """Six digits from the authenticator app; the phone's keyboard shows digits and may offer
    the code itself (autocomplete=one-time-code)."""

    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "class": "form-control form-control-lg",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Type the 6 digits the app shows."))
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=24,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "form-control form-control-lg",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Type one of the recovery codes."))
        return code


class AnyCodeForm(forms.Form):
    """A code from the app or a recovery code (to turn two-factor off)."""

    code = forms.CharField(
        label=_("Code from the authenticator app or a recovery code"),
        max_length=24,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "class": "form-control form-control-lg",
            }
        ),
    )

    def clean_code(self) -> str:
        return normalise_code(self.cleaned_data["code"])
