"""Model meetings pages: a committee's year with the rotation's suggestions and the planning
form, one model meeting (an example once signed), a secretary's invitations, the examples."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.exports.responses import file_response
from chibo.core.flow import submit
from chibo.core.forms import whole_number
from chibo.core.scope import not_found
from chibo.core.text import fold
from chibo.meetings.documents import files
from chibo.meetings.models import MeetingStatus
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.supervision import access
from chibo.supervision import selectors_model_meetings as selectors
from chibo.supervision import services_model_meetings as services
from chibo.supervision.forms_model_meetings import CancelForm, ModelMeetingPlanForm


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    today = timezone.localdate()
    year = whole_number(value, limit=today.year + 5)
    return year if year is not None and year >= 2000 else today.year


def _initial(cells: list[Organization], chosen: Organization | None) -> dict[str, Any]:
    """The form's defaults: the chosen (or first suggested) cell, and as guests the other cells
    of its type."""
    if chosen is None:
        return {}
    same = [c for c in cells if selectors.cell_type_of(c) == selectors.cell_type_of(chosen)]
    return {"cell": chosen, "invited_cells": [c for c in same if c.pk != chosen.pk]}


def _plan_context(request: HttpRequest, committee: Organization, form: Any) -> dict[str, Any]:
    year = _year(request)
    return {
        "committee": committee,
        "year": year,
        "years": [year - 1, year + 1],
        "rows": selectors.year_plan(committee, year, today=timezone.localdate()),
        "rule": selectors.rotation_rule(committee, timezone.localdate()),
        "may_plan": access.may_keep(request.user, committee),
        "form": form,
    }


@login_required
@require_GET
def model_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_planning_committee_for_user(request.user, pk)
    cells = selectors.committee_cells(committee, timezone.localdate())
    chosen = next((c for c in cells if str(c.pk) == request.GET.get("cell")), None)
    if chosen is None:
        rows = selectors.year_plan(committee, timezone.localdate().year, today=timezone.localdate())
        chosen = next((s for row in rows for s in row.suggestions), None)
    form = ModelMeetingPlanForm(cells=cells, initial=_initial(cells, chosen))
    context = _plan_context(request, committee, form)
    return render(request, "supervision/model_meetings.html", context)


@login_required
@require_POST
def model_meeting_plan(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_planning_committee_for_user(request.user, pk, write=True)
    cells = selectors.committee_cells(committee, timezone.localdate())
    form = ModelMeetingPlanForm(request.POST, cells=cells)
    outcome = submit(
        request,
        form,
        lambda data: services.model_meeting_plan(actor=request.user, committee=committee, **data),
        success=_("The model meeting is planned and the secretaries are invited."),
    )
    if outcome.ok:
        return redirect("supervision:model_meeting", outcome.result.pk)
    context = _plan_context(request, committee, form)
    return render(request, "supervision/model_meetings.html", context, status=400)


@login_required
@require_GET
def model_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    model_meeting = access.get_model_meeting_for_user(request.user, pk)
    meeting = model_meeting.meeting
    context = {
        "mm": model_meeting,
        "meeting": meeting,
        "signed": meeting is not None and meeting.status == MeetingStatus.SIGNED,
        "agenda": selectors.agenda_of(model_meeting),
        "record": selectors.record_of(model_meeting),
        "invitations": model_meeting.invitations.select_related("cell", "invitee"),
        "may_keep": access.may_keep(request.user, model_meeting.committee),
        "cancel_form": CancelForm(),
    }
    return render(request, "supervision/model_meeting.html", context)


@login_required
@require_http_methods(["POST"])
def model_meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    model_meeting = access.get_model_meeting_for_user(request.user, pk, write=True)
    submit(
        request,
        CancelForm(request.POST),
        lambda data: services.model_meeting_cancel(
            actor=request.user, model_meeting=model_meeting, reason=data["reason"]
        ),
        success=_("The model meeting is cancelled; the invited secretaries are told."),
        errors_to_messages=True,
    )
    return redirect("supervision:model_meeting", model_meeting.pk)


@login_required
@require_GET
def model_meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed minutes as PDF, for everyone the example is shared with (the meeting's own
    page is for the cell and those overseeing it)."""
    model_meeting = access.get_model_meeting_for_user(request.user, pk)
    meeting = model_meeting.meeting
    if meeting is None or meeting.status != MeetingStatus.SIGNED:
        raise not_found()
    download = files.signed_file(meeting, "minutes", "pdf")
    name = slugify(fold(f"bien-ban {model_meeting.cell.name} {meeting.date:%Y-%m-%d}"))
    return file_response(
        download.content,
        name + ".pdf",
        content_type="application/pdf",
        inline=True,
        cache_control="private, max-age=86400",
    )


@login_required
@require_GET
def model_meeting_invitations(request: HttpRequest) -> HttpResponse:
    rows = selectors.invitations_for(scope_for(request.user).member_id)
    return render(request, "supervision/model_meeting_invitations.html", {"rows": rows})


@login_required
@require_GET
def model_meeting_examples(request: HttpRequest) -> HttpResponse:
    rows = selectors.examples_for(request.user)
    return render(request, "supervision/model_meeting_examples.html", {"rows": rows})
