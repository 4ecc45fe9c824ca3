"""A whole cell meeting on a phone (360 px), as the secretary and the minute-taker of Chi bộ
Khối 1 would run it: schedule, prepare, publish, open (a day before the scheduled day), roll
call, agenda notes, speeches, assignments, a vote that passes and one that fails, close, score,
two signatures, then the upper-level member following the cell confirms the score after
signing, from their home page — and the signed PDFs' text (pypdf) is checked: the actual times
and date (issue 9, item 10), the guest's title, the recipients and the verification link
(item 11). Each step leaves a screenshot in test-artifacts/screenshots/meeting-*.png."""

import datetime
import io
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from chibo.core.exports.layout import day_month_year
from chibo.core.rules import ancestor_paths
from chibo.meetings.models import Meeting, MeetingStatus, SignedFile
from chibo.members.models import Member, MemberStatus
from chibo.notify.models import Notification
from chibo.orgs.models import Organization, Position, Role
from tests.e2e.pages import log_in, log_out

pytestmark = pytest.mark.e2e
PUBLIC_URL = "https://chibo.hungphu.example.vn"


def shot(page, screenshot_dir, name):
    page.screenshot(path=str(screenshot_dir / f"meeting-{name}-phone.png"), full_page=True)


def pdf_text(content: bytes) -> str:
    """The text of a PDF chibo rendered, page after page, as pypdf extracts it."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def spoken_date(day: datetime.date) -> str:
    with translation.override("vi"):
        return day_month_year(day)


def test_a_whole_meeting_on_a_phone(new_page, screenshot_dir, settings, live_server):
    # The documents print the configured public address, never the host the signer used.
    settings.CHIBO_PUBLIC_URL = PUBLIC_URL
    cell = Organization.objects.get(name="Chi bộ Khối 1")
    secretary = Position.objects.current().get(organization=cell, role=Role.SECRETARY).member
    minute_taker = Member.objects.get(user__username="dangvien.khoi1")
    roll = list(
        Member.objects.filter(cell=cell).exclude(
            status__in=["transferred_out", "removed", "deceased"]
        )
    )
    upper_member = Member.objects.get(user__username="capuy.khoi1")
    today = timezone.localdate()
    scheduled = today + datetime.timedelta(days=1)
    page = new_page(phone=True)
    log_in(page, "bithu.khoi1")

    # -- schedule: a thematic meeting tomorrow at 20:30 (it will be held today) -----------------
    page.goto(f"/meetings/cell/{cell.pk}/")
    page.locator("[data-bs-target='#schedule'], a[href='#schedule']").first.click()
    page.select_option("#id_kind", "thematic")
    page.fill("#id_date", scheduled.isoformat())
    page.fill("#id_time", "20:30")
    page.fill("#id_topic", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
    shot(page, screenshot_dir, "01-schedule")
    with page.expect_navigation():
        page.locator("#schedule button[type=submit]").click()
    meeting = Meeting.objects.filter(organization=cell, kind="thematic", date=scheduled).get()

    # -- prepare: preparatory meeting, agenda, draft resolution, publish --------------------------
    page.goto(f"/meetings/{meeting.pk}/prepare/")
    page.fill("#preparation input[name=held_on]", (today - datetime.timedelta(days=2)).isoformat())
    page.locator(f"#preparation input[name=participants][value='{secretary.pk}']").check()
    page.locator(f"#preparation input[name=participants][value='{minute_taker.pk}']").check()
    page.fill(
        "#preparation textarea[name=agreed]", "Thống nhất nội dung, phân công chuẩn bị dự thảo."
    )
    with page.expect_navigation():
        page.locator("#preparation button[type=submit]").click()
    page.locator("#agenda-editor button[type=submit]").first.click()
    page.wait_for_selector("#agenda-editor li[id^=agenda-item-]")
    page.fill("#details textarea[name=resolution_draft]", "Dự thảo nghị quyết chuẩn bị Đại hội.")
    with page.expect_navigation():
        page.locator("#details button[type=submit]").click()
    shot(page, screenshot_dir, "02-prepare")
    with page.expect_navigation():
        page.locator("#publish button[type=submit]").click()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PREPARED
    shot(page, screenshot_dir, "03-published")

    # -- open: today, a day before the scheduled day; the follower is the suggested guest ----------
    page.goto(f"/meetings/{meeting.pk}/open/")
    assert page.input_value("#id_guest_member") == str(upper_member.pk)
    page.select_option("#id_chair", str(secretary.pk))
    page.select_option("#id_minute_taker", str(minute_taker.pk))
    page.fill("#id_started_at", f"{today.isoformat()}T19:30")
    shot(page, screenshot_dir, "04-open")
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_PROGRESS

    # -- roll call: one tap per member; one absent with a reason ----------------------------------
    absent = next(m for m in roll if m.pk not in (secretary.pk, minute_taker.pk))
    row = page.locator(f"#att-{absent.pk}")
    row.locator("input[name=reason]").fill("Đi công tác")
    row.locator("button[value=absent_excused]").click()
    page.wait_for_selector(f"#att-{absent.pk}[data-status=absent_excused]")
    for member in roll:
        if member.pk == absent.pk or member.status == MemberStatus.EXEMPTED:
            continue
        page.locator(f"#att-{member.pk} button[value=present]").click()
        page.wait_for_selector(f"#att-{member.pk}[data-status=present]")
    summary = page.locator("#rollcall-summary").inner_text()
    shot(page, screenshot_dir, "05-rollcall")
    present = len([m for m in roll if m.status != MemberStatus.EXEMPTED]) - 1
    assert str(present) in summary

    # -- agenda notes and speeches ----------------------------------------------------------------
    page.goto(f"/meetings/{meeting.pk}/live/?tab=agenda")
    item = meeting.agenda_items.get(step="review")
    page.fill(f"#id_item{item.pk}-notes", "Chi bộ hoàn thành các nhiệm vụ tháng trước.")
    page.fill(f"#id_item{item.pk}-conclusion", "Tiếp tục phát huy.")
    # Saved when the form comes back (htmx swaps the tab) with the item's next version.
    version = page.locator(f"#id_item{item.pk}-version")
    saved_version = version.input_value()
    page.locator(f"#item-{item.pk} button[type=submit]").click()
    expect(version).not_to_have_value(saved_version)
    speakers = [secretary, minute_taker, absent if False else roll[2]]
    for number, speaker in enumerate(speakers, start=1):
        form = page.locator("#speech-form")
        form.locator("select[name=member]").select_option(str(speaker.pk))
        form.locator("select[name=agenda_item]").select_option(str(item.pk))
        form.locator("textarea[name=summary]").fill(
            f"Ý kiến số {number} về công tác chuẩn bị Đại hội."
        )
        form.locator("button[type=submit]").click()
        page.wait_for_selector(f"text=Ý kiến số {number} về công tác chuẩn bị Đại hội.")
    shot(page, screenshot_dir, "06-speeches")

    # -- assignments ------------------------------------------------------------------------------
    page.goto(f"/meetings/{meeting.pk}/live/?tab=assignments")
    page.fill("#id_title", "Hoàn thiện báo cáo chính trị trình Đại hội")
    page.locator(f"input[name=members][value='{minute_taker.pk}']").check()
    page.fill("#id_due_date", (today + datetime.timedelta(days=20)).isoformat())
    page.locator("#assignments-tab button[type=submit]").last.click()
    page.wait_for_selector("text=Hoàn thiện báo cáo chính trị trình Đại hội")
    shot(page, screenshot_dir, "07-assignments")

    # -- votes: one passes, one fails -------------------------------------------------------------
    page.goto(f"/meetings/{meeting.pk}/live/?tab=votes")
    official = meeting.attendance.filter(category="official").count()
    official_present = meeting.attendance.filter(category="official", status="present").count()
    passing = official // 2 + 1
    failing = official // 2 - 1
    for title, subject, in_favour in (
        ("Nghị quyết chuẩn bị Đại hội chi bộ", "resolution", passing),
        ("Đề nghị tổ chức Đại hội sớm 3 tháng", "decision", failing),
    ):
        page.fill("#id_title", title)
        page.select_option("#id_subject", subject)
        page.fill("#id_in_favour", str(in_favour))
        page.fill("#id_against", str(official_present - in_favour))
        page.fill("#id_abstain", "0")
        page.locator("#votes-tab button[type=submit]").last.click()
        page.wait_for_selector(f".vote-result:has-text('{title}')")
    results = page.locator(".vote-result").all_inner_texts()
    assert "Thông qua" in results[0]
    assert "Không thông qua" in results[1]
    shot(page, screenshot_dir, "08-votes")

    # -- close (the start corrected to the actual 19:40) -----------------------------------------
    page.goto(f"/meetings/{meeting.pk}/live/?tab=close")
    page.fill("#id_started_at", f"{today.isoformat()}T19:40")
    page.fill("#id_ended_at", f"{today.isoformat()}T21:15")
    with page.expect_navigation():
        page.locator("#close-tab button[type=submit]").click()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED

    # -- score: enter the criteria chibo cannot measure -------------------------------------------
    for field in page.locator("#score-tab input[name^=points_]").all():
        field.fill(field.get_attribute("max"))
    with page.expect_navigation():
        page.locator("#score-tab button[type=submit]").first.click()
    score_text = page.locator("#score-result").inner_text()
    assert "/ 100" in score_text
    shot(page, screenshot_dir, "09-score")

    # -- sign: the chair, then the minute-taker ---------------------------------------------------
    page.goto(f"/meetings/{meeting.pk}/live/?tab=record")
    number = page.locator("#record-number").inner_text()
    assert re.fullmatch(r"Số \d\d-NQ/CB", number)
    page.fill("#id_password", "chibo-demo-2026")
    with page.expect_navigation():
        page.locator("#record-tab form[action$='/sign/'] button").click()
    shot(page, screenshot_dir, "10-signed-by-chair")
    log_out(page)
    log_in(page, "dangvien.khoi1")
    page.goto(f"/meetings/{meeting.pk}/live/?tab=record")
    page.fill("#id_password", "chibo-demo-2026")
    with page.expect_navigation():
        page.locator("#record-tab form[action$='/sign/'] button").click()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    fingerprint = page.locator("#fingerprint").inner_text()
    assert fingerprint == meeting.record.fingerprint
    shot(page, screenshot_dir, "11-signed")

    # -- after signing, the upper-level member following the cell is told and confirms -------
    assert Notification.objects.filter(
        recipient=upper_member.user, code="meeting.score_to_confirm"
    ).exists()
    log_out(page)
    log_in(page, "capuy.khoi1")
    page.goto("/")
    to_confirm = page.locator("#meetings-to-confirm")
    expect(to_confirm).to_contain_text("Buổi sinh hoạt chờ xác nhận điểm")
    shot(page, screenshot_dir, "12-home-to-confirm")
    with page.expect_navigation():
        to_confirm.locator(f"a[href='/meetings/{meeting.pk}/live/?tab=score']").click()
    with page.expect_navigation():
        page.locator("#confirm-after-signing button[type=submit]").click()
    assert upper_member.full_name in page.locator("#score-result").inner_text()
    shot(page, screenshot_dir, "13-score-confirmed-after-signing")
    meeting.refresh_from_db()
    assert meeting.score.confirmed_by == upper_member
    assert meeting.record.fingerprint == fingerprint  # the confirmation is not in the minutes
    page.goto("/")
    # Older meetings of the demo's history may still wait; this one no longer does.
    expect(page.locator(f"a[href='/meetings/{meeting.pk}/live/?tab=score']")).to_have_count(0)

    # -- the signed PDF says what happened --------------------------------------------------------
    response = page.request.get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert response.ok
    stored = SignedFile.objects.get(meeting=meeting, kind="minutes", format="pdf")
    assert response.body() == bytes(stored.content)
    text = pdf_text(response.body())
    flat = " ".join(text.split())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in flat
    assert secretary.full_name in flat and minute_taker.full_name in flat
    assert absent.full_name in flat and "Đi công tác" in flat
    assert f"Có mặt: {present} đồng chí" in flat
    assert "Vắng mặt: 1 đồng chí" in flat
    assert f"Tổng số đảng viên của chi bộ: {len(roll)} đồng chí" in flat
    assert f"{passing}/{official}" in flat.replace(" / ", "/")
    assert fingerprint in flat.replace(" ", "")
    # Item 10: the actual opening (today, 19:40) and close, not the schedule (tomorrow, 20:30).
    assert f"Vào lúc 19 giờ 40 phút, {spoken_date(today)}" in flat
    assert "kết thúc lúc 21 giờ 15 phút cùng ngày" in flat
    assert "20 giờ 30" not in flat and spoken_date(scheduled) not in flat
    # Item 11: the guest is titled by the upper committee, the link is the public address.
    ward = Organization.objects.get_parent(cell)
    assert (
        f"Đại biểu dự: đồng chí {upper_member.full_name}, Ủy viên {ward.name}, phụ trách "
        f"{cell.name}"
    ) in flat
    assert PUBLIC_URL + "/meetings/verify/" in "".join(text.split())
    assert live_server.url.split("//")[1] not in text and "127.0.0.1" not in text
    resolution = " ".join(
        pdf_text(page.request.get(f"/meetings/{meeting.pk}/resolution.pdf").body()).split()
    )
    assert number in resolution
    assert f"Ngày {today:%d/%m/%Y}" in resolution
    assert "từ 19 giờ 40 phút đến 21 giờ 15 phút" in resolution
    # Item 11: the recipients name the member following the cell, not those following the ward.
    assert f"Đồng chí {upper_member.full_name}, cấp ủy viên phụ trách chi bộ" in resolution
    ward_followers = Position.objects.current().filter(
        organization__path__in=ancestor_paths(ward.path), role=Role.UPPER_COMMITTEE_MEMBER
    )
    for position in ward_followers:
        assert position.member.full_name not in resolution
