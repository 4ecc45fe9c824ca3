from collections.abc import Callable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DATE_WIDGET, BoundedDateField
from chibo.orgs.models import ALLOWED_CHILDREN, CellType, Organization, OrganizationKind, Role


def _clean_code(value: str) -> str:
    # The R6.7 shape is a warning after saving (services.code_shape_warning), not a refusal.
    value = value.strip()
    if not value or any(character.isspace() for character in value):
        raise forms.ValidationError(_("Enter the organization code, without spaces."))
    return value


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    cell_type = forms.ChoiceField(
        label=_("Cell type"), choices=[("", "—"), *CellType.choices], required=False
    )
    code = forms.CharField(
        label=_("Organization code"),
        max_length=20,
        help_text=_(
            "Usually M1.M2.M3.M4.M5, for example 38.168.053.000.001; the next free code under "
            "the superior unit is proposed."
        ),
    )
    address = forms.CharField(label=_("Meeting place"), max_length=300, required=False)
    active_from = BoundedDateField(
        label=_("Active from"), widget=DATE_WIDGET, initial=timezone.localdate
    )

    def __init__(
        self,
        *args: Any,
        parent: Organization | None = None,
        proposals: dict[str, str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if proposals:
            # The next free code for each kind the user may pick (R6.7), as a hint.
            labels = dict(OrganizationKind.choices)
            listed = "; ".join(
                f"{labels[kind]}: {code}" for kind, code in proposals.items() if code
            )
            self.fields["code"].help_text = _("Next free codes — %(list)s.") % {"list": listed}
        # Only the kinds that may sit under the superior unit (DOMAIN R6.1-R6.3).
        allowed = ALLOWED_CHILDREN.get(parent.kind if parent is not None else None, frozenset())
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in OrganizationKind.choices if value in allowed
        ]

    def clean_code(self):
        return _clean_code(self.cleaned_data["code"])


class OrganizationEditForm(OrganizationForm):
    active_to = BoundedDateField(
        label=_("Active until"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Set when the unit is dissolved or merged."),
    )


class MoveForm(forms.Form):
    new_parent_code = forms.CharField(label=_("Code of the new superior unit"), max_length=20)
    new_code = forms.CharField(label=_("New code of this unit"), max_length=20)
    effective_date = BoundedDateField(label=_("Effective date"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: merger decision number and date."),
    )

    def __init__(self, *args: Any, may_place_under: Callable[[Organization], bool], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.may_place_under = may_place_under

    def clean_new_parent_code(self):
        code = self.cleaned_data["new_parent_code"].strip()
        parent = Organization.objects.filter(code=code).first()
        # A unit the user may not move things under answers like an unknown code.
        if parent is None or not self.may_place_under(parent):
            raise forms.ValidationError(_("No unit has the code %(code)s.") % {"code": code})
        return parent

    def clean_new_code(self):
        return _clean_code(self.cleaned_data["new_code"])


class PositionForm(forms.Form):
    member_card = forms.CharField(
        label=_("Party card number of the member"),
        max_length=20,
    )
    role = forms.ChoiceField(label=_("Position"), choices=Role.choices)
    start_date = BoundedDateField(
        label=_("Start date"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PositionEndForm(forms.Form):
    end_date = BoundedDateField(label=_("End date"), widget=DATE_WIDGET, initial=timezone.localdate)
