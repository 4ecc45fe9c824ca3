import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.members.forms import DATE_WIDGET
from chibo.members.models import DuesBasis, DuesChannel, Member


class DuesYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


class _MemberChoiceForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)

    def __init__(self, *args, members: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(member.pk, member.label) for member in members]


class DuesPaymentForm(_MemberChoiceForm):
    """One month of dues paid. The months offered are those of the year up to the current one."""

    month = forms.TypedChoiceField(
        label=_("Month"), coerce=lambda value: datetime.date.fromisoformat(value)
    )
    amount_paid = forms.IntegerField(label=_("Amount paid (VND)"), min_value=0)
    paid_on = forms.DateField(label=_("Payment date"), widget=DATE_WIDGET)
    channel = forms.ChoiceField(label=_("Payment channel"), choices=DuesChannel.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, months: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["month"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(month.isoformat(), month.strftime("%m/%Y")) for month in months]


class DuesBasisForm(_MemberChoiceForm):
    basis = forms.ChoiceField(label=_("Dues computed from"), choices=DuesBasis.choices)
    basis_amount = forms.IntegerField(
        label=_("Amount (VND)"),
        min_value=0,
        required=False,
        help_text=_(
            "Last month's insurable salary, the monthly pension, or the fixed monthly amount. "
            "Leave empty for students."
        ),
    )
