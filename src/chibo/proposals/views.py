"""Pages of proposals: the list, raising one, its page with the steps and the answer, and the
actions of the level holding it. Thin: parse → access → service → respond."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.errors import ServiceError
from chibo.core.flow import submit
from chibo.core.scope import not_found
from chibo.orgs.scope import scope_for
from chibo.proposals import access, selectors, services
from chibo.proposals.forms import (
    AnswerForm,
    AssignForm,
    EscalateForm,
    HandOffForm,
    ListFilterForm,
    OutsideAnswerForm,
    ProposalForm,
)
from chibo.proposals.models import HandOff, Proposal, ProposalStatus

PAGE_SIZE = 100


@login_required
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if "level" not in data:
        data["level"] = selectors.default_level(request.user)
    form = ListFilterForm(data)
    cleaned: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ListFilters(
        status=cleaned.get("status") or "",
        age=cleaned.get("age"),
        level=cleaned.get("level") or "",
        cell_type=cleaned.get("cell_type") or "",
        topic=cleaned.get("topic") or "",
    )
    rows = list(selectors.proposals_for_list(request.user, filters)[: PAGE_SIZE + 1])
    scope = scope_for(request.user)
    context = {
        "title": _("Proposals"),
        "form": form,
        "proposals": rows[:PAGE_SIZE],
        "more": len(rows) > PAGE_SIZE,
        "today": timezone.localdate(),
        "can_raise": scope.own_cell_id is not None or scope.has_any_oversight,
    }
    return render(request, "proposals/list.html", context)


def _raise(request: HttpRequest, cell: Any, for_others: bool, meeting: Any, data: dict) -> Any:
    raiser = data.get("raised_by") if for_others else access.own_member_in(request.user, cell)
    if raiser is None:
        raise ServiceError(_("A proposal is raised by a member of the cell."))
    return services.proposal_raise(
        actor=request.user,
        cell=cell,
        raised_by=raiser,
        source=data["source"],
        topic=data["topic"],
        title=data["title"],
        content=data["content"],
        citizen_name=data["citizen_name"],
        citizen_place=data["citizen_place"],
        raised_on=data.get("raised_on"),
        meeting=meeting,
        attachments=[data["attachment"]] if data.get("attachment") else [],
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    """Record a proposal: a member their own; the cell's keepers and the upper-level member
    following the cell any member's, e.g. those collected at the cell's meeting (?meeting=)."""
    params = request.POST if request.method == "POST" else request.GET
    meeting = access.get_meeting_to_record(params.get("meeting"))
    cell_pk = meeting.organization_id if meeting is not None else params.get("cell")
    cell, for_others = access.get_cell_to_record(request.user, cell_pk)
    raisers = access.raiser_choices(cell) if for_others else None
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES, raisers=raisers)
        outcome = submit(
            request,
            form,
            lambda data: _raise(request, cell, for_others, meeting, data),
            success=_("The proposal is recorded."),
        )
        if outcome.ok:
            return redirect("proposals:detail", pk=outcome.result.pk)
        status = 400
    else:
        day = meeting.date if meeting is not None else timezone.localdate()
        form = ProposalForm(initial={"raised_on": day}, raisers=raisers)
    context = {"title": _("Record a proposal"), "form": form, "cell": cell, "meeting": meeting}
    return render(request, "proposals/new.html", context, status=status)


def _render_detail(
    request: HttpRequest, proposal: Proposal, *, status: int = 200, **forms: Any
) -> HttpResponse:
    can_act = access.may_act(request.user, proposal) and proposal.is_open
    hand_offs = list(proposal.hand_offs.all())
    waiting = next((h for h in hand_offs if h.answered_on is None), None)
    last_outside = next((h for h in reversed(hand_offs) if h.answered_on), None)
    context: dict[str, Any] = {
        "title": proposal.title,
        "proposal": proposal,
        "steps": selectors.steps_of(proposal),
        "hand_offs": hand_offs,
        "attachments": list(proposal.attachments.all()),
        "waiting_hand_off": waiting,
        "can_act": can_act,
        "today": timezone.localdate(),
        "handed_off": proposal.status == ProposalStatus.HANDED_OFF,
    }
    if can_act:
        today = timezone.localdate()
        context.update(
            answer_form=forms.get("answer_form")
            or AnswerForm(
                initial={
                    "answered_on": today,
                    "answer": last_outside.answer if last_outside else "",
                }
            ),
            escalate_form=forms.get("escalate_form") or EscalateForm(),
            assign_form=forms.get("assign_form")
            or AssignForm(handlers=access.handler_choices(proposal.level)),
            hand_off_form=forms.get("hand_off_form") or HandOffForm(initial={"sent_on": today}),
            outside_form=forms.get("outside_form")
            or OutsideAnswerForm(initial={"answered_on": today}),
        )
    return render(request, "proposals/detail.html", context, status=status)


@login_required
@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, pk)
    return _render_detail(request, proposal)


def _act(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    form_name: str,
    action: Any,
    success: str,
    **form_kwargs: Any,
) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, pk, act=True)
    extra = {key: value(proposal) for key, value in form_kwargs.items()}
    form = form_class(request.POST, **extra)
    outcome = submit(request, form, lambda data: action(proposal, data), success=success)
    if outcome.ok:
        return redirect("proposals:detail", pk=proposal.pk)
    return _render_detail(request, proposal, status=400, **{form_name: form})


@login_required
@require_POST
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        AnswerForm,
        "answer_form",
        lambda proposal, data: services.proposal_answer(
            actor=request.user, proposal=proposal, **data
        ),
        _("The answer is recorded; the member and the cell are told."),
    )


@login_required
@require_POST
def proposal_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        EscalateForm,
        "escalate_form",
        lambda proposal, data: services.proposal_escalate(
            actor=request.user, proposal=proposal, **data
        ),
        _("The proposal is sent to the level above."),
    )


@login_required
@require_POST
def proposal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        AssignForm,
        "assign_form",
        lambda proposal, data: services.proposal_assign(
            actor=request.user, proposal=proposal, **data
        ),
        _("The handler is assigned."),
        handlers=lambda proposal: access.handler_choices(proposal.level),
    )


@login_required
@require_POST
def proposal_hand_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        HandOffForm,
        "hand_off_form",
        lambda proposal, data: services.proposal_hand_off(
            actor=request.user, proposal=proposal, **data
        ),
        _("The hand-off to the government body is recorded."),
    )


@login_required
@require_POST
def proposal_outside_answer(request: HttpRequest, pk: int) -> HttpResponse:
    def action(proposal: Proposal, data: dict[str, Any]) -> HandOff:
        hand_off = access.open_hand_off(proposal)
        if hand_off is None:
            raise ServiceError(_("No hand-off waits for an answer."))
        return services.proposal_outside_answer(actor=request.user, hand_off=hand_off, **data)

    return _act(
        request,
        pk,
        OutsideAnswerForm,
        "outside_form",
        action,
        _("The government body's answer is recorded."),
    )


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file given with the proposal, for everyone who may read the proposal."""
    proposal = access.get_proposal_for_user(request.user, pk)
    item = access.get_attachment(proposal, attachment_pk)
    name = item.file.name
    if not name or not item.file.storage.exists(name):
        raise not_found()
    inline = item.content_type in ("application/pdf", "image/jpeg", "image/png")
    return FileResponse(
        item.file.open("rb"),
        as_attachment=not inline,
        filename=os.path.basename(name),
        content_type=item.content_type or "application/octet-stream",
    )
