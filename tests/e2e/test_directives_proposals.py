"""Directives down and proposals up, on a phone (360 px), on the demo data (issue 10).

1. The ward issues a directive to its cells; Khối 1's secretary puts it on the agenda of the
   cell's prepared meeting; the meeting is held and signed; the ward's coverage shows Khối 1
   done and its other cells not.
2. A member of Khối 1 raises a proposal; the cell escalates it; the ward answers; the member
   reads the answer on their phone; the cell's next agenda carries the report-back item.

The meeting between publishing and signing (roll call, close, score) is run through the
services: tests/e2e/test_meeting_flow.py drives those steps in the browser already. The
agenda and both signatures are done in the browser here. Screenshots:
test-artifacts/screenshots/directive-*.png and proposal-*.png."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from chibo.directives.models import Directive, DirectiveDelivery
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.members.models import Member
from chibo.orgs.models import Organization, Position, Role
from chibo.proposals.models import Proposal, ProposalStatus
from tests.e2e.pages import log_in, log_out

pytestmark = pytest.mark.e2e
PASSWORD = "chibo-demo-2026"
NUMBER = "31-CV/ĐU"
SUBJECT = "Tuyên truyền phòng, chống cháy nổ trong mùa khô 2026–2027"


def shot(page, screenshot_dir, name):
    page.screenshot(path=str(screenshot_dir / f"{name}-phone.png"), full_page=True)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def hold_meeting(meeting: Meeting, secretary: Member, minute_taker: Member) -> None:
    """Open the published meeting, mark everyone present, close it and score it (services)."""
    actor = secretary.user
    day = timezone.localdate()
    meeting_services.meeting_open(
        actor=actor,
        meeting=meeting,
        chair=secretary,
        minute_taker=minute_taker,
        started_at=at(day, 7, 0),
    )
    meeting_services.attendance_mark_rest_present(actor=actor, meeting=meeting)
    meeting_services.meeting_close(actor=actor, meeting=meeting, ended_at=at(day, 8, 45))
    meeting.refresh_from_db()
    manual = {line.code: line.max_points for line in meeting.score_lines.filter(automatic=False)}
    meeting_services.score_lines_set(actor=actor, meeting=meeting, points=manual)


def sign_in_browser(page, meeting: Meeting) -> None:
    page.goto(f"/meetings/{meeting.pk}/live/?tab=record")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("#record-tab form[action$='/sign/'] button").click()
    expect(page.locator("#record-tab")).to_be_visible()


def leave(page) -> None:
    """Log out from the home page (a quiet page: no htmx polling racing the logout)."""
    page.goto("/")
    log_out(page)


def test_a_directive_reaches_khoi1_and_its_dissemination_shows_in_the_wards_coverage(
    new_page, screenshot_dir
):
    cell = Organization.objects.get(name="Chi bộ Khối 1")
    ward = Organization.objects.get_parent(cell)
    secretary = Position.objects.current().get(organization=cell, role=Role.SECRETARY).member
    minute_taker = Member.objects.get(user__username="dangvien.khoi1")
    meeting = Meeting.objects.get(organization=cell, status=MeetingStatus.PREPARED)
    today = timezone.localdate()
    page = new_page(phone=True)

    # -- the ward issues a directive to every cell below it -----------------------------------
    log_in(page, "bithu.phuong")
    page.goto("/directives/new/")
    page.select_option("#id_issuer", str(ward.pk))
    page.fill("#id_number_symbol", NUMBER)
    page.fill("#id_issued_on", today.isoformat())
    page.fill("#id_subject", SUBJECT)
    page.fill("#id_body", "Các chi bộ phổ biến đến đảng viên và quần chúng trên địa bàn.")
    page.locator("#id_must_disseminate").check()
    page.fill("#id_disseminate_by", (today + datetime.timedelta(days=20)).isoformat())
    page.locator("input[name=target_mode][value=subtree]").check()
    shot(page, screenshot_dir, "directive-01-issue")
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    directive = Directive.objects.get(issuer=ward, number_symbol=NUMBER)
    cells = DirectiveDelivery.objects.filter(directive=directive).count()
    assert cells > 1 and DirectiveDelivery.objects.filter(directive=directive, cell=cell).exists()
    expect(page.locator("#cov-cells")).to_have_text(str(cells))
    expect(page.locator("#cov-done")).to_have_text("0")
    leave(page)

    # -- Khối 1's secretary finds it among the directives to disseminate and adds it ----------
    log_in(page, "bithu.khoi1")
    page.goto(f"/meetings/{meeting.pk}/prepare/")
    delivery = directive.deliveries.get(cell=cell)
    pending = page.locator(f"form[action$='/agenda/directive/{delivery.pk}/']")
    expect(pending).to_have_count(1)
    pending.locator("button").click()
    item = page.locator("#agenda-editor li[id^=agenda-item-]", has_text=NUMBER)
    expect(item).to_have_count(1)
    shot(page, screenshot_dir, "directive-02-agenda")
    leave(page)

    # -- the meeting is held, then signed by the chair and the minute-taker ------------------
    hold_meeting(meeting, secretary, minute_taker)
    log_in(page, "bithu.khoi1")
    sign_in_browser(page, meeting)
    leave(page)
    log_in(page, "dangvien.khoi1")
    sign_in_browser(page, meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    # The signed minutes name the directive.
    response = page.request.get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert response.ok
    minutes = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split()
    )
    assert NUMBER in minutes and ward.name in minutes
    leave(page)

    # -- the ward's coverage: Khối 1 done, its other cells not --------------------------------
    log_in(page, "bithu.phuong")
    page.goto(f"/directives/{directive.pk}/")
    expect(page.locator("#cov-done")).to_have_text("1")
    rows = page.locator("#coverage-rows > li")

    def row_of(name):
        return rows.filter(has=page.locator(".fw-semibold", has_text=re.compile(f"^{name}$")))

    done = row_of("Chi bộ Khối 1").filter(has_text="Đã phổ biến")
    expect(done).to_have_count(1)
    expect(done).to_contain_text(meeting.date.strftime("%d/%m/%Y"))
    not_yet = rows.filter(has_text="Chưa phổ biến")
    expect(not_yet).to_have_count(cells - 1)
    expect(row_of("Chi bộ Khối 2").filter(has_text="Chưa phổ biến")).to_have_count(1)
    shot(page, screenshot_dir, "directive-03-coverage")


def test_a_proposal_goes_up_to_the_ward_and_its_answer_comes_back_to_the_member(
    new_page, screenshot_dir
):
    cell = Organization.objects.get(name="Chi bộ Khối 1")
    ward = Organization.objects.get_parent(cell)
    member = Member.objects.get(user__username="dangvien.khoi1")
    page = new_page(phone=True)
    title = "Lắp đèn chiếu sáng hẻm 45 đường Trần Phú"

    # -- a member raises it ------------------------------------------------------------------
    log_in(page, "dangvien.khoi1")
    page.goto("/proposals/new/")
    page.locator("input[name=source][value=citizens]").check()
    page.fill("#id_citizen_name", "Bà Nguyễn Thị Hoa")
    page.fill("#id_citizen_place", "Số 12 hẻm 45 Trần Phú")
    page.select_option("#id_topic", "infrastructure")
    page.fill("#id_title", title)
    page.fill("#id_content", "Hẻm tối, người dân đi làm về khuya không an toàn.")
    shot(page, screenshot_dir, "proposal-01-raise")
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    proposal = Proposal.objects.get(title=title)
    assert proposal.raised_by == member and proposal.level == cell
    leave(page)

    # -- the cell escalates it to the ward ----------------------------------------------------
    log_in(page, "bithu.khoi1")
    page.goto(f"/proposals/{proposal.pk}/")
    page.fill("#escalate-card textarea[name=reason]", "Vượt thẩm quyền chi bộ, cần phường đầu tư.")
    with page.expect_navigation():
        page.locator("#escalate-card button[type=submit]").click()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ESCALATED and proposal.level == ward
    leave(page)

    # -- the ward answers it -------------------------------------------------------------------
    answer = "UBND phường bố trí lắp 4 bóng đèn LED trong tháng 01/2027."
    log_in(page, "bithu.phuong")
    page.goto(f"/proposals/{proposal.pk}/")
    page.fill("#answer-card textarea[name=answer]", answer)
    with page.expect_navigation():
        page.locator("#answer-card button[type=submit]").click()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ANSWERED
    leave(page)

    # -- the member reads the answer on their phone, from the handbook -------------------------
    log_in(page, "dangvien.khoi1")
    page.goto("/accounts/handbook/")
    with page.expect_navigation():
        page.locator(f"a[href='/proposals/{proposal.pk}/']").first.click()
    expect(page.locator("#answer")).to_contain_text(answer)
    expect(page.locator("#steps > li")).to_have_count(3)  # raised, escalated, answered
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, screenshot_dir, "proposal-02-answer-on-phone")
    leave(page)

    # -- the cell's next agenda carries the report-back item ----------------------------------
    upcoming = (
        Meeting.objects.filter(organization=cell, status=MeetingStatus.PLANNED)
        .order_by("date")
        .first()
    )
    log_in(page, "bithu.khoi1")
    page.goto(f"/meetings/{upcoming.pk}/prepare/")
    page.locator("#agenda-editor button[type=submit]").first.click()
    report_back = page.locator(
        "#agenda-editor li[id^=agenda-item-]", has_text="Thông báo kết quả trả lời kiến nghị"
    )
    expect(report_back).to_have_count(1)
    assert upcoming.agenda_items.filter(proposals=proposal).exists()
    shot(page, screenshot_dir, "proposal-03-next-agenda")
