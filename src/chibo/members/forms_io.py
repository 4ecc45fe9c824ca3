"""Forms of the member-list import. They validate the request only; the checks of the file's
content are members.imports.parse_member_file's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.members.imports import ImportMode

# A 100,000-row list is about 10 MB as XLSX; anything far larger is not a member list.
MAX_UPLOAD_BYTES = 40 * 1024 * 1024


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("Member list file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control form-control-lg",
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet,text/csv",
            }
        ),
    )
    mode = forms.ChoiceField(
        label=_("If some rows have errors"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB. Split the list into smaller files.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class MemberImportConfirmForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("If some rows have errors"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
