"""Report pages for committees: structure statistics of a subtree, on screen and in XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chibo.core.exports.responses import xlsx_response
from chibo.orgs.access import get_organization_for_user
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for
from chibo.reports.exports import export_structure_xlsx, structure_filename
from chibo.reports.selectors import structure_report


@login_required
@require_GET
def structure(request, org_pk: int):
    """Members on the rolls of a subtree the user oversees, by sex, age, ethnicity … with a
    chart per dimension. Figures are as of today."""
    organization = get_organization_for_user(request.user, org_pk)
    report = structure_report(organization, as_of=timezone.localdate())
    scope = scope_for(request.user)
    context = {
        "organization": organization,
        "report": report,
        "chart_data": report.chart_data(),
        "breadcrumbs": breadcrumbs_for(organization, scope, last_label=_("Structure statistics")),
    }
    return render(request, "reports/structure.html", context)


@login_required
@require_GET
def structure_xlsx(request, org_pk: int):
    """The same figures as an XLSX sheet, in Vietnamese whatever the interface language."""
    organization = get_organization_for_user(request.user, org_pk)
    with translation.override("vi"):
        report = structure_report(organization, as_of=timezone.localdate())
    return xlsx_response(export_structure_xlsx(report), structure_filename(report))
