"""Forms of the rules pages. They parse and validate input; the services decide and save."""

from __future__ import annotations

import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BoundedDateField
from chibo.core.rules import RULE_KEYS
from chibo.orgs.models import Organization


class RulesContextForm(forms.Form):
    """Which organization and which date the rules page shows (GET)."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.all(), required=False
    )
    on = forms.DateField(label=_("On date"), required=False)

    def chosen(self) -> tuple[Organization | None, object]:
        """The organization (default: the first root) and date (default: today) to show."""
        data = self.cleaned_data if self.is_valid() else {}
        organization = data.get("organization") or Organization.objects.get_first_root_node()
        return organization, data.get("on") or timezone.localdate()


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON value chibo accepts")


def _key_choices() -> list[tuple[str, str]]:
    return [(key, f"{key} — {rule.description}") for key, rule in RULE_KEYS.items()]


class RuleOverrideForm(forms.Form):
    """A new override for one organization. The value is typed as JSON, shaped like the
    central default (the service checks the shape)."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.all(), widget=forms.HiddenInput
    )
    key = forms.ChoiceField(label=_("Rule"), choices=_key_choices)
    value = forms.CharField(
        label=_("Value (JSON)"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace"}),
        help_text=_("Written like the central value shown in the table, e.g. 120 or [30, 40]."),
    )
    regulation = forms.CharField(
        label=_("Regulation"),
        max_length=200,
        help_text=_("The organization's own document, e.g. Quyết định 15-QĐi/TU (14/11/2018)."),
    )
    clause = forms.CharField(label=_("Clause"), max_length=200, required=False)
    effective_from = BoundedDateField(label=_("In force from"), widget=forms.DateInput())
    effective_to = forms.DateField(label=_("In force until"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_value(self):
        text = self.cleaned_data["value"]
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except ValueError:
            raise forms.ValidationError(
                _("Enter the value as JSON: a number, a list such as [30, 40] or an object.")
            ) from None


class RuleOverrideExpireForm(forms.Form):
    """The last day an override is in force."""

    effective_to = forms.DateField(label=_("Last day in force"))
