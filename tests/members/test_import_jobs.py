"""Large member lists are checked and imported in background jobs (members.imports.jobs on
core.exports.jobs): the upload lands on the job's page, which shows the same preview (counts,
problems by row and column) and Confirm form; confirming runs the import as a second job.
Only the requester sees the jobs; each job re-checks the requester's scope; nothing is written
on a refusal. Jobs run inline in tests (tests/conftest.py).

An (secretary of Khối 1) imports; Dũng (member of Khối 2) and Cúc (overseer of the ward, not a
register keeper) try to reach An's jobs."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from chibo.core.exports import jobs
from chibo.core.models import AuditEntry, ExportJob, ExportJobStatus
from chibo.members.imports.jobs import IMPORT_KIND, import_check_request
from chibo.members.models import Member
from tests.members.fixtures_xlsx import XLSX_CONTENT_TYPE, many_rows, member_list_file, member_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    # Any list of more than 10 estimated rows goes to a job.
    settings.CHIBO_IMPORT_JOB_ROWS = 10
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def upload(client, org, file, mode="all_or_nothing", **headers):
    file.seek(0)
    file.content_type = XLSX_CONTENT_TYPE
    return client.post(
        reverse("members:import", args=[org.pk]),
        {"file": file, "mode": mode},
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )


def imported_names(cell):
    return set(
        Member.objects.filter(cell=cell, full_name__startswith="Nguyễn Văn Thử").values_list(
            "full_name", flat=True
        )
    )


def check_job(client, world, callbacks, file, mode="all_or_nothing"):
    client.force_login(world.an_user)
    with callbacks(execute=True):
        response = upload(client, world.khoi1, file, mode=mode)
    assert response.status_code == 302
    job = ExportJob.objects.get(kind=IMPORT_KIND, params__write=False)
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    return job


def confirm(client, job, callbacks, mode="all_or_nothing"):
    with callbacks(execute=True):
        response = client.post(
            reverse("members:import_job_confirm", args=[job.pk]),
            {"mode": mode},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 302
    return response


def test_a_large_list_is_checked_in_a_job_then_imported_in_another(
    client, world, django_capture_on_commit_callbacks, tmp_path
):
    job = check_job(
        client, world, django_capture_on_commit_callbacks, member_list_file(many_rows(30))
    )
    job.refresh_from_db()

    assert job.status == ExportJobStatus.DONE
    assert (job.result["row_count"], job.result["valid_count"]) == (30, 30)
    assert imported_names(world.khoi1) == set()  # the check writes nothing
    page = client.get(reverse("exports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Check before importing" in page.content.decode()
    assert reverse("members:import_job_confirm", args=[job.pk]) in page.content.decode()

    response = confirm(client, job, django_capture_on_commit_callbacks)

    write = ExportJob.objects.get(kind=IMPORT_KIND, params__write=True)
    assert response["Location"] == reverse("exports:job", args=[write.pk])
    write.refresh_from_db()
    assert write.status == ExportJobStatus.DONE
    assert write.result["created"] == 30
    assert len(imported_names(world.khoi1)) == 30
    assert AuditEntry.objects.filter(code="members.imported").count() == 1
    done = client.get(reverse("exports:job", args=[write.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "30 members were imported." in done.content.decode()
    # The stored file is gone once imported, and confirming again imports nothing more.
    assert not any(path.is_file() for path in (tmp_path / "import-jobs").rglob("*"))
    again = confirm(client, job, django_capture_on_commit_callbacks)
    assert again["Location"] == reverse("exports:job", args=[write.pk])
    assert len(imported_names(world.khoi1)) == 30


def test_a_refused_import_job_writes_nothing_and_lists_every_problem(
    client, world, django_capture_on_commit_callbacks
):
    rows = many_rows(20)
    rows[4] = member_row("Nguyễn Văn Thử Sai", **{"Ngày sinh": "31/02/1980"})  # row 8
    rows[9] = member_row("Nguyễn Văn Thử Lạ", **{"Giới tính": "X"})  # row 13
    job = check_job(client, world, django_capture_on_commit_callbacks, member_list_file(rows))
    job.refresh_from_db()
    assert {(p["row"], p["column"]) for p in job.result["problems"]} == {
        (8, "Ngày sinh"),
        (13, "Giới tính"),
    }

    confirm(client, job, django_capture_on_commit_callbacks, mode="all_or_nothing")

    write = ExportJob.objects.get(kind=IMPORT_KIND, params__write=True)
    # Jobs run in Vietnamese: "Nothing was imported: 2 rows have errors."
    assert "Chưa nhập dữ liệu nào: có 2 dòng bị lỗi" in write.result["refusal"]
    assert imported_names(world.khoi1) == set()
    page = client.get(reverse("exports:job", args=[write.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Chưa nhập dữ liệu nào" in page.content.decode()
    assert "import-problems" in page.content.decode()  # the same problem table as the preview

    # The keeper then chooses to import the valid rows: 18 of 20.
    confirm(client, job, django_capture_on_commit_callbacks, mode="valid_rows_only")
    second = ExportJob.objects.filter(kind=IMPORT_KIND, params__write=True).latest("pk")
    assert (second.result["created"], second.result["skipped"]) == (18, 2)
    assert len(imported_names(world.khoi1)) == 18


def test_a_limit_hit_inside_the_job_fails_it_with_the_limits_sentence(
    client, world, django_capture_on_commit_callbacks, settings
):
    settings.CHIBO_IMPORT_MAX_ROWS = 5
    job = check_job(
        client, world, django_capture_on_commit_callbacks, member_list_file(many_rows(30))
    )
    job.refresh_from_db()

    assert job.status == ExportJobStatus.FAILED
    # Jobs run in Vietnamese: "more than 5 rows below the header".
    assert "hơn 5 dòng dưới dòng tiêu đề" in job.error
    assert imported_names(world.khoi1) == set()


def test_the_job_rechecks_the_requesters_scope_and_writes_nothing_outside_it(
    world, django_capture_on_commit_callbacks
):
    # A job recorded for Dũng (a plain member of Khối 2) on Khối 1's register: it must not run.
    file = member_list_file(many_rows(30))
    file.name = "danh-sach.xlsx"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload_file = SimpleUploadedFile("danh-sach.xlsx", file.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        job = import_check_request(
            actor=world.dung_user,
            organization=world.khoi1,
            upload=upload_file,
            mode="all_or_nothing",
            estimated_rows=30,
        )
    job.refresh_from_db()
    assert job.status == ExportJobStatus.FAILED
    assert job.result == {}

    with django_capture_on_commit_callbacks(execute=True):
        write = jobs.task_request(
            actor=world.dung_user,
            kind=IMPORT_KIND,
            organization=world.khoi1,
            params={"write": True, "mode": "valid_rows_only", "check_job": job.pk},
            upload_name=job.upload.name,
        )
    write.refresh_from_db()
    assert write.status == ExportJobStatus.FAILED
    assert imported_names(world.khoi1) == set()


def test_only_the_requester_sees_the_job_and_may_confirm_it(
    client, world, django_capture_on_commit_callbacks
):
    job = check_job(
        client, world, django_capture_on_commit_callbacks, member_list_file(many_rows(30))
    )
    for intruder in (world.dung_user, world.cuc_user, world.admin_user):
        client.force_login(intruder)
        assert client.get(reverse("exports:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("exports:job_status", args=[job.pk])).status_code == 404
        response = client.post(
            reverse("members:import_job_confirm", args=[job.pk]), {"mode": "valid_rows_only"}
        )
        assert response.status_code == 404
    assert imported_names(world.khoi1) == set()
    client.force_login(world.an_user)
    assert client.get(reverse("members:import_job_confirm", args=[job.pk])).status_code == 405


def test_an_htmx_upload_of_a_large_list_is_sent_to_the_job_page(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.an_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client, world.khoi1, member_list_file(many_rows(30)), HTTP_HX_REQUEST="true"
        )
    job = ExportJob.objects.get(kind=IMPORT_KIND)
    assert response["HX-Redirect"] == reverse("exports:job", args=[job.pk])


def test_a_small_list_is_still_previewed_in_the_request(client, world, settings):
    settings.CHIBO_IMPORT_JOB_ROWS = 5000
    client.force_login(world.an_user)

    response = upload(client, world.khoi1, member_list_file(many_rows(3)))

    assert response.status_code == 200
    assert response.context["result"].valid_count == 3
    assert not ExportJob.objects.exists()


def test_uploads_left_behind_are_deleted_after_a_day(
    client, world, django_capture_on_commit_callbacks, tmp_path
):
    job = check_job(
        client, world, django_capture_on_commit_callbacks, member_list_file(many_rows(30))
    )
    job.refresh_from_db()
    stored = tmp_path / job.upload.name
    assert stored.exists()

    jobs.purge_old_exports(now=timezone.now() + datetime.timedelta(hours=25))

    assert not stored.exists()
    job.refresh_from_db()
    assert job.upload.name == ""
    page = client.get(reverse("exports:job", args=[job.pk]))
    assert reverse("members:import_job_confirm", args=[job.pk]) not in page.content.decode()


def test_a_large_csv_list_goes_to_a_job_too(client, world, django_capture_on_commit_callbacks):
    header = "Họ và tên,Giới tính,Ngày sinh,Ngày quyết định kết nạp,Ngày vào Đảng (lễ kết nạp)\n"
    lines = "".join(
        f"Nguyễn Văn Thử {n},Nam,15/06/1990,01/03/2020,19/03/2020\n" for n in range(1, 41)
    )
    file = io.BytesIO((header + lines).encode())
    file.name = "danh-sach.csv"
    job = check_job(client, world, django_capture_on_commit_callbacks, file)
    job.refresh_from_db()

    assert job.result["row_count"] == 40
    # Forty people with the same date of birth but different names: all valid.
    assert job.result["valid_count"] == 40
