from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BoundedDateField
from chibo.members.forms import DATE_WIDGET


class BadgeListForm(forms.Form):
    occasion = BoundedDateField(label=_("Award occasion"), required=False, widget=DATE_WIDGET)


class BadgeAwardForm(forms.Form):
    """A Party badge received. The milestones offered are those of the rules in force."""

    milestone_years = forms.TypedChoiceField(
        label=_("Party age milestone"),
        coerce=int,
        error_messages={
            "invalid_choice": _("There is no Party badge for %(value)s years of party age.")
        },
    )
    awarded_on = BoundedDateField(label=_("Award date"), widget=DATE_WIDGET)
    occasion = forms.CharField(
        label=_("Occasion"),
        max_length=100,
        required=False,
        help_text=_("For example: 19/05/2026, the anniversary of President Ho Chi Minh's birth."),
    )
    decision_ref = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    early_for_illness = forms.BooleanField(
        label=_("Early award for serious illness"), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, milestones: tuple[int, ...], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["milestone_years"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(years, _("%(years)s years") % {"years": years}) for years in milestones]
