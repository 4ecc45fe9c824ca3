"""The verification form: a file (PDF or DOCX) or a fingerprint to check against the signed
records."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_VERIFY_BYTES = 20 * 1024 * 1024
FINGERPRINT_RE = re.compile(r"^[0-9a-f]{64}$")


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("File to check (PDF or DOCX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    fingerprint = forms.CharField(
        label=_("Or the fingerprint printed on the document (SHA-256)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def clean_fingerprint(self):
        value = re.sub(r"\s+", "", self.cleaned_data.get("fingerprint") or "").lower()
        if value and not FINGERPRINT_RE.match(value):
            raise forms.ValidationError(
                _("A fingerprint is 64 characters: the digits 0–9 and the letters a–f.")
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("fingerprint"):
            raise forms.ValidationError(_("Choose a file or paste a fingerprint."))
        return cleaned
