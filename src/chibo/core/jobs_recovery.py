"""Jobs that a killed consumer had taken run again, once.

Huey takes a task off the queue when a worker starts it: if the consumer dies then (killed,
out of memory, the machine restarted), the task is gone and its job would stay "running"
forever. Two mechanisms bring such jobs back:

- A heartbeat: while a registered job task runs, a thread of its worker writes the time every
  HEARTBEAT share of `CHIBO_JOBS_STALE_SECONDS` into Huey's own key-value storage (the same
  SQLite file or Redis as the queue, so it works in both modes and across hosts). It is set
  before the job claims its row and removed when the task ends, however it ends.
- A sweep (`recover_jobs`): a job row left `running` whose heartbeat is missing or older than
  the stale limit — nobody is running it — is put back to `queued` by a conditional update
  (two sweeps at once: one wins), the files its dead run left in the job's own folder are
  deleted, an audit entry is written ("<kind>.requeued") and its task is queued again; a row
  still `queued` whose heartbeat went stale was taken by a worker that died before claiming
  it, and is queued again the same way. Apps without a job row register a plain function
  (`register_sweep`) that queues again whatever is left undone (meetings' signed files,
  notification deliveries). The sweep runs when a consumer starts, again once the stale limit
  has passed (a consumer restarted right after a crash sees its predecessor's heartbeats still
  fresh), and every five minutes (a consumer that died on another host).

The jobs themselves are idempotent: a job claims its row and starts from scratch, a finished
job does nothing, and the sweeps queue only what is not done.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import close_old_connections, models
from django.utils.translation import gettext as _
from django.utils.translation import override
from huey import crontab
from huey import signals as huey_signals
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from chibo.core import audit
from chibo.core.exports.jobs import build_export
from chibo.core.models import ExportJob

logger = logging.getLogger(__name__)

# The heartbeat is written this many times within the stale limit.
BEATS_PER_LIMIT = 5
ENDED = (
    huey_signals.SIGNAL_COMPLETE,
    huey_signals.SIGNAL_ERROR,
    huey_signals.SIGNAL_CANCELED,
    huey_signals.SIGNAL_INTERRUPTED,
    huey_signals.SIGNAL_REVOKED,
    huey_signals.SIGNAL_EXPIRED,
    huey_signals.SIGNAL_LOCKED,
    huey_signals.SIGNAL_TIMEOUT,
)


def stale_seconds() -> float:
    return float(getattr(settings, "CHIBO_JOBS_STALE_SECONDS", 60))


@dataclass(frozen=True)
class JobKind:
    """A job with a row whose status says queued / running / done / failed."""

    kind: str  # the audit code's prefix and the heartbeat key's: "export", "report"
    task: Any  # the Huey task (its first argument is the row's id)
    model: type[models.Model]
    folder: Callable[[Any], str] | None  # the storage folder holding only this job's files
    file_fields: tuple[str, ...]
    running: str = "running"
    queued: str = "queued"


_kinds: dict[str, JobKind] = {}
_sweeps: dict[str, Callable[[], int]] = {}
_sweep_tasks: dict[str, Any] = {}
_beating: dict[str, threading.Event] = {}


def register_job(
    kind: str,
    *,
    task: Any,
    model: type[models.Model],
    folder: Callable[[Any], str] | None = None,
    file_fields: tuple[str, ...] = (),
) -> None:
    """Recover the jobs of `model` run by `task(job_id)`; registering again replaces."""
    _kinds[kind] = JobKind(kind, task, model, folder, file_fields)


def register_sweep(name: str, sweep: Callable[[], int], *, task: Any = None) -> None:
    """Call `sweep()` with each recovery; it queues again what is left undone and returns how
    many tasks it queued. With `task`, the sweep waits while a run of that task is alive (its
    heartbeat is fresh): what looks undone is being done."""
    _sweeps[name] = sweep
    if task is not None:
        _sweep_tasks[name] = task


# -- the heartbeat ----------------------------------------------------------------------------


def _key(kind: str, job_id: Any) -> str:
    return f"chibo.heartbeat.{kind}.{job_id}"


def _key_of(task: Any) -> str | None:
    """The heartbeat key of a running task: its job's, or its sweep's."""
    for spec in _kinds.values():
        if isinstance(task, spec.task.task_class):
            return _key(spec.kind, task.args[0] if task.args else task.kwargs.get("job_id"))
    for name, sweep_task in _sweep_tasks.items():
        if isinstance(task, sweep_task.task_class):
            return _key(name, "any")
    return None


def _beat(key: str, stop: threading.Event, every: float) -> None:
    while True:
        try:
            HUEY.put(key, time.time())
        except Exception:  # a storage hiccup must not kill the job
            logger.warning("heartbeat %s not written", key)
        if stop.wait(every):
            return


@HUEY.signal(huey_signals.SIGNAL_EXECUTING)
def _beat_start(signal: str, task: Any, *args: Any) -> None:
    key = _key_of(task)
    if key is None:
        return
    HUEY.put(key, time.time())  # before the job claims its row
    stop = threading.Event()
    _beating[key] = stop
    every = stale_seconds() / BEATS_PER_LIMIT
    threading.Thread(target=_beat, args=(key, stop, every), daemon=True).start()


@HUEY.signal(*ENDED)
def _beat_stop(signal: str, task: Any, *args: Any) -> None:
    key = _key_of(task)
    if key is None:
        return
    stop = _beating.pop(key, None)
    if stop is not None:
        stop.set()
    HUEY.delete(key)


def last_beat(kind: str, job_id: Any) -> float | None:
    value = HUEY.get(_key(kind, job_id), peek=True)
    return float(value) if value is not None else None


# -- the sweep --------------------------------------------------------------------------------


def _is_stale(spec: JobKind, job: Any, now: float) -> bool:
    beat = last_beat(spec.kind, job.pk)
    limit = stale_seconds()
    if job.status == spec.running:
        return beat is None or now - beat > limit
    # Queued without a heartbeat: still waiting in the queue.
    return beat is not None and now - beat > limit


def _clear_leftovers(spec: JobKind, job: Any) -> list[str]:
    """Delete the files a dead run wrote in the job's own folder that the row does not name."""
    if spec.folder is None:
        return []
    folder = spec.folder(job)
    kept = {getattr(job, name).name for name in spec.file_fields if getattr(job, name).name}
    try:
        _dirs, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    removed = []
    for name in names:
        path = f"{folder.rstrip('/')}/{name}"
        if path not in kept:
            default_storage.delete(path)
            removed.append(name)
    return removed


def _requeue(spec: JobKind, job: Any) -> bool:
    claimed = spec.model._default_manager.filter(pk=job.pk, status=job.status).update(
        status=spec.queued, progress=0, step=_("Waiting in the queue")
    )
    if not claimed:
        return False  # it finished, or another sweep took it
    HUEY.delete(_key(spec.kind, job.pk))
    job.refresh_from_db()
    removed = _clear_leftovers(spec, job)
    audit.record(
        actor=None,
        code=f"{spec.kind}.requeued",
        target=job,
        organization=getattr(job, "organization", None),
        changes={"was": "taken by a job consumer that stopped", "files_removed": len(removed)},
    )
    spec.task(job.pk)
    return True


def recover_stale_jobs(*, now: float | None = None) -> dict[str, int]:
    """Queue again every registered job nobody is running any more and run every sweep;
    returns how many tasks each kind queued."""
    now = time.time() if now is None else now
    counts: dict[str, int] = {}
    with override(settings.LANGUAGE_CODE):
        for spec in _kinds.values():
            waiting = spec.model._default_manager.filter(status__in=(spec.running, spec.queued))
            counts[spec.kind] = sum(
                _requeue(spec, job) for job in waiting if _is_stale(spec, job, now)
            )
        for name, sweep in _sweeps.items():
            beat = last_beat(name, "any")
            alive = beat is not None and now - beat <= stale_seconds()
            counts[name] = 0 if alive else sweep()
    if any(counts.values()):
        logger.warning("jobs left undone queued again: %s", counts)
    return counts


@db_task()
def recover_jobs() -> dict[str, int]:
    return recover_stale_jobs()


@db_periodic_task(crontab(minute="*/5"))
def recover_jobs_periodically() -> dict[str, int]:
    return recover_stale_jobs()


@HUEY.on_startup()
def recover_jobs_on_startup() -> None:
    """At a consumer's start (each worker runs its startup hooks; the conditional update lets
    one of them queue a job): now, and once the heartbeats a dead consumer left are stale."""
    try:
        recover_stale_jobs()
        recover_jobs.schedule(delay=stale_seconds() + 1)
    except Exception:
        logger.exception("recovering jobs at start-up failed")
    finally:
        close_old_connections()


register_job(
    "export",
    task=build_export,
    model=ExportJob,
    folder=lambda job: f"exports/{job.requested_by_id}/{job.pk}/",
    file_fields=("file",),
)
