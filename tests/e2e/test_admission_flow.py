"""A candidate of Chi bộ Khối 1 goes through the whole admission pipeline to official member, as
the cell's secretary records it on a phone, across fifteen months of simulated time: the clock is
frozen at each step's day (time_machine, which the live server's thread sees too) and moved on.

At every step the page shows the deadline that now applies, with its rule: the certificate's
validity (R3.4) before the cell's resolution, the ceremony within 30 working days of the decision
(R3.6), the personal history within 30 working days of the ceremony (R3.7), probation ending 12
months after the ceremony (R3.8) and recognition within 30 working days after that (R3.9).
The cell meetings' votes are taken on the live meeting screen; the meeting itself is opened and
the roll called through the meeting services (the meeting e2e test clicks those)."""

import datetime
import zoneinfo

import pytest
import time_machine

from chibo.core.calendar import add_working_days
from chibo.lifecycle.models import Candidate
from chibo.meetings.models import MeetingKind
from chibo.members.models import Member, MemberStatus
from chibo.orgs.models import Organization, Position, Role
from tests.e2e.pages import log_in
from tests.meetings.factories import make_meeting, mark_all, open_meeting

pytestmark = pytest.mark.e2e
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NAME = "Lê Thị Thanh Xuân"


def on(day: datetime.date):
    """Freeze the clock (server and test alike) at 9 o'clock on `day`."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), HCM), tick=False)


def vn(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def shot(page, screenshot_dir, name):
    page.screenshot(path=str(screenshot_dir / f"admission-{name}-phone.png"), full_page=True)


def record_step(page, code: str, fields: dict[str, str]) -> None:
    for field, value in fields.items():
        selector = f"#id_{code}-{field}"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    with page.expect_navigation():
        page.locator(f"#step-{code} button[type=submit]").click()
    assert page.locator(".alert-danger, .invalid-feedback").count() == 0, page.inner_text("main")


def deadline_card(page) -> str:
    return page.locator(".card.border-primary, .card.border-danger").first.inner_text()


def cell_vote(page, cell, secretary, minute_taker, day, *, title, subject, member=None):
    """A cell meeting on `day`: opened and the roll called by the services, the vote taken on
    the live screen by the secretary. Every official member present votes in favour."""
    meeting = make_meeting(cell, kind=MeetingKind.EXTRAORDINARY, date=day)
    open_meeting(meeting, secretary, minute_taker)
    mark_all(meeting)
    official = meeting.attendance.filter(category="official", status="present").count()
    page.goto(f"/meetings/{meeting.pk}/live/?tab=votes")
    page.fill("#id_title", title)
    page.select_option("#id_subject", subject)
    if member is not None:
        page.select_option("#id_subject_member", str(member.pk))
    page.fill("#id_in_favour", str(official))
    page.fill("#id_against", "0")
    page.fill("#id_abstain", "0")
    page.locator("#votes-tab button[type=submit]").last.click()
    result = page.locator(f".vote-result:has-text('{title}')")
    result.wait_for()
    assert "Thông qua" in result.inner_text()
    return meeting


def test_a_candidate_becomes_an_official_member_across_fifteen_months(new_page, screenshot_dir):
    cell = Organization.objects.get(name="Chi bộ Khối 1")
    secretary = Position.objects.current().get(organization=cell, role=Role.SECRETARY).member
    minute_taker = Member.objects.get(user__username="dangvien.khoi1")
    introducers = list(
        Member.objects.filter(cell=cell, status=MemberStatus.OFFICIAL)
        .exclude(pk__in=[secretary.pk, minute_taker.pk])
        .order_by("pk")[:2]
    )
    page = new_page(phone=True)

    # -- 1 December 2026: the cell puts the candidate on its list --------------------------------
    with on(datetime.date(2026, 12, 1)):
        log_in(page, "bithu.khoi1")
        page.goto(f"/members/cell/{cell.pk}/")
        with page.expect_navigation():
            page.get_by_role("link", name="Quần chúng ưu tú").click()
        page.goto(f"/lifecycle/cell/{cell.pk}/new/")
        page.fill("#id_full_name", NAME)
        page.select_option("#id_sex", "female")
        page.fill("#id_birth_date", "1998-04-12")
        page.select_option("#id_mentor", str(introducers[0].pk))
        page.fill("#id_awareness_certificate_date", "2026-10-20")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        candidate = Candidate.objects.get(full_name=NAME)
        assert page.url.endswith(f"/lifecycle/candidate/{candidate.pk}/")
        # R3.4: the certificate is valid 60 months: 20/10/2026 -> 20/10/2031.
        card = deadline_card(page)
        assert "20/10/2031" in card and "60 tháng" in card, card
        assert "28 năm 7 tháng" in page.inner_text("main")  # R3.1 age counted in months
        shot(page, screenshot_dir, "01-candidate")

        record_step(page, "application", {"day": "2026-12-01"})

    with on(datetime.date(2026, 12, 18)):
        log_in(page, "bithu.khoi1")
        page.goto(f"/lifecycle/candidate/{candidate.pk}/")
        record_step(page, "personal_history", {"day": "2026-12-18"})

    with on(datetime.date(2027, 1, 20)):
        log_in(page, "bithu.khoi1")
        page.goto(f"/lifecycle/candidate/{candidate.pk}/")
        record_step(page, "verification", {"day": "2027-01-20"})
        for introducer in introducers:
            record_step(
                page,
                "introducers",
                {"member": str(introducer.pk), "known_since": "2024-05-01", "day": "2027-01-20"},
            )

    with on(datetime.date(2027, 1, 26)):
        log_in(page, "bithu.khoi1")
        page.goto(f"/lifecycle/candidate/{candidate.pk}/")
        record_step(
            page, "opinions", {"mass_organisations": "2027-01-22", "residence": "2027-01-25"}
        )
        steps = page.locator(".candidate-steps").inner_text()
        assert "25/01/2027" in steps and introducers[1].full_name in steps
        shot(page, screenshot_dir, "02-steps")

    # -- 3 February 2027: the cell meeting votes (at least two thirds, R2.5) ----------------------
    resolution_day = datetime.date(2027, 2, 3)
    with on(resolution_day):
        log_in(page, "bithu.khoi1")
        cell_vote(
            page,
            cell,
            secretary,
            minute_taker,
            resolution_day,
            title=f"Đề nghị kết nạp quần chúng {NAME}",
            subject="admission",
        )
        shot(page, screenshot_dir, "03-admission-vote")
        page.goto(f"/lifecycle/candidate/{candidate.pk}/")
        vote_option = page.locator(f"#id_resolution-vote option:has-text('{NAME}')").get_attribute(
            "value"
        )
        record_step(page, "resolution", {"vote": vote_option})
        candidate.refresh_from_db()
        assert candidate.resolution_date == resolution_day

    # -- 22 February 2027: the ward committee's decision; the ceremony deadline appears ---------
    decision_day = datetime.date(2027, 2, 22)
    with on(decision_day):
        log_in(page, "bithu.khoi1")
        page.goto(f"/lifecycle/candidate/{candidate.pk}/")
        record_step(page, "decision", {"day": "2027-02-22", "number": "215-QĐ/ĐU"})
        ceremony_by = add_working_days(decision_day, 30)
        card = deadline_card(page)
        assert vn(ceremony_by) in card and "30 ngày làm việc" in card, card
        shot(page, screenshot_dir, "04-decision")

    # -- 15 March 2027: the ceremony; she is a probationary member --------------------------------
    ceremony_day = datetime.date(2027, 3, 15)
    with on(ceremony_day):
        log_in(page, "bithu.khoi1")
        page.goto(f"/lifecycle/candidate/{candidate.pk}/")
        record_step(page, "ceremony", {"day": "2027-03-15"})
        card = deadline_card(page)
        assert vn(add_working_days(ceremony_day, 30)) in card, card  # R3.7 personal history
        candidate.refresh_from_db()
        member = candidate.member
        assert member.status == MemberStatus.PROBATIONARY
        assert member.admission_decision_date == decision_day
        shot(page, screenshot_dir, "05-ceremony")

        # R3.8: probation 12 months from the ceremony: 15/03/2027 -> 15/03/2028.
        page.goto(f"/lifecycle/probation/{cell.pk}/")
        row = page.locator(f"#member-{member.pk}").inner_text()
        assert "15/03/2028" in row, row

    # -- 20 March 2028: probation over; recognition is due within 30 working days -----------------
    recognition_meeting_day = datetime.date(2028, 3, 20)
    recognise_by = add_working_days(datetime.date(2028, 3, 15), 30)
    with on(recognition_meeting_day):
        log_in(page, "bithu.khoi1")
        page.goto(f"/lifecycle/probation/{cell.pk}/?state=due")
        row = page.locator(f"#member-{member.pk}")
        assert vn(recognise_by) in row.inner_text()
        shot(page, screenshot_dir, "06-recognition-due")
        cell_vote(
            page,
            cell,
            secretary,
            minute_taker,
            recognition_meeting_day,
            title=f"Công nhận đảng viên chính thức cho đồng chí {NAME}",
            subject="recognition",
            member=member,
        )

    # -- 27 March 2028: the ward committee's decision is recorded; she is an official member ------
    with on(datetime.date(2028, 3, 27)):
        log_in(page, "bithu.khoi1")
        page.goto(f"/lifecycle/probation/{cell.pk}/?state=due")
        row = page.locator(f"#member-{member.pk}")
        assert vn(recognise_by) in row.inner_text()
        row.locator("summary").click()
        row.locator(f"#id_recognise-{member.pk}-decision_date").fill("2028-03-27")
        with page.expect_navigation():
            row.locator("form[action$='/recognise/'] button[type=submit]").click()
        member.refresh_from_db()
        assert member.status == MemberStatus.OFFICIAL, page.inner_text("main")
        # R3.9 (recognition.effective_date): official from the end of the 12 months, not from
        # the decision date.
        assert member.official_date == datetime.date(2028, 3, 15)
        page.goto(f"/members/{member.pk}/")
        assert "Chính thức" in page.inner_text("main")
        shot(page, screenshot_dir, "07-official")
