"""Pages of the reports upward (báo cáo): an organization's reports with the form that requests
one, a report's page with its progress (the status partial, polled by htmx every second until
the job is done or failed) and the downloads of its files.

Access (reports.access): the organization's reading scope for everything — requesting, the
list, the job page, its status and its files; 404 outside it. Requests are POST only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.errors import ServiceError
from chibo.core.exports.responses import (
    DOCX_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    file_response,
)
from chibo.core.flow import error_text
from chibo.core.replica import replica_view
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for
from chibo.reports import access, selectors_upward, services_upward
from chibo.reports.forms_upward import ReportRequestForm, default_initial
from chibo.reports.models import ReportJob, ReportJobStatus
from chibo.reports.upward.document import subject

CONTENT_TYPES = {"docx": DOCX_CONTENT_TYPE, "pdf": PDF_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def _page(
    request: HttpRequest, organization: Organization, form: ReportRequestForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "organization": organization,
        "form": form,
        "jobs": selectors_upward.organization_jobs(organization),
        "breadcrumbs": breadcrumbs_for(
            organization, scope_for(request.user), last_label=_("Reports upward")
        ),
    }
    return render(request, "reports/upward/list.html", context, status=status)


@login_required
@require_GET
@replica_view
def upward(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The organization's reports, latest first, and the form requesting a new one."""
    organization = access.dashboard_organization(request.user, org_pk)
    form = ReportRequestForm(initial=default_initial(timezone.localdate()))
    return _page(request, organization, form)


@login_required
@require_POST
def upward_request(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = access.dashboard_organization(request.user, org_pk)
    form = ReportRequestForm(request.POST)
    if form.is_valid():
        try:
            job = services_upward.report_request(
                actor=request.user,
                organization=organization,
                kind=form.cleaned_data["kind"],
                period=form.cleaned_data["period"],
                number=form.cleaned_data["number"],
                notes=form.cleaned_data["notes"],
            )
        except ServiceError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("reports:upward_job", pk=job.pk)
    return _page(request, organization, form, status=400)


def _job_context(job: ReportJob) -> dict:
    return {
        "job": job,
        "subject": subject(job.kind, job.period_start),
        "running": job.status in (ReportJobStatus.QUEUED, ReportJobStatus.RUNNING),
        "formats": [fmt for fmt in ("pdf", "docx", "xlsx") if getattr(job, fmt).name],
    }


@login_required
@require_GET
@replica_view
def upward_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.report_job_for_user(request.user, pk)
    context = _job_context(job) | {
        "organization": job.organization,
        "breadcrumbs": breadcrumbs_for(
            job.organization, scope_for(request.user), last_label=_("Reports upward")
        ),
    }
    return render(request, "reports/upward/job.html", context)


@login_required
@require_GET
@replica_view
def upward_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial; it stops polling itself once the job is done or failed."""
    job = access.report_job_for_user(request.user, pk)
    return render(request, "reports/upward/_status.html", _job_context(job))


@login_required
@require_GET
@replica_view
def upward_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    job = access.report_job_for_user(request.user, pk)
    if fmt not in CONTENT_TYPES or job.status != ReportJobStatus.DONE:
        raise Http404
    field = getattr(job, fmt)
    if not field.name or not default_storage.exists(field.name):
        raise Http404
    with default_storage.open(field.name, "rb") as handle:
        content = handle.read()
    filename = f"Báo cáo {subject(job.kind, job.period_start)} - {job.organization.code}.{fmt}"
    return file_response(content, filename, content_type=CONTENT_TYPES[fmt])
