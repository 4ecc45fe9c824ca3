from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BoundedDateField


class RecordReadFilterForm(forms.Form):
    """The filters of the access log page (all optional)."""

    reader = forms.CharField(label=_("Reader (user name)"), max_length=150, required=False)
    member = forms.CharField(
        label=_("Member (name or party card number)"), max_length=120, required=False
    )
    date_from = BoundedDateField(label=_("From"), required=False)
    date_to = BoundedDateField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data
