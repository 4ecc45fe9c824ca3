"""The rollups' figures as the rules define them (reports.rollups' docstring), kept up to date by
the services that change what they count, and recounted by `rebuild` / `rebuild_rollups`."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from chibo.meetings import selectors, services
from chibo.meetings.models import AttendanceStatus, Meeting, MeetingKind, MeetingRating
from chibo.orgs import services as org_services
from chibo.orgs.services_rules import rule_override_create
from chibo.reports import rollups
from chibo.reports.models import CellMonth, MonthState, OrgMonth
from chibo.supervision.models import VisitorRole
from chibo.supervision.services_visits import visit_record
from tests.conftest import make_member
from tests.meetings.factories import at

NOVEMBER = datetime.date(2026, 11, 1)
TODAY = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def after_the_meetings():
    with time_machine.travel(TODAY, tick=False):
        yield


def schedule(cell, day: int, kind: str = MeetingKind.REGULAR, **extra) -> Meeting:
    return services.meeting_create(
        actor=None,
        organization=cell,
        kind=kind,
        date=NOVEMBER.replace(day=day),
        time=datetime.time(19, 30),
        **extra,
    )


def hold(meeting: Meeting, chair, taker, marks: dict, *, minutes: int = 100) -> Meeting:
    services.meeting_open(
        actor=None,
        meeting=meeting,
        chair=chair,
        minute_taker=taker,
        started_at=at(meeting.date, 19, 30),
    )
    for member, status in marks.items():
        services.attendance_mark(
            actor=None,
            meeting=meeting,
            member_id=member.pk,
            status=status,
            reason="Ốm" if status == AttendanceStatus.ABSENT_EXCUSED else "",
        )
    services.attendance_mark_rest_present(actor=None, meeting=meeting)
    services.meeting_close(
        actor=None,
        meeting=meeting,
        ended_at=at(meeting.date, 19, 30) + datetime.timedelta(minutes=minutes),
    )
    meeting.refresh_from_db()
    return meeting


def month_of(cell, period=NOVEMBER) -> CellMonth:
    return CellMonth.objects.get(cell=cell, period=period)


def org_month(organization, period=NOVEMBER) -> OrgMonth:
    return OrgMonth.objects.get(organization=organization, period=period)


def figures(model, **filters) -> list[dict]:
    rows = []
    for row in model.objects.filter(**filters).order_by("pk").values():
        row.pop("id")
        row.pop("updated_at", None)
        rows.append(row)
    return sorted(rows, key=repr)


def assert_equals_a_recount() -> None:
    incremental = figures(CellMonth), figures(OrgMonth)
    rollups.rebuild()
    assert (figures(CellMonth), figures(OrgMonth)) == incremental


@pytest.fixture
def ward_policy(world):
    """The ward's cells meet on the 10th (2026-11-10 is a Tuesday)."""
    return services.policy_set(actor=None, organization=world.ward, day_of_month=10)


# -- the dates of the rules ----------------------------------------------------------------------


def test_notice_and_sign_due_follow_the_central_rules(world):
    # meeting.notice_days_before = 1 and meeting.final_upload_days_after = 2 (HD 42/2025).
    schedule(world.khoi1, 14)
    row = month_of(world.khoi1)
    assert row.state == MonthState.PLANNED
    assert row.meeting_date == datetime.date(2026, 11, 14)
    assert row.notice_due == datetime.date(2026, 11, 13)
    assert row.sign_due == datetime.date(2026, 11, 16)
    assert row.published_on is None


def test_a_committee_override_of_the_notice_rule_moves_notice_due(world):
    rule_override_create(
        actor=None,
        organization=world.ward,
        key="meeting.notice_days_before",
        value=5,
        regulation="Quyết định 12-QĐ/ĐU",
        clause="Điều 3",
        effective_from=datetime.date(2026, 1, 1),
    )
    schedule(world.khoi1, 14)
    schedule(world.other_cell, 14)
    assert month_of(world.khoi1).notice_due == datetime.date(2026, 11, 9)
    assert month_of(world.other_cell).notice_due == datetime.date(2026, 11, 13)


def test_an_override_made_after_the_meeting_was_scheduled_is_counted_too(world):
    schedule(world.khoi1, 14)
    rule_override_create(
        actor=None,
        organization=world.ward,
        key="meeting.final_upload_days_after",
        value=7,
        regulation="Quyết định 12-QĐ/ĐU",
        clause="Điều 4",
        effective_from=datetime.date(2026, 1, 1),
    )
    assert month_of(world.khoi1).sign_due == datetime.date(2026, 11, 21)
    assert_equals_a_recount()


# -- held late against the policy's day ----------------------------------------------------------


def test_held_after_the_policy_day_is_late_and_on_it_is_not(world, ward_policy):
    hold(schedule(world.khoi1, 14), world.an, world.binh, {})
    hold(schedule(world.khoi2, 10), world.cuc, world.dung, {})
    late, on_time = month_of(world.khoi1), month_of(world.khoi2)
    assert late.scheduled_date == on_time.scheduled_date == datetime.date(2026, 11, 10)
    assert (late.state, late.regular_held, late.held_late) == (MonthState.HELD, 1, True)
    assert (on_time.regular_held, on_time.held_late) == (1, False)
    ward = org_month(world.ward)
    assert (ward.cells, ward.regular_held, ward.held_late) == (2, 2, 1)


def test_a_cell_without_a_policy_is_never_late(world):
    giang = make_member(world.other_cell, "Hoàng Thị Giang")
    hai = make_member(world.other_cell, "Vũ Văn Hải")
    hold(schedule(world.other_cell, 27), giang, hai, {})
    row = month_of(world.other_cell)
    assert (row.scheduled_date, row.held_late, row.regular_held) == (None, False, 1)


def test_a_policy_changed_afterwards_recounts_held_late(world, ward_policy):
    hold(schedule(world.khoi1, 14), world.an, world.binh, {})
    assert month_of(world.khoi1).held_late is True
    services.policy_set(actor=None, organization=world.ward, day_of_month=20)
    row = month_of(world.khoi1)
    assert (row.scheduled_date, row.held_late) == (datetime.date(2026, 11, 20), False)
    assert org_month(world.ward).held_late == 0
    assert_equals_a_recount()


# -- the roll call as the meeting page counts it ---------------------------------------------------


def test_roll_call_figures_equal_the_meeting_pages_summary(world):
    chau = make_member(world.khoi1, "Đỗ Minh Châu")
    dao = make_member(world.khoi1, "Bùi Văn Đạo")
    meeting = schedule(world.khoi1, 3)
    meeting = hold(
        meeting,
        world.an,
        world.binh,
        {
            world.binh: AttendanceStatus.LATE,
            chau: AttendanceStatus.ABSENT_EXCUSED,
            dao: AttendanceStatus.ABSENT_UNEXCUSED,
        },
    )
    services.speech_add(actor=None, meeting=meeting, member=world.binh, summary="Ý kiến một")
    summary = selectors.roll_call_summary(selectors.attendance_rows(meeting))
    row = month_of(world.khoi1)
    assert row.expected == summary.denominator == 4
    assert row.present == summary.present == 2
    assert row.absent_excused == len(summary.absent_excused) == 1
    assert row.absent_unexcused == len(summary.absent_unexcused) == 1
    assert row.duration_minutes == 100


def test_speakers_are_distinct_members(world):
    meeting = hold(schedule(world.khoi1, 3), world.an, world.binh, {})
    for summary in ("Ý kiến một", "Ý kiến hai"):
        services.speech_add(actor=None, meeting=meeting, member=world.binh, summary=summary)
    services.speech_add(actor=None, meeting=meeting, member=world.an, summary="Kết luận")
    assert month_of(world.khoi1).speakers == 2
    assert org_month(world.ward).speakers == 2


# -- the effective rating ----------------------------------------------------------------------


def test_the_latest_visit_adjustment_is_the_rating(world):
    meeting = hold(schedule(world.khoi1, 3), world.an, world.binh, {})
    own = month_of(world.khoi1).rating
    assert own in MeetingRating.values
    visit_record(
        actor=world.cuc_user,
        meeting=meeting,
        visitor=world.cuc,
        role=VisitorRole.UPPER_MEMBER,
        adjusted_rating=MeetingRating.GOOD,
        adjustment_reason="Chuẩn bị chu đáo",
    )
    assert month_of(world.khoi1).rating == MeetingRating.GOOD
    assert org_month(world.ward).rated_good == 1
    assert_equals_a_recount()


# -- months and moves ----------------------------------------------------------------------


def test_a_thematic_meeting_moved_to_another_month_leaves_the_first(world):
    meeting = schedule(world.khoi1, 20, kind=MeetingKind.THEMATIC, topic="Học tập Nghị quyết")
    assert month_of(world.khoi1).state == MonthState.NONE  # no regular meeting that month
    services.meeting_reschedule(
        actor=None,
        meeting=meeting,
        date=datetime.date(2026, 12, 2),
        time=datetime.time(19, 30),
        place="Nhà văn hóa",
        reason="Trùng lịch",
    )
    assert not CellMonth.objects.filter(cell=world.khoi1, period=NOVEMBER).exists()
    assert not OrgMonth.objects.filter(period=NOVEMBER).exists()
    assert month_of(world.khoi1, datetime.date(2026, 12, 1)).meeting_id is None
    assert_equals_a_recount()


def test_a_cell_moved_to_another_committee_is_counted_there(world):
    schedule(world.khoi2, 10)
    org_services.organization_move(
        actor=None,
        organization=world.khoi2,
        new_parent=world.other_ward,
        new_code="38.201.000.000.002",
        effective_date=datetime.date(2026, 11, 20),
        reason="Sáp nhập đơn vị hành chính",
    )
    world.khoi2.refresh_from_db()
    assert month_of(world.khoi2).path == world.khoi2.path
    assert org_month(world.other_ward).cells == 1
    assert not OrgMonth.objects.filter(organization=world.ward, period=NOVEMBER).exists()
    assert_equals_a_recount()


def test_a_unit_created_before_its_siblings_in_code_order_keeps_their_rows_in_place(world):
    # Units are kept sorted by code: Khối 0 takes Khối 1's place and renumbers its siblings.
    schedule(world.khoi1, 10)
    schedule(world.khoi2, 10)
    org_services.organization_create(
        actor=None, parent=world.ward, name="Chi bộ Khối 0", kind="cell", code="38.168.000.000.000"
    )
    for cell in (world.khoi1, world.khoi2):
        cell.refresh_from_db()
        assert month_of(cell).path == cell.path
    assert_equals_a_recount()


def test_a_changed_cell_type_is_the_rows_cell_type(world):
    schedule(world.khoi1, 10)
    org_services.organization_update(actor=None, organization=world.khoi1, cell_type="enterprise")
    assert month_of(world.khoi1).cell_type == "enterprise"


# -- rebuild and the command ----------------------------------------------------------------------


def test_a_rebuild_of_one_subtree_leaves_the_others_untouched(world):
    schedule(world.khoi1, 10)
    schedule(world.other_cell, 10)
    CellMonth.objects.filter(cell=world.khoi1).update(present=99)
    CellMonth.objects.filter(cell=world.other_cell).update(present=77)
    OrgMonth.objects.filter(organization=world.other_ward).update(present=77)
    other_before = figures(CellMonth, cell=world.other_cell)

    stats = rollups.rebuild(world.ward)

    assert (stats.cells, stats.cell_months) == (2, 1)
    assert month_of(world.khoi1).present == 0
    assert figures(CellMonth, cell=world.other_cell) == other_before
    assert org_month(world.other_ward).present == 77
    # The committees above the subtree are recounted from their cells' rows as they are.
    assert org_month(world.province).present == 77


def test_the_rebuild_rollups_command(world):
    schedule(world.khoi1, 10)
    schedule(world.other_cell, 10)
    incremental = figures(CellMonth), figures(OrgMonth)
    CellMonth.objects.all().delete()
    OrgMonth.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert out.getvalue().startswith("3 cells, 2 cell-months, ")
    assert (figures(CellMonth), figures(OrgMonth)) == incremental

    out = io.StringIO()
    call_command("rebuild_rollups", "--org", world.other_ward.code, stdout=out)
    assert out.getvalue().startswith("1 cells, 1 cell-months, ")
    with pytest.raises(CommandError, match="No organization with code 99.999"):
        call_command("rebuild_rollups", "--org", "99.999")


def test_the_rebuild_job_recounts_a_subtree_or_everything(world):
    """`rebuild_rollups --background` queues the job (run at once in tests): the whole tree
    (through the SQL rebuild on PostgreSQL) or one subtree comes back equal to the maintained
    rows."""
    schedule(world.khoi1, 10)
    schedule(world.other_cell, 10)
    incremental = figures(CellMonth), figures(OrgMonth)
    CellMonth.objects.all().delete()
    OrgMonth.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_rollups", "--background", stdout=out)
    assert out.getvalue().strip() == "Rebuild queued for the job consumer."
    assert (figures(CellMonth), figures(OrgMonth)) == incremental

    CellMonth.objects.filter(cell=world.other_cell).delete()
    call_command("rebuild_rollups", "--background", "--org", world.other_ward.code, stdout=out)
    assert (figures(CellMonth), figures(OrgMonth)) == incremental
