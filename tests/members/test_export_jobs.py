"""Big member exports run as background jobs (core.exports.jobs): the same link lands on the
job's progress page, whose download is the same file the direct export gives. The thresholds
are lowered here so that the demo-sized world crosses them."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chibo.core.models import ExportJob, ExportJobStatus
from chibo.members import export_jobs, services
from tests.meetings.doc_builders import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def cell_values(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return [row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]


def through_the_job(client, url, on_commit):
    """Follow the link as the user does: the progress page, then its download."""
    with on_commit(execute=True):
        response = client.get(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ExportJobStatus.DONE
    page = client.get(response["Location"]).content.decode()
    assert reverse("exports:job_file", args=[job.pk]) in page
    download = client.get(reverse("exports:job_file", args=[job.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    return job, download


def test_a_scope_above_the_threshold_gets_the_same_member_list_through_a_job(
    world, client, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(world.cuc_user)  # oversees the ward: four members in two cells
    url = reverse("members:export", args=[world.ward.pk])
    direct = client.get(url)
    assert direct.status_code == 200 and not ExportJob.objects.exists()

    monkeypatch.setattr(export_jobs, "MEMBER_LIST_JOB_THRESHOLD", 3)
    job, download = through_the_job(client, url, django_capture_on_commit_callbacks)

    assert job.organization == world.ward and job.requested_by == world.cuc_user
    assert download["Content-Type"] == direct["Content-Type"]
    assert download["Content-Disposition"] == direct["Content-Disposition"]
    job_rows, direct_rows = cell_values(download.content), cell_values(direct.content)
    assert job_rows == direct_rows
    assert {"Nguyễn Văn An", "Phạm Văn Dũng"} <= {value for row in job_rows for value in row}


def test_a_scope_at_the_threshold_is_still_downloaded_directly(world, client, monkeypatch):
    monkeypatch.setattr(export_jobs, "MEMBER_LIST_JOB_THRESHOLD", 4)
    client.force_login(world.cuc_user)
    response = client.get(reverse("members:export", args=[world.ward.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_the_dues_book_pdf_through_a_job_reads_as_the_direct_one(
    world, client, monkeypatch, django_capture_on_commit_callbacks
):
    services.dues_basis_set(
        actor=world.an_user, member=world.binh, basis="insurable_salary", basis_amount=8_500_000
    )
    client.force_login(world.an_user)
    url = reverse("members:dues_pdf", args=[world.khoi1.pk]) + "?year=2026"
    direct = client.get(url)
    assert direct.status_code == 200 and not ExportJob.objects.exists()

    monkeypatch.setattr(export_jobs, "DUES_BOOK_PDF_JOB_THRESHOLD", 1)
    job, download = through_the_job(client, url, django_capture_on_commit_callbacks)

    assert job.params["year"] == 2026
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == direct["Content-Disposition"]
    text = pdf_text(download.content)
    assert text == pdf_text(direct.content)
    assert "SỔ THU NỘP ĐẢNG PHÍ NĂM 2026" in text and "Trần Thị Bình" in text


@pytest.mark.parametrize(
    ("name", "threshold"),
    [
        ("members:export", "MEMBER_LIST_JOB_THRESHOLD"),
        ("members:dues_pdf", "DUES_BOOK_PDF_JOB_THRESHOLD"),
    ],
)
def test_a_member_of_another_cell_cannot_start_an_export_outside_their_scope(
    world, client, monkeypatch, name, threshold
):
    monkeypatch.setattr(export_jobs, threshold, 0)
    client.force_login(world.dung_user)  # a member of Khối 2
    assert client.get(reverse(name, args=[world.khoi1.pk])).status_code == 404
    assert not ExportJob.objects.exists()


def test_the_job_keeps_the_day_of_the_request(
    world, client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(export_jobs, "MEMBER_LIST_JOB_THRESHOLD", 0)
    client.force_login(world.an_user)
    job, download = through_the_job(
        client, reverse("members:export", args=[world.khoi1.pk]), django_capture_on_commit_callbacks
    )
    day = datetime.date.fromisoformat(job.params["today"])
    assert job.filename == f"danh-sach-dang-vien-{world.khoi1.code}-{day:%Y%m%d}.xlsx"
    assert f"{day:%d/%m/%Y}" in cell_values(download.content)[1][0]
