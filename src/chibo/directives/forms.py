"""Forms of the directives pages. They validate; views pass cleaned_data to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DATE_WIDGET, BoundedDateField, BoundedModelMultipleChoiceField
from chibo.core.uploads import ACCEPT, check_upload
from chibo.directives.models import TargetMode
from chibo.orgs.models import CellType, Organization

MAX_FILES = 5


def _set_queryset(field: forms.Field, queryset: Any) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Attach at most %(count)s files.") % {"count": MAX_FILES})
        return [check_upload(super(MultipleFileField, self).clean(item, initial)) for item in files]


class TargetFields(forms.Form):
    target_mode = forms.ChoiceField(
        label=_("Sent to"),
        choices=TargetMode.choices,
        initial=TargetMode.SUBTREE,
        widget=forms.RadioSelect,
    )
    units = BoundedModelMultipleChoiceField(
        label=_("Units"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every cell below each chosen unit receives it."),
    )
    cell_types = forms.MultipleChoiceField(
        label=_("Types of cell"),
        choices=CellType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DirectiveForm(TargetFields):
    field_order = [
        "issuer",
        "number_symbol",
        "issued_on",
        "subject",
        "body",
        "must_disseminate",
        "disseminate_by",
        "target_mode",
        "units",
        "cell_types",
    ]
    issuer = forms.ModelChoiceField(
        label=_("Issued by"), queryset=Organization.objects.none(), empty_label=None
    )
    number_symbol = forms.CharField(
        label=_("Number and symbol"),
        max_length=60,
        help_text=_('For example "12-CT/ĐU".'),
    )
    issued_on = BoundedDateField(label=_("Date issued"), widget=DATE_WIDGET)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    must_disseminate = forms.BooleanField(
        label=_("Must be disseminated at the cells' meetings"), required=False, initial=True
    )
    disseminate_by = BoundedDateField(label=_("Disseminate by"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, issuers: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self.fields["issuer"], issuers)
        _set_queryset(self.fields["units"], units)


class ForwardForm(TargetFields):
    field_order = ["forwarder", "number_symbol", "guidance", "target_mode", "units", "cell_types"]
    forwarder = forms.ModelChoiceField(
        label=_("Forwarded by"), queryset=Organization.objects.none(), empty_label=None
    )
    number_symbol = forms.CharField(
        label=_("Number and symbol of the guidance"), max_length=60, required=False
    )
    guidance = forms.CharField(
        label=_("Guidance"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, forwarders: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self.fields["forwarder"], forwarders)
        _set_queryset(self.fields["units"], units)


class AttachmentsForm(forms.Form):
    """The files of a directive (a form of its own: the shared field template shows one file
    per input)."""

    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, JPEG or PNG, at most 10 MB each."),
    )
