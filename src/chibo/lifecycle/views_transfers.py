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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.errors import ServiceError
from chibo.core.exports.pdf import template_pdf
from chibo.core.exports.responses import pdf_response
from chibo.core.scope import not_found
from chibo.lifecycle import transfers
from chibo.lifecycle.access import get_member_to_manage
from chibo.lifecycle.forms import errors_text
from chibo.lifecycle.models import Transfer, TransferKind, TransferReason
from chibo.orgs.access import get_organization_for_user
from chibo.orgs.models import CELL_KINDS, Organization
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# -- forms -----------------------------------------------------------------------------------


class TransferIssueForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of transfer"), choices=TransferKind.choices)
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=TransferReason.choices)
    reason_note = forms.CharField(
        label=gettext_lazy("Details of the reason"), max_length=300, required=False
    )
    to_cell_code = forms.CharField(
        label=gettext_lazy("Receiving cell (code)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"list": "cell-options", "autocomplete": "off"}),
        help_text=gettext_lazy("Search by name or code in the box above, or type the code."),
    )
    destination = forms.CharField(
        label=gettext_lazy("Or: organisation outside chibo"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Only when the receiving organisation is not in chibo: the member then leaves the "
            "rolls on the slip date."
        ),
    )
    decision_date = forms.DateField(
        label=gettext_lazy("Date of the decision (job move, retirement, …)"),
        widget=DATE_WIDGET,
        required=False,
    )
    slip_number = forms.CharField(label=gettext_lazy("Transfer slip number"), max_length=50)
    slip_date = forms.DateField(label=gettext_lazy("Transfer slip date"), widget=DATE_WIDGET)
    slip_issuer = forms.CharField(label=gettext_lazy("Issuing committee"), max_length=200)

    def clean_to_cell_code(self) -> Organization | None:
        code = self.cleaned_data["to_cell_code"].strip()
        if not code:
            return None
        cell = Organization.objects.filter(code=code, kind__in=CELL_KINDS).first()
        if cell is None:
            raise forms.ValidationError(_("No party cell has the code %(code)s.") % {"code": code})
        return cell


class ConfirmForm(forms.Form):
    received_on = forms.DateField(label=gettext_lazy("Date received"), widget=DATE_WIDGET)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )


class EndForm(forms.Form):
    ended_on = forms.DateField(label=gettext_lazy("Date of return"), widget=DATE_WIDGET)


# -- access ----------------------------------------------------------------------------------


def _transfer_for_user(user: Any, pk: int) -> Transfer:
    """A transfer is read by those who read the sending or the receiving cell; others: 404."""
    transfer = (
        Transfer.objects.select_related("member", "from_cell", "to_cell", "member__cell")
        .filter(pk=pk)
        .first()
    )
    if transfer is None:
        raise not_found()
    scope = scope_for(user)
    if not (
        scope.can_read_path(transfer.from_cell.path)
        or (transfer.to_cell is not None and scope.can_read_path(transfer.to_cell.path))
    ):
        raise not_found()
    return transfer


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
    transfer = _transfer_for_user(request.user, pk)
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
    transfer = _transfer_for_user(request.user, pk)
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
    member = get_member_to_manage(request.user, member_pk)
    scope = scope_for(request.user)
    today = timezone.localdate()
    form = TransferIssueForm(
        request.POST or None,
        initial={"slip_date": today, "slip_issuer": transfers.default_slip_issuer(member.cell)},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["to_cell"] = data.pop("to_cell_code")
        try:
            transfer = transfers.transfer_issue(actor=request.user, member=member, **data)
        except ServiceError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The transfer was issued."))
            return redirect("lifecycle:transfer", pk=transfer.pk)
    context = {
        "form": form,
        "member": member,
        "open_transfer": transfers.open_transfer(member),
        "rule": transfers.deadline_rule(member.cell, on=today),
        "breadcrumbs": breadcrumbs_for(member.cell, scope, last_label=_("New transfer")),
    }
    return render(request, "lifecycle/transfers/form.html", context)


def _act(request, pk: int, form_class: type[forms.Form], action: Any, done: str) -> HttpResponse:
    transfer = _transfer_for_user(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            action(actor=request.user, transfer=transfer, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
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
    scope = scope_for(request.user)
    if not (scope.is_admin or scope.manage_paths):
        raise PermissionDenied
    cells = transfers.cell_search(request.GET.get("q", ""))
    return render(request, "lifecycle/transfers/_cell_options.html", {"cells": cells})
