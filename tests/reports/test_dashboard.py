"""The committee's dashboard (issue 12): the grid says what the meetings say, as of today; the
red flags rise and fall with the facts behind them and their lists name the same cells."""

import datetime
from decimal import Decimal

import pytest

from chibo.meetings import services
from chibo.meetings.models import MeetingKind
from chibo.orgs.models import Organization
from chibo.reports.grid import CellStatus
from chibo.reports.models import CellMonth
from chibo.reports.selectors_dashboard import (
    FLAG_KINDS,
    Sort,
    dashboard,
    flag_cells,
    red_flags,
)
from tests.meetings.factories import at, make_meeting, mark_all, open_meeting

pytestmark = pytest.mark.django_db

NOV = datetime.date(2026, 11, 1)
DEC = datetime.date(2026, 12, 1)


@pytest.fixture
def since_2024(world):
    """The test world's units exist since 2024 (they are created today by default)."""
    Organization.objects.update(active_from=datetime.date(2024, 1, 1))
    for unit in (world.ward, world.khoi1, world.khoi2, world.other_ward, world.province):
        unit.refresh_from_db()


def _status(board, cell, period):
    row = next(r for r in board.rows if r.cell.pk == cell.pk)
    return next(m for m in row.months if m.period == period)


def _flags(org, today):
    return {flag.code: flag.count for flag in red_flags(org, today=today)}


def test_a_held_meeting_shows_its_roll_call_and_a_link_to_the_meeting(world, since_2024):
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 11, 3))
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)

    # Being held: the square says so; its roll call counts from the closing (issue 13: the
    # live actions of a meeting in progress change no rollup).
    live = _status(
        dashboard(world.ward, today=datetime.date(2026, 11, 3), months=3), world.khoi1, NOV
    )
    assert live.status == CellStatus.LIVE and live.meeting_id == meeting.pk
    assert live.row.present == 0 and live.attendance is None
    services.meeting_close(actor=None, meeting=meeting, ended_at=at(meeting.date, 21))

    board = dashboard(world.ward, today=datetime.date(2026, 11, 4), months=3)

    assert board.cell_level
    assert board.months == [datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), NOV]
    assert [row.cell.name for row in board.rows] == ["Chi bộ Khối 1", "Chi bộ Khối 2"]
    square = _status(board, world.khoi1, NOV)
    assert square.status == CellStatus.HELD
    assert square.meeting_id == meeting.pk
    assert square.row.present == 2  # An and Bình, the cell's two members
    assert square.attendance == Decimal("100.0")
    assert square.spoke == Decimal("0.0")  # nobody has spoken yet
    assert _status(board, world.khoi2, NOV).status == CellStatus.NONE


def test_a_planned_meeting_is_planned_then_unpublished_late_then_not_held(world, since_2024):
    meeting = make_meeting(world.khoi2, date=datetime.date(2026, 11, 25))
    row = CellMonth.objects.get(cell=world.khoi2, period=NOV)
    assert row.notice_due < meeting.date

    def status(today):
        return _status(dashboard(world.ward, today=today, months=1, end=NOV), world.khoi2, NOV)

    assert status(row.notice_due).status == CellStatus.PLANNED
    late = status(row.notice_due + datetime.timedelta(days=1))
    assert late.status == CellStatus.UNPUBLISHED_LATE
    assert late.is_problem and late.published_late
    assert status(meeting.date + datetime.timedelta(days=1)).status == CellStatus.NOT_HELD


def test_the_unpublished_flag_rises_after_the_notice_deadline_and_lists_the_cell(world, since_2024):
    make_meeting(world.khoi2, date=datetime.date(2026, 11, 25))
    row = CellMonth.objects.get(cell=world.khoi2, period=NOV)
    before, after = row.notice_due, row.notice_due + datetime.timedelta(days=1)

    assert "unpublished_late" not in _flags(world.ward, before)
    assert _flags(world.ward, after)["unpublished_late"] == 1
    items = flag_cells(world.ward, "unpublished_late", today=after)
    assert [item.label for item in items] == ["Chi bộ Khối 2"]
    assert items[0].url == f"/meetings/{row.meeting_id}/"
    # The commune next door does not see the ward's cell.
    assert "unpublished_late" not in _flags(world.other_ward, after)
    # Past the meeting day it is a meeting not held, no longer a late notice.
    past = datetime.date(2026, 11, 26)
    flags = _flags(world.ward, past)
    assert "unpublished_late" not in flags
    assert flags["not_held"] == 1


def test_next_month_unscheduled_counts_the_cells_without_a_meeting_next_month(world, since_2024):
    today = datetime.date(2026, 11, 10)
    assert _flags(world.ward, today)["next_month_unscheduled"] == 2
    make_meeting(world.khoi1, date=datetime.date(2026, 12, 3))
    assert _flags(world.ward, today)["next_month_unscheduled"] == 1
    assert [i.label for i in flag_cells(world.ward, "next_month_unscheduled", today=today)] == [
        "Chi bộ Khối 2"
    ]
    # A cancelled meeting does not schedule the month.
    services.meeting_cancel(
        actor=None,
        meeting=make_meeting(world.khoi2, date=datetime.date(2026, 12, 4)),
        reason="Trùng lịch họp của phường",
    )
    assert _flags(world.ward, today)["next_month_unscheduled"] == 1


def test_unsigned_past_its_due_day_is_flagged(world, since_2024):
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 11, 3))
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    row = CellMonth.objects.get(cell=world.khoi1, period=NOV)

    assert "unsigned_late" not in _flags(world.ward, row.sign_due)
    late = row.sign_due + datetime.timedelta(days=1)
    assert _flags(world.ward, late)["unsigned_late"] == 1
    assert _status(dashboard(world.ward, today=late, end=NOV), world.khoi1, NOV).unsigned_late


def test_low_attendance_uses_the_rule_threshold(world, since_2024):
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 11, 3))
    open_meeting(meeting, world.an, world.binh)
    services.attendance_mark(actor=None, meeting=meeting, member_id=world.an.pk, status="present")
    services.attendance_mark(
        actor=None, meeting=meeting, member_id=world.binh.pk, status="absent_unexcused"
    )
    today = datetime.date(2026, 11, 4)
    # Counted from the closing; a correction after it (before signing) counts at once.
    assert "low_attendance" not in _flags(world.ward, today)
    services.meeting_close(actor=None, meeting=meeting, ended_at=at(meeting.date, 21))
    # One of two present: 50 %, under any threshold the rules set.
    assert _flags(world.ward, today)["low_attendance"] == 1
    items = flag_cells(world.ward, "low_attendance", today=today)
    assert items[0].label == "Chi bộ Khối 1" and "50.0%" in items[0].detail
    services.attendance_mark(actor=None, meeting=meeting, member_id=world.binh.pk, status="present")
    assert "low_attendance" not in _flags(world.ward, today)


def test_no_thematic_meeting_this_quarter_until_one_is_held(world, since_2024):
    today = datetime.date(2026, 11, 10)
    assert _flags(world.ward, today)["no_thematic"] == 2
    thematic = make_meeting(
        world.khoi1, kind=MeetingKind.THEMATIC, date=datetime.date(2026, 11, 5), topic="Chuyên đề"
    )
    # Scheduled is not held.
    assert _flags(world.ward, today)["no_thematic"] == 2
    open_meeting(thematic, world.an, world.binh)
    mark_all(thematic)
    services.meeting_close(actor=None, meeting=thematic, ended_at=at(thematic.date, 21))
    assert _flags(world.ward, today)["no_thematic"] == 1
    assert [i.label for i in flag_cells(world.ward, "no_thematic", today=today)] == [
        "Chi bộ Khối 2"
    ]


def test_cell_type_filter_and_sorts(world, since_2024):
    world.khoi2.cell_type = "village"
    world.khoi2.save()
    today = datetime.date(2026, 11, 4)
    board = dashboard(world.ward, today=today, cell_type="village")
    assert [r.cell.name for r in board.rows] == ["Chi bộ Khối 2"]
    make_meeting(world.khoi2, date=datetime.date(2026, 11, 2))  # not held: a problem
    board = dashboard(world.ward, today=today, sort=Sort.PROBLEMS)
    assert [r.cell.name for r in board.rows] == ["Chi bộ Khối 2", "Chi bộ Khối 1"]
    assert dashboard(world.ward, today=today, sort="nonsense").sort == Sort.NAME


def test_a_province_lists_its_units_with_their_sums(world, since_2024):
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 11, 3))
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    services.meeting_close(actor=None, meeting=meeting, ended_at=at(meeting.date, 21))
    make_meeting(world.khoi2, date=datetime.date(2026, 11, 5))

    board = dashboard(world.province, today=datetime.date(2026, 11, 10), months=2)

    assert not board.cell_level
    assert [r.unit.name for r in board.rows] == ["Đảng ủy phường Hưng Phú", "Đảng ủy xã Tân Sơn"]
    ward = board.rows[0].months[-1]
    assert (ward.cells, ward.held, ward.not_held, ward.missed) == (2, 1, 1, 0)  # Nov goes on
    assert ward.attendance == Decimal("100.0")
    assert board.rows[1].months[-1].row is None


# -- on the demo ---------------------------------------------------------------------------


@pytest.fixture
def ward(demo_data):
    return Organization.objects.get(code="38.168")


def test_the_demo_ward_has_24_cells_and_khoi2_alone_unpublished_late(ward):
    today = datetime.date.today()
    board = dashboard(ward, today=today)
    assert len(board.rows) == 24
    late = [
        row.cell.name
        for row in board.rows
        if any(m.status == CellStatus.UNPUBLISHED_LATE for m in row.months)
    ]
    assert late == ["Chi bộ Khối 2"]
    flags = {flag.code: flag for flag in red_flags(ward, today=today)}
    assert flags["unpublished_late"].count == 1
    assert flags["unpublished_late"].url == f"/reports/dashboard/{ward.pk}/flags/unpublished_late/"


def test_every_flag_count_matches_its_list(ward):
    today = datetime.date.today()
    for flag in red_flags(ward, today=today):
        items = flag_cells(ward, flag.code, today=today)
        assert len(items) == flag.count, flag.code
        assert all(item.url.startswith("/") for item in items)
    for code in FLAG_KINDS:
        flag_cells(ward, code, today=today)  # every list renders, raised or not


def test_falling_scores_are_drops_of_ten_points(ward):
    today = datetime.date.today()
    flagged = {item.label for item in flag_cells(ward, "falling_scores", today=today)}
    window = today.replace(day=1)
    for _month in range(4):
        window = (window - datetime.timedelta(days=1)).replace(day=1)
    for cell in Organization.objects.filter(path__startswith=ward.path, kind="cell"):
        scores = list(
            CellMonth.objects.filter(cell=cell, score__isnull=False, period__lte=today)
            .filter(period__gte=window)
            .order_by("period")
            .values_list("score", flat=True)
        )
        drop = len(scores) >= 2 and scores[-2] - scores[-1] >= 10
        assert (cell.name in flagged) == drop, cell.name
