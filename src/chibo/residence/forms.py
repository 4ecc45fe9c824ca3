from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DATE_WIDGET, BoundedDateField
from chibo.residence.models import SpecialCategory

YES_NO = ((True, _("Yes")), (False, _("No")))


def _date(label, **extra) -> forms.DateField:
    return BoundedDateField(label=label, widget=DATE_WIDGET, **extra)


def _yes_no(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda value: value in (True, "True"), initial=True
    )


class LinkForm(forms.Form):
    residence_cell = forms.IntegerField(widget=forms.HiddenInput)
    address = forms.CharField(label=_("Residence address"), max_length=300)
    start_date = _date(_("Living there since"))
    special_category = forms.ChoiceField(
        label=_("Special category"),
        choices=SpecialCategory.choices,
        required=False,
        help_text=_(
            "Members in these categories are not asked for the annual residence comment, only "
            "when needed (Quy định 213, Hướng dẫn 33)."
        ),
    )


class EndLinkForm(forms.Form):
    end_date = _date(_("End date"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ParticipationForm(forms.Form):
    date = _date(_("Date"))
    activity = forms.CharField(label=_("Meeting or activity"), max_length=200)
    attended = _yes_no(_("Attended"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class FeedbackForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 5}))
    sets_example = _yes_no(_("Sets an example at the place of residence"))
    fulfils_civic_duties = _yes_no(_("Fulfils civic obligations"))
    attends_meetings = _yes_no(_("Attends the residence cell's meetings"))
    written_on = _date(_("Date of the comment"))
    signed_by_name = forms.CharField(label=_("Signed by"), max_length=120)
    signed_by_title = forms.CharField(
        label=_("Title of the signatory"), max_length=120, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["written_on"].initial = timezone.localdate()


class CorrectionForm(FeedbackForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)


class RequestForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


def year_from(value: str | None) -> int:
    """The ?year= parameter, this year when absent or invalid."""
    today = timezone.localdate()
    try:
        year = int(value or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year
