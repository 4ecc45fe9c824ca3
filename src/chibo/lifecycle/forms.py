"""Forms of the admission pipeline. They parse and validate; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DATE_WIDGET, BoundedDateField
from chibo.lifecycle.models import Candidate
from chibo.meetings.models import Meeting, MeetingStatus, Vote, VoteSubject
from chibo.members import standing
from chibo.members.forms import MemberChoiceField
from chibo.members.models import Member, Sex
from chibo.orgs.models import Organization


def _date(label: Any, **extra: Any) -> forms.DateField:
    return BoundedDateField(label=label, widget=DATE_WIDGET, **extra)


def official_members(cell: Organization):
    """Mentor and introducer candidates: members.standing says who (official, in activity)."""
    return standing.mentor_candidates(cell)


class CandidateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = _date(_("Date of birth"))
    mentor = MemberChoiceField(
        label=_("Mentor"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("An official member the cell assigned to help the candidate."),
    )
    awareness_certificate_date = _date(_("Party-awareness course certificate date"), required=False)

    def __init__(self, *args: Any, cell: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = official_members(cell)  # type: ignore[attr-defined]


class DateStepForm(forms.Form):
    day = _date(_("Date"))


class IntroducerForm(forms.Form):
    member = MemberChoiceField(label=_("Introducer"), queryset=Member.objects.none())
    known_since = _date(
        _("Has worked, studied or lived with the candidate since"),
        help_text=_("At least 12 months before the introduction."),
    )
    day = _date(_("Date of the introduction"))

    def __init__(self, *args: Any, cell: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = official_members(cell)  # type: ignore[attr-defined]


class OpinionsForm(forms.Form):
    mass_organisations = _date(_("Opinion of the mass organisations received on"))
    residence = _date(_("Opinion of the residence cell received on"))


class _VoteChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Vote) -> str:
        return _("%(date)s — %(title)s (%(yes)s/%(eligible)s)") % {
            "date": obj.meeting.date.strftime("%d/%m/%Y"),
            "title": obj.title,
            "yes": obj.in_favour,
            "eligible": obj.eligible,
        }


class ResolutionForm(forms.Form):
    vote = _VoteChoice(
        label=_("Vote at a cell meeting"),
        queryset=Vote.objects.none(),
        required=False,
        empty_label=_("— recorded elsewhere: enter the date and counts —"),
    )
    day = _date(_("Date of the cell resolution"), required=False)
    in_favour = forms.IntegerField(label=_("In favour"), min_value=0, required=False)
    eligible = forms.IntegerField(
        label=_("Official members of the cell"), min_value=1, required=False
    )

    def __init__(self, *args: Any, cell: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The cell's adopted admission votes not yet used for another candidate, newest first.
        used = Candidate.objects.filter(resolution_vote__isnull=False).values("resolution_vote")
        votes = (
            Vote.objects.filter(
                meeting__organization=cell, subject=VoteSubject.ADMISSION, adopted=True
            )
            .exclude(pk__in=used)
            .select_related("meeting")
            .order_by("-meeting__date", "-pk")
        )
        self.fields["vote"].queryset = votes  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("vote") and not (
            data.get("day") and data.get("in_favour") is not None and data.get("eligible")
        ):
            raise forms.ValidationError(
                _(
                    "Choose the vote of a cell meeting, or enter the date, the votes in favour "
                    "and the number of official members."
                )
            )
        return data


class DecisionForm(forms.Form):
    day = _date(_("Date of the admission decision"))
    number = forms.CharField(label=_("Decision number"), max_length=100)


class CeremonyForm(forms.Form):
    day = _date(_("Date of the admission ceremony"))


# The form recording each step (introducers may be added until the resolution).
STEP_FORMS: dict[str, type[forms.Form]] = {
    "application": DateStepForm,
    "personal_history": DateStepForm,
    "verification": DateStepForm,
    "introducers": IntroducerForm,
    "opinions": OpinionsForm,
    "resolution": ResolutionForm,
    "decision": DecisionForm,
    "ceremony": CeremonyForm,
}
CELL_FORMS = {"introducers", "resolution"}


def step_form(step: str, cell: Organization, data: Any = None) -> forms.Form:
    form_class = STEP_FORMS[step]
    if step in CELL_FORMS:
        return form_class(data, cell=cell, prefix=step)  # type: ignore[call-arg]
    return form_class(data, prefix=step)


STATE_FILTERS = ("in_probation", "due", "overdue", "done")


class _RecognitionVoteChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Vote) -> str:
        return _("%(date)s · %(yes)s/%(eligible)s in favour") % {
            "date": date_format(obj.meeting.date, "SHORT_DATE_FORMAT"),
            "yes": obj.in_favour,
            "eligible": obj.eligible,
        }


def recognition_votes(member: Member):
    """The adopted recognition votes about `member` in meetings of their cell."""
    return Vote.objects.filter(
        subject=VoteSubject.RECOGNITION,
        adopted=True,
        subject_member=member,
        meeting__organization_id=member.cell_id,
    ).select_related("meeting")


class RecognitionForm(forms.Form):
    vote = _RecognitionVoteChoice(
        label=_("Vote of the cell meeting"), queryset=Vote.objects.none(), empty_label=None
    )
    decision_date = BoundedDateField(label=_("Date of the decision"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, member: Member, votes: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"recognise-{member.pk}")
        super().__init__(*args, **kwargs)
        field = self.fields["vote"]
        field.queryset = recognition_votes(member)  # type: ignore[attr-defined]
        if votes is not None:
            # The list already holds the votes: no query per row when rendering.
            field.choices = [(vote.pk, field.label_from_instance(vote)) for vote in votes]  # type: ignore[attr-defined]


class RemovalForm(forms.Form):
    decided_on = BoundedDateField(label=_("Date of the decision"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"remove-{member.pk}")
        super().__init__(*args, **kwargs)


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{date_format(obj.date, 'SHORT_DATE_FORMAT')} — {obj.get_kind_display()}"


class CandidateReviewForm(forms.Form):
    """The cell's monthly review of a candidate (R3.12)."""

    meeting = _MeetingChoice(
        label=_("At the cell meeting of"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("— another occasion: enter the date —"),
    )
    reviewed_on = _date(_("Date of the review"), required=False)
    note = forms.CharField(
        label=_("Progress and the cell's opinion"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, cell: Organization, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "review")
        super().__init__(*args, **kwargs)
        # The cell's last six meetings held (or being held).
        recent = list(
            Meeting.objects.filter(organization=cell, date__lte=timezone.localdate())
            .exclude(status__in=[MeetingStatus.CANCELLED, MeetingStatus.PLANNED])
            .order_by("-date", "-pk")
            .values_list("pk", flat=True)[:6]
        )
        self.fields["meeting"].queryset = Meeting.objects.filter(pk__in=recent).order_by(  # type: ignore[attr-defined]
            "-date", "-pk"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        meeting = data.get("meeting")
        if meeting is not None and not data.get("reviewed_on"):
            data["reviewed_on"] = meeting.date
        if not data.get("reviewed_on") and not self.errors:
            raise forms.ValidationError(_("Choose the cell meeting or enter the date."))
        return data


class CandidateWithdrawForm(forms.Form):
    day = _date(_("Taken off the list on"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: moved away, no longer wishes to join, not qualified."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "withdraw")
        super().__init__(*args, **kwargs)
