"""Large member lists are checked and imported in background jobs (issue 14): core.exports.jobs'
tasks, the same jobs, pages and progress bar as the big exports.

A list estimated above settings.CHIBO_IMPORT_JOB_ROWS rows (`estimate_rows`, from the file's
size alone) is not read in the request: the upload view stores it with the job
(`import_check_request`) and sends the keeper to the job's page. The first job reads and
checks the file (the preview, nothing written) and reports the counts and the problems by row
and column; its page offers the same Confirm form as the direct preview. Confirming queues the
second job (`import_write_request`) on the same stored file: it reads and checks the file
again (the register may have changed), then imports it all or nothing or the valid rows only,
in one transaction, and reports the members created or the refusal with the problems.

Both jobs re-check, when they run, that the requester still keeps the register of the
organization (members.access.get_register_for_user); the rows' cells are resolved inside that
organization only (reading._resolve_cells), so nothing is written outside it. The job's
reading time is capped by settings.CHIBO_IMPORT_JOB_SECONDS instead of the request's."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.core.errors import ServiceError
from chibo.core.exports import jobs
from chibo.core.flow import error_text
from chibo.core.models import ExportJob, ExportJobStatus
from chibo.core.uploads import Deadline, ParseLimits
from chibo.members.access import get_register_for_user
from chibo.members.forms_io import MemberImportConfirmForm
from chibo.members.imports.reading import parse_member_file
from chibo.members.imports.results import ImportMode, ImportResult, RowProblem
from chibo.members.imports.writing import import_members
from chibo.orgs.models import Organization

IMPORT_KIND = "members.import"
# The report lists this many problems (like the direct preview); the rest are counted.
REPORT_PROBLEM_LIMIT = 1000


def _problem(problem: RowProblem) -> dict[str, Any]:
    return {"row": problem.row, "column": problem.column, "message": problem.message}


def _report(result: ImportResult) -> dict[str, Any]:
    """What the preview page shows, as JSON: no member's values besides the problem texts."""
    return {
        "row_count": result.row_count,
        "valid_count": result.valid_count,
        "invalid_count": result.invalid_count,
        "header_row": result.header_row,
        "sheet_title": result.sheet_title,
        "ignored_columns": result.ignored_columns,
        "problems": [_problem(p) for p in result.problems[:REPORT_PROBLEM_LIMIT]],
        "problems_hidden": max(len(result.problems) - REPORT_PROBLEM_LIMIT, 0),
        "duplicates": [_problem(p) for p in result.duplicates[:REPORT_PROBLEM_LIMIT]],
    }


def import_check_request(
    *, actor: Any, organization: Organization, upload: Any, mode: str, estimated_rows: int
) -> ExportJob:
    """Queue the check (preview) of a large list; the caller has checked the scope."""
    return jobs.task_request(
        actor=actor,
        kind=IMPORT_KIND,
        organization=organization,
        params={
            "write": False,
            "mode": str(mode),
            "csv": upload.name.lower().endswith(".csv"),
            "estimated_rows": estimated_rows,
        },
        upload=upload,
    )


def write_job_of(check: ExportJob) -> ExportJob | None:
    """The import queued from this check that is still to run or has imported: confirming
    twice gives the same job, not a second import."""
    candidates = ExportJob.objects.filter(
        kind=IMPORT_KIND, requested_by_id=check.requested_by_id, params__check_job=check.pk
    ).order_by("-pk")
    for job in candidates:
        if job.status in (ExportJobStatus.QUEUED, ExportJobStatus.RUNNING):
            return job
        if job.status == ExportJobStatus.DONE and job.result.get("created"):
            return job
    return None


def import_write_request(*, actor: Any, check: ExportJob, mode: str) -> ExportJob:
    """Queue the import of a checked list (its check job done, with valid rows)."""
    if mode not in ImportMode.values:
        raise ServiceError(_("Choose what to do with the rows that have errors."))
    if check.kind != IMPORT_KIND or check.params.get("write"):
        raise ValueError("not the check of an import")
    existing = write_job_of(check)
    if existing is not None:
        return existing
    if not check.upload.name:
        raise ServiceError(_("The uploaded file is no longer available. Upload it again."))
    if check.status != ExportJobStatus.DONE or not check.result.get("valid_count"):
        raise ServiceError(_("No row of the file is valid; nothing was imported."))
    return jobs.task_request(
        actor=actor,
        kind=IMPORT_KIND,
        organization=check.organization,
        params={**check.params, "write": True, "mode": str(mode), "check_job": check.pk},
        upload_name=check.upload.name,
    )


def run_import(job: ExportJob, progress: jobs.Progress) -> dict[str, Any]:
    """The job: scope re-checked, the file read and checked, and written if asked."""
    try:
        if job.organization_id is None:
            raise Http404
        organization = get_register_for_user(job.requested_by, job.organization_id, manage=True)
    except (Http404, PermissionDenied):
        raise ServiceError(
            _("You no longer keep the register of this organization; nothing was imported.")
        ) from None
    if not job.upload.name or not job.upload.storage.exists(job.upload.name):
        raise ServiceError(_("The uploaded file is no longer available. Upload it again."))
    limits = ParseLimits.from_settings(in_job=True)
    estimated = max(int(job.params.get("estimated_rows") or 0), 1)
    share = 60 if job.params.get("write") else 90

    def rows_read(count: int) -> None:
        progress(
            min(share * count // estimated, share),
            _("Rows read: %(count)s") % {"count": f"{count:,}".replace(",", ".")},
        )

    filename = "list.csv" if job.params.get("csv") else "list.xlsx"
    with job.upload.open("rb") as file:
        result = parse_member_file(
            file,
            organization=organization,
            filename=filename,
            limits=limits,
            deadline=Deadline(limits.max_seconds),
            on_rows=rows_read,
        )
    report = _report(result)
    if not job.params.get("write"):
        return report
    progress(share, _("Writing the members"))
    try:
        outcome = import_members(
            actor=job.requested_by,
            organization=organization,
            result=result,
            mode=job.params.get("mode", ImportMode.ALL_OR_NOTHING),
        )
    except ServiceError as error:
        # Refused (all or nothing with bad rows, or the register changed): nothing written;
        # the file stays so the keeper may choose to import only the valid rows.
        return report | {"refusal": error_text(error)}
    job.upload.delete(save=False)
    ExportJob.objects.filter(pk=job.pk).update(upload="")
    ExportJob.objects.filter(pk=job.params.get("check_job")).update(upload="")
    return report | {"created": outcome.created, "skipped": outcome.skipped}


def result_context(job: ExportJob) -> dict[str, Any]:
    """The job page's context for members/_import_job_result.html."""
    report = job.result
    check = job
    if job.params.get("write"):
        check = ExportJob.objects.filter(pk=job.params.get("check_job")).first() or job
    can_confirm = (
        bool(report.get("valid_count"))
        and not report.get("created")
        and bool(check.upload.name)
        and check.status == ExportJobStatus.DONE
    )
    return {
        "result": report,
        "problems": report.get("problems", []),
        "problems_hidden": report.get("problems_hidden", 0),
        "duplicates": report.get("duplicates", []),
        "organization": job.organization,
        "confirm_url": (
            reverse("members:import_job_confirm", args=[check.pk]) if can_confirm else ""
        ),
        "confirm_form": MemberImportConfirmForm(
            initial={"mode": job.params.get("mode", ImportMode.ALL_OR_NOTHING)},
            auto_id="confirm_%s",
        ),
        "written": job.params.get("write", False),
    }


def register() -> None:
    jobs.register_task(
        IMPORT_KIND,
        run_import,
        template="members/_import_job_result.html",
        context=result_context,
    )
