"""Pages of the residence feature (Quy định 213). Thin: parse → access → service → respond."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.flow import attempt, submit
from chibo.members.access import get_member_for_user
from chibo.orgs.access import get_cell_for_user
from chibo.orgs.models import RESIDENTIAL_CELL_TYPES
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for
from chibo.residence import access, selectors, services
from chibo.residence.forms import (
    CorrectionForm,
    EndLinkForm,
    FeedbackForm,
    LinkForm,
    ParticipationForm,
    RequestForm,
    year_from,
)
from chibo.residence.models import WORKPLACE_CELL_TYPES

FEEDBACK_FIELDS = services.FEEDBACK_FIELDS


# -- the member's panel (included on the member's detail page) --------------------------------


@login_required
@require_GET
def member_panel(request, member_pk: int) -> HttpResponse:
    target = get_member_for_user(request.user, member_pk)
    member = target.member
    data = selectors.member_residence(member.pk, today=timezone.localdate())
    return render(
        request,
        "residence/_member_panel.html",
        {
            "member": member,
            "data": data,
            "can_manage": target.can_manage,
            "is_workplace": member.cell.cell_type in WORKPLACE_CELL_TYPES,
        },
    )


def _create_link(request, form: LinkForm, member: Any) -> tuple[Any, Any]:
    """(the chosen residence cell, the new link): None where the form or the service refused."""
    chosen = None
    if form.is_valid():
        chosen = access.chosen_residence_cell(form.cleaned_data["residence_cell"])
    if chosen is None:
        form.add_error(None, _("Choose the residence cell."))
        return None, None
    outcome = submit(
        request,
        form,
        lambda data: services.link_create(
            actor=request.user,
            member=member,
            residence_cell=chosen,
            address=data["address"],
            start_date=data["start_date"],
            special_category=data["special_category"] or "",
        ),
        success=_("The residence link is recorded."),
    )
    return chosen, outcome.result


@login_required
@require_http_methods(["GET", "POST"])
def link_new(request, member_pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, member_pk, write=True).member
    # PostgreSQL text cannot hold a NUL byte: one in the search crashed the query (issue 14).
    query = request.GET.get("q", "").replace("\x00", "").strip()
    # An empty POST is still a submission: bound, so that it gets the form's errors.
    form = LinkForm(
        request.POST if request.method == "POST" else None,
        initial={"address": member.residence_address, "start_date": timezone.localdate()},
    )
    chosen = None
    if request.method == "POST":
        chosen, link = _create_link(request, form, member)
        if link is not None:
            return redirect("residence:link", link.pk)
    context = {
        "member": member,
        "form": form,
        "query": query,
        "results": list(selectors.residential_cell_search(query)) if query else [],
        "chosen": chosen,
        "breadcrumbs": breadcrumbs_for(
            member.cell, scope_for(request.user), last_label=_("Residence cell")
        ),
    }
    return render(request, "residence/link_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def link_end(request, pk: int) -> HttpResponse:
    link = access.get_link_to_manage(request.user, pk)
    form = EndLinkForm(
        request.POST if request.method == "POST" else None,
        initial={"end_date": timezone.localdate()},
    )
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.link_end(actor=request.user, link=link, **data),
            success=_("The residence link has ended; its history is kept."),
        )
        if outcome.ok:
            return redirect("residence:link", link.pk)
    return render(
        request,
        "residence/simple_form.html",
        {
            "link": link,
            "form": form,
            "title": _("End the residence link"),
        },
    )


# -- one link: what the workplace cell, the residence cell and the member see ----------------


@login_required
@require_GET
def link_detail(request, pk: int) -> HttpResponse:
    link, link_access = access.get_link_for_user(request.user, pk)
    year = year_from(request.GET.get("year"))
    feedbacks = list(
        link.feedbacks.select_related("superseded_by").order_by("-year", "-created_at", "-id")
    )
    # A draft is the residence cell's work in progress: others see only what was sent.
    if not link_access.residence_read:
        feedbacks = [fb for fb in feedbacks if fb.is_sent]
    counts = selectors.participation_counts([link.pk], year).get(link.pk, (0, 0))
    context = {
        "link": link,
        "access": link_access,
        "year": year,
        "feedbacks": feedbacks,
        "participations": link.participations.filter(date__year=year),
        "attended": counts[0],
        "recorded": counts[1],
        "requests": link.requests.select_related("answered_by").all(),
        "participation_form": ParticipationForm(initial={"date": timezone.localdate()}),
        "request_form": RequestForm(initial={"year": year}),
        "has_draft": any(not fb.is_sent for fb in feedbacks),
        "evidence": selectors.residence_evidence([link.member_id], year)[link.member_id],
        "source": selectors.SOURCE,
    }
    return render(request, "residence/link_detail.html", context)


@login_required
@require_POST
def participation_new(request, pk: int) -> HttpResponse:
    link = access.get_link_to_comment(request.user, pk)
    form = ParticipationForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.participation_record(
                actor=request.user, link=link, **form.cleaned_data
            ),
            success=_("Participation recorded."),
        )
    else:
        messages.error(request, _("Check the date and the activity."))
    return redirect("residence:link", link.pk)


@login_required
@require_POST
def request_new(request, pk: int) -> HttpResponse:
    link = access.get_link_to_manage(request.user, pk)
    form = RequestForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.request_create(actor=request.user, link=link, **form.cleaned_data),
            success=_("The request was sent to the residence cell."),
        )
    else:
        messages.error(request, _("Enter a valid year."))
    return redirect("residence:link", link.pk)


# -- comments -----------------------------------------------------------------------------


def _feedback_page(request, *, link, form, title: str, original=None) -> HttpResponse:
    return render(
        request,
        "residence/feedback_form.html",
        {"link": link, "form": form, "title": title, "original": original},
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_new(request, pk: int) -> HttpResponse:
    link = access.get_link_to_comment(request.user, pk)
    year = year_from(request.GET.get("year"))
    form = FeedbackForm(request.POST or None)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.feedback_create(
                actor=request.user, link=link, year=year, send="send" in request.POST, **data
            ),
            success=lambda feedback: (
                _("The comment was sent.") if feedback.is_sent else _("The draft is saved.")
            ),
        )
        if outcome.ok:
            return redirect("residence:link", link.pk)
    title = _("Residence comment for %(year)s") % {"year": year}
    return _feedback_page(request, link=link, form=form, title=title)


def _update_feedback(actor: Any, feedback: Any, data: dict[str, Any], *, send: bool) -> None:
    services.feedback_update(actor=actor, feedback=feedback, **data)
    if send:
        services.feedback_send(actor=actor, feedback=feedback)


def _correct_feedback(actor: Any, original: Any, data: dict[str, Any], *, send: bool) -> None:
    reason = data.pop("reason")
    correction = services.feedback_correct(actor=actor, original=original, reason=reason, **data)
    if send:
        services.feedback_send(actor=actor, feedback=correction)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_edit(request, pk: int) -> HttpResponse:
    feedback = access.get_feedback_to_write(request.user, pk, draft=True)
    initial = {name: getattr(feedback, name) for name in FEEDBACK_FIELDS}
    form = FeedbackForm(request.POST or None, initial=initial)
    send = "send" in request.POST
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: _update_feedback(request.user, feedback, data, send=send),
            success=_("The comment was sent.") if send else _("The draft is saved."),
        )
        if outcome.ok:
            return redirect("residence:link", feedback.link_id)
    title = _("Residence comment for %(year)s") % {"year": feedback.year}
    return _feedback_page(request, link=feedback.link, form=form, title=title)


@login_required
@require_POST
def feedback_send(request, pk: int) -> HttpResponse:
    feedback = access.get_feedback_to_write(request.user, pk)
    attempt(
        request,
        lambda: services.feedback_send(actor=request.user, feedback=feedback),
        success=_("The comment was sent."),
    )
    return redirect("residence:link", feedback.link_id)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_correct(request, pk: int) -> HttpResponse:
    original = access.get_feedback_to_write(request.user, pk)
    initial: dict[str, Any] = {name: getattr(original, name) for name in FEEDBACK_FIELDS}
    initial["written_on"] = timezone.localdate()
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: _correct_feedback(
                request.user, original, data, send="send" in request.POST
            ),
            success=_("The correction is saved; the original is kept."),
        )
        if outcome.ok:
            return redirect("residence:link", original.link_id)
    title = _("Correct the residence comment for %(year)s") % {"year": original.year}
    return _feedback_page(request, link=original.link, form=form, title=title, original=original)


# -- cell pages ---------------------------------------------------------------------------


@login_required
@require_GET
def residence_cell(request, cell_pk: int) -> HttpResponse:
    """The residence cell's list of members working elsewhere who live in its area."""
    cell_access = get_cell_for_user(request.user, cell_pk)
    cell = cell_access.organization
    year = year_from(request.GET.get("year"))
    rows = selectors.residence_cell_rows(cell, year)
    context = {
        "cell": cell,
        "year": year,
        "rows": rows,
        "can_manage": cell_access.can_manage,
        "is_residential": cell.cell_type in RESIDENTIAL_CELL_TYPES,
        "pending": sum(1 for row in rows if row.pending_request),
        "source": selectors.SOURCE,
        "breadcrumbs": breadcrumbs_for(
            cell, scope_for(request.user), last_label=_("Members working elsewhere")
        ),
    }
    return render(request, "residence/residence_cell.html", context)


@login_required
@require_GET
def workplace(request, cell_pk: int) -> HttpResponse:
    """The workplace cell's overview of its members' residence comments for a year."""
    cell_access = get_cell_for_user(request.user, cell_pk)
    cell = cell_access.organization
    year = year_from(request.GET.get("year"))
    rows = selectors.workplace_rows(cell, year)
    states = [row.evidence.state for row in rows]
    context = {
        "cell": cell,
        "year": year,
        "rows": rows,
        "can_manage": cell_access.can_manage,
        "missing": states.count(selectors.MISSING),
        "no_link": states.count(selectors.NO_LINK),
        "received": states.count(selectors.RECEIVED),
        "not_required": states.count(selectors.NOT_REQUIRED),
        "source": selectors.SOURCE,
        "years": [timezone.localdate().year - offset for offset in range(3)],
        "breadcrumbs": breadcrumbs_for(
            cell, scope_for(request.user), last_label=_("Residence comments")
        ),
    }
    return render(request, "residence/workplace.html", context)
