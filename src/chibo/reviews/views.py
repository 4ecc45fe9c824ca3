"""Pages of the annual review. Thin: parse → access → service → respond."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.errors import ServiceError
from chibo.core.exports.responses import pdf_response, xlsx_response
from chibo.core.flow import attempt, submit
from chibo.core.forms import whole_number
from chibo.members.access import get_member_for_user
from chibo.members.models import RecordPage
from chibo.members.record_reads import record_read_log
from chibo.orgs.access import can_manage, get_cell_for_user, get_organization_for_user
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for
from chibo.reviews import access, exports, rules, selectors, services
from chibo.reviews.forms import (
    BulkDecisionForm,
    DecisionForm,
    DisciplineAppealForm,
    DisciplineRecordForm,
    MemberProposalForm,
    MemberSelfAssessmentForm,
    ProposalForm,
    SelfAssessmentForm,
)
from chibo.reviews.models import LEVEL_ORDER, LEVEL_SHORT, MemberReview
from chibo.supervision import selectors_inspections as inspection_selectors


def _year(request) -> int:
    """The year asked for (?year=), by default the current one."""
    raw = request.GET.get("year") or request.POST.get("year") or ""
    today = timezone.localdate()
    if not raw:
        return today.year
    try:
        year = int(raw)
    except ValueError:
        raise Http404("bad year") from None
    if not 2000 <= year <= today.year:
        raise Http404("bad year")
    return year


def _years(year: int) -> list[int]:
    today = timezone.localdate()
    return [y for y in (year - 1, year, year + 1) if y <= today.year]


def _url(name: str, pk: int, year: int) -> str:
    return f"{reverse(name, args=[pk])}?year={year}"


@login_required
@require_GET
def cell(request, cell_pk: int) -> HttpResponse:
    """The cell's members for the year: evidence, the steps of each review, and actions."""
    cell_access = get_cell_for_user(request.user, cell_pk)
    cell_org = cell_access.organization
    year = _year(request)
    page = selectors.cell_review_page(cell_org, year, today=timezone.localdate())
    context = {
        "page": page,
        "cell": cell_org,
        "year": year,
        "years": _years(year),
        "can_manage": cell_access.can_manage,
        "can_decide": can_manage(request.user, page.grassroots),
        "level_short": LEVEL_SHORT,
        "breadcrumbs": breadcrumbs_for(
            cell_org, scope_for(request.user), last_label=_("Annual review")
        ),
    }
    return render(request, "reviews/cell.html", context)


def _member_context(request, target: access.MemberReviewAccess, year: int, **forms: Any):
    member, review = target.member, target.review
    evidence = selectors.evidence_for([member], year, today=timezone.localdate())
    exempted = member.pk in selectors.exempted_during([member.pk], year)
    frame = _frame(member, review, year)
    bands = rules.bands_rule(member.cell, year)
    on_time = evidence[member.pk].assignments.all_on_time
    if target.can_self_assess_now and "self_form" not in forms:
        initial = rules.step_defaults(
            bands=bands, review=review, step="self", evidence_on_time=on_time
        )
        if review is not None and review.self_level:
            initial["text"] = review.self_text
        forms["self_form"] = MemberSelfAssessmentForm(
            initial=initial,
            prefix="self",
            frame=frame.value,
            points=review.self_points if review is not None else {},
        )
    if target.can_propose_now and "proposal_form" not in forms:
        initial = rules.step_defaults(
            bands=bands, review=review, step="proposed", evidence_on_time=on_time
        )
        points = {}
        if review is not None and review.proposed_level:
            initial["note"] = review.proposed_note
            points = review.proposed_points
        elif review is not None:
            points = review.self_points
        forms["proposal_form"] = MemberProposalForm(
            initial=initial, prefix="proposal", frame=frame.value, points=points
        )
    scope = scope_for(request.user)
    crumbs = (
        [
            *breadcrumbs_for(member.cell, scope),
            {"url": _url("reviews:cell", member.cell_id, year), "label": _("Annual review")},
            {"url": "", "label": member.full_name},
        ]
        if target.oversees
        else [{"url": reverse("accounts:handbook"), "label": _("My handbook")}]
    )
    return {
        "member": member,
        "review": review,
        "year": year,
        "years": _years(year),
        "evidence": evidence[member.pk],
        "exempted": exempted,
        "exclusion_rule": selectors.exclusion_rule(member.cell, year) if exempted else None,
        "decisions": selectors.decision_history(review) if review is not None else [],
        "bands": bands,
        "frame": frame,
        "self_rows": rules.points_rows(frame, review.self_points) if review else [],
        "proposed_rows": rules.points_rows(frame, review.proposed_points) if review else [],
        "can_record_discipline": target.can_propose,
        "can_decide": target.can_decide,
        "decision_form": DecisionForm(prefix="decision"),
        "level_short": LEVEL_SHORT,
        "breadcrumbs": crumbs,
        **forms,
    }


def _frame(member: Any, review: MemberReview | None, year: int):
    """The criteria frame of the member's review of `year` (R4.2): that of the cell the review
    was opened in, else of the member's cell."""
    return rules.frame_rule(member.cell if review is None else review.cell, year)


def _frame_of(target: access.MemberReviewAccess, year: int):
    return _frame(target.member, target.review, year)


@login_required
@require_GET
def member(request, member_pk: int) -> HttpResponse:
    """One member's review of the year: evidence, the three steps, the forms the user may use."""
    year = _year(request)
    target = access.get_member_for_review(request.user, member_pk, year=year)
    record_read_log(user=request.user, member=target.member, page=RecordPage.REVIEW)
    return render(request, "reviews/member.html", _member_context(request, target, year))


@login_required
@require_POST
def member_self(request, member_pk: int) -> HttpResponse:
    year = _year(request)
    target = access.get_member_for_review(request.user, member_pk, year=year, act="self")
    form = MemberSelfAssessmentForm(
        request.POST, prefix="self", frame=_frame_of(target, year).value
    )
    outcome = submit(
        request,
        form,
        lambda data: services.member_review_self_assess(
            actor=request.user, member=target.member, year=year, **data
        ),
        success=_("The self-assessment is recorded."),
    )
    if outcome.ok:
        return redirect(_url("reviews:member", target.member.pk, year))
    context = _member_context(request, target, year, self_form=form)
    return render(request, "reviews/member.html", context, status=400)


@login_required
@require_POST
def member_propose(request, member_pk: int) -> HttpResponse:
    year = _year(request)
    target = access.get_member_for_review(request.user, member_pk, year=year, act="propose")
    form = MemberProposalForm(request.POST, prefix="proposal", frame=_frame_of(target, year).value)
    outcome = submit(
        request,
        form,
        lambda data: services.member_review_propose(
            actor=request.user, member=target.member, year=year, **data
        ),
        success=_("The cell's proposal is recorded."),
    )
    if outcome.ok:
        return redirect(_url("reviews:member", target.member.pk, year))
    context = _member_context(request, target, year, proposal_form=form)
    return render(request, "reviews/member.html", context, status=400)


def _committee_context(request, grassroots, can_decide: bool, year: int, **forms: Any):
    cells = selectors.committee_cells(grassroots, year)
    chosen = None
    raw_cell = request.GET.get("cell") or request.POST.get("cell") or ""
    cell_id = whole_number(raw_cell)
    if cell_id:
        chosen = next((row for row in cells if row.cell_id == cell_id), None)
    reviews = (
        selectors.committee_reviews(grassroots, year, cell_id=chosen.cell_id) if chosen else []
    )
    quota = selectors.quota_state(grassroots, year)
    pending = selectors.pending_proposals(grassroots, year)
    projected = selectors.quota_state(grassroots, year, changes=pending)
    if can_decide and "bulk_form" not in forms:
        forms["bulk_form"] = BulkDecisionForm(prefix="bulk")
    return {
        "organization": grassroots,
        "year": year,
        "years": _years(year),
        "reviews": reviews,
        "cells": cells,
        "chosen": chosen,
        "pending": pending,
        "quota": quota,
        "projected": projected,
        "can_decide": can_decide,
        "decision_form": DecisionForm(prefix="decision"),
        "level_short": LEVEL_SHORT,
        "breadcrumbs": breadcrumbs_for(
            grassroots, scope_for(request.user), last_label=_("Decisions on the annual review")
        ),
        **forms,
    }


@login_required
@require_GET
def committee(request, org_pk: int) -> HttpResponse:
    """The grassroots committee's decisions for the year, with the live quota indicator."""
    decisions = access.get_grassroots_for_decisions(request.user, org_pk)
    grassroots, can_decide = decisions.organization, decisions.can_manage
    year = _year(request)
    context = _committee_context(request, grassroots, can_decide, year)
    return render(request, "reviews/committee.html", context)


@login_required
@require_POST
def committee_decide_all(request, org_pk: int) -> HttpResponse:
    grassroots = access.get_grassroots_for_decisions(request.user, org_pk, manage=True).organization
    year = _year(request)
    form = BulkDecisionForm(request.POST, prefix="bulk")
    outcome = submit(
        request,
        form,
        lambda data: services.member_reviews_decide_proposed(
            actor=request.user, grassroots=grassroots, year=year, **data
        ),
        success=lambda count: _("%(count)s proposed levels are decided.") % {"count": count},
    )
    if outcome.ok:
        return redirect(_url("reviews:committee", grassroots.pk, year))
    context = _committee_context(request, grassroots, True, year, bulk_form=form)
    return render(request, "reviews/committee.html", context, status=400)


@login_required
@require_POST
def decide(request, review_pk: int) -> HttpResponse:
    """One decision (or a correction) on a member's review."""
    review = access.get_review_for_decision(request.user, review_pk)
    form = DecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        attempt(
            request,
            lambda: services.member_review_decide(
                actor=request.user, review=review, **form.cleaned_data
            ),
            success=_("The committee's decision is recorded."),
        )
    else:
        messages.error(request, _("Check the level and the decision date."))
    back = request.POST.get("back") == "member"
    if back:
        response = redirect(_url("reviews:member", review.member_id, review.year))
    else:
        url = _url("reviews:committee", review.grassroots_id, review.year)
        response = redirect(f"{url}&cell={review.cell_id}")
    return response


# -- organizations -------------------------------------------------------------------------


@login_required
@require_GET
def organizations(request, org_pk: int) -> HttpResponse:
    """The reviews of the cells and grassroots committees of a subtree, with their evidence."""
    organization = get_organization_for_user(request.user, org_pk)
    year = _year(request)
    rows = selectors.organization_rows(organization, year)
    context = {
        "organization": organization,
        "year": year,
        "years": _years(year),
        "rows": rows,
        "levels": LEVEL_ORDER,
        "level_short": LEVEL_SHORT,
        "breadcrumbs": breadcrumbs_for(
            organization, scope_for(request.user), last_label=_("Reviews of organizations")
        ),
    }
    return render(request, "reviews/organizations.html", context)


def _org_context(request, target: access.OrganizationReviewAccess, year: int, **forms: Any):
    organization, review = target.organization, target.review
    row = next(
        (
            item
            for item in selectors.organization_rows(organization, year)
            if item.organization.pk == organization.pk
        ),
        None,
    )
    if target.can_self_assess_now and "self_form" not in forms:
        forms["self_form"] = SelfAssessmentForm(prefix="self")
    if target.can_propose_now and "proposal_form" not in forms:
        forms["proposal_form"] = ProposalForm(prefix="proposal")
    if target.can_decide_now and "decision_form" not in forms:
        forms["decision_form"] = DecisionForm(prefix="decision")
    return {
        "organization": organization,
        "target": target,
        "review": review,
        "row": row,
        "disciplined": selectors.disciplined_in(organization, year),
        "year": year,
        "years": _years(year),
        "decisions": selectors.decision_history(review) if review is not None else [],
        "bands": rules.bands_rule(organization, year),
        "level_short": LEVEL_SHORT,
        "breadcrumbs": breadcrumbs_for(
            organization, scope_for(request.user), last_label=_("Annual review of the organization")
        ),
        **forms,
    }


@login_required
@require_GET
def organization(request, org_pk: int) -> HttpResponse:
    year = _year(request)
    target = access.get_reviewed_org(request.user, org_pk, year=year)
    return render(request, "reviews/organization.html", _org_context(request, target, year))


ORG_STEP_FORMS: dict[str, tuple[type, str, str]] = {
    "self": (SelfAssessmentForm, "self", "self_form"),
    "propose": (ProposalForm, "proposal", "proposal_form"),
    "decide": (DecisionForm, "decision", "decision_form"),
}


def _run_org_step(step: str, *, actor: Any, organization: Any, year: int, data: dict) -> None:
    if step == "self":
        services.organization_review_self_assess(
            actor=actor, organization=organization, year=year, **data
        )
    elif step == "propose":
        services.organization_review_propose(
            actor=actor, organization=organization, year=year, **data
        )
    else:
        review = access.organization_review_of(organization, year)
        if review is None:
            raise ServiceError(
                _("No level has been proposed yet: the committee decides on a proposal.")
            )
        services.organization_review_decide(actor=actor, review=review, **data)


@login_required
@require_POST
def organization_step(request, org_pk: int, step: str) -> HttpResponse:
    """The three steps of an organization's review: self, proposal, decision."""
    if step not in ORG_STEP_FORMS:
        raise Http404("unknown step")
    year = _year(request)
    target = access.get_reviewed_org(
        request.user, org_pk, year=year, act="self" if step == "self" else "upper"
    )
    organization = target.organization
    form_class, prefix, key = ORG_STEP_FORMS[step]
    form = form_class(request.POST, prefix=prefix)
    outcome = submit(
        request,
        form,
        lambda data: _run_org_step(
            step, actor=request.user, organization=organization, year=year, data=data
        ),
        success=_("The step is recorded."),
    )
    if outcome.ok:
        return redirect(_url("reviews:organization", organization.pk, year))
    context = _org_context(request, target, year, **{key: form})
    return render(request, "reviews/organization.html", context, status=400)


# -- discipline ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def discipline_new(request, member_pk: int) -> HttpResponse:
    """Record a disciplinary decision about a member (R3.18)."""
    member_obj = get_member_for_user(request.user, member_pk, write=True, self_reads=False).member
    form = DisciplineRecordForm(
        request.POST or None, inspections=inspection_selectors.concerning_member(member_obj)
    )
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.discipline_record(actor=request.user, member=member_obj, **data),
            success=_("The disciplinary decision is recorded."),
        )
        if outcome.ok:
            return redirect(_url("reviews:member", member_obj.pk, outcome.result.decided_on.year))
    today = timezone.localdate()
    context = {
        "member": member_obj,
        "form": form,
        "authority_rule": rules.authority_rule(member_obj.cell, today),
        "appeal_rule": rules.appeal_rule(member_obj.cell, today),
        "breadcrumbs": [
            *breadcrumbs_for(member_obj.cell, scope_for(request.user)),
            {"url": "", "label": member_obj.full_name},
        ],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/discipline_form.html", context, status=status)


@login_required
@require_POST
def discipline_appeal(request, pk: int) -> HttpResponse:
    """Record an appeal against a disciplinary decision (R3.19), within the appeal period."""
    discipline = access.get_discipline_for_record(request.user, pk)
    form = DisciplineAppealForm(request.POST, prefix=f"appeal-{pk}")
    if form.is_valid():
        attempt(
            request,
            lambda: services.discipline_appeal_record(
                actor=request.user, discipline=discipline, **form.cleaned_data
            ),
            success=_("The appeal is recorded."),
        )
    else:
        messages.error(request, _("Enter the date the appeal was lodged."))
    return redirect(_url("reviews:member", discipline.member_id, _year(request)))


# -- statistics ----------------------------------------------------------------------------


@login_required
@require_GET
def statistics(request, org_pk: int) -> HttpResponse:
    """The annual statistics tables of a subtree, compared with the year before; ?format=xlsx
    or pdf exports them (in Vietnamese whatever the interface language)."""
    organization = get_organization_for_user(request.user, org_pk)
    year = _year(request)
    export = request.GET.get("format", "")
    if export in {"xlsx", "pdf"}:
        filename = exports.statistics_filename(organization, year, export)
        with translation.override("vi"):
            tables = exports.statistics_tables(organization, year)
            if export == "xlsx":
                return xlsx_response(exports.statistics_xlsx(tables), filename)
            return pdf_response(exports.statistics_pdf(tables), filename)
    if export:
        raise Http404("unknown format")
    tables = exports.statistics_tables(organization, year)
    context = {
        "organization": organization,
        "year": year,
        "years": _years(year),
        "tables": tables,
        "is_grassroots": organization.kind in selectors.GRASSROOTS_KINDS,
        "breadcrumbs": breadcrumbs_for(
            organization, scope_for(request.user), last_label=_("Annual review statistics")
        ),
    }
    return render(request, "reviews/statistics.html", context)
