"""The member's personal data (issue 14, Nghị định 13/2023/NĐ-CP): download of their own data
as PDF or JSON, correction requests from the handbook, and the register keepers' list where
they answer them. Thin: parse → access → service → respond."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.accounts import access, personal_data, services_personal
from chibo.accounts.forms_personal import CorrectionAnswerForm, CorrectionRequestForm
from chibo.core.exports.responses import file_response, pdf_response
from chibo.core.flow import submit
from chibo.members.models import CorrectionStatus

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
# Personal data: kept by no cache, shared or private.
PRIVATE_NO_STORE = "private, no-store"
PAGE_SIZE = 50


def _no_member(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/personal/no_member.html", status=404)


@login_required
@require_GET
def personal_data_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The logged-in member's own data as a file. There is no member id in the address: no one
    can ask for another person's data here."""
    if fmt not in services_personal.EXPORT_FORMATS:
        raise Http404
    member = access.get_own_member(request.user)
    if member is None:
        return _no_member(request)
    data = personal_data.personal_data_for(member.pk)
    services_personal.personal_data_exported(actor=request.user, member=member, fmt=fmt)
    filename = personal_data.personal_data_filename(member, fmt)
    if fmt == "json":
        return file_response(
            personal_data.personal_data_json(data),
            filename,
            content_type=JSON_CONTENT_TYPE,
            cache_control=PRIVATE_NO_STORE,
        )
    return pdf_response(
        personal_data.personal_data_pdf(data, member=member),
        filename,
        cache_control=PRIVATE_NO_STORE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def correction_new(request: HttpRequest) -> HttpResponse:
    """The member asks for a correction of their own data."""
    member = access.get_own_member(request.user)
    if member is None:
        return _no_member(request)
    form = CorrectionRequestForm(request.POST or None)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services_personal.correction_request_create(
                actor=request.user, member=member, **data
            ),
            success=_("Your request was sent to the keepers of your cell's register."),
        )
        if outcome.ok:
            return redirect(reverse("accounts:handbook") + "#personal-data")
    return render(request, "accounts/personal/correction_new.html", {"form": form})


@login_required
@require_GET
def correction_list(request: HttpRequest) -> HttpResponse:
    """The correction requests of the members whose register the user keeps; open ones by
    default, oldest first (they wait longest)."""
    rows = access.corrections_for_keeper(request.user).select_related("member__cell")
    show = request.GET.get("show", "open")
    if show == "open":
        rows = rows.filter(status=CorrectionStatus.OPEN).order_by("created_at", "id")
    else:
        show = "all"
        rows = rows.order_by("-created_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/personal/corrections.html", {"page": page, "show": show})


@login_required
@require_http_methods(["GET", "POST"])
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: what the member asked, a link to their record, and the answer form."""
    correction = access.get_correction_for_keeper(request.user, pk)
    form = CorrectionAnswerForm(request.POST or None) if correction.is_open else None
    if request.method == "POST":
        if form is None:
            form = CorrectionAnswerForm(request.POST)
        outcome = submit(
            request,
            form,
            lambda data: services_personal.correction_request_answer(
                actor=request.user, correction=correction, **data
            ),
            success=_("The answer was sent to the member."),
        )
        if outcome.ok:
            return redirect("accounts:corrections")
    return render(
        request,
        "accounts/personal/correction.html",
        {"correction": correction, "form": form},
    )
