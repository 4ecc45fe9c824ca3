"""Forms of the rules pages. They parse and validate input; the services decide and save.

A rule's value is never typed as JSON: each key gets the form that fits the shape of its
central value (`value_editor`) —
- a number, with its unit (minutes, days, working days, months, per cent, VND, members);
- a share of the members: numerator, denominator and whether it must be exceeded;
- levels (rating bands): one number per level;
- a list of years or days: the items, separated by commas;
- rows (duration bands, early-award bands, review criteria): a table of rows, one per band;
- a frame with lines (the meeting scoring frame): a table of lines, each with its label, its
  maximum, its flags and, where the frame has them, its own bands ("from:points; …").
The editor is built from the central value, so a new field in the data (a line's "bands") gets
its column without a new form.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chibo.core import rules
from chibo.core.forms import BoundedDateField
from chibo.core.rules import RULE_KEYS
from chibo.orgs.models import Organization

VALUE_PREFIX = "value"
DAY_MONTH = re.compile(r"^\d{2}/\d{2}$")

# The unit shown beside a number, by the way the rule's value is shown (core.rules).
UNITS = {
    "_minutes": pgettext_lazy("rule unit", "minutes"),
    "_duration_bands": pgettext_lazy("rule unit", "minutes"),
    "_percent": "%",
    "_days": pgettext_lazy("rule unit", "days"),
    "_working_days": pgettext_lazy("rule unit", "working days"),
    "_months": pgettext_lazy("rule unit", "months"),
    "_age_months": pgettext_lazy("rule unit", "months of age"),
    "_count": pgettext_lazy("rule unit", "members"),
    "_vnd": pgettext_lazy("rule unit", "VND"),
    "_years_list": pgettext_lazy("rule unit", "years"),
}

# Labels of the fields found in rule values; an unknown field shows its own name.
FIELD_LABELS = {
    "number": pgettext_lazy("rule field", "Value"),
    "numerator": pgettext_lazy("rule field", "Numerator"),
    "denominator": pgettext_lazy("rule field", "Denominator"),
    "strict": pgettext_lazy("rule field", "Strictly more than this share (not “at least”)"),
    "members_from": pgettext_lazy("rule field", "From cells of (members)"),
    "minutes": pgettext_lazy("rule field", "Minutes, at least"),
    "from_years": pgettext_lazy("rule field", "Party age from (years)"),
    "to_years": pgettext_lazy("rule field", "Party age to (years)"),
    "months": pgettext_lazy("rule field", "Months early"),
    "good": pgettext_lazy("rule field", "Good from (points)"),
    "fair": pgettext_lazy("rule field", "Fair from (points)"),
    "average": pgettext_lazy("rule field", "Average from (points)"),
    "excellent": pgettext_lazy("rule field", "Excellent from (points)"),
    "completed": pgettext_lazy("rule field", "Completed from (points)"),
    "code": pgettext_lazy("rule field", "Code"),
    "group": pgettext_lazy("rule field", "Group"),
    "label": pgettext_lazy("rule field", "Criterion"),
    "max": pgettext_lazy("rule field", "Max points"),
    "auto": pgettext_lazy("rule field", "Measured by chibo"),
    "must_have": pgettext_lazy("rule field", "Must have full marks for Good"),
    "thematic_only": pgettext_lazy("rule field", "Only in a month with a thematic meeting"),
    "bands": pgettext_lazy("rule field", "Bands (from:points; …)"),
    "items": pgettext_lazy("rule field", "Values, separated by commas"),
    # visit.yearly_minimum: visits a year by the level of the visitor's committee
    "province": pgettext_lazy("rule field", "Province committee members (visits a year)"),
    "district": pgettext_lazy("rule field", "District committee members (visits a year)"),
    "commune": pgettext_lazy("rule field", "Commune or ward committee members (visits a year)"),
    "grassroots": pgettext_lazy("rule field", "Grassroots committee members (visits a year)"),
    "per_quarter": pgettext_lazy("rule field", "Model meetings of each cell type a quarter"),
    # meeting_quality.annual_rating
    "good_share_fair_or_better": pgettext_lazy(
        "rule field", "Good: share of meetings rated fair or better (%)"
    ),
    "good_min_good": pgettext_lazy("rule field", "Good: meetings rated good, at least"),
    "fair_share_average_or_better": pgettext_lazy(
        "rule field", "Fair: share of meetings rated average or better (%)"
    ),
    "average_max_poor": pgettext_lazy("rule field", "Average: meetings rated poor, at most"),
    # perfunctory.thresholds
    "similarity_percent": pgettext_lazy("rule field", "Similar texts from (%)"),
    "min_length": pgettext_lazy("rule field", "Texts compared from (characters)"),
    "lookback_meetings": pgettext_lazy("rule field", "Earlier meetings compared"),
    "compare_evaluation": pgettext_lazy("rule field", "Compare the month's review"),
    "compare_tasks": pgettext_lazy("rule field", "Compare next month's tasks"),
    "compare_implementation": pgettext_lazy("rule field", "Compare the implementation part"),
    "compare_review_notes": pgettext_lazy("rule field", "Compare the notes of the review item"),
    "speakers_meetings": pgettext_lazy("rule field", "Same speakers: meetings counted"),
    "speakers_max": pgettext_lazy("rule field", "Same speakers: at most this many members"),
    "speakers_share_percent": pgettext_lazy(
        "rule field", "Same speakers: share of the speeches (%)"
    ),
    "speakers_min_present": pgettext_lazy(
        "rule field", "Same speakers: only meetings with at least this many present"
    ),
}

# The fields of one band of a frame line when the central frame has none to copy from.
DEFAULT_BAND = {"from": 0, "points": 0}


def _label(name: str, unit: Any = None) -> str:
    label = str(FIELD_LABELS.get(name, name))
    return f"{label} ({unit})" if unit and name == "number" else label


def _unit(key: str) -> Any:
    return UNITS.get(getattr(RULE_KEYS[key].format_value, "__name__", ""))


def _number_field(example: Any, label: str, *, required: bool = True) -> forms.Field:
    if isinstance(example, float):
        return forms.DecimalField(label=label, min_value=0, required=required, decimal_places=4)
    return forms.IntegerField(label=label, min_value=0, required=required)


def _number_value(example: Any, value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if isinstance(example, int) else float(value)
    return value


def _is_scalar(value: Any) -> bool:
    return isinstance(value, bool | int | float | str)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


# -- bands inside a frame line --------------------------------------------------------------


def _band_example(lines: list[dict[str, Any]], name: str) -> dict[str, Any]:
    for line in lines:
        for item in line.get(name) or ():
            return item
    return DEFAULT_BAND


def _show_bands(items: list[dict[str, Any]]) -> str:
    return "; ".join(":".join(str(item[name]) for name in item) for item in items)


class BandsField(forms.CharField):
    """A line's bands written "90:5; 75:4" (the fields of each band in the order of the
    example band, e.g. from and points)."""

    def __init__(self, *, example: dict[str, Any], **kwargs: Any):
        self.example = example
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return _show_bands(value) if isinstance(value, list) else value

    def clean(self, value: Any) -> list[dict[str, Any]]:
        text = super().clean(value)
        names = list(self.example)
        bands = []
        for part in (item.strip() for item in text.split(";")):
            if not part:
                continue
            numbers = [item.strip() for item in part.split(":")]
            try:
                parsed = [Decimal(number.replace(",", ".")) for number in numbers]
            except ArithmeticError:
                parsed = []
            wrong_whole = any(
                isinstance(self.example[name], int) and number != number.to_integral_value()
                for name, number in zip(names, parsed, strict=False)
            )
            if len(parsed) != len(names) or wrong_whole or any(number < 0 for number in parsed):
                raise forms.ValidationError(
                    _("Write each band as %(shape)s, bands separated by “;”.")
                    % {"shape": ":".join(names)}
                )
            bands.append(
                {
                    name: _number_value(self.example[name], number)
                    for name, number in zip(names, parsed, strict=True)
                }
            )
        return bands


# -- one form per shape ---------------------------------------------------------------------


def _row_form_class(example: dict[str, Any], lines: list[dict[str, Any]]) -> type[forms.Form]:
    """A form for one row (a band, a criterion, a frame line) shaped like `example`."""
    fields: dict[str, forms.Field] = {}
    autos = sorted({str(line.get("auto", "")) for line in lines} - {""})
    for name, sample in example.items():
        label = _label(name)
        if isinstance(sample, bool):
            fields[name] = forms.BooleanField(label=label, required=False)
        elif isinstance(sample, int | float):
            fields[name] = _number_field(sample, label)
        elif name == "auto":
            # Only what chibo can measure (meetings.scoring); "" is entered by hand.
            choices = [("", "—"), *[(auto, auto) for auto in autos]]
            fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
        elif isinstance(sample, str):
            fields[name] = forms.CharField(
                label=label, required=name in ("code", "label"), max_length=300
            )
        elif isinstance(sample, list):
            fields[name] = BandsField(label=label, example=_band_example(lines, name))
    return type("RowForm", (forms.Form,), fields)


class RowsEditor:
    """A table of rows (bands, criteria, lines of a frame), one form per row; blank extra rows
    are ignored and ticked rows deleted."""

    is_rows = True

    def __init__(self, example: list[dict[str, Any]], *, data=None, initial=None, prefix: str):
        self.example = example
        row_form = _row_form_class(example[0], example)
        formset_class = formset_factory(row_form, extra=2, can_delete=True)
        self.formset = formset_class(
            data=data, initial=initial if data is None else None, prefix=prefix
        )

    @property
    def columns(self) -> list[str]:
        form = self.formset.empty_form
        return [str(field.label) for name, field in form.fields.items() if name != "DELETE"]

    @property
    def errors(self) -> Any:
        return [error for error in self.formset.errors if error] + list(
            self.formset.non_form_errors()
        )

    @property
    def initial(self) -> Any:
        return self.formset.initial

    def is_valid(self) -> bool:
        return self.formset.is_valid()

    def value(self) -> list[dict[str, Any]]:
        names = list(self.example[0])
        items = []
        for form in self.formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            items.append(
                {
                    name: _number_value(self.example[0][name], data.get(name))
                    if not isinstance(self.example[0][name], bool)
                    else bool(data.get(name))
                    for name in names
                }
            )
        first = names[0]
        if isinstance(self.example[0][first], int | float) and not isinstance(
            self.example[0][first], bool
        ):
            items.sort(key=lambda item: item[first])
        return items


class FrameEditor(RowsEditor):
    """A frame: a dict whose "lines" are rows (the meeting scoring frame)."""

    def __init__(self, example: dict[str, Any], *, data=None, initial=None, prefix: str):
        self.frame_example = example
        super().__init__(
            example["lines"],
            data=data,
            initial=(initial or {}).get("lines"),
            prefix=f"{prefix}-lines",
        )

    def value(self) -> dict[str, Any]:  # type: ignore[override]
        return {**self.frame_example, "lines": super().value()}


class FieldsEditor(forms.Form):
    """A number, a share, levels or a list: a plain form of a few fields."""

    is_rows = False

    def __init__(self, key: str, example: Any, *, data=None, initial=None, prefix: str):
        self.example = example
        if isinstance(example, dict):
            start = dict(initial or {})
        elif isinstance(example, list):
            start = {"items": ", ".join(str(item) for item in initial or [])}
        else:
            start = {"number": initial}
        super().__init__(data=data, initial=start, prefix=prefix)
        if isinstance(example, dict):
            for name, sample in example.items():
                if isinstance(sample, bool):
                    self.fields[name] = forms.BooleanField(label=_label(name), required=False)
                else:
                    self.fields[name] = _number_field(sample, _label(name))
        elif isinstance(example, list):
            self.fields["items"] = forms.CharField(
                label=f"{_label('items')}" + (f" ({_unit(key)})" if _unit(key) else "")
            )
        else:
            self.fields["number"] = _number_field(example, _label("number", _unit(key)))

    def clean_items(self) -> list[Any]:
        sample = self.example[0] if self.example else ""
        items: list[Any] = []
        for part in _split(self.cleaned_data["items"]):
            if isinstance(sample, int):
                if not part.isdigit():
                    raise forms.ValidationError(_("Enter whole numbers separated by commas."))
                items.append(int(part))
            elif DAY_MONTH.match(str(sample)) and not DAY_MONTH.match(part):
                raise forms.ValidationError(_("Write each day as day/month, e.g. 03/02."))
            else:
                items.append(part)
        if not items:
            raise forms.ValidationError(_("Enter at least one value."))
        return items

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        is_share = isinstance(self.example, dict) and "denominator" in self.example
        numerator, denominator = data.get("numerator"), data.get("denominator")
        readable = numerator is not None and denominator is not None
        if is_share and readable and not 0 < numerator <= denominator:  # type: ignore[operator]
            raise forms.ValidationError(_("The numerator must be between 1 and the denominator."))
        return data

    def value(self) -> Any:
        data = self.cleaned_data
        if isinstance(self.example, dict):
            return {
                name: bool(data.get(name))
                if isinstance(sample, bool)
                else _number_value(sample, data[name])
                for name, sample in self.example.items()
            }
        if isinstance(self.example, list):
            return data["items"]
        return _number_value(self.example, data["number"])


class ReadingEditor(forms.Form):
    """A reading DOMAIN leaves open (rules.READINGS): one of its options, each with its source."""

    is_rows = False

    def __init__(self, key: str, *, data=None, initial=None, prefix: str):
        super().__init__(data=data, initial={"reading": initial}, prefix=prefix)
        self.fields["reading"] = forms.ChoiceField(
            label=_("Reading"),
            choices=[(option.code, option.label) for option in rules.READINGS[key]],
            widget=forms.RadioSelect,
        )

    def value(self) -> str:
        return str(self.cleaned_data["reading"])


# Keys whose value says which choices each of a fixed set of holders has: {holder: [choice]},
# e.g. which level may decide which form of discipline. (the holders' labels, the choices'.)
CHOICE_TABLES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "discipline.authority": (rules.DISCIPLINE_LEVELS, rules.DISCIPLINE_FORMS),
}


class ChoiceTableEditor(forms.Form):
    """For each holder (a level), the choices (forms of discipline) it has, as checkboxes."""

    is_rows = False

    def __init__(self, key: str, *, data=None, initial=None, prefix: str):
        holders, choices = CHOICE_TABLES[key]
        super().__init__(data=data, initial=dict(initial or {}), prefix=prefix)
        self.holders = list(holders)
        for holder, label in holders.items():
            self.fields[holder] = forms.MultipleChoiceField(
                label=label,
                choices=list(choices.items()),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def value(self) -> dict[str, list[str]]:
        return {holder: list(self.cleaned_data.get(holder) or []) for holder in self.holders}


ValueEditor = FieldsEditor | RowsEditor | ReadingEditor | ChoiceTableEditor


def value_editor(key: str, *, data=None, initial: Any = None) -> ValueEditor:
    """The form that fits the value of rule `key`, shaped like its latest central version and
    filled with `initial` (the value in force), or bound to the posted `data`."""
    if key in rules.READINGS:
        return ReadingEditor(key, data=data, initial=initial, prefix=VALUE_PREFIX)
    if key in CHOICE_TABLES:
        return ChoiceTableEditor(key, data=data, initial=initial, prefix=VALUE_PREFIX)
    example = rules.central_versions(key)[-1].value
    if isinstance(example, dict) and isinstance(example.get("lines"), list):
        return FrameEditor(example, data=data, initial=initial, prefix=VALUE_PREFIX)
    if isinstance(example, list) and example and isinstance(example[0], dict):
        return RowsEditor(example, data=data, initial=initial, prefix=VALUE_PREFIX)
    return FieldsEditor(key, example, data=data, initial=initial, prefix=VALUE_PREFIX)


# -- the page's other forms -----------------------------------------------------------------


class RulesContextForm(forms.Form):
    """Which organization and which date the rules page shows (GET), among `organizations`."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    on = BoundedDateField(label=_("On date"), required=False)
    key = forms.ChoiceField(label=_("Rule"), required=False, choices=())

    def __init__(self, *args: Any, organizations=None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.organizations = (
            organizations if organizations is not None else Organization.objects.all()
        )
        self.fields["organization"].queryset = self.organizations  # type: ignore[attr-defined]
        self.fields["key"].choices = [("", "—"), *_key_choices()]  # type: ignore[attr-defined]

    def chosen(self) -> tuple[Organization | None, Any, str]:
        """The organization (default: the first the user manages), the date (default: today)
        and the rule whose new override is being written ("" if none)."""
        data = self.cleaned_data if self.is_valid() else {}
        organization = data.get("organization") or self.organizations.order_by("path").first()
        return organization, data.get("on") or timezone.localdate(), data.get("key") or ""


def _key_choices() -> list[tuple[str, str]]:
    return [(key, f"{key} — {rule.description}") for key, rule in RULE_KEYS.items()]


class RuleOverrideForm(forms.Form):
    """A new override for one organization: the rule, the document that sets it and its
    dates; the value comes from the `editor` that fits the rule (see `value_editor`)."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.all(), widget=forms.HiddenInput
    )
    key = forms.ChoiceField(label=_("Rule"), choices=_key_choices, widget=forms.HiddenInput)
    regulation = forms.CharField(
        label=_("Regulation"),
        max_length=200,
        help_text=_("The organization's own document, e.g. Quyết định 15-QĐi/TU (14/11/2018)."),
    )
    clause = forms.CharField(label=_("Clause"), max_length=200, required=False)
    effective_from = BoundedDateField(label=_("In force from"), widget=forms.DateInput())
    effective_to = BoundedDateField(label=_("In force until"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        editor: ValueEditor | None = None,
        organization: Organization | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.editor = editor
        if organization is not None:
            # The unit was fetched with the access check; the posted id must be that one.
            self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
                pk=organization.pk
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.editor is None:
            return data
        if not self.editor.is_valid():
            raise forms.ValidationError(_("Check the value: some of its fields are not valid."))
        data["value"] = self.editor.value()
        return data


class RuleOverrideExpireForm(forms.Form):
    """The last day an override is in force."""

    effective_to = BoundedDateField(label=_("Last day in force"))
