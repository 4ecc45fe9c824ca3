"""Background exports (core.exports.jobs): a registered builder runs as a job, its page shows the
progress and then offers the file; a failure leaves a Vietnamese message and no file; only the
requester sees the job and its file."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.core.exports import jobs
from chibo.core.models import AuditEntry, ExportJob, ExportJobStatus

pytestmark = pytest.mark.django_db

GREETING_KIND = "tests.greeting"
BROKEN_KIND = "tests.broken"


def build_greeting(job, progress):
    progress(50, "Writing")
    text = f"Xin chào {job.params['name']}".encode()
    return text, "loi-chao.txt", "text/plain; charset=utf-8"


def build_broken(job, progress):
    progress(40, "Half way")
    raise RuntimeError("the builder broke")


@pytest.fixture(autouse=True)
def _builders_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    jobs.register(GREETING_KIND, build_greeting)
    jobs.register(BROKEN_KIND, build_broken)


def request_export(world, django_capture_on_commit_callbacks, kind=GREETING_KIND):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.export_request(
            actor=world.an_user, kind=kind, params={"name": "An"}, organization=world.khoi1
        )
    job.refresh_from_db()
    return job


def test_a_requested_export_is_built_and_downloaded_by_its_requester(
    world, client, django_capture_on_commit_callbacks
):
    job = request_export(world, django_capture_on_commit_callbacks)
    assert (job.status, job.progress, job.filename) == (ExportJobStatus.DONE, 100, "loi-chao.txt")
    assert AuditEntry.objects.filter(code="export.requested", target_id=str(job.pk)).exists()
    client.force_login(world.an_user)

    page = client.get(reverse("exports:job", args=[job.pk]))
    assert page.status_code == 200
    assert reverse("exports:job_file", args=[job.pk]) in page.content.decode()
    assert "hx-trigger" not in page.content.decode()  # done: the page stops polling
    download = client.get(reverse("exports:job_file", args=[job.pk]))
    assert download.status_code == 200
    assert download.content == "Xin chào An".encode()
    assert download["Cache-Control"] == "private, no-store"
    assert 'filename="loi-chao.txt"' in download["Content-Disposition"]


def test_a_queued_job_page_polls_its_progress_every_second(world, client):
    job = ExportJob.objects.create(
        requested_by=world.an_user, kind=GREETING_KIND, progress=30, step="Writing"
    )
    client.force_login(world.an_user)
    status = client.get(reverse("exports:job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in status
    assert "30%" in status and "Writing" in status
    # Not built yet: nothing to download.
    assert client.get(reverse("exports:job_file", args=[job.pk])).status_code == 404


def test_a_failing_builder_leaves_a_failed_job_a_vietnamese_message_and_no_file(
    world, client, django_capture_on_commit_callbacks, tmp_path
):
    job = request_export(world, django_capture_on_commit_callbacks, kind=BROKEN_KIND)
    assert job.status == ExportJobStatus.FAILED
    assert job.error.startswith("Không tạo được tệp")
    assert not job.file.name
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
    client.force_login(world.an_user)
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert job.error in page
    assert client.get(reverse("exports:job_file", args=[job.pk])).status_code == 404


def test_running_a_done_job_again_changes_nothing(
    world, django_capture_on_commit_callbacks, tmp_path
):
    job = request_export(world, django_capture_on_commit_callbacks)
    finished_at, name = job.finished_at, job.file.name
    again = jobs.run_export(job.pk)
    assert (again.status, again.finished_at, again.file.name) == (
        ExportJobStatus.DONE,
        finished_at,
        name,
    )
    assert len([path for path in tmp_path.rglob("*") if path.is_file()]) == 1


def test_a_failed_job_run_again_starts_from_scratch(world, django_capture_on_commit_callbacks):
    job = request_export(world, django_capture_on_commit_callbacks, kind=BROKEN_KIND)
    ExportJob.objects.filter(pk=job.pk).update(kind=GREETING_KIND)
    again = jobs.run_export(job.pk)
    assert (again.status, again.error, again.progress) == (ExportJobStatus.DONE, "", 100)


@pytest.mark.parametrize("name", ["exports:job", "exports:job_status", "exports:job_file"])
def test_another_user_gets_404_on_the_job_its_status_and_its_file(
    world, client, django_capture_on_commit_callbacks, name
):
    job = request_export(world, django_capture_on_commit_callbacks)
    # Cúc oversees the ward, Khối 1 included: still not her job.
    for user in (world.cuc_user, world.binh_user, world.admin_user):
        client.force_login(user)
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_the_job_pages_answer_get_only_and_ask_for_a_login(world, client):
    job = ExportJob.objects.create(requested_by=world.an_user, kind=GREETING_KIND)
    url = reverse("exports:job", args=[job.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(world.an_user)
    assert client.post(url).status_code == 405


def test_files_are_deleted_a_week_after_they_were_made(
    world, client, django_capture_on_commit_callbacks, tmp_path
):
    """They hold personal data: kept KEEP_DAYS (7) days for the download, then deleted; the
    job's page then says so instead of offering a missing file."""
    assert jobs.KEEP_DAYS == 7
    job = request_export(world, django_capture_on_commit_callbacks)
    path = tmp_path / job.file.name
    assert path.exists()
    assert jobs.purge_old_exports(now=timezone.now() + datetime.timedelta(days=6)) == 0
    assert path.exists()
    assert jobs.purge_old_exports(now=timezone.now() + datetime.timedelta(days=7, minutes=1)) == 1
    assert not path.exists()
    job.refresh_from_db()
    assert job.file.name == "" and job.status == ExportJobStatus.DONE
    client.force_login(world.an_user)
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "7 ngày" in page and "export-download" not in page
    assert client.get(reverse("exports:job_file", args=[job.pk])).status_code == 404
