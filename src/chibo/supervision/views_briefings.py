"""Briefings pages: a committee's briefings and the planning form, one briefing (attendance,
the cells' reports, conclusions), and a secretary's briefings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.flow import submit
from chibo.core.forms import whole_number
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.supervision import access
from chibo.supervision import selectors_briefings as selectors
from chibo.supervision import services_briefings as services
from chibo.supervision.forms_briefings import (
    AttendanceForm,
    BriefingPlanForm,
    ConclusionsForm,
    ReportForm,
)
from chibo.supervision.models import Briefing, BriefingAttendanceStatus


def _list_context(request: HttpRequest, committee: Organization, form: Any) -> dict[str, Any]:
    value = request.GET.get("year", "")
    year = whole_number(value, limit=2100)
    year = year if year is not None and year >= 2000 else None
    year = year or timezone.localdate().year
    return {
        "committee": committee,
        "year": year,
        "years": [year - 1, year + 1],
        "rows": selectors.committee_briefings(committee, year),
        "may_plan": access.may_keep(request.user, committee),
        "form": form,
    }


@login_required
@require_GET
def briefings(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_planning_committee_for_user(request.user, pk)
    context = _list_context(request, committee, BriefingPlanForm())
    return render(request, "supervision/briefings.html", context)


@login_required
@require_POST
def briefing_plan(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_planning_committee_for_user(request.user, pk, write=True)
    form = BriefingPlanForm(request.POST)
    outcome = submit(
        request,
        form,
        lambda data: services.briefing_plan(actor=request.user, committee=committee, **data),
        success=_("The briefing is planned and the secretaries are told."),
    )
    if outcome.ok:
        return redirect("supervision:briefing", outcome.result.pk)
    context = _list_context(request, committee, form)
    return render(request, "supervision/briefings.html", context, status=400)


def _detail_context(request: HttpRequest, briefing: Briefing) -> dict[str, Any]:
    may_keep = access.may_keep(request.user, briefing.committee)
    own = access.secretary_cell_ids(request.user)
    return {
        "briefing": briefing,
        "rows": [
            (row, may_keep or row.cell_id in own) for row in selectors.attendance_rows(briefing)
        ],
        "rate": selectors.attendance_rate(briefing),
        "may_keep": may_keep,
        "statuses": BriefingAttendanceStatus.choices,
        "conclusions_form": ConclusionsForm(initial={"conclusions": briefing.conclusions}),
    }


@login_required
@require_GET
def briefing(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access.get_briefing_for_user(request.user, pk)
    return render(request, "supervision/briefing.html", _detail_context(request, briefing))


@login_required
@require_POST
def briefing_mark(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    briefing = access.get_briefing_for_user(request.user, pk, write=True)
    attendance = access.get_attendance_for_report(request.user, briefing, row)
    submit(
        request,
        AttendanceForm(request.POST),
        lambda data: services.briefing_mark(
            actor=request.user, briefing=briefing, attendance=attendance, status=data["status"]
        ),
        errors_to_messages=True,
    )
    return redirect("supervision:briefing", briefing.pk)


@login_required
@require_POST
def briefing_report(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    briefing = access.get_briefing_for_user(request.user, pk)
    attendance = access.get_attendance_for_report(request.user, briefing, row)
    submit(
        request,
        ReportForm(request.POST),
        lambda data: services.briefing_report(
            actor=request.user, attendance=attendance, report=data["report"]
        ),
        success=_("The cell's report is saved."),
        errors_to_messages=True,
    )
    return redirect("supervision:briefing", briefing.pk)


@login_required
@require_POST
def briefing_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access.get_briefing_for_user(request.user, pk, write=True)
    submit(
        request,
        ConclusionsForm(request.POST),
        lambda data: services.briefing_conclude(
            actor=request.user, briefing=briefing, conclusions=data["conclusions"]
        ),
        success=_("The conclusions are recorded and the secretaries are told."),
        errors_to_messages=True,
    )
    return redirect("supervision:briefing", briefing.pk)


@login_required
@require_GET
def my_briefings(request: HttpRequest) -> HttpResponse:
    rows = selectors.briefings_of_member(scope_for(request.user).member_id)
    return render(request, "supervision/briefings_mine.html", {"rows": rows})
