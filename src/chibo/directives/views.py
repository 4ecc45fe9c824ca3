"""Directives pages: the list, issuing, a directive with its coverage drilled down by level,
forwarding with guidance, attachments, and members marking a directive read."""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.errors import ServiceError
from chibo.core.flow import attempt, error_text
from chibo.core.scope import not_found
from chibo.directives import access, selectors, services
from chibo.directives.forms import AttachmentsForm, DirectiveForm, ForwardForm
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for


def _children_of(units: Any) -> Any:
    """The units directly below `units` (the choices of "chosen units")."""
    query = Organization.objects.none()
    for unit in units:
        query = query | Organization.objects.filter(
            path__startswith=unit.path, depth=unit.depth + 1
        )
    return query.order_by("path")


@login_required
@require_GET
def directive_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    committee = access.reads_a_committee(request.user)
    context = {
        "title": _("Directives"),
        "committee_rows": selectors.issued_or_received(scope) if committee else [],
        "committee": committee,
        "cell_rows": selectors.for_cell(scope.own_cell_id) if scope.own_cell_id else [],
        "has_cell": scope.own_cell_id is not None,
        "may_issue": access.kept_committees(request.user).exists(),
    }
    return render(request, "directives/list.html", context)


def _issue_forms(request: HttpRequest, issuers: list[Organization]) -> tuple[Any, Any]:
    issuer_qs = access.units_queryset(issuers)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = DirectiveForm(
        data,
        issuers=issuer_qs,
        units=_children_of(issuers),
        initial={"issued_on": timezone.localdate()},
    )
    return form, AttachmentsForm(data, files)


@login_required
@require_http_methods(["GET", "POST"])
def directive_new(request: HttpRequest) -> HttpResponse:
    issuers = access.check_may_issue(request.user)
    form, files_form = _issue_forms(request, issuers)
    if request.method == "POST":
        valid = form.is_valid()
        files_valid = files_form.is_valid()
        if valid and files_valid:
            try:
                directive = services.directive_issue(
                    actor=request.user,
                    attachments=files_form.cleaned_data["attachments"],
                    **form.cleaned_data,
                )
            except ServiceError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("The directive is issued."))
                return redirect("directives:detail", directive.pk)
        status = 400
    else:
        status = 200
    context = {"title": _("Issue a directive"), "form": form, "files_form": files_form}
    return render(request, "directives/new.html", context, status=status)


@login_required
@require_GET
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_directive_for_user(request.user, pk)
    directive = found.directive
    if directive.pk != pk:
        return redirect("directives:detail", directive.pk)
    scope = scope_for(request.user)
    context: dict[str, Any] = {
        "title": directive.number_symbol or directive.subject,
        "directive": directive,
        "access": found,
        "attachments": list(directive.attachments.all()),
        "target_units": list(directive.target_units.all()),
        "forwards": selectors.forwards_within(directive, found.coverage_root),
        "own": found.own_delivery,
        "own_status": selectors.delivery_status(found.own_delivery) if found.own_delivery else "",
        "has_read": selectors.has_read(directive, scope.member_id),
    }
    if found.coverage_root is not None:
        unit = access.get_coverage_unit(request.user, found, request.GET.get("unit"))
        context["coverage"] = selectors.coverage(directive, unit)
        root = found.coverage_root
        context["trail"] = [
            node
            for node in [*Organization.objects.get_ancestors(unit), unit]
            if node.path.startswith(root.path)
        ]
    return render(request, "directives/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def directive_forward(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_directive_to_forward(request.user, pk)
    directive = found.directive
    forwarders = access.units_queryset(found.forward_units)
    form = ForwardForm(
        request.POST if request.method == "POST" else None,
        forwarders=forwarders,
        units=_children_of(found.forward_units),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.directive_forward(
                    actor=request.user, directive=directive, **form.cleaned_data
                )
            except ServiceError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("The directive is forwarded to the cells."))
                return redirect("directives:detail", directive.pk)
        status = 400
    context = {"title": _("Forward the directive"), "directive": directive, "form": form}
    return render(request, "directives/forward.html", context, status=status)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = access.get_attachment(request.user, pk, attachment_pk)
    name = attachment.file.name
    if not name or not attachment.file.storage.exists(name):
        raise not_found()
    inline = attachment.content_type in ("application/pdf", "image/jpeg", "image/png")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=os.path.basename(name),
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_directive_to_mark_read(request.user, pk)
    attempt(
        request,
        lambda: services.directive_mark_read(actor=request.user, directive=found.directive),
        success=_("Marked as read."),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("directives:detail", args=[found.directive.pk])
    return redirect(target)
