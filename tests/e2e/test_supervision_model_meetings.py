"""Model meetings in the browser, on the demo data, on a desktop and on a 360 px phone (issue
11): the ward's secretary plans a model meeting in a residential cell other than Khối 1 for
next quarter (the form invites the other residential cells by default), and Khối 1's secretary
finds the invitation in the inbox and on the invitations page. Screenshots:
test-artifacts/screenshots/model-meeting-*.png."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chibo.core.dates import add_months
from chibo.orgs.models import Organization
from chibo.supervision.models import ModelMeeting
from tests.e2e.pages import log_in, log_out

pytestmark = pytest.mark.e2e
TOPIC = "Sinh hoạt mẫu: vai trò đảng viên trong phòng cháy chữa cháy khu dân cư"


def no_sideways_scroll(page, width: int) -> None:
    """At phone width nothing scrolls sideways (the house checks phones only, as
    tests/e2e/test_browser.py does: a desktop's inbox is a few pixels wider than 1366)."""
    if width == 360:
        assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_ward_plans_a_model_meeting_and_khoi1_sees_the_invitation(
    new_page, screenshot_dir, phone
):
    host = Organization.objects.get(name="Chi bộ Khối 9")
    khoi1 = Organization.objects.get(name="Chi bộ Khối 1")
    ward = Organization.objects.get_parent(host)
    today = timezone.localdate()
    next_quarter = add_months(datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), 3)
    day = next_quarter.replace(day=20)
    page = new_page(phone=phone)
    width = 360 if phone else 1366
    label = "phone" if phone else "desktop"

    log_in(page, "bithu.phuong")
    page.goto(f"/supervision/model-meetings/committees/{ward.pk}/")
    expect(page.locator("#model-meeting-plan")).to_be_visible()
    no_sideways_scroll(page, width)
    page.goto(f"/supervision/model-meetings/committees/{ward.pk}/?cell={host.pk}#plan")
    form = page.locator("#model-meeting-form")
    expect(form.locator("#id_cell")).to_have_value(str(host.pk))
    # The other residential cells are invited by default, Khối 1 among them.
    expect(form.locator(f"input[name=invited_cells][value='{khoi1.pk}']")).to_be_checked()
    form.locator("#id_date").fill(day.isoformat())
    form.locator("#id_time").fill("19:30")
    form.locator("#id_place").fill("Nhà văn hóa Khối 9")
    form.locator("#id_topic").fill(TOPIC)
    page.screenshot(path=str(screenshot_dir / f"model-meeting-plan-{label}.png"), full_page=True)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Chi bộ Khối 9")
    expect(page.locator("#model-meeting-invitations")).to_contain_text("Chi bộ Khối 1")
    no_sideways_scroll(page, width)
    model_meeting = ModelMeeting.objects.get(cell=host, topic=TOPIC)
    assert model_meeting.meeting is not None and model_meeting.meeting.date == day
    page.goto("/")
    log_out(page)

    log_in(page, "bithu.khoi1")
    page.goto("/inbox/")
    invitation = page.get_by_text("sinh hoạt mẫu của Chi bộ Khối 9", exact=False).first
    expect(invitation).to_be_visible()
    no_sideways_scroll(page, width)
    page.goto("/supervision/model-meetings/invitations/")
    expect(page.locator("#invitation-list")).to_contain_text("Chi bộ Khối 9")
    no_sideways_scroll(page, width)
    page.screenshot(path=str(screenshot_dir / f"model-meeting-invited-{label}.png"), full_page=True)
    page.locator("#invitation-list a", has_text="Chi bộ Khối 9").first.click()
    expect(page.locator("dl")).to_contain_text("Nhà văn hóa Khối 9")
    no_sideways_scroll(page, width)

    # The signed model meetings of the ward are Khối 1's examples: conclusions and minutes.
    page.goto("/supervision/model-meetings/examples/")
    page.locator("#example-list a").first.click()
    expect(page.locator("#model-meeting-resolution")).to_be_visible()
    expect(page.locator("#model-meeting-minutes")).to_be_visible()
    no_sideways_scroll(page, width)
    page.screenshot(path=str(screenshot_dir / f"model-meeting-example-{label}.png"), full_page=True)
