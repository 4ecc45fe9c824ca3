"""Reports upward (báo cáo): the ward's secretary requests last month's report, the job writes
its DOCX, PDF and XLSX step by step, the documents say what the cells' meetings say, and only the
committees that read the ward see the report."""

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chibo.core.audit import AuditEntry
from chibo.core.dates import add_months
from chibo.meetings.models import Meeting, MeetingKind, MeetingStatus
from chibo.orgs.models import CELL_KINDS, Organization
from chibo.reports import jobs
from chibo.reports.grid import cell_grid
from chibo.reports.models import ReportJob, ReportJobStatus
from chibo.reports.services_upward import report_request
from chibo.supervision.models import Visit
from tests.meetings.doc_builders import docx_text, pdf_text

pytestmark = pytest.mark.django_db
DEMO_PASSWORD = "chibo-demo-2026"
RATING_WORDS = {"good": "Tốt", "fair": "Khá", "average": "Trung bình", "poor": "Kém"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def user(username):
    return get_user_model().objects.get(username=username)


def logged_in(client, username):
    client.force_login(user(username))
    return client


def last_month() -> datetime.date:
    return add_months(timezone.localdate().replace(day=1), -1)


@pytest.fixture
def ward(demo_data):
    return Organization.objects.get(code="38.168")


@pytest.fixture(autouse=True)
def _run_jobs_on_commit(request, django_capture_on_commit_callbacks):
    """The job is queued when the request's transaction commits; the test's transaction never
    commits, so run the callbacks as a commit would (Huey is immediate in tests)."""
    global on_commit
    on_commit = django_capture_on_commit_callbacks


on_commit = None


def request_monthly(client, ward, period, **extra):
    data = {
        "kind": "monthly",
        "year": str(period.year),
        "month": str(period.month),
        "number": "12",
        "notes": "Các chi bộ duy trì nền nếp.\nTháng tới: kiểm tra chi bộ Khối 3.",
    } | extra
    with on_commit(execute=True):
        return client.post(reverse("reports:upward_request", args=[ward.pk]), data)


def expected_figures(ward, month):
    """Section I computed from the meetings themselves, not from the rollups."""
    end = add_months(month, 1) - datetime.timedelta(days=1)
    today = timezone.localdate()
    cells = Organization.objects.filter(
        path__startswith=ward.path, kind__in=CELL_KINDS, active_from__lte=end
    ).filter(Q(active_to__isnull=True) | Q(active_to__gte=month))
    regular = Meeting.objects.filter(
        organization__in=cells, kind=MeetingKind.REGULAR, date__gte=month, date__lte=end
    ).select_related("score")
    held = [
        m
        for m in regular
        if m.status in (MeetingStatus.SIGNED, MeetingStatus.CLOSED, MeetingStatus.IN_PROGRESS)
    ]
    not_held = [
        m
        for m in regular
        if m.status in (MeetingStatus.PLANNED, MeetingStatus.PREPARED) and m.date < today
    ]
    scores = [m.score.total for m in held if hasattr(m, "score")]
    ratings = {word: 0 for word in RATING_WORDS}
    for meeting in held:
        visit = (
            Visit.objects.filter(meeting=meeting)
            .exclude(adjusted_rating="")
            .order_by("-recorded_at", "-id")
            .first()
        )
        rating = visit.adjusted_rating if visit else getattr(meeting, "score", None)
        rating = rating if isinstance(rating, str) else (rating.rating if rating else "")
        if rating:
            ratings[rating] += 1
    average = (sum(scores) / len(scores)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return {
        "cells": cells.count(),
        "held": len(held),
        "signed": sum(m.status == MeetingStatus.SIGNED for m in held),
        "not_held": sorted(m.organization.name for m in not_held),
        "average": str(average).replace(".", ",").removesuffix(",0"),
        "ratings": ratings,
    }


def test_the_ward_secretary_gets_last_months_report_in_three_formats(client, ward):
    month = last_month()
    response = request_monthly(logged_in(client, "bithu.phuong"), ward, month)
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:upward_job", args=[job.pk])
    assert job.status == ReportJobStatus.DONE and job.progress == 100
    assert (job.period_start, job.number) == (month, "12")
    assert AuditEntry.objects.filter(code="report.requested").count() == 1
    for fmt in ("docx", "pdf", "xlsx"):
        name = getattr(job, fmt).name
        assert name.startswith(f"reports/{ward.pk}/{job.pk}/") and default_storage.exists(name)

    figures = expected_figures(ward, month)
    pdf = pdf_text(default_storage.open(job.pdf.name).read())
    docx = docx_text(default_storage.open(job.docx.name).read())
    for text in (pdf, docx):
        for line in (
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "TỈNH ỦY HÒA LẠC",
            "ĐẢNG ỦY PHƯỜNG HƯNG PHÚ",
            "Số 12-BC/ĐU",
            "BÁO CÁO",
            f"Tình hình sinh hoạt chi bộ tháng {month.month} năm {month.year}",
            "Nơi nhận:",
            "T/M ĐẢNG ỦY",
            "BÍ THƯ",
            "Huỳnh Mai Nga",  # the ward's secretary signs
        ):
            assert line in text, line
        sections = [
            "I. TÌNH HÌNH SINH HOẠT CHI BỘ",
            "II. TÌNH HÌNH TỪNG CHI BỘ",
            "III. QUÁN TRIỆT NGHỊ QUYẾT, KIẾN NGHỊ VÀ GIÁM SÁT",
            "IV. ĐÁNH GIÁ CHUNG VÀ PHƯƠNG HƯỚNG",
        ]
        positions = [text.index(section) for section in sections]
        assert positions == sorted(positions)
        assert f"Tổng số chi bộ: {figures['cells']}." in text
        assert f"Sinh hoạt thường kỳ: {figures['held']} lượt chi bộ đã tổ chức" in text
        assert f"Đã ký biên bản: {figures['signed']}." in text
        assert f"Không sinh hoạt: {len(figures['not_held'])}" in text
        for name in figures["not_held"]:
            assert name in text
        assert f"Điểm bình quân: {figures['average']} điểm." in text
        distribution = "; ".join(
            f"{word} {figures['ratings'][code]}" for code, word in RATING_WORDS.items()
        )
        assert f"Xếp loại các buổi sinh hoạt: {distribution}." in text
        assert "Tháng tới: kiểm tra chi bộ Khối 3." in text
        assert "Chi bộ Khối 17" in text  # the grid lists every cell


def test_the_xlsx_grid_is_the_dashboards_grid(client, ward):
    month = last_month()
    request_monthly(logged_in(client, "bithu.phuong"), ward, month)
    job = ReportJob.objects.get()
    response = client.get(reverse("reports:upward_file", args=[job.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["Tổng hợp", "Lưới"]
    rows = list(workbook["Lưới"].iter_rows(values_only=True))
    label = f"T{month.month}/{month.year}"
    assert rows[0] == ("Mã", "Chi bộ", label, f"Điểm {label}", f"Dự họp {label}")
    grid = cell_grid(ward, [month], today=timezone.localdate())
    assert [row[:3] for row in rows[1:]] == [
        (r.cell.code, r.cell.name, r.months[0].label) for r in grid
    ]
    assert [row[3] for row in rows[1:]] == [
        float(r.months[0].score) if r.months[0].score is not None else None for r in grid
    ]
    for row, grid_row in zip(rows[1:], grid, strict=True):
        attendance = grid_row.months[0].attendance
        if attendance is None:
            assert row[4] is None
        else:
            assert row[4] == pytest.approx(float(attendance) / 100)


def test_the_status_partial_follows_the_job_from_queued_to_done(client, ward, monkeypatch):
    seen = []
    original = jobs._progress

    def recording(job_id, progress, step):
        original(job_id, progress, step)
        seen.append(ReportJob.objects.get(pk=job_id).progress)

    monkeypatch.setattr(jobs, "_progress", recording)
    logged_in(client, "bithu.phuong")
    queued = ReportJob.objects.create(
        organization=ward,
        kind="monthly",
        period_start=last_month(),
        period_end=add_months(last_month(), 1) - datetime.timedelta(days=1),
        requested_by=user("bithu.phuong"),
    )
    status_url = reverse("reports:upward_job_status", args=[queued.pk])
    waiting = client.get(status_url).content.decode()
    assert 'hx-trigger="every 1s"' in waiting and "0%" in waiting

    job = jobs.run_report(queued.pk)
    assert seen == sorted(seen) and seen[0] < 50 and seen[-1] < 100
    assert job.progress == 100 and job.status == ReportJobStatus.DONE
    done = client.get(status_url).content.decode()
    assert "hx-trigger" not in done and "100%" in done
    assert "Báo cáo đã sẵn sàng" in done
    for fmt in ("pdf", "docx", "xlsx"):
        assert reverse("reports:upward_file", args=[job.pk, fmt]) in done
    page = client.get(reverse("reports:upward_job", args=[job.pk]))
    assert page.status_code == 200 and "progress-bar" in page.content.decode()

    finished_at = job.finished_at
    assert jobs.run_report(job.pk).finished_at == finished_at  # done: a second run does nothing


def test_a_failing_job_is_marked_failed_and_keeps_no_file(client, ward, monkeypatch, media):
    def broken(documents):
        raise RuntimeError("WeasyPrint is missing")

    monkeypatch.setattr(jobs.pdf_export, "pdf", broken)
    request_monthly(logged_in(client, "bithu.phuong"), ward, last_month())
    job = ReportJob.objects.get()
    assert job.status == ReportJobStatus.FAILED
    assert job.error.startswith("Không tạo được báo cáo")
    assert not (job.pdf.name or job.docx.name or job.xlsx.name)
    assert not list(media.rglob("*.*"))
    status = client.get(reverse("reports:upward_job_status", args=[job.pk])).content.decode()
    assert "Không tạo được báo cáo" in status and "hx-trigger" not in status
    assert client.get(reverse("reports:upward_file", args=[job.pk, "pdf"])).status_code == 404

    monkeypatch.undo()
    job = jobs.run_report(job.pk)  # a failed job starts again from scratch
    assert job.status == ReportJobStatus.DONE and not job.error
    assert len(list(media.rglob("*.*"))) == 3


@pytest.mark.parametrize("username", ["bithu.xa", "dangvien.khoi1"])
def test_outside_the_wards_scope_everything_is_404(client, ward, username):
    request_monthly(logged_in(client, "bithu.phuong"), ward, last_month())
    job = ReportJob.objects.get()
    logged_in(client, username)
    urls = [
        reverse("reports:upward", args=[ward.pk]),
        reverse("reports:upward_job", args=[job.pk]),
        reverse("reports:upward_job_status", args=[job.pk]),
        *(reverse("reports:upward_file", args=[job.pk, fmt]) for fmt in ("pdf", "docx", "xlsx")),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert request_monthly(client, ward, last_month()).status_code == 404
    assert ReportJob.objects.count() == 1


def test_the_commune_reads_its_own_reports_page(client, demo_data):
    commune = Organization.objects.get(code="38.201")
    page = logged_in(client, "bithu.xa").get(reverse("reports:upward", args=[commune.pk]))
    assert page.status_code == 200
    assert "Chưa có báo cáo nào" in page.content.decode()


def test_requests_are_post_only_and_pages_get_only(client, ward):
    logged_in(client, "bithu.phuong")
    assert client.get(reverse("reports:upward_request", args=[ward.pk])).status_code == 405
    assert client.post(reverse("reports:upward", args=[ward.pk])).status_code == 405
    assert ReportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"month": "13"}, "Chọn tháng từ 1 đến 12."),
        ({"kind": "x"}, "Chọn loại báo cáo."),
        ({"year": "abc"}, "Nhập năm bằng số, ví dụ 2026."),
        ({"year": "99999999999999999999"}, "Nhập năm trong khoảng 2000 đến 2100."),
        ({"kind": "quarterly", "quarter": "5"}, "Chọn quý từ I đến IV."),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_creates_nothing(client, ward, data, message):
    response = request_monthly(logged_in(client, "bithu.phuong"), ward, last_month(), **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReportJob.objects.count() == 0


def test_a_period_that_has_not_started_is_refused(client, ward):
    next_month = add_months(timezone.localdate().replace(day=1), 1)
    response = request_monthly(logged_in(client, "bithu.phuong"), ward, next_month)
    assert response.status_code == 400
    assert "Kỳ báo cáo chưa bắt đầu." in response.content.decode()
    assert ReportJob.objects.count() == 0


def test_the_list_page_reads_in_the_same_number_of_queries(client, ward, django_assert_num_queries):
    logged_in(client, "bithu.phuong")
    url = reverse("reports:upward", args=[ward.pk])

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    request_monthly(client, ward, last_month())
    one = count_queries()
    for months_back in range(2, 7):
        report_request(
            actor=user("bithu.phuong"),
            organization=ward,
            kind="monthly",
            period=add_months(last_month(), -months_back),
        )
    assert ReportJob.objects.count() == 6
    assert count_queries() == one
    assert one <= 12


def test_the_yearly_quality_report_rates_every_cell_under_the_rule(ward):
    year = last_month().year
    job = report_request(
        actor=user("bithu.phuong"),
        organization=ward,
        kind="quality_year",
        period=datetime.date(year, 1, 1),
    )
    job = jobs.run_report(job.pk) or job
    job.refresh_from_db()
    assert job.status == ReportJobStatus.DONE
    text = pdf_text(default_storage.open(job.pdf.name).read())
    assert "Kết quả đánh giá chất lượng sinh hoạt chi bộ năm" in text
    assert "meeting_quality.annual_rating" in text
    assert "Tỷ lệ chi bộ xếp loại Tốt" in text


def test_the_provinces_report_has_a_grid_per_child_unit(demo_data):
    province = Organization.objects.get(depth=1)
    month = last_month()
    quarter_start = datetime.date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)
    job = report_request(
        actor=user("admin"), organization=province, kind="quarterly", period=month, number="7"
    )
    assert job.period_start == quarter_start
    job = jobs.run_report(job.pk)
    assert job.status == ReportJobStatus.DONE
    text = pdf_text(default_storage.open(job.pdf.name).read())
    assert "Số 7-BC/TU" in text and "T/M TỈNH ỦY" in text
    quarter = ("I", "II", "III", "IV")[(month.month - 1) // 3]
    assert f"Tình hình sinh hoạt chi bộ quý {quarter} năm {month.year}" in text
    assert "Đơn vị" in text and "Đảng ủy phường Hưng Phú" in text and "Đảng ủy xã Tân Sơn" in text
    assert "Chi bộ Khối 1 " not in text  # per unit, not per cell
    workbook = load_workbook(io.BytesIO(default_storage.open(job.xlsx.name).read()))
    assert workbook.sheetnames == ["Tổng hợp", "Lưới", "Đơn vị"]
    units = [row[1] for row in workbook["Đơn vị"].iter_rows(min_row=2, values_only=True)]
    assert units == [
        unit.name
        for unit in Organization.objects.get_children(province).exclude(kind__in=CELL_KINDS)
    ]
