"""The ward opens a perfunctory flag (issue 11 acceptance): bithu.phuong goes from the ward's
list of flags to one flag and sees the two texts side by side on a desktop, stacked on a
360 px phone without horizontal scrolling, the differences highlighted; she confirms it (the
reminder to the cell's secretary is tests/supervision/test_quality_pages.py's business: the
demo's secretaries mostly have no login).
Screenshots: test-artifacts/screenshots/perfunctory-*.png."""

import pytest
from playwright.sync_api import expect

from chibo.orgs.models import Organization
from chibo.supervision.models import PerfunctoryFlag, PerfunctoryStatus
from tests.e2e.pages import log_in

pytestmark = pytest.mark.e2e


def open_first_flag(page, ward):
    page.goto(f"/supervision/committees/{ward.pk}/perfunctory/")
    flags = page.locator("#perfunctory-flags a")
    expect(flags.first).to_be_visible()
    with page.expect_navigation():
        flags.first.click()
    earlier, later = page.locator("#text-earlier"), page.locator("#text-later")
    expect(earlier).to_be_visible()
    expect(later).to_be_visible()
    expect(later.locator("mark.diff-changed").first).to_be_visible()
    return earlier.bounding_box(), later.bounding_box()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_ward_opens_a_perfunctory_flag_and_sees_the_two_texts(new_page, screenshot_dir, phone):
    ward = Organization.objects.get(code="38.168")
    assert PerfunctoryFlag.objects.filter(cell__path__startswith=ward.path).exists()
    page = new_page(phone=phone)
    log_in(page, "bithu.phuong")
    earlier, later = open_first_flag(page, ward)
    if phone:
        assert later["y"] >= earlier["y"] + earlier["height"] - 1  # stacked
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width
    else:
        assert abs(later["y"] - earlier["y"]) < 2 and later["x"] > earlier["x"]  # side by side
    page.screenshot(
        path=str(screenshot_dir / f"perfunctory-{'phone' if phone else 'desktop'}.png"),
        full_page=True,
    )
    if phone:
        return
    flag_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.select_option("#id_action", "confirm")
    page.fill("#id_note", "Nội dung đánh giá tháng lặp lại nhiều tháng liền.")
    with page.expect_navigation():
        page.locator("#perfunctory-review button[type=submit]").click()
    flag = PerfunctoryFlag.objects.get(pk=flag_id)
    assert flag.status == PerfunctoryStatus.CONFIRMED
