"""Report jobs (Huey): generate a report upward's three files step by step.

`generate_report` is queued by services_upward.report_request when its transaction commits; it
calls `run_report`, which tests call directly. Each step writes the job's `progress` and `step`
in its own short statement (autocommit), so the job page shows them while the job runs. On
failure the job is marked failed with a Vietnamese message and no file is kept; running a job
twice does nothing once it is done, and a failed job starts again from scratch.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from huey.contrib.djhuey import db_task

from chibo.core import jobs_recovery
from chibo.core.exports import docx as docx_export
from chibo.core.exports import pdf as pdf_export
from chibo.orgs.models import Organization
from chibo.reports import rollups
from chibo.reports.models import ReportJob, ReportJobStatus
from chibo.reports.national.rebuild_sql import rebuild_sql
from chibo.reports.selectors_upward import report_data
from chibo.reports.upward.document import report_document
from chibo.reports.upward.workbook import report_xlsx

logger = logging.getLogger(__name__)
FORMATS = ("xlsx", "docx", "pdf")


def _progress(job_id: int, progress: int, step: str) -> None:
    ReportJob.objects.filter(pk=job_id).update(progress=progress, step=step)


def stored_name(job: ReportJob, fmt: str) -> str:
    """The file's name in storage (ASCII): bao-cao-<kind>-<yyyy-mm>-<org code>.<fmt>."""
    return f"bao-cao-{job.kind}-{job.period_start:%Y-%m}-{job.organization.code}.{fmt}"


def _delete_files(job: ReportJob) -> None:
    for fmt in FORMATS:
        field: FieldFile = getattr(job, fmt)
        if field.name:
            default_storage.delete(field.name)


def run_report(job_id: int) -> ReportJob | None:
    """Generate the job's files unless it is done already; returns the job (None if gone)."""
    claimed = (
        ReportJob.objects.filter(pk=job_id)
        .exclude(status=ReportJobStatus.DONE)
        .update(status=ReportJobStatus.RUNNING, progress=0, step=_("Starting"), error="")
    )
    job = ReportJob.objects.select_related("organization").filter(pk=job_id).first()
    if job is None or not claimed:
        return job
    _delete_files(job)  # what a failed run may have left
    written: list[str] = []
    try:
        today = timezone.localdate()
        with override("vi"):
            _progress(job_id, 10, _("Reading the figures of the cells"))
            data = report_data(job, today=today)
            _progress(job_id, 35, _("Writing the spreadsheet (XLSX)"))
            files = {"xlsx": report_xlsx(data)}
            _progress(job_id, 55, _("Writing the document (DOCX)"))
            document = report_document(data)
            files["docx"] = docx_export.docx(document)
            _progress(job_id, 75, _("Writing the PDF"))
            files["pdf"] = pdf_export.pdf([document])
        _progress(job_id, 90, _("Saving the files"))
        for fmt, content in files.items():
            field: FieldFile = getattr(job, fmt)
            field.save(stored_name(job, fmt), ContentFile(content), save=False)
            written.append(field.name or "")
    except Exception:
        logger.exception("report job %s failed", job_id)
        for name in written:
            default_storage.delete(name)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJobStatus.FAILED,
            step="",
            error=_(
                "The report could not be generated. Request it again; if it fails again, "
                "tell the administrator."
            ),
            docx="",
            pdf="",
            xlsx="",
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportJobStatus.DONE,
        progress=100,
        step=_("Ready"),
        docx=job.docx.name,
        pdf=job.pdf.name,
        xlsx=job.xlsx.name,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


@db_task()
def generate_report(job_id: int) -> None:
    run_report(job_id)


@db_task()
def rebuild_rollups(organization_id: int | None = None) -> None:
    """Recount the rollups from the raw rows in the background (`rebuild_rollups
    --background`): after a change of the central rules, or to repair. The whole tree on
    PostgreSQL goes through the set-based SQL rebuild; a subtree, or SQLite, through
    `rollups.rebuild`. An organization deleted meanwhile: nothing to do."""
    if organization_id is None:
        stats = rebuild_sql()
        logger.info("rollups rebuilt: %s cell-months in %.1f s", stats.cell_months, stats.seconds)
        return
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return
    result = rollups.rebuild(organization)
    logger.info("rollups rebuilt: %s cell-months in %.1f s", result.cell_months, result.seconds)


# A report a killed consumer had taken is generated again (core.jobs_recovery); the files its
# dead run left in the job's folder are deleted first, so the new run's names are the usual ones.
jobs_recovery.register_job(
    "report",
    task=generate_report,
    model=ReportJob,
    folder=lambda job: f"reports/{job.organization_id}/{job.pk}/",
    file_fields=FORMATS,
)
