"""The recovery sweep (core.jobs_recovery), in the test process: which jobs it queues again,
what it clears first, and the sweeps of the jobs without a row. The consumer really killed is
test_consumer_killed.py."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from chibo.core import jobs_recovery
from chibo.core.exports import jobs
from chibo.core.models import AuditEntry, ExportJob, ExportJobStatus
from chibo.notify.jobs import deliver_left
from chibo.notify.models import Notification
from chibo.reports.jobs import stored_name
from chibo.reports.models import ReportJob, ReportJobStatus

pytestmark = pytest.mark.django_db
KIND = "tests.recovered"
RUNS: list[int] = []


def build_counted(job, progress):
    RUNS.append(job.pk)
    return f"Danh sách {job.pk}".encode(), "danh-sach.txt", "text/plain; charset=utf-8"


@pytest.fixture(autouse=True)
def _builder_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CHIBO_JOBS_STALE_SECONDS = 60
    jobs.register(KIND, build_counted)
    RUNS.clear()
    yield
    HUEY.storage.flush_all()


def _job(world, status):
    return ExportJob.objects.create(
        requested_by=world.an_user, organization=world.khoi1, kind=KIND, status=status
    )


def test_a_running_job_without_a_heartbeat_runs_again_from_a_clean_folder(world):
    job = _job(world, ExportJobStatus.RUNNING)
    # What the dead run had written before it could record it.
    leftover = default_storage.save(
        f"exports/{world.an_user.pk}/{job.pk}/danh-sach.txt", ContentFile(b"half")
    )

    counts = jobs_recovery.recover_stale_jobs()

    job.refresh_from_db()
    assert counts["export"] == 1
    assert [job.pk] == RUNS
    assert (job.status, job.progress) == (ExportJobStatus.DONE, 100)
    # The new file took the usual name: the leftover was deleted, not kept beside it.
    assert job.file.name == leftover
    assert default_storage.listdir(f"exports/{world.an_user.pk}/{job.pk}/")[1] == ["danh-sach.txt"]
    assert job.file.read() == f"Danh sách {job.pk}".encode()
    entry = AuditEntry.objects.get(code="export.requeued")
    assert entry.changes["files_removed"] == 1
    # Swept again: nothing more to do.
    assert jobs_recovery.recover_stale_jobs()["export"] == 0
    assert [job.pk] == RUNS


def test_a_job_whose_heartbeat_is_fresh_or_still_queued_is_left_alone(world):
    running = _job(world, ExportJobStatus.RUNNING)
    HUEY.put(jobs_recovery._key("export", running.pk), time.time() - 30)  # 30 s < 60 s
    queued = _job(world, ExportJobStatus.QUEUED)  # in the queue: no heartbeat yet
    done = _job(world, ExportJobStatus.DONE)

    assert jobs_recovery.recover_stale_jobs()["export"] == 0
    assert RUNS == []
    statuses = dict(ExportJob.objects.values_list("pk", "status"))
    assert statuses == {
        running.pk: ExportJobStatus.RUNNING,
        queued.pk: ExportJobStatus.QUEUED,
        done.pk: ExportJobStatus.DONE,
    }


def test_a_queued_job_taken_by_a_worker_that_died_before_claiming_it_runs_again(world):
    job = _job(world, ExportJobStatus.QUEUED)
    HUEY.put(jobs_recovery._key("export", job.pk), time.time() - 61)

    assert jobs_recovery.recover_stale_jobs()["export"] == 1
    assert [job.pk] == RUNS


def test_a_report_left_running_is_generated_again_with_its_usual_file_names(world):
    job = ReportJob.objects.create(
        organization=world.ward,
        kind="monthly",
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        requested_by=world.cuc_user,
        status=ReportJobStatus.RUNNING,
    )
    folder = f"reports/{world.ward.pk}/{job.pk}/"
    default_storage.save(folder + stored_name(job, "pdf"), ContentFile(b"half a pdf"))

    assert jobs_recovery.recover_stale_jobs()["report"] == 1

    job.refresh_from_db()
    assert job.status == ReportJobStatus.DONE
    names = sorted(default_storage.listdir(folder)[1])
    assert names == sorted(stored_name(job, fmt) for fmt in ("docx", "pdf", "xlsx"))
    assert job.pdf.read()[:4] == b"%PDF"


def test_notifications_left_undelivered_are_delivered_once_and_old_ones_left(world):
    now = timezone.now()
    recent = Notification.objects.create(
        recipient=world.binh_user, code="minutes.signed", title="Biên bản đã ký"
    )
    old = Notification.objects.create(
        recipient=world.dung_user, code="minutes.signed", title="Biên bản cũ"
    )
    Notification.objects.filter(pk=recent.pk).update(created_at=now - datetime.timedelta(minutes=5))
    Notification.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=2))

    assert deliver_left(now=now) == 1
    recent.refresh_from_db()
    old.refresh_from_db()
    assert recent.delivered_at is not None
    assert old.delivered_at is None
    assert deliver_left(now=now) == 0
