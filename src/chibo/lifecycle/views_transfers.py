"""Pages of transfers between cells (DOMAIN R3.13). Thin: parse → access → service → respond.
The rules and the steps live in lifecycle.transfers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.exports.pdf import template_pdf
from chibo.core.exports.responses import pdf_response
from chibo.core.flow import attempt, form_error_text, submit
from chibo.lifecycle import transfers
from chibo.lifecycle.access import can_search_cells, get_transfer_for_user
from chibo.lifecycle.forms_transfers import (
    ConfirmForm,
    EndForm,
    RefuseForm,
    TransferIssueForm,
    WithdrawForm,
)
from chibo.members.access import get_member_for_user
from chibo.orgs.access import get_organization_for_user
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for

# -- pages -----------------------------------------------------------------------------------


@login_required
@require_GET
def transfer_list(request, org_pk: int) -> HttpResponse:
    """Incoming and outgoing transfers of a cell or a committee's subtree, overdue flagged."""
    organization = get_organization_for_user(request.user, org_pk)
    scope = scope_for(request.user)
    today = timezone.localdate()
    lists = transfers.transfer_lists(organization, scope, today=today)
    context = {
        "organization": organization,
        "incoming": lists["incoming"],
        "outgoing": lists["outgoing"],
        "away": transfers.temporarily_away(organization),
        "rule": transfers.deadline_rule(organization, on=today),
        "today": today,
        "breadcrumbs": breadcrumbs_for(organization, scope, last_label=_("Transfers")),
    }
    return render(request, "lifecycle/transfers/list.html", context)


@login_required
@require_GET
def transfer_detail(request, pk: int) -> HttpResponse:
    transfer = get_transfer_for_user(request.user, pk)
    scope = scope_for(request.user)
    today = timezone.localdate()
    row = transfers.transfer_row(transfer, scope, today=today)
    context = {
        "transfer": transfer,
        "row": row,
        "rule": transfers.deadline_rule(
            transfer.from_cell, on=transfer.decision_date or transfer.slip_date
        ),
        "confirm_form": ConfirmForm(initial={"received_on": today}) if row.can_receive else None,
        "refuse_form": RefuseForm() if row.can_receive else None,
        "withdraw_form": WithdrawForm() if row.can_withdraw else None,
        "end_form": EndForm(initial={"ended_on": today}) if row.can_end else None,
        "breadcrumbs": breadcrumbs_for(
            transfer.from_cell,
            scope,
            last_label=_("Transfer slip %(number)s") % {"number": transfer.slip_number},
        ),
    }
    return render(request, "lifecycle/transfers/detail.html", context)


@login_required
@require_GET
def transfer_slip(request, pk: int) -> HttpResponse:
    """The printable transfer slip (giấy giới thiệu sinh hoạt đảng), as a PDF."""
    transfer = get_transfer_for_user(request.user, pk)
    content = template_pdf("lifecycle/transfers/slip.html", {"transfer": transfer}, request=request)
    return pdf_response(
        content,
        f"giay-gioi-thieu-{transfer.pk}.pdf",
        inline=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_new(request, member_pk: int) -> HttpResponse:
    """The sending cell issues a transfer for one of its members."""
    member = get_member_for_user(request.user, member_pk, write=True, self_reads=False).member
    scope = scope_for(request.user)
    today = timezone.localdate()
    form = TransferIssueForm(
        request.POST or None,
        initial={"slip_date": today, "slip_issuer": transfers.default_slip_issuer(member.cell)},
    )
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: transfers.transfer_issue(
                actor=request.user, member=member, to_cell=data.pop("to_cell_code"), **data
            ),
            success=_("The transfer was issued."),
        )
        if outcome.ok:
            return redirect("lifecycle:transfer", pk=outcome.result.pk)
    context = {
        "form": form,
        "member": member,
        "open_transfer": transfers.open_transfer(member),
        "rule": transfers.deadline_rule(member.cell, on=today),
        "breadcrumbs": breadcrumbs_for(member.cell, scope, last_label=_("New transfer")),
    }
    return render(request, "lifecycle/transfers/form.html", context)


def _act(request, pk: int, form_class: type[forms.Form], action: Any, done: str) -> HttpResponse:
    transfer = get_transfer_for_user(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
    else:
        attempt(
            request,
            lambda: action(actor=request.user, transfer=transfer, **form.cleaned_data),
            success=done,
        )
    return redirect(reverse("lifecycle:transfer", args=[transfer.pk]))


@login_required
@require_POST
def transfer_confirm(request, pk: int) -> HttpResponse:
    return _act(request, pk, ConfirmForm, transfers.transfer_confirm, _("Receipt confirmed."))


@login_required
@require_POST
def transfer_refuse(request, pk: int) -> HttpResponse:
    return _act(request, pk, RefuseForm, transfers.transfer_refuse, _("The transfer was refused."))


@login_required
@require_POST
def transfer_withdraw(request, pk: int) -> HttpResponse:
    return _act(
        request, pk, WithdrawForm, transfers.transfer_withdraw, _("The transfer was withdrawn.")
    )


@login_required
@require_POST
def transfer_end(request, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        EndForm,
        transfers.transfer_end_temporary,
        _("The temporary transfer has ended; the member is back in the home cell."),
    )


@login_required
@require_GET
def cell_search(request) -> HttpResponse:
    """Options for the receiving cell (htmx): any cell of the tree, names and codes only, for
    those who manage a cell."""
    if not can_search_cells(request.user):
        raise PermissionDenied
    # PostgreSQL text cannot hold a NUL byte: one in the search crashed the query (issue 14).
    cells = transfers.cell_search(request.GET.get("q", "").replace("\x00", ""))
    return render(request, "lifecycle/transfers/_cell_options.html", {"cells": cells})
