"""The ward's dashboard (issue 12 acceptance): bithu.phuong opens "Bảng theo dõi", sees the
24 cells × months grid, finds Chi bộ Khối 2 flagged as not published by the notice deadline,
opens the flag's list, then the cell's meeting. At 1366 px and at 360 px, where the grid
scrolls inside its box and the page never scrolls sideways.
Screenshots: test-artifacts/screenshots/reports-dashboard-*.png."""

import pytest
from playwright.sync_api import expect

from chibo.orgs.models import Organization
from tests.e2e.pages import log_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_ward_finds_the_cell_that_did_not_publish_in_time(new_page, screenshot_dir, phone):
    ward = Organization.objects.get(code="38.168")
    khoi2 = Organization.objects.get(code="38.168.000.000.002")
    page = new_page(phone=phone)
    log_in(page, "bithu.phuong")
    page.goto("/reports/dashboard/")  # the landing page sends her to her ward's dashboard
    page.wait_for_url(f"**/reports/dashboard/{ward.pk}/")
    grid = page.locator("#dashboard-grid")
    expect(grid).to_be_visible()
    expect(grid.locator("tbody tr")).to_have_count(24)
    square = page.locator(f"#cell-{khoi2.pk} td[data-status=unpublished_late]")
    expect(square).to_have_count(1)
    expect(square.locator("a")).to_have_text("Chưa thông báo")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width == (360 if phone else 1366), width
    page.screenshot(
        path=str(screenshot_dir / f"reports-dashboard-{'phone' if phone else 'desktop'}.png"),
        full_page=True,
    )
    flag = page.locator("#flag-unpublished_late")
    expect(flag).to_contain_text("1")
    with page.expect_navigation():
        flag.click()
    item = page.locator("#flag-items a", has_text="Chi bộ Khối 2")
    expect(item).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") == (360 if phone else 1366)
    with page.expect_navigation():
        item.click()
    assert "/meetings/" in page.url
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Chi bộ Khối 2")
