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
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from chibo.core import audit
from chibo.core.models import ExportJob, ExportJobStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
Builder = Callable[[ExportJob, Progress], tuple[bytes, str, str]]
_builders: dict[str, Builder] = {}
# A file made for one download is not an archive: a week covers "download it tomorrow".
KEEP_DAYS = 7


def register(kind: str, builder: Builder) -> None:
    """Make `kind` buildable; registering the same kind again replaces its builder."""
    _builders[kind] = builder


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


def _fail(job: ExportJob) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJobStatus.FAILED,
        step="",
        error=_(
            "The file could not be made. Request it again; if it fails again, "
            "tell the administrator."
        ),
        file="",
        finished_at=timezone.now(),
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
    """Delete the files of exports finished more than KEEP_DAYS ago; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    purged = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        purged += 1
    return purged


@db_periodic_task(crontab(hour="19", minute="50"))  # 02:50 in Asia/Ho_Chi_Minh (Huey runs in UTC)
def purge_old_exports_daily() -> None:
    purge_old_exports()
