"""Visits by the upper level, in the browser on the demo data (issue 11), on a desktop and on a
360 px phone: capuy.khoi1 records a visit to Khối 1's signed meeting with a proposal and
confirms its score; the ward secretary's coverage page shows the visit and a member below the
yearly minimum. Screenshots: test-artifacts/screenshots/visit-*.png."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chibo.demo.common import KHOI1_UPPER, WARD_SECRETARY
from chibo.meetings.models import Meeting, MeetingScore, MeetingStatus
from chibo.members.models import Member
from chibo.orgs.models import Organization
from chibo.supervision.models import Visit
from tests.e2e.pages import log_in, log_out

pytestmark = pytest.mark.e2e
TITLE = "Lắp thêm đèn chiếu sáng hẻm 7"


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_capuy_records_a_visit_and_the_ward_sees_coverage(new_page, screenshot_dir, phone):
    capuy = Member.objects.get(user__username=KHOI1_UPPER)
    meeting = next(
        m
        for m in Meeting.objects.filter(
            organization__name="Chi bộ Khối 1", status=MeetingStatus.SIGNED
        ).order_by("-date")
        if m.score.confirmed_by_id is None and not Visit.objects.filter(meeting=m, visitor=capuy)
    )
    size = "phone" if phone else "desktop"
    page = new_page(phone=phone)
    log_in(page, KHOI1_UPPER)
    page.goto(f"/meetings/{meeting.pk}/")
    page.locator("#visit-record-link").click()
    expect(page.locator("#visit-form")).to_be_visible()
    page.fill("#id_observations", "Chi bộ sinh hoạt nền nếp, đảng viên phát biểu sôi nổi.")
    page.fill("#id_guidance", "Cụ thể hóa nghị quyết tháng, phân công người phụ trách.")
    page.check("#id_confirm_score")
    page.fill("#id_p-0-title", TITLE)
    page.fill("#id_p-0-content", "Hẻm 7 tối, bà con đề nghị phường lắp thêm hai bóng đèn.")
    page.select_option("#id_p-0-source", "citizens")
    page.fill("#id_p-0-citizen_name", "Các hộ dân hẻm 7")
    page.select_option("#id_p-0-topic", "infrastructure")
    page.select_option("#id_p-0-raised_by", index=1)
    no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"visit-record-{size}.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#visit-save").click()
    expect(page.locator("#visit-proposals")).to_contain_text(TITLE)
    expect(page.locator("#visit-score")).to_be_visible()
    visit = Visit.objects.get(meeting=meeting, visitor=capuy)
    assert [p.title for p in visit.proposals.all()] == [TITLE]
    assert MeetingScore.objects.get(meeting=meeting).confirmed_by_id == capuy.pk
    page.goto("/")
    log_out(page)

    log_in(page, WARD_SECRETARY)
    ward = Organization.objects.get(code="38.168")
    today = timezone.localdate()
    page.goto(f"/supervision/committees/{ward.pk}/coverage/?year={meeting.date.year}")
    followers = page.locator("#coverage-followers")
    row = followers.locator("tr", has_text=capuy.full_name)
    expect(row).to_be_visible()
    counted = Visit.objects.filter(
        visitor=capuy, meeting__date__year=meeting.date.year, role="upper_member"
    ).exclude(cell_id=capuy.cell_id)
    expect(row.locator("td").nth(1)).to_have_text(str(counted.count()))
    expect(followers.locator("tr[data-below='1']").first).to_be_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"visit-coverage-{size}.png"), full_page=True)
    assert today.year >= meeting.date.year
