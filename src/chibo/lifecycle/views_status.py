"""Pages of the member status changes and the removal alert list. Thin: parse → access →
service → respond."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.errors import ServiceError
from chibo.core.flow import submit
from chibo.lifecycle import forms_status, removal, status
from chibo.lifecycle.rules import rule_for
from chibo.members.access import get_member_for_user
from chibo.members.models import MemberStatus
from chibo.orgs.access import can_manage, get_organization_for_user
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for

ACTIONS: dict[str, tuple[type, Callable[..., Any]]] = {
    status.EXEMPTION: (forms_status.ExemptionForm, status.exemption_record),
    status.EXEMPTION_RETURN: (forms_status.ExemptionReturnForm, status.exemption_return),
    status.SUSPENSION: (forms_status.SuspensionForm, status.suspension_record),
    status.SUSPENSION_LIFT: (forms_status.SuspensionLiftForm, status.suspension_lift),
    status.REMOVAL: (forms_status.RollRemovalForm, status.removal_record),
    status.DEATH: (forms_status.DeathForm, status.death_record),
    status.READMISSION: (forms_status.ReadmissionForm, status.readmission_record),
}


def _explanations(member, action: str) -> list[str]:
    """The rules shown beside the form."""
    today = timezone.localdate()
    if action == status.READMISSION:
        try:
            left, earliest, rule = status.readmission_earliest(member)
        except ServiceError as error:
            return [str(error)]
        return [
            _("Left the Party on %(left)s; re-admission can be decided from %(earliest)s.")
            % {
                "left": left.strftime("%d/%m/%Y"),
                "earliest": earliest.strftime("%d/%m/%Y"),
            },
            rule.explain(),
        ]
    if action == status.EXEMPTION:
        return [
            _(
                "Age alone does not qualify: an elderly member must also be in weak health and "
                "ask for the exemption by letter or in person; the cell decides by resolution "
                "(Party Charter Art. 7; HD 27-HD/BTCTW; HD 12-HD/BTCTW 2022 §IV.1.2)."
            )
        ]
    if action in (status.EXEMPTION_RETURN, status.SUSPENSION_LIFT):
        try:
            previous = MemberStatus(status.status_before(member)).label
        except ServiceError as error:
            return [str(error)]
        return [
            _("The member returns to the status held before: %(status)s.") % {"status": previous}
        ]
    if action == status.REMOVAL:
        return [
            _(
                "Removal from the rolls is not a disciplinary sanction: the cell proposes, the "
                "competent committee decides (Quy định 29-QĐ/TW, Điểm 8.1)."
            ),
            rule_for(status.REMOVAL_MONTHS_KEY, organization=member.cell, on=today).explain(),
        ]
    return []


@login_required
@require_http_methods(["GET", "POST"])
def status_change(request, pk: int, action: str) -> HttpResponse:
    """Record one status change for the member (managers of their cell)."""
    if action not in ACTIONS:
        raise Http404
    member = get_member_for_user(request.user, pk, write=True, self_reads=False).member
    detail_url = reverse("members:detail", args=[member.pk])
    if action not in status.allowed_actions(member):
        messages.error(
            request,
            _("%(action)s cannot be recorded for a member whose status is “%(status)s”.")
            % {"action": status.ACTION_LABELS[action], "status": member.get_status_display()},
        )
        return redirect(detail_url)
    form_class, service = ACTIONS[action]
    initial = {}
    if action == status.REMOVAL and request.GET.get("grounds") in status.RemovalGrounds.values:
        initial["grounds"] = request.GET["grounds"]
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: service(actor=request.user, member=member, **data),
            success=_("The status change was recorded."),
        )
        if outcome.ok:
            return redirect(detail_url)
    title = status.ACTION_LABELS[action]
    context = {
        "member": member,
        "form": form,
        "title": title,
        "action": action,
        "explanations": _explanations(member, action),
        "probation_removal": action == status.REMOVAL
        and member.status == MemberStatus.PROBATIONARY,
        "detail_url": detail_url,
        "breadcrumbs": breadcrumbs_for(member.cell, scope_for(request.user), last_label=title),
    }
    return render(request, "lifecycle/status/form.html", context)


@login_required
@require_GET
def removal_alerts(request, org_pk: int) -> HttpResponse:
    """Members who reach the removal rule's months in a calendar year (DOMAIN §3.4)."""
    organization = get_organization_for_user(request.user, org_pk)
    scope = scope_for(request.user)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    rows, rule = removal.removal_alerts(organization=organization, year=year, today=today)
    context = {
        "organization": organization,
        "year": year,
        "years": list(range(today.year, today.year - 5, -1)),
        "rows": [
            {
                "row": row,
                "can_manage": can_manage(request.user, row.member.cell),
            }
            for row in rows
        ],
        "rule": rule,
        "without_basis": removal.members_without_dues_basis(organization),
        "show_cell": not organization.is_cell,
        "unexcused_grounds": status.RemovalGrounds.UNEXCUSED_MONTHS.value,
        "breadcrumbs": breadcrumbs_for(organization, scope, last_label=_("Removal alerts")),
    }
    return render(request, "lifecycle/status/removal_alerts.html", context)
