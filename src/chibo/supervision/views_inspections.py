"""Inspection and supervision pages: a committee's plans of a year, adding a plan and its
inspections, an inspection's record (start, findings, conclusions, meetings attended,
recommendations) and the recommendations followed to closure."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.flow import attempt, submit
from chibo.core.scope import not_found
from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.orgs.models import Organization
from chibo.supervision import access
from chibo.supervision import forms_inspections as forms
from chibo.supervision import selectors_inspections as selectors
from chibo.supervision import services_inspections as services
from chibo.supervision.models import InspectionStatus


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise not_found() from None


@login_required
@require_GET
def inspection_plans(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk)
    year = _year(request)
    context = {
        "title": _("Inspection and supervision plans"),
        "committee": committee,
        "year": year,
        "years": selectors.plan_years(committee, year),
        "plans": selectors.plans_of(committee, year),
        "may_keep": access.may_keep(request.user, committee),
        "plan_form": forms.PlanForm(),
    }
    return render(request, "supervision/inspection_plans.html", context)


@login_required
@require_POST
def inspection_plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk, write=True)
    year = _year(request)
    form = forms.PlanForm(request.POST)
    submit(
        request,
        form,
        lambda data: services.inspection_plan_create(
            actor=request.user, committee=committee, year=year, **data
        ),
        success=_("The plan is created."),
        errors_to_messages=True,
    )
    return redirect(f"{reverse('supervision:inspection_plans', args=[committee.pk])}?year={year}")


def _inspection_form(request: HttpRequest, committee: Organization) -> forms.InspectionForm:
    return forms.InspectionForm(
        request.POST if request.method == "POST" else None,
        units=Organization.objects.filter(path__startswith=committee.path).order_by("path"),
        members=Member.objects.filter(cell__path__startswith=committee.path)
        .select_related("cell")
        .order_by("full_name", "pk"),
        people=services.team_candidates(committee).select_related("cell"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_inspection_plan_for_user(request.user, pk, write=True)
    form = _inspection_form(request, plan.committee)
    status = 200
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.inspection_add(actor=request.user, plan=plan, **data),
            success=_("The inspection is added to the plan."),
        )
        if outcome.ok:
            return redirect("supervision:inspection", outcome.result.pk)
        status = 400
    context = {"title": _("Add an inspection or supervision"), "plan": plan, "form": form}
    return render(request, "supervision/inspection_new.html", context, status=status)


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    keeper = access.may_keep(request.user, inspection.committee)
    root = services.subject_root(inspection)
    meetings = selectors.meetings_attended(inspection) if inspection.meeting_quality else []
    context: dict[str, Any] = {
        "title": inspection.content,
        "inspection": inspection,
        "may_keep": keeper,
        "team": list(inspection.team.select_related("cell")),
        "meetings": meetings,
        "cells_attended": len({row.meeting.organization_id for row in meetings}),
        "recommendations": selectors.recommendations_of(inspection, request.user),
        "disciplines": selectors.disciplines_of(inspection),
        "statuses": InspectionStatus,
        "kept_units": set(access.kept_units(request.user).values_list("pk", flat=True)),
        "today": timezone.localdate(),
    }
    if keeper:
        context["record_form"] = forms.RecordForm(initial=_texts(inspection))
        context["conclude_form"] = forms.ConcludeForm(
            initial={**_texts(inspection), "concluded_on": timezone.localdate()}
        )
        context["meetings_form"] = forms.MeetingsForm(
            meetings=services.held_meetings(inspection).select_related("organization"),
            initial={"meetings": list(inspection.meetings_attended.all())},
        )
        context["recommendation_form"] = forms.RecommendationForm(
            units=Organization.objects.filter(path__startswith=root.path).order_by("path"),
            initial={"addressee": root.pk},
        )
    return render(request, "supervision/inspection.html", context)


def _texts(inspection: Any) -> dict[str, str]:
    return {"findings": inspection.findings, "conclusions": inspection.conclusions}


def _back(inspection: Any) -> HttpResponse:
    return redirect("supervision:inspection", inspection.pk)


@login_required
@require_POST
def inspection_start(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk, write=True)
    attempt(
        request,
        lambda: services.inspection_start(actor=request.user, inspection=inspection),
        success=_("The inspection is under way."),
    )
    return _back(inspection)


@login_required
@require_POST
def inspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk, write=True)
    submit(
        request,
        forms.RecordForm(request.POST),
        lambda data: services.inspection_record(actor=request.user, inspection=inspection, **data),
        success=_("The record is saved."),
        errors_to_messages=True,
    )
    return _back(inspection)


@login_required
@require_POST
def inspection_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk, write=True)
    submit(
        request,
        forms.ConcludeForm(request.POST),
        lambda data: services.inspection_conclude(
            actor=request.user, inspection=inspection, **data
        ),
        success=_("The inspection is concluded."),
        errors_to_messages=True,
    )
    return _back(inspection)


@login_required
@require_POST
def inspection_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk, write=True)
    # Any meeting id is accepted by the form; the service refuses those outside the subtree
    # or the period, and the whole choice is then discarded.
    form = forms.MeetingsForm(request.POST, meetings=Meeting.objects.all())
    submit(
        request,
        form,
        lambda data: services.inspection_set_meetings(
            actor=request.user, inspection=inspection, meetings=data["meetings"]
        ),
        success=_("The meetings attended are saved."),
        errors_to_messages=True,
    )
    return _back(inspection)


@login_required
@require_POST
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk, write=True)
    # Any unit is accepted by the form; the service keeps the addressee in the subject's subtree.
    form = forms.RecommendationForm(request.POST, units=Organization.objects.all())
    submit(
        request,
        form,
        lambda data: services.recommendation_add(actor=request.user, inspection=inspection, **data),
        success=_("The recommendation is sent."),
        errors_to_messages=True,
    )
    return _back(inspection)


@login_required
@require_GET
def recommendations(request: HttpRequest) -> HttpResponse:
    committees = list(access.read_committees(request.user))
    chosen = request.GET.get("committee")
    committee = access.get_committee_for_user(request.user, chosen) if chosen else None
    if committee is None and committees:
        committee = committees[0]
    status = request.GET.get("status", "")
    context = {
        "title": _("Recommendations"),
        "addressed": selectors.addressed_to(request.user),
        "kept_units": set(access.kept_units(request.user).values_list("pk", flat=True)),
        "committees": committees,
        "committee": committee,
        "status": status,
        "issued": selectors.issued_by(committee, status=status) if committee else [],
        "may_decide": committee is not None and access.may_keep(request.user, committee),
    }
    return render(request, "supervision/recommendations.html", context)


def _followed(request: HttpRequest, recommendation: Any) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/supervision/"):
        return redirect(target)
    return redirect("supervision:recommendations")


@login_required
@require_POST
def recommendation_report(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = access.get_recommendation_for_user(request.user, pk, action="report")
    submit(
        request,
        forms.NoteForm(request.POST),
        lambda data: services.recommendation_report(
            actor=request.user, recommendation=recommendation, note=data["note"]
        ),
        success=_("Your report is sent to the committee."),
        errors_to_messages=True,
    )
    return _followed(request, recommendation)


@login_required
@require_POST
def recommendation_close(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = access.get_recommendation_for_user(request.user, pk, action="decide")
    submit(
        request,
        forms.OptionalNoteForm(request.POST),
        lambda data: services.recommendation_close(
            actor=request.user, recommendation=recommendation, note=data["note"]
        ),
        success=_("The recommendation is closed."),
        errors_to_messages=True,
    )
    return _followed(request, recommendation)


@login_required
@require_POST
def recommendation_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = access.get_recommendation_for_user(request.user, pk, action="decide")
    submit(
        request,
        forms.NoteForm(request.POST),
        lambda data: services.recommendation_send_back(
            actor=request.user, recommendation=recommendation, note=data["note"]
        ),
        success=_("The report is sent back."),
        errors_to_messages=True,
    )
    return _followed(request, recommendation)
