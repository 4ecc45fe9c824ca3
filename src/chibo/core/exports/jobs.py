"""Exports that may take over two seconds run as jobs (Huey) with a progress bar.

An app registers a builder for each kind in its AppConfig.ready():
`register("members.list_xlsx", builder)`, where `builder(job, progress)` returns
`(content, filename, content_type)` and may call `progress(percent, step)` as it goes. The
requesting view checks the scope first, then calls `export_request`, which records the job and
queues `build_export` once its transaction commits; the user lands on the job's page
(core.views_exports), which polls the status every second and offers the download when done.

`run_export` claims the job, runs the builder and saves the file only once the builder has
returned all of it: a failure leaves the job failed with a Vietnamese message and no file.
Running a job again does nothing once it is done; a failed job starts again from scratch.

The files hold personal data: `purge_old_exports` deletes each file `KEEP_DAYS` after it was
made (the job stays, its page says the file was deleted and to request it again).

Tasks (issue 14: a large import) use the same jobs, pages and progress bar without a new
model: `register_task(kind, runner, template=…, context=…)`, where `runner(job, progress)`
reads `job.upload` (the user's file, stored by `task_request`) and returns a small JSON
report kept in `job.result`; the job's page shows it through the app's `template`. A
ServiceError from the runner fails the job with the runner's own sentence (e.g. a limit of
core.uploads.ParseLimits); the runner re-checks the requester's scope itself. Uploads left
behind are deleted `UPLOAD_KEEP_HOURS` after the request.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.models import ExportJob, ExportJobStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
Builder = Callable[[ExportJob, Progress], tuple[bytes, str, str]]
Runner = Callable[[ExportJob, Progress], dict[str, Any]]
ResultContext = Callable[[ExportJob], dict[str, Any]]
_builders: dict[str, Builder] = {}


@dataclass(frozen=True)
class _Task:
    runner: Runner
    template: str
    context: ResultContext | None


_tasks: dict[str, _Task] = {}
# A file made for one download is not an archive: a week covers "download it tomorrow".
KEEP_DAYS = 7
# An uploaded file waiting for its task (or for the user to confirm it): a day, like the
# import's own pending uploads.
UPLOAD_KEEP_HOURS = 24


def register(kind: str, builder: Builder) -> None:
    """Make `kind` buildable; registering the same kind again replaces its builder."""
    _builders[kind] = builder


def register_task(
    kind: str, runner: Runner, *, template: str, context: ResultContext | None = None
) -> None:
    """Make `kind` a task: `runner(job, progress)` returns the report kept in `job.result`,
    shown on the job's page by `template` (with `context(job)` added to its context)."""
    _tasks[kind] = _Task(runner=runner, template=template, context=context)


def task_result_context(job: ExportJob) -> dict[str, Any]:
    """What the job's page needs to show a task's report: its template and context."""
    task = _tasks.get(job.kind)
    if task is None:
        return {}
    extra = task.context(job) if task.context is not None and job.status == "done" else {}
    return {"result_template": task.template, **extra}


def task_request(
    *,
    actor: Any,
    kind: str,
    params: dict[str, Any],
    organization: Any = None,
    upload: Any = None,
    upload_name: str = "",
) -> ExportJob:
    """Record a task of `kind` for `actor` and queue it. `upload` (a file the user sent) is
    stored privately for the runner; `upload_name` reuses a file already stored (a second
    step of the same task). The caller has checked the actor's scope; the runner checks it
    again when it runs."""
    if kind not in _tasks:
        raise ValueError(f"unknown task kind {kind!r}")
    with transaction.atomic():
        job = ExportJob(
            requested_by=actor,
            organization=organization,
            kind=kind,
            params=params,
            step=_("Waiting in the queue"),
        )
        if upload is not None:
            job.upload.save(upload.name, upload, save=False)
        elif upload_name:
            job.upload.name = upload_name
        job.save()
        audit.record(
            actor=actor,
            code="task.requested",
            target=job,
            organization=organization,
            changes={"kind": kind, "params": params},
        )
        transaction.on_commit(lambda: build_export(job.pk))
    return job


def export_request(
    *, actor: Any, kind: str, params: dict[str, Any], organization: Any = None
) -> ExportJob:
    """Record an export of `kind` for `actor` and queue it. The caller has checked that the
    actor may read what the export holds (the organization's scope)."""
    if kind not in _builders:
        raise ValueError(f"unknown export kind {kind!r}")
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=actor,
            organization=organization,
            kind=kind,
            params=params,
            step=_("Waiting in the queue"),
        )
        audit.record(
            actor=actor,
            code="export.requested",
            target=job,
            organization=organization,
            changes={"kind": kind, "params": params},
        )
        transaction.on_commit(lambda: build_export(job.pk))
    return job


def _progress(job_id: int, percent: int, step: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(progress=max(0, min(percent, 99)), step=step)


def _fail(job: ExportJob, message: str = "") -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJobStatus.FAILED,
        step="",
        error=message
        or _(
            "The file could not be made. Request it again; if it fails again, "
            "tell the administrator."
        ),
        file="",
        finished_at=timezone.now(),
    )


def _run_task(job: ExportJob, task: _Task) -> None:
    job_id = job.pk
    try:
        with override("vi"):
            report = task.runner(job, lambda p, s: _progress(job_id, p, s))
            ready = _("Ready")
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJobStatus.DONE,
            progress=100,
            step=ready,
            result=report,
            finished_at=timezone.now(),
        )
    except ServiceError as error:
        # A refusal the runner explains (a limit, a scope lost): its sentence, as it is.
        with override("vi"):
            _fail(job, " ".join(str(message) for message in error.messages))
    except Exception:
        logger.exception("task %s (%s) failed", job_id, job.kind)
        with override("vi"):
            _fail(
                job,
                _(
                    "The job could not be finished; nothing was changed. Try again; if it "
                    "fails again, tell the administrator."
                ),
            )


def run_export(job_id: int) -> ExportJob | None:
    """Build the job's file unless it is done already; returns the job (None if gone)."""
    claimed = (
        ExportJob.objects.filter(pk=job_id)
        .exclude(status=ExportJobStatus.DONE)
        .update(status=ExportJobStatus.RUNNING, progress=0, step=_("Starting"), error="")
    )
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None or not claimed:
        return job
    task = _tasks.get(job.kind)
    if task is not None:
        _run_task(job, task)
        job.refresh_from_db()
        return job
    if job.file.name:  # what an earlier run may have left
        job.file.delete(save=False)
    saved = ""
    try:
        with override("vi"):
            builder = _builders[job.kind]
            content, filename, content_type = builder(job, lambda p, s: _progress(job_id, p, s))
            _progress(job_id, 95, _("Saving the file"))
        job.file.save(filename, ContentFile(content), save=False)
        saved = job.file.name or ""
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJobStatus.DONE,
            progress=100,
            step=_("Ready"),
            file=saved,
            filename=filename,
            content_type=content_type,
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("export job %s (%s) failed", job_id, job.kind)
        if saved:
            job.file.storage.delete(saved)
        with override("vi"):
            _fail(job)
    job.refresh_from_db()
    return job


@db_task()
def build_export(job_id: int) -> None:
    run_export(job_id)


def purge_old_exports(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports finished more than KEEP_DAYS ago, and the uploads of
    tasks requested more than UPLOAD_KEEP_HOURS ago; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    purged = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        purged += 1
    upload_cutoff = (now or timezone.now()) - datetime.timedelta(hours=UPLOAD_KEEP_HOURS)
    for job in ExportJob.objects.filter(requested_at__lt=upload_cutoff).exclude(upload=""):
        job.upload.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(upload="")
        purged += 1
    return purged


@db_periodic_task(crontab(hour="19", minute="50"))  # 02:50 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def purge_old_exports_daily() -> None:
    purge_old_exports()
