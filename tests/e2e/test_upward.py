"""Reports upward in the browser on the demo data (issue 12), on a desktop and on a 360 px phone:
the ward secretary opens the ward's reports page, requests last month's report, watches the
progress bar reach "ready" and downloads the XLSX, whose grid is the dashboard's grid of that
month. In browser tests Huey runs jobs inline (tests/conftest.py), so the job runs when the
request's transaction commits. Screenshots: test-artifacts/screenshots/reports-upward-*.png."""

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from chibo.core.dates import add_months
from chibo.demo.common import WARD_SECRETARY
from chibo.orgs.models import Organization
from chibo.reports.grid import cell_grid
from chibo.reports.models import ReportJob, ReportJobStatus
from tests.e2e.pages import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_ward_secretary_sends_last_months_report_up(new_page, screenshot_dir, phone):
    ward = Organization.objects.get(code="38.168")
    month = add_months(timezone.localdate().replace(day=1), -1)
    size = "phone" if phone else "desktop"
    page = new_page(phone=phone)
    log_in(page, WARD_SECRETARY)
    page.goto(f"/reports/upward/{ward.pk}/")
    expect(page.locator("#upward-form")).to_be_visible()
    # The form proposes last month's monthly report.
    expect(page.locator("#id_kind")).to_have_value("monthly")
    expect(page.locator("#id_month")).to_have_value(str(month.month))
    expect(page.locator("#id_year")).to_have_value(str(month.year))
    expect(page.locator("#id_quarter")).to_be_hidden()  # only the month matters for this kind
    page.fill("#id_number", "15")
    page.fill("#id_notes", "Các chi bộ duy trì nền nếp sinh hoạt.")
    no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"reports-upward-form-{size}.png"), full_page=True)
    with page.expect_navigation(timeout=90_000):
        page.locator("#upward-form button[type=submit]").click()

    status = page.locator("#upward-status")
    expect(status).to_have_attribute("data-status", "done", timeout=90_000)
    expect(page.locator("#upward-percent")).to_have_text("100%")
    expect(page.locator("#upward-downloads a")).to_have_count(3)
    no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"reports-upward-job-{size}.png"), full_page=True)
    job = ReportJob.objects.get()
    assert (job.status, job.number, job.period_start) == (ReportJobStatus.DONE, "15", month)

    with page.expect_download() as download_info:
        page.locator("#upward-downloads a", has_text="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:  # no .xlsx suffix: openpyxl wants a file
        workbook = load_workbook(handle)
    rows = list(workbook["Lưới"].iter_rows(values_only=True))
    grid = cell_grid(ward, [month], today=timezone.localdate())
    assert [row[:3] for row in rows[1:]] == [
        (r.cell.code, r.cell.name, r.months[0].label) for r in grid
    ]
    assert len(grid) == 24

    page.goto(f"/reports/upward/{ward.pk}/")
    expect(page.locator("#upward-list")).to_contain_text("Báo cáo tháng")
    no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"reports-upward-list-{size}.png"), full_page=True)
