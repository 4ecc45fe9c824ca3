"""The page of a background export (core.exports.jobs): its progress, polled by htmx every
second until the job is done or failed, and the download of its file.

Access: only the user who requested the job sees its page, its status and its file; anyone
else gets 404 (the job's existence is not revealed). The requesting view checked the scope."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chibo.core.access import get_export_job_for_user
from chibo.core.exports.jobs import KEEP_DAYS, task_result_context
from chibo.core.exports.responses import file_response
from chibo.core.models import ExportJob, ExportJobStatus


def _context(job: ExportJob) -> dict[str, Any]:
    return {
        "job": job,
        "running": job.status in (ExportJobStatus.QUEUED, ExportJobStatus.RUNNING),
        "keep_days": KEEP_DAYS,
        # A task (a large import) shows its report through its app's template.
        **task_result_context(job),
    }


@login_required
@require_GET
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_export_job_for_user(request.user, pk)
    return render(request, "core/export_jobs/job.html", _context(job))


@login_required
@require_GET
def export_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial; it stops polling itself once the job is done or failed."""
    job = get_export_job_for_user(request.user, pk)
    return render(request, "core/export_jobs/_status.html", _context(job))


@login_required
@require_GET
def export_job_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The built file, never kept by a cache (it holds personal data)."""
    job = get_export_job_for_user(request.user, pk)
    if job.status != ExportJobStatus.DONE or not job.file.name:  # a task has no file
        raise Http404
    if not job.file.storage.exists(job.file.name):
        raise Http404
    with job.file.open("rb") as handle:
        content = handle.read()
    return file_response(
        content, job.filename, content_type=job.content_type, cache_control="private, no-store"
    )
