from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DATE_WIDGET, BoundedDateField, BoundedModelMultipleChoiceField
from chibo.core.text import InvalidName, normalize_name
from chibo.members.models import Member, MemberStatus

__all__ = ["DATE_WIDGET", "MemberForm", "MemberSearchForm"]


class MemberChoiceField(forms.ModelChoiceField):
    """A member picker whose options read "Lương Văn Thuận (1968)" (`Member.label`), so that
    namesakes can be told apart; the choice itself is the member's id, never the name."""

    def label_from_instance(self, obj: Member) -> str:
        return obj.label


class MembersChoiceField(BoundedModelMultipleChoiceField):
    """The several-members picker, labelled like `MemberChoiceField`."""

    def label_from_instance(self, obj: Member) -> str:
        return obj.label


class MemberForm(forms.ModelForm):
    """Identity fields of a member. Validation only; the view passes cleaned_data to the service."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Member
        fields = [
            "full_name",
            "sex",
            "birth_date",
            "ethnicity",
            "religion",
            "home_town",
            "residence_address",
            "general_education",
            "professional_qualification",
            "political_theory",
            "occupation",
            "party_card_number",
            "admission_decision_date",
            "ceremony_date",
            "official_date",
            "phone",
            "email",
            "notes",
        ]
        field_classes = {
            "birth_date": BoundedDateField,
            "admission_decision_date": BoundedDateField,
            "ceremony_date": BoundedDateField,
            "official_date": BoundedDateField,
        }
        widgets = {
            "birth_date": DATE_WIDGET,
            "admission_decision_date": DATE_WIDGET,
            "ceremony_date": DATE_WIDGET,
            "official_date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_full_name(self) -> str:
        try:
            return normalize_name(self.cleaned_data["full_name"])
        except InvalidName as error:
            raise forms.ValidationError(str(error), code="hidden_characters") from None

    def validate_unique(self) -> None:
        # Uniqueness (party card) is the service's to decide, with its own message.
        return None


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("On the rolls")), *MemberStatus.choices]
    )
