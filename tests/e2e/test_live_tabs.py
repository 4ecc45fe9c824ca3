"""The live meeting screen on a 360 px phone (issue 9, item 15): all seven steps of the tab bar
are on screen at once, the active one is in view, and each is reached by tapping it in the bar.
Chi bộ Khối 1's next demo meeting is opened by its secretary with part of the roll called; a
screenshot of every tab is kept in docs/screenshots/live-<tab>.png."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chibo.meetings import services
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.members.models import Member
from chibo.orgs.models import Organization, Position, Role
from tests.e2e.conftest import PHONE, REPO_ROOT
from tests.e2e.pages import log_in

pytestmark = pytest.mark.e2e

TABS = ("rollcall", "agenda", "assignments", "votes", "close", "score", "record")
DOCS_SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = PHONE["viewport"]["width"], PHONE["viewport"]["height"]


def _open_next_meeting() -> Meeting:
    """Khối 1's next planned demo meeting, opened by its secretary, three members called."""
    cell = Organization.objects.get(name="Chi bộ Khối 1")
    meeting = (
        Meeting.objects.filter(organization=cell, status=MeetingStatus.PLANNED)
        .order_by("date")
        .first()
    )
    assert meeting is not None
    secretary = Position.objects.current().get(organization=cell, role=Role.SECRETARY).member
    minute_taker = Member.objects.get(user__username="dangvien.khoi1")
    if not meeting.agenda_items.exists():
        services.agenda_build(actor=None, meeting=meeting)
    started = timezone.make_aware(datetime.datetime.combine(meeting.date, datetime.time(19, 30)))
    services.meeting_open(
        actor=None, meeting=meeting, chair=secretary, minute_taker=minute_taker, started_at=started
    )
    for row in meeting.attendance.order_by("id")[:3]:
        services.attendance_mark(
            actor=None, meeting=meeting, member_id=row.member_id, status="present"
        )
    return meeting


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def _in_view(box: dict) -> bool:
    return (
        box["x"] >= 0
        and box["x"] + box["width"] <= WIDTH
        and box["y"] >= 0
        and box["y"] + box["height"] <= HEIGHT
    )


def test_every_live_tab_is_on_a_phone_screen(new_page):
    meeting = _open_next_meeting()
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page(phone=True)
    log_in(page, "bithu.khoi1")
    page.goto(f"/meetings/{meeting.pk}/live/")
    links = page.locator(".live-tabs a.nav-link")
    expect(links).to_have_count(len(TABS))
    for tab in TABS:
        # Reached by tapping it in the bar, as a person would.
        with page.expect_navigation():
            page.locator(f".live-tabs a[href='?tab={tab}']").click()
        active = page.locator(".live-tabs a.nav-link.active")
        expect(active).to_have_attribute("href", f"?tab={tab}")
        assert _in_view(_box(active)), f"the active tab {tab} is out of view"
        for other in TABS:
            link = page.locator(f".live-tabs a[href='?tab={other}']")
            expect(link).to_be_visible()
            assert _in_view(_box(link)), f"on {tab}, the tab {other} is out of view"
        # The page itself does not scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        page.screenshot(path=str(DOCS_SCREENSHOTS / f"live-{tab}.png"))
        # Scrolled down the tab, the bar stays on top with the active step in it.
        page.evaluate("window.scrollTo(0, 600)")
        assert _in_view(_box(page.locator(".live-tabs a.nav-link.active")))
        page.evaluate("window.scrollTo(0, 0)")
