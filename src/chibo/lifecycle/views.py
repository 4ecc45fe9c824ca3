"""Pages of the admission pipeline. Thin: parse → access → service → respond."""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.flow import attempt, form_error_text, submit
from chibo.lifecycle import probation as probation_rules
from chibo.lifecycle import selectors, services
from chibo.lifecycle.access import CandidateAccess, get_candidate_for_user
from chibo.lifecycle.forms import (
    STATE_FILTERS,
    STEP_FORMS,
    CandidateForm,
    CandidateReviewForm,
    CandidateWithdrawForm,
    RecognitionForm,
    RemovalForm,
    step_form,
)
from chibo.lifecycle.models import Candidate
from chibo.lifecycle.rules import rule_for
from chibo.members.access import get_member_for_user
from chibo.members.models import Member
from chibo.orgs import size_rules
from chibo.orgs.access import get_cell_for_user, get_organization_for_user
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for


@login_required
@require_GET
def candidates(request, cell_pk: int) -> HttpResponse:
    """The cell's list of candidates (quần chúng ưu tú) and where each one stands."""
    # Candidates are for the cell's overseers only (fellow members: 404).
    access = get_cell_for_user(request.user, cell_pk)
    cell = access.organization
    rows = []
    today = timezone.localdate()
    for candidate in selectors.candidate_list(cell):
        # A cell has a handful of candidates: each one's deadline is worked out as on its page.
        timeline = selectors.candidate_timeline(candidate, today=today)
        current = next((step for step in timeline.steps if step.is_next), None)
        rows.append(
            {
                "candidate": candidate,
                "next": current,
                "done": sum(step.done for step in timeline.steps),
                "deadline": None if candidate.member_id else timeline.deadline,
                "warnings": timeline.warnings,
                "last_review": timeline.reviews[0] if timeline.reviews else None,
            }
        )
    context = {
        "cell": cell,
        "rows": rows,
        "step_count": len(selectors.STEPS),
        "can_manage": access.can_manage,
        "breadcrumbs": breadcrumbs_for(
            cell, scope_for(request.user), last_label=_("Candidates for admission")
        ),
    }
    return render(request, "lifecycle/candidate_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_new(request, cell_pk: int) -> HttpResponse:
    cell = get_cell_for_user(request.user, cell_pk, write=True).organization
    form = CandidateForm(request.POST or None, cell=cell)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.candidate_create(actor=request.user, cell=cell, **data),
            success=_("The candidate is on the cell's list."),
        )
        if outcome.ok:
            return redirect("lifecycle:candidate", outcome.result.pk)
    context = {
        "cell": cell,
        "form": form,
        "breadcrumbs": breadcrumbs_for(
            cell, scope_for(request.user), last_label=_("New candidate")
        ),
    }
    return render(request, "lifecycle/candidate_form.html", context)


def _forms_for(candidate: Candidate, next_step: str | None, introducer_count: int):
    """The forms a manager may use now: the next step's, and another introducer's until the
    cell resolution."""
    forms = {}
    if next_step is not None:
        forms[next_step] = step_form(next_step, candidate.cell)
    if next_step in {"opinions", "resolution"} and introducer_count < services.MAX_INTRODUCERS:
        forms["introducers"] = step_form("introducers", candidate.cell)
    return forms


def _render_detail(request, access: CandidateAccess, bound: Any = None, *, status: int = 200):
    candidate, can_manage = access.candidate, access.can_manage
    timeline = selectors.candidate_timeline(candidate, today=timezone.localdate())
    forms = {}
    review_form = withdraw_form = None
    if can_manage and not candidate.withdrawn_on and not candidate.member_id:
        forms = _forms_for(candidate, timeline.next_step, len(timeline.introducers))
        review_form = CandidateReviewForm(cell=candidate.cell)
        withdraw_form = CandidateWithdrawForm()
        if isinstance(bound, CandidateReviewForm):
            review_form = bound
        elif isinstance(bound, CandidateWithdrawForm):
            withdraw_form = bound
        elif bound is not None:
            forms[bound.prefix] = bound
    labels = dict(selectors.STEPS)
    context = {
        "candidate": candidate,
        "timeline": timeline,
        "can_manage": can_manage,
        "step_forms": [(code, labels[code], form) for code, form in forms.items()],
        "review_form": review_form,
        "withdraw_form": withdraw_form,
        "breadcrumbs": [
            *breadcrumbs_for(candidate.cell, scope_for(request.user)),
            {
                "url": reverse("lifecycle:candidates", args=[candidate.cell_id]),
                "label": _("Candidates for admission"),
            },
            {"url": "", "label": candidate.full_name},
        ],
    }
    return render(request, "lifecycle/candidate_detail.html", context, status=status)


@login_required
@require_GET
def candidate_detail(request, pk: int) -> HttpResponse:
    """One candidate: the dated steps, the next deadline with its rule, warnings, and the form
    for the next step (managers)."""
    return _render_detail(request, get_candidate_for_user(request.user, pk))


def _run_step(step: str, *, actor: Any, candidate: Candidate, data: dict[str, Any]) -> None:
    if step == "application":
        services.candidate_application_record(actor=actor, candidate=candidate, day=data["day"])
    elif step == "personal_history":
        services.candidate_personal_history_record(
            actor=actor, candidate=candidate, day=data["day"]
        )
    elif step == "verification":
        services.candidate_verification_record(actor=actor, candidate=candidate, day=data["day"])
    elif step == "introducers":
        services.candidate_introducer_add(actor=actor, candidate=candidate, **data)
    elif step == "opinions":
        services.candidate_opinions_record(actor=actor, candidate=candidate, **data)
    elif step == "resolution":
        services.candidate_resolution_record(actor=actor, candidate=candidate, **data)
    elif step == "decision":
        services.candidate_decision_record(actor=actor, candidate=candidate, **data)
    else:
        services.candidate_ceremony_record(actor=actor, candidate=candidate, day=data["day"])


@login_required
@require_POST
def candidate_step(request, pk: int, step: str) -> HttpResponse:
    """Record one step of the pipeline (managers)."""
    if step not in STEP_FORMS:
        raise Http404("unknown step")
    access = get_candidate_for_user(request.user, pk, manage=True)
    candidate = access.candidate
    form = step_form(step, candidate.cell, request.POST)
    outcome = submit(
        request,
        form,
        lambda data: _run_step(step, actor=request.user, candidate=candidate, data=data),
        success=_("Saved."),
    )
    if outcome.ok:
        return redirect(reverse("lifecycle:candidate", args=[candidate.pk]))
    candidate.refresh_from_db()
    return _render_detail(request, access, bound=form)


@login_required
@require_POST
def candidate_review(request, pk: int) -> HttpResponse:
    """Record the cell's monthly review of a candidate (managers)."""
    access = get_candidate_for_user(request.user, pk, manage=True)
    candidate = access.candidate
    form = CandidateReviewForm(request.POST, cell=candidate.cell)
    outcome = submit(
        request,
        form,
        lambda data: services.candidate_review_record(
            actor=request.user,
            candidate=candidate,
            reviewed_on=data["reviewed_on"],
            note=data["note"],
            meeting=data["meeting"],
        ),
        success=_("Saved."),
    )
    if outcome.ok:
        return redirect(reverse("lifecycle:candidate", args=[candidate.pk]))
    return _render_detail(request, access, bound=form, status=400)


@login_required
@require_POST
def candidate_withdraw(request, pk: int) -> HttpResponse:
    """Take a candidate off the cell's list (managers)."""
    access = get_candidate_for_user(request.user, pk, manage=True)
    candidate = access.candidate
    form = CandidateWithdrawForm(request.POST)
    outcome = submit(
        request,
        form,
        lambda data: services.candidate_withdraw(
            actor=request.user, candidate=candidate, day=data["day"], reason=data["reason"]
        ),
        success=_("The candidate was taken off the list."),
    )
    if outcome.ok:
        return redirect(reverse("lifecycle:candidate", args=[candidate.pk]))
    return _render_detail(request, access, bound=form, status=400)


# -- probation and recognition (R3.8, R3.9) --------------------------------------------------


def _probation_items(all_rows: list[Any], state: str) -> list[dict[str, Any]]:
    """The rows shown for the chosen state, with the recognition and removal forms where the
    user keeps the member's register and a decision is due."""
    items = []
    for row in all_rows:
        if state and row.state != state:
            continue
        item: dict[str, Any] = {"row": row}
        if row.can_manage and row.state in (probation_rules.DUE, probation_rules.OVERDUE):
            if row.votes:
                item["recognition_form"] = RecognitionForm(member=row.member, votes=row.votes)
            item["removal_form"] = RemovalForm(member=row.member)
        items.append(item)
    return items


@login_required
@require_GET
def probation(request, org_pk: int) -> HttpResponse:
    """Probationary members of a cell or subtree: probation end, recognition deadline and
    state; the recognition or removal forms for the cell's managers."""
    organization = get_organization_for_user(request.user, org_pk)
    scope = scope_for(request.user)
    today = timezone.localdate()
    all_rows = selectors.probation_rows(organization, scope, today=today)
    counts = Counter(row.state for row in all_rows)
    state = request.GET.get("state", "")
    if state not in STATE_FILTERS:
        state = ""
    filters = [
        {"code": "", "label": _("All"), "count": len(all_rows)},
        *(
            {"code": code, "label": label, "count": counts.get(code, 0)}
            for code, label in probation_rules.STATES
        ),
    ]
    context = {
        "organization": organization,
        "rows": _probation_items(all_rows, state),
        "filters": filters,
        "state": state,
        "show_cell": not organization.is_cell,
        "size_warning": size_rules.minimum_warning(organization, on=today),
        # The rules in force today; each row's dates use the rules in force on its own dates.
        "rules": [
            rule_for(key, organization=organization, on=today)
            for key in (
                probation_rules.MONTHS_KEY,
                probation_rules.DEADLINE_KEY,
                probation_rules.EFFECTIVE_DATE_KEY,
            )
        ],
        "breadcrumbs": breadcrumbs_for(
            organization, scope, last_label=_("Probation and recognition")
        ),
    }
    return render(request, "lifecycle/probation_list.html", context)


def _back_to_list(request, member: Member) -> HttpResponse:
    """The list the form was posted from, if the user reads it; else the member's cell."""
    target = member.cell_id
    try:
        org_pk = int(request.POST.get("back", ""))
    except ValueError:
        org_pk = 0
    if org_pk:
        # A list the user does not read: back to the member's cell.
        with suppress(Http404):
            target = get_cell_for_user(request.user, org_pk, kinds=None).organization.pk
    return redirect(reverse("lifecycle:probation", args=[target]))


@login_required
@require_POST
def probation_recognise(request, pk: int) -> HttpResponse:
    """Record the recognition as an official member on the cell's adopted vote (managers)."""
    member = get_member_for_user(request.user, pk, write=True, self_reads=False).member
    form = RecognitionForm(request.POST, member=member)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return _back_to_list(request, member)
    attempt(
        request,
        lambda: services.recognition_record(actor=request.user, member=member, **form.cleaned_data),
        success=_("%(name)s is recognised as an official member.") % {"name": member.full_name},
    )
    return _back_to_list(request, member)


@login_required
@require_POST
def probation_remove(request, pk: int) -> HttpResponse:
    """Remove the member from the probationary list, with the reason (managers)."""
    member = get_member_for_user(request.user, pk, write=True, self_reads=False).member
    form = RemovalForm(request.POST, member=member)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return _back_to_list(request, member)
    attempt(
        request,
        lambda: services.probation_end_without_recognition(
            actor=request.user, member=member, **form.cleaned_data
        ),
        success=_("%(name)s is removed from the probationary list.") % {"name": member.full_name},
    )
    return _back_to_list(request, member)
