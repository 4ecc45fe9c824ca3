"""Party badge pages: the list a committee prints before an award occasion (with its XLSX),
and the form that records a badge received. The member detail page shows the badge panel."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.exports.responses import xlsx_response
from chibo.core.flow import submit
from chibo.core.forms import whole_number
from chibo.members import badges, selectors, services
from chibo.members.access import get_member_for_user
from chibo.members.badge_exports import export_badge_list_xlsx
from chibo.members.forms_badges import BadgeAwardForm, BadgeListForm
from chibo.orgs.access import CellAccess, get_cell_for_user
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for

UPCOMING_OCCASIONS = 4


def _list_inputs(
    request: HttpRequest, org_pk: int
) -> tuple[CellAccess, BadgeListForm, datetime.date, datetime.date]:
    """The organization (one the user oversees), the form and the occasion asked for (by
    default the next award occasion)."""
    access = get_cell_for_user(request.user, org_pk, kinds=None)
    organization = access.organization
    today = timezone.localdate()
    form = BadgeListForm(request.GET or None)
    occasion = None
    if form.is_valid():
        occasion = form.cleaned_data["occasion"]
    if occasion is None:
        occasion = badges.badge_rules(organization, on=today).next_occasion(today)
    return access, form, occasion, today


@login_required
@require_GET
def badge_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Members of the subtree who reach a Party badge milestone by the occasion and have not
    received it, early-award candidates flagged; printable."""
    access, form, occasion, today = _list_inputs(request, org_pk)
    organization = access.organization
    rows, rules = selectors.badge_list(organization=organization, occasion=occasion, today=today)
    upcoming = []
    day = today
    for _index in range(UPCOMING_OCCASIONS):
        day = rules.next_occasion(day)
        upcoming.append(day)
        day += datetime.timedelta(days=1)
    context = {
        "organization": organization,
        "form": form,
        "occasion": occasion,
        "rows": rows,
        "early_count": sum(1 for row in rows if row.due.early),
        "rules": rules,
        "upcoming": upcoming,
        "today": today,
        "can_manage": access.can_manage,
        "breadcrumbs": breadcrumbs_for(
            organization, scope_for(request.user), last_label=_("Party badge")
        ),
    }
    return render(request, "members/badge_list.html", context)


@login_required
@require_GET
def badge_list_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The same list as XLSX."""
    access, _form, occasion, today = _list_inputs(request, org_pk)
    organization = access.organization
    rows, _rules = selectors.badge_list(organization=organization, occasion=occasion, today=today)
    content = export_badge_list_xlsx(rows, organization=organization, occasion=occasion)
    return xlsx_response(
        content, f"huy-hieu-dang-{organization.code}-{occasion.strftime('%Y%m%d')}.xlsx"
    )


@login_required
@require_http_methods(["GET", "POST"])
def badge_award_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a Party badge the member received (register keepers of the member's cell)."""
    member = get_member_for_user(request.user, pk, write=True).member
    today = timezone.localdate()
    rules = badges.badge_rules(member.cell, on=today)
    progress = selectors.member_badge_progress(member, today=today)
    initial: dict[str, Any] = {"awarded_on": today}
    if progress.next_badge is not None:
        initial["milestone_years"] = progress.next_badge.milestone_years
    milestone = whole_number(request.GET.get("milestone"), limit=100)
    if milestone is not None:
        initial["milestone_years"] = milestone
    form = BadgeAwardForm(request.POST or None, initial=initial, milestones=rules.milestones)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.badge_award_record(actor=request.user, member=member, **data),
            success=_("The Party badge was recorded."),
        )
        if outcome.ok:
            return redirect(back or reverse("members:detail", args=[member.pk]))
    scope = scope_for(request.user)
    return render(
        request,
        "members/badge_form.html",
        {
            "form": form,
            "member": member,
            "progress": progress,
            "back": back,
            "detail_url": reverse("members:detail", args=[member.pk]),
            "breadcrumbs": breadcrumbs_for(member.cell, scope, last_label=member.full_name),
        },
    )
