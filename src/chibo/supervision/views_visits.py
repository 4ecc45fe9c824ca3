"""Pages of supervision's visits: the visitor's calendar and its iCalendar feed, the visit
record and its page, a committee's coverage and its assignments. Thin: parse → access →
service → respond."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.errors import ServiceError
from chibo.core.flow import error_text, submit
from chibo.core.scope import not_found
from chibo.orgs.scope import scope_for
from chibo.supervision import access, ical, selectors_visits, services_visits
from chibo.supervision.forms_visits import (
    AssignmentEndForm,
    AssignmentForm,
    CollectedProposalFormSet,
    CoverageFilterForm,
    VisitForm,
)
from chibo.supervision.models import Visit, VisitorRole


def _member_id(request: HttpRequest) -> int:
    member_id = scope_for(request.user).member_id
    if member_id is None:
        raise not_found()
    return member_id


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The meetings of the cells the member follows or attends, upcoming first, with the
    address of the same calendar for a phone."""
    member_id = _member_id(request)
    feed = services_visits.calendar_feed_for(request.user)
    https_url = request.build_absolute_uri(reverse("supervision:calendar_feed", args=[feed.token]))
    context = {
        "title": _("My meeting calendar"),
        **selectors_visits.calendar_page(member_id, timezone.localdate()),
        "https_url": https_url,
        "webcal_url": "webcal://" + https_url.split("://", 1)[1],
    }
    return render(request, "supervision/calendar.html", context)


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    _member_id(request)
    services_visits.calendar_feed_renew(actor=request.user, user=request.user)
    messages.success(request, _("The calendar has a new address; the old one no longer works."))
    return redirect("supervision:calendar")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar as iCalendar, for a phone (no login: the secret address is the key)."""
    feed = access.get_feed_by_token(token)
    member_id = scope_for(feed.user).member_id if feed.user.is_authenticated else None
    if member_id is None:
        raise not_found()
    start, end = selectors_visits.calendar_window(timezone.localdate())
    events = selectors_visits.calendar_events(member_id, start, end)
    body = ical.feed_bytes(
        events, name=_("Cell meetings"), base_url=request.build_absolute_uri("/")[:-1]
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="chibo.ics"'
    return response


def _collected(formset: Any) -> list[services_visits.CollectedProposal]:
    return [
        services_visits.CollectedProposal(
            title=form.cleaned_data["title"],
            content=form.cleaned_data["content"],
            source=form.cleaned_data["source"],
            topic=form.cleaned_data["topic"],
            raised_by=form.cleaned_data["raised_by"],
            citizen_name=form.cleaned_data.get("citizen_name", ""),
        )
        for form in formset.forms
        if form.has_changed() and not form.is_blank
    ]


def _save_visit(request: HttpRequest, meeting: Any, role: str, form: Any, rows: Any) -> Any:
    return services_visits.visit_record(
        actor=request.user,
        meeting=meeting,
        visitor=selectors_visits.member(_member_id(request)),
        role=role,
        proposals=_collected(rows),
        **form.cleaned_data,
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_record(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """Record one's visit to a held meeting (or edit it: one visit per meeting and person)."""
    meeting, role = access.get_meeting_to_visit_for_user(request.user, meeting_pk)
    visit = selectors_visits.own_visit(meeting, _member_id(request))
    raisers = selectors_visits.raisers_of(meeting.organization)
    data = request.POST if request.method == "POST" else None
    score = selectors_visits.score_of(meeting)
    form = VisitForm(data, role=role, score=score, initial=selectors_visits.visit_initial(visit))
    rows = CollectedProposalFormSet(data, prefix="p", form_kwargs={"raisers": raisers})
    if data is not None and form.is_valid() and rows.is_valid():
        try:
            saved = _save_visit(request, meeting, role, form, rows)
        except ServiceError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The visit is recorded."))
            return redirect("supervision:visit_detail", pk=saved.pk)
    context = {
        "title": _("Record attendance at the meeting"),
        "meeting": meeting,
        "visit": visit,
        "form": form,
        "rows": rows,
        "standing": role == VisitorRole.STANDING_ATTENDEE,
        "score": score,
    }
    return render(request, "supervision/visit_record.html", context, status=400 if data else 200)


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit: Visit = access.get_visit_for_user(request.user, pk)
    context = {
        "title": _("Visit to %(cell)s") % {"cell": visit.cell.name},
        "visit": visit,
        "proposals": list(visit.proposals.all()),
        "score": selectors_visits.score_of(visit.meeting),
        "mine": visit.visitor_id == scope_for(request.user).member_id,
    }
    return render(request, "supervision/visit_detail.html", context)


@login_required
@require_GET
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    """Who met their yearly minimum of visits, cells never visited, per level."""
    committee = access.get_committee_for_user(request.user, pk)
    today = timezone.localdate()
    form = CoverageFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = data.get("year") or today.year
    quarter = data.get("quarter") or (today.month - 1) // 3 + 1
    report = selectors_visits.coverage(committee, year=year, quarter=quarter)
    context = {
        "title": _("Visits to cell meetings"),
        "committee": committee,
        "report": report,
        "form": CoverageFilterForm(initial={"year": year, "quarter": quarter}),
    }
    return render(request, "supervision/coverage.html", context)


def _render_assignments(request: HttpRequest, committee: Any, form: Any, status: int = 200):
    context = {
        "title": _("Cells followed and attended"),
        "committee": committee,
        "positions": selectors_visits.assignments(committee),
        "can_keep": access.may_keep(request.user, committee),
        "form": form,
        "end_form": AssignmentEndForm(initial={"end_date": timezone.localdate()}),
    }
    return render(request, "supervision/assignments.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """Who follows and who attends which cell; the committee's keepers assign and end."""
    write = request.method == "POST"
    committee = access.get_committee_for_user(request.user, pk, write=write)
    choices = {
        "members": selectors_visits.assignable_members(committee),
        "cells": selectors_visits.cells_queryset(committee),
    }
    if not write:
        form = AssignmentForm(initial={"start_date": timezone.localdate()}, **choices)
        return _render_assignments(request, committee, form)
    form = AssignmentForm(request.POST, **choices)
    outcome = submit(
        request,
        form,
        lambda data: services_visits.assignment_add(
            actor=request.user, committee=committee, **data
        ),
        success=_("The assignment is recorded."),
    )
    if outcome.ok:
        return redirect("supervision:assignments", pk=committee.pk)
    return _render_assignments(request, committee, form, status=400)


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int, position_pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk, write=True)
    position = access.get_assignment_for_user(request.user, committee, position_pk)
    form = AssignmentEndForm(request.POST)
    submit(
        request,
        form,
        lambda data: services_visits.assignment_end(actor=request.user, position=position, **data),
        success=_("The assignment has ended."),
        errors_to_messages=True,
    )
    return redirect("supervision:assignments", pk=committee.pk)
