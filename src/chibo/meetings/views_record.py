"""After the meeting, on the live screen's last tabs: the score (entered by the cell, confirmed
by the upper level), the wording of the minutes, signatures and their withdrawal, addenda."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.core.flow import attempt, submit
from chibo.meetings import access, selectors, services
from chibo.meetings.access import CONDUCT, CONFIRM, READ
from chibo.meetings.forms_live import AddendumForm, AddendumWithdrawForm, PasswordForm, RecordForm
from chibo.meetings.models import MeetingStatus
from chibo.meetings.views_live import live_context, tab_url
from chibo.orgs.scope import scope_for


def _prefixed(request: HttpRequest, prefix: str) -> dict[str, Any]:
    """The posted values whose names start with `prefix`, keyed by the rest of the name."""
    return {
        key.removeprefix(prefix): value
        for key, value in request.POST.items()
        if key.startswith(prefix)
    }


@login_required
@require_POST
def score_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    points = _prefixed(request, "points_")

    def save() -> None:
        if request.POST.get("recompute"):
            services.score_compute(actor=request.user, meeting=meeting)
        services.score_lines_set(actor=request.user, meeting=meeting, points=points)

    attempt(request, save, success=_("The score is saved."))
    return redirect(tab_url(meeting, "score"))


@login_required
@require_POST
def score_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONFIRM)
    confirmer = access.member_of_user(request.user)
    if confirmer is None:
        raise PermissionDenied
    attempt(
        request,
        lambda: services.score_confirm(
            actor=request.user,
            meeting=meeting,
            confirmer=confirmer,
            adjustments=_prefixed(request, "adjust_"),
            reason=request.POST.get("reason", ""),
        ),
        success=_("You confirmed the score."),
    )
    return redirect(tab_url(meeting, "score"))


@login_required
@require_POST
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = RecordForm(request.POST)

    def save(data: dict[str, Any]) -> Any:
        version = data.pop("version")
        return services.record_update(
            actor=request.user, meeting=meeting, expected_version=version, **data
        )

    if submit(request, form, save, success=_("The wording is saved.")).ok:
        return redirect(tab_url(meeting, "record"))
    context = live_context(request, meeting, "record", record_form=form)
    return render(request, "meetings/live.html", context)


def _signed_text(result: Any) -> str:
    meeting, _signature = result
    if meeting.status == MeetingStatus.SIGNED:
        return _("Both have signed. The minutes and resolution are now frozen.")
    return _("You signed. The other signer must sign too.")


@login_required
@require_POST
def meeting_sign(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=READ)
    form = PasswordForm(request.POST)
    # A blank password signs nothing and says nothing (the field is required in the page).
    if form.is_valid():
        attempt(
            request,
            lambda: services.meeting_sign(
                actor=request.user, meeting=meeting, password=form.cleaned_data["password"]
            ),
            success=_signed_text,
        )
    return redirect(tab_url(meeting, "record"))


@login_required
@require_POST
def signature_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=READ)
    form = PasswordForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.signature_withdraw(
                actor=request.user, meeting=meeting, password=form.cleaned_data["password"]
            ),
            success=_("Your signature is withdrawn; the minutes can be corrected."),
        )
    return redirect(tab_url(meeting, "record"))


@login_required
@require_POST
def addendum_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=READ)
    # The signers propose a correction, or the cell's managers.
    signer = selectors.may_sign(scope_for(request.user).member_id, meeting)
    if not signer and not access.can_manage(request.user, meeting.organization):
        raise PermissionDenied
    form = AddendumForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the correction and its reason."))
        return redirect(tab_url(meeting, "record"))
    attempt(
        request,
        lambda: services.addendum_create(actor=request.user, meeting=meeting, **form.cleaned_data),
        success=_("The addendum is recorded; the chair and the minute-taker sign it."),
    )
    return redirect(tab_url(meeting, "record"))


@login_required
@require_POST
def addendum_sign(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=READ)
    addendum = access.get_addendum(meeting, number)
    form = PasswordForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.addendum_sign(
                actor=request.user, addendum=addendum, password=form.cleaned_data["password"]
            ),
            success=_("You signed the addendum."),
        )
    return redirect(tab_url(meeting, "record"))


@login_required
@require_POST
def addendum_withdraw(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=READ)
    addendum = access.get_addendum_to_withdraw(request.user, meeting, number)
    form = AddendumWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for withdrawing the addendum."))
        return redirect(tab_url(meeting, "record"))
    attempt(
        request,
        lambda: services.addendum_withdraw(
            actor=request.user, addendum=addendum, reason=form.cleaned_data["reason"]
        ),
        success=_("The addendum is withdrawn; a new correction can be recorded."),
    )
    return redirect(tab_url(meeting, "record"))
