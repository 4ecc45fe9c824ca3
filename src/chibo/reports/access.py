"""Who reads which dashboard and report (DESIGN §5: scope comes only from positions).

- Dashboards, trends and drill-down of an organization: whoever's scope reads it (its
  committee's members and staff, the committees above it, a cell's committee for its cell);
  404 outside the scope, as everywhere. A plain member oversees nothing and gets 404.
- Reports upward: requesting one needs the same reading scope; a generated report is read by
  anyone who reads its organization (the committee's staff share them), never by others.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from chibo.orgs.access import get_organization_for_user
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.reports.models import ReportJob


def dashboard_organization(user: Any, pk: int) -> Organization:
    """The organization whose dashboard the user asks for: in their reading scope, else 404."""
    return get_organization_for_user(user, pk)


def report_job_for_user(user: Any, pk: int) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("organization"), pk=pk)
    if not scope_for(user).can_read_path(job.organization.path):
        raise Http404
    return job


def overseen_organizations(user: Any) -> list[Organization]:
    """The topmost organizations the user oversees (the roots of their reading scope), for a
    landing page that lets them pick one."""
    scope = scope_for(user)
    if scope.is_admin:
        return list(Organization.objects.filter(depth=1).order_by("path"))
    return list(Organization.objects.filter(path__in=scope.read_paths).order_by("path"))
