"""Roll call: the rows the meeting opens with, the summary the minutes need (DOMAIN §1.4 step 4,
§1.7), the attendance rate and the warnings of R1.5 criterion 1 (Hướng dẫn 12-HD/BTCTW):
attendance above 85%, no member absent more than 3 times in a row in the year."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from chibo.meetings import selectors, services
from chibo.meetings.models import AttendanceStatus, MemberCategory
from chibo.members import services as member_services
from chibo.members.models import MemberStatus
from tests.conftest import make_member
from tests.meetings.factories import add_members, at, make_meeting, mark_all, open_meeting

PRESENT = AttendanceStatus.PRESENT
EXCUSED = AttendanceStatus.ABSENT_EXCUSED
UNEXCUSED = AttendanceStatus.ABSENT_UNEXCUSED


def set_status(member, status):
    member_services.member_change_status(
        actor=None, member=member, status=status, effective_date=datetime.date(2026, 6, 1)
    )


def mark(world, meeting, member, status, reason=""):
    return services.attendance_mark(
        actor=world.an_user, meeting=meeting, member_id=member.pk, status=status, reason=reason
    )


def summary_of(meeting):
    return selectors.roll_call_summary(selectors.attendance_rows(meeting))


def warnings_of(meeting):
    rows = selectors.attendance_rows(meeting)
    return selectors.attendance_warnings(meeting, selectors.roll_call_summary(rows))


@pytest.fixture
def mixed_cell(world):
    """Khối 1: An and Bình (official), 2 probationary, 1 temporarily attached, 1 exempted
    from activity, and 1 transferred out (no longer on the roll)."""
    probationary = add_members(world.khoi1, 2, official=False, prefix="Dự bị")
    attached = make_member(world.khoi1, "Hoàng Văn Giang")
    set_status(attached, MemberStatus.TEMPORARILY_ATTACHED)
    exempted = make_member(world.khoi1, "Vũ Thị Hoa", sex="female", birth=datetime.date(1940, 1, 1))
    set_status(exempted, MemberStatus.EXEMPTED)
    gone = make_member(world.khoi1, "Đỗ Văn Khánh")
    set_status(gone, MemberStatus.TRANSFERRED_OUT)
    return {
        "probationary": probationary,
        "attached": attached,
        "exempted": exempted,
        "gone": gone,
    }


@pytest.mark.django_db
def test_roll_call_has_one_row_per_active_member_with_its_category(world, mixed_cell):
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    rows = {row.member_id: row for row in meeting.attendance.all()}
    assert len(rows) == 6  # the transferred member and Khối 2's members are not on the roll
    assert mixed_cell["gone"].pk not in rows and world.cuc.pk not in rows
    assert rows[world.an.pk].category == MemberCategory.OFFICIAL
    assert rows[world.binh.pk].category == MemberCategory.OFFICIAL
    assert {rows[m.pk].category for m in mixed_cell["probationary"]} == {
        MemberCategory.PROBATIONARY
    }
    assert rows[mixed_cell["attached"].pk].category == MemberCategory.TEMPORARILY_ATTACHED
    exempted = rows[mixed_cell["exempted"].pk]
    assert (exempted.category, exempted.status) == (
        MemberCategory.EXEMPTED,
        AttendanceStatus.EXEMPT,
    )
    # Everyone else starts "not called".
    assert sum(1 for row in rows.values() if row.status == "") == 5


@pytest.mark.django_db
def test_summary_counts_categories_present_and_absent_with_names_and_reasons(world, mixed_cell):
    """§1.7: totals by category, exempted, present by category, absent each with a name and
    excused or unexcused — computed, not typed."""
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    first, second = mixed_cell["probationary"]
    mark(world, meeting, world.an, PRESENT)
    mark(world, meeting, world.binh, AttendanceStatus.LATE, "Tắc đường")
    mark(world, meeting, first, PRESENT)
    mark(world, meeting, second, EXCUSED, "Ốm, nằm viện")
    mark(world, meeting, mixed_cell["attached"], UNEXCUSED)

    summary = summary_of(meeting)
    assert summary.total == 6
    assert summary.by_category == {
        "official": 2,
        "probationary": 2,
        "temporarily_attached": 1,
        "exempted": 1,
        "suspended": 0,
    }
    assert summary.exempted == 1
    assert summary.present == 3 and summary.late == 1
    assert summary.present_by_category["official"] == 2
    assert summary.present_by_category["probationary"] == 1
    assert summary.present_by_category["temporarily_attached"] == 0
    assert [(a.name, a.reason) for a in summary.absent_excused] == [("Dự bị 02", "Ốm, nằm viện")]
    assert [(a.name, a.category) for a in summary.absent_unexcused] == [
        ("Hoàng Văn Giang", "temporarily_attached")
    ]
    assert summary.absent == 2 and summary.not_called == 0
    # The exempted member who stays away is not expected: 6 on the roll − 1 = 5; 3 of 5 = 60%.
    assert summary.denominator == 5
    assert summary.rate == Decimal("60.0")


@pytest.mark.django_db
def test_exempted_member_who_attends_counts_in_the_rate(world, mixed_cell):
    """R1.5 criterion 1: exempted members are left out of the count unless they attend."""
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    mark(world, meeting, mixed_cell["exempted"], PRESENT)
    summary = summary_of(meeting)
    assert (summary.present, summary.denominator, summary.rate) == (6, 6, Decimal("100.0"))
    assert summary.present_by_category["exempted"] == 1


@pytest.mark.django_db
def test_reason_is_kept_for_absence_and_dropped_for_presence(world):
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    row, changed = mark(world, meeting, world.binh, EXCUSED, "  Đi công tác  ")
    assert changed and row.reason == "Đi công tác"
    row, changed = mark(world, meeting, world.binh, PRESENT, "Đi công tác")
    assert changed and row.reason == ""
    # The same mark again is not a change (a retried tap).
    row, changed = mark(world, meeting, world.binh, PRESENT)
    assert not changed and row.version == 3


@pytest.mark.django_db
def test_only_exempted_members_can_be_marked_exempted(world):
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    with pytest.raises(services.ServiceError) as refused:
        mark(world, meeting, world.binh, AttendanceStatus.EXEMPT)
    assert "miễn sinh hoạt theo nghị quyết của chi bộ" in refused.value.message
    assert meeting.attendance.get(member=world.binh).status == ""


def cell_of_twenty(world):
    return [world.an, world.binh, *add_members(world.khoi1, 18)]


@pytest.mark.django_db
def test_warning_at_85_percent_which_is_not_above_85(world):
    """R1.5 criterion 1 asks for attendance above 85%: 17 of 20 present is exactly 85%, not
    above it, so chibo warns (a warning, never a block — R2.9)."""
    members = cell_of_twenty(world)
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    for member in members[17:]:
        mark(world, meeting, member, EXCUSED, "Đi làm ca")
    mark_all(meeting)
    summary = summary_of(meeting)
    assert (summary.present, summary.denominator, summary.rate) == (17, 20, Decimal("85.0"))
    low = [w for w in warnings_of(meeting) if w.code == "attendance_low"]
    assert len(low) == 1
    assert low[0].text.startswith("Tỷ lệ dự họp là 85,0%, không trên 85%.")
    assert "Hướng dẫn 12-HD/BTCTW" in low[0].text
    # The meeting can still be closed: the warning does not block.
    services.meeting_close(actor=world.an_user, meeting=meeting, ended_at=at(meeting.date, 21))


@pytest.mark.django_db
def test_no_warning_at_90_percent(world):
    """18 of 20 present is 90%, above 85%: no attendance warning."""
    members = cell_of_twenty(world)
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    for member in members[18:]:
        mark(world, meeting, member, EXCUSED, "Đi làm ca")
    mark_all(meeting)
    assert summary_of(meeting).rate == Decimal("90.0")
    assert [w for w in warnings_of(meeting) if w.code == "attendance_low"] == []


@pytest.mark.django_db
def test_no_attendance_warning_before_the_roll_call_is_finished(world):
    members = cell_of_twenty(world)
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    for member in members[:5]:
        mark(world, meeting, member, PRESENT)
    assert [w for w in warnings_of(meeting) if w.code == "attendance_low"] == []


def held_meeting(world, day, absent=(), chair=None):
    """A closed regular meeting of Khối 1 on `day` where `absent` were absent with reason."""
    meeting = make_meeting(world.khoi1, date=day)
    open_meeting(meeting, chair or world.an, world.an)
    for member in absent:
        mark(world, meeting, member, EXCUSED, "Đi công tác xa")
    mark_all(meeting)
    services.meeting_close(actor=world.an_user, meeting=meeting, ended_at=at(day, 21))
    return meeting


@pytest.mark.django_db
def test_warning_when_a_member_has_missed_three_meetings_in_a_row_this_year(world):
    """R1.5 criterion 1 / R1.13: Bình missed the August, September and October meetings of
    2026, so the November roll call warns — before she is called, and after."""
    for month in (8, 9, 10):
        held_meeting(world, datetime.date(2026, month, 3), absent=[world.binh])
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.an)
    streak = [w for w in warnings_of(meeting) if w.code == "absence_streak"]
    assert len(streak) == 1
    assert streak[0].text.startswith(
        "Đồng chí Trần Thị Bình đã vắng 3 buổi sinh hoạt liên tiếp trong năm."
    )
    mark(world, meeting, world.binh, EXCUSED, "Đi công tác xa")
    streak = [w for w in warnings_of(meeting) if w.code == "absence_streak"]
    assert "đã vắng 4 buổi sinh hoạt liên tiếp" in streak[0].text


@pytest.mark.django_db
def test_two_absences_in_a_row_give_no_warning(world):
    """2 meetings missed in a row is within the rule (more than 3 fails, 3 warns)."""
    held_meeting(world, datetime.date(2026, 8, 3))
    for month in (9, 10):
        held_meeting(world, datetime.date(2026, month, 3), absent=[world.binh])
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.an)
    assert [w for w in warnings_of(meeting) if w.code == "absence_streak"] == []


@pytest.mark.django_db
def test_attending_breaks_the_run(world):
    """Absent in August and September, present in October: the run is broken."""
    for month in (8, 9):
        held_meeting(world, datetime.date(2026, month, 3), absent=[world.binh])
    held_meeting(world, datetime.date(2026, 10, 3))
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.an)
    mark(world, meeting, world.binh, EXCUSED, "Ốm")
    assert selectors.absence_streaks(meeting)[world.binh.pk] == 1
    assert [w for w in warnings_of(meeting) if w.code == "absence_streak"] == []


@pytest.mark.django_db
def test_the_run_starts_again_each_year(world):
    """ "In the year": absent in October, November and December 2025, the January 2026 roll
    call gives no warning."""
    for month in (10, 11, 12):
        held_meeting(world, datetime.date(2025, month, 3), absent=[world.binh])
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 1, 5))
    open_meeting(meeting, world.an, world.an)
    assert [w for w in warnings_of(meeting) if w.code == "absence_streak"] == []
    mark(world, meeting, world.binh, EXCUSED, "Ốm")
    assert selectors.absence_streaks(meeting)[world.binh.pk] == 1


@pytest.mark.django_db
def test_cancelled_meetings_do_not_count_in_the_run(world):
    """A cancelled September meeting is not a meeting Bình missed."""
    held_meeting(world, datetime.date(2026, 8, 3), absent=[world.binh])
    cancelled = make_meeting(world.khoi1, date=datetime.date(2026, 9, 3))
    services.meeting_cancel(actor=world.an_user, meeting=cancelled, reason="Mưa bão")
    held_meeting(world, datetime.date(2026, 10, 3), absent=[world.binh])
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.an)
    assert [w for w in warnings_of(meeting) if w.code == "absence_streak"] == []
