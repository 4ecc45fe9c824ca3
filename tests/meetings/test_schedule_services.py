"""The schedule: the meeting policy's day of the month moved off Sundays and public holidays,
generation of the coming regular meetings (idempotent, never duplicating, never touching a
meeting already prepared or cancelled), one regular meeting a month (DOMAIN R1.1, Charter
Art. 24.2), moving and cancelling with a reason."""

from __future__ import annotations

import datetime

import pytest

from chibo.core.errors import ServiceError
from chibo.meetings import services
from chibo.meetings.models import (
    Meeting,
    MeetingKind,
    MeetingPolicy,
    MeetingStatus,
    NonWorkingDayShift,
)
from chibo.notify.models import Notification
from tests.conftest import make_org
from tests.meetings.factories import make_meeting

TODAY = datetime.date(2026, 11, 23)
ACTIVE_SINCE = datetime.date(2020, 1, 1)


def policy(shift, day=3):
    return MeetingPolicy(day_of_month=day, non_working_day=shift, term_start=ACTIVE_SINCE)


@pytest.mark.django_db
def test_a_sunday_moves_to_monday_with_next():
    """03/05/2026 is a Sunday: "next working day" → Monday 04/05/2026."""
    assert datetime.date(2026, 5, 3).weekday() == 6
    day = services.scheduled_day(policy(NonWorkingDayShift.NEXT_WORKING_DAY), 2026, 5)
    assert day == datetime.date(2026, 5, 4)


@pytest.mark.django_db
def test_a_sunday_moves_to_saturday_with_previous():
    """03/05/2026, a Sunday, with "previous working day" → Saturday 02/05/2026 (Saturdays are
    kept: many residential cells meet at weekends)."""
    day = services.scheduled_day(policy(NonWorkingDayShift.PREVIOUS_WORKING_DAY), 2026, 5)
    assert day == datetime.date(2026, 5, 2)


@pytest.mark.django_db
def test_keep_leaves_the_sunday():
    day = services.scheduled_day(policy(NonWorkingDayShift.KEEP), 2026, 5)
    assert day == datetime.date(2026, 5, 3)


@pytest.mark.django_db
def test_national_day_is_skipped():
    """02/09/2026 (Wednesday) is National Day; with 01/09 it is the two-day holiday of the
    Labour Code 2019 Art. 112. Day 2 with "next" → 03/09/2026; with "previous" → 31/08/2026."""
    assert services.scheduled_day(policy(NonWorkingDayShift.NEXT_WORKING_DAY, 2), 2026, 9) == (
        datetime.date(2026, 9, 3)
    )
    assert services.scheduled_day(
        policy(NonWorkingDayShift.PREVIOUS_WORKING_DAY, 2), 2026, 9
    ) == datetime.date(2026, 8, 31)
    assert services.scheduled_day(policy(NonWorkingDayShift.KEEP, 2), 2026, 9) == (
        datetime.date(2026, 9, 2)
    )


@pytest.mark.django_db
def test_new_year_sunday_moves_past_the_holiday():
    """03/01/2027 is a Sunday; 04/01/2027 is a working Monday."""
    assert services.scheduled_day(policy(NonWorkingDayShift.NEXT_WORKING_DAY), 2027, 1) == (
        datetime.date(2027, 1, 4)
    )


@pytest.mark.django_db
def test_the_policy_day_is_between_1_and_28(world):
    with pytest.raises(ServiceError) as refused:
        services.policy_set(actor=world.an_user, organization=world.ward, day_of_month=29)
    assert refused.value.message == "Ngày sinh hoạt phải từ ngày 1 đến ngày 28."
    assert not MeetingPolicy.objects.exists()


@pytest.fixture
def ward(world):
    """A ward active since 2020 with two residential cells, and the ward's policy: the 3rd of
    the month, moved to the next working day, at 19:30, three months ahead."""
    ward = make_org(
        world.province, "Đảng ủy phường Thử", "ward_committee", "38.170", active_from=ACTIVE_SINCE
    )
    cells = [
        make_org(
            ward,
            f"Chi bộ Tổ dân phố {number}",
            "cell",
            f"38.170.000.000.00{number}",
            cell_type="residential_group",
            active_from=ACTIVE_SINCE,
        )
        for number in (1, 2)
    ]
    services.policy_set(
        actor=world.admin_user,
        organization=ward,
        day_of_month=3,
        non_working_day=NonWorkingDayShift.NEXT_WORKING_DAY,
        default_time=datetime.time(19, 30),
        default_place="Hội trường khu phố",
        months_ahead=3,
        term_start=datetime.date(2025, 7, 1),
    )
    return ward, cells


def regular(cell):
    return Meeting.objects.filter(organization=cell, kind=MeetingKind.REGULAR).order_by("period")


@pytest.mark.django_db
def test_generation_uses_the_wards_policy_for_its_cells(world, ward):
    """On 23/11/2026, three months ahead: November's meeting day (3rd) has passed, so
    December 2026 and January 2027 are created for each cell; 03/01/2027 is a Sunday → 04/01."""
    ward_org, cells = ward
    created = services.meetings_generate(actor=world.admin_user, organization=ward_org, today=TODAY)
    assert created == 4
    for cell in cells:
        rows = list(regular(cell))
        assert [(m.period, m.date) for m in rows] == [
            (datetime.date(2026, 12, 1), datetime.date(2026, 12, 3)),
            (datetime.date(2027, 1, 1), datetime.date(2027, 1, 4)),
        ]
        assert all(m.time == datetime.time(19, 30) for m in rows)
        assert all(m.place == "Hội trường khu phố" and m.generated for m in rows)
        assert all(m.status == MeetingStatus.PLANNED for m in rows)


@pytest.mark.django_db
def test_generation_is_idempotent(world, ward):
    ward_org, cells = ward
    assert (
        services.meetings_generate(actor=world.admin_user, organization=ward_org, today=TODAY) == 4
    )
    assert (
        services.meetings_generate(actor=world.admin_user, organization=ward_org, today=TODAY) == 0
    )
    assert Meeting.objects.filter(organization__in=cells).count() == 4


@pytest.mark.django_db
def test_generation_from_the_province_reaches_only_cells_with_a_policy(world, ward):
    """Generating from the province covers the ward's cells; Khối 1 and Khối 2 (Hưng Phú has
    no policy) and the commune's cell get nothing."""
    ward_org, cells = ward
    created = services.meetings_generate(
        actor=world.admin_user, organization=world.province, today=TODAY
    )
    assert created == 4
    assert not Meeting.objects.exclude(organization__in=cells).exists()


@pytest.mark.django_db
def test_a_cells_own_policy_wins_over_the_wards(world, ward):
    ward_org, (first, second) = ward
    services.policy_set(actor=world.admin_user, organization=second, day_of_month=10)
    services.meetings_generate(actor=world.admin_user, organization=ward_org, today=TODAY)
    assert [m.date for m in regular(first)] == [
        datetime.date(2026, 12, 3),
        datetime.date(2027, 1, 4),
    ]
    # 10/12/2026 is a Thursday, 10/01/2027 a Sunday → Monday 11/01 (next working day).
    assert [m.date for m in regular(second)] == [
        datetime.date(2026, 12, 10),
        datetime.date(2027, 1, 11),
    ]


@pytest.mark.django_db
def test_generation_never_touches_a_published_meeting(world, ward):
    """The December meeting is prepared and published; the ward then moves its day to the 10th
    and looks four months ahead: December keeps its date, only February 2027 is new."""
    ward_org, (first, second) = ward
    services.meetings_generate(actor=world.admin_user, organization=ward_org, today=TODAY)
    december = regular(first).first()
    services.agenda_build(actor=world.an_user, meeting=december)
    services.meeting_publish(actor=world.an_user, meeting=december)
    services.policy_set(
        actor=world.admin_user, organization=ward_org, day_of_month=10, months_ahead=4
    )
    created = services.meetings_generate(actor=world.admin_user, organization=ward_org, today=TODAY)
    assert created == 2  # February 2027 for each cell
    december.refresh_from_db()
    assert (december.date, december.status) == (datetime.date(2026, 12, 3), MeetingStatus.PREPARED)
    assert [m.period.month for m in regular(first)] == [12, 1, 2]
    # 10/02/2027 is in the Tết break (eve 05/02 to 09/02, with 10 and 11/02 in lieu of the
    # Saturday and Sunday in it): the next working day is Friday 12/02/2027.
    assert regular(first).last().date == datetime.date(2027, 2, 12)


@pytest.mark.django_db
def test_a_cancelled_month_is_not_recreated(world, ward):
    ward_org, (first, _second) = ward
    services.meetings_generate(actor=world.admin_user, organization=ward_org, today=TODAY)
    december = regular(first).first()
    services.meeting_cancel(actor=world.an_user, meeting=december, reason="Sáp nhập tổ dân phố")
    assert (
        services.meetings_generate(actor=world.admin_user, organization=ward_org, today=TODAY) == 0
    )
    rows = list(regular(first).filter(period=datetime.date(2026, 12, 1)))
    assert len(rows) == 1 and rows[0].status == MeetingStatus.CANCELLED


@pytest.mark.django_db
def test_a_meeting_scheduled_by_hand_is_not_duplicated(world, ward):
    ward_org, (first, _second) = ward
    by_hand = services.meeting_create(
        actor=world.an_user,
        organization=first,
        kind=MeetingKind.REGULAR,
        date=datetime.date(2026, 12, 5),
        time=datetime.time(8, 0),
        place="Nhà bí thư",
    )
    assert (
        services.meetings_generate(actor=world.admin_user, organization=ward_org, today=TODAY) == 3
    )
    december = list(regular(first).filter(period=datetime.date(2026, 12, 1)))
    assert december == [by_hand]


@pytest.mark.django_db
def test_an_ended_cell_gets_no_meetings(world, ward):
    ward_org, (first, second) = ward
    type(second).objects.filter(pk=second.pk).update(active_to=datetime.date(2026, 10, 31))
    assert (
        services.meetings_generate(actor=world.admin_user, organization=ward_org, today=TODAY) == 2
    )
    assert not regular(second).exists()


@pytest.mark.django_db
def test_one_regular_meeting_per_month(world):
    """R1.1 (Charter Art. 24.2): the cell meets regularly once a month; a second regular meeting
    for November is refused in Vietnamese and nothing is created."""
    make_meeting(world.khoi1)
    with pytest.raises(ServiceError) as refused:
        make_meeting(world.khoi1, date=datetime.date(2026, 11, 20))
    assert refused.value.message == "Chi bộ đã có buổi sinh hoạt thường kỳ tháng 11/2026."
    assert Meeting.objects.filter(organization=world.khoi1).count() == 1


@pytest.mark.django_db
def test_a_thematic_meeting_does_not_replace_the_regular_one(world):
    """R1.3: the thematic meeting is held besides the monthly regular meeting."""
    make_meeting(world.khoi1)
    thematic = make_meeting(
        world.khoi1,
        kind=MeetingKind.THEMATIC,
        date=datetime.date(2026, 11, 20),
        topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )
    assert thematic.period is None
    assert Meeting.objects.filter(organization=world.khoi1).count() == 2
    with pytest.raises(ServiceError) as refused:
        make_meeting(world.khoi1, kind=MeetingKind.THEMATIC, date=datetime.date(2026, 11, 25))
    assert refused.value.message == "Buổi sinh hoạt chuyên đề cần có chủ đề."


@pytest.mark.django_db
def test_only_cells_hold_meetings(world):
    with pytest.raises(ServiceError) as refused:
        make_meeting(world.ward)
    assert refused.value.message == "Chỉ chi bộ mới tổ chức sinh hoạt."


@pytest.mark.django_db
def test_moving_a_meeting_needs_a_reason_and_tells_the_members(world):
    meeting = make_meeting(world.khoi1)
    new_day = datetime.date(2026, 11, 5)
    with pytest.raises(ServiceError) as refused:
        services.meeting_reschedule(
            actor=world.an_user,
            meeting=meeting,
            date=new_day,
            time=datetime.time(19, 30),
            place="Nhà văn hóa",
            reason=" ",
        )
    assert refused.value.message == "Nhập lý do dời buổi sinh hoạt."
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2026, 11, 3)
    services.meeting_reschedule(
        actor=world.an_user,
        meeting=meeting,
        date=new_day,
        time=datetime.time(19, 30),
        place="Nhà văn hóa",
        reason="Trùng lịch họp tổ dân phố",
    )
    meeting.refresh_from_db()
    assert meeting.date == new_day
    # An and Bình (members of Khối 1) and Cúc (upper-level member over the ward) are told.
    told = Notification.objects.filter(code="meeting.rescheduled")
    assert {n.recipient for n in told} == {world.an_user, world.binh_user, world.cuc_user}
    assert told.first().title == (
        "Sinh hoạt thường kỳ của Chi bộ Khối 1 được dời sang ngày 05/11/2026 lúc 19:30"
    )
    assert "Lý do: Trùng lịch họp tổ dân phố." in told.first().body


@pytest.mark.django_db
def test_cancelling_needs_a_reason_and_tells_the_members(world):
    meeting = make_meeting(world.khoi1)
    with pytest.raises(ServiceError) as refused:
        services.meeting_cancel(actor=world.an_user, meeting=meeting, reason="")
    assert refused.value.message == "Nhập lý do hủy buổi sinh hoạt."
    services.meeting_cancel(actor=world.an_user, meeting=meeting, reason="Mưa bão")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (MeetingStatus.CANCELLED, "Mưa bão")
    told = Notification.objects.filter(code="meeting.cancelled", recipient=world.binh_user).get()
    assert told.title == "Sinh hoạt thường kỳ của Chi bộ Khối 1 ngày 03/11/2026 bị hủy"


@pytest.mark.django_db
def test_a_started_meeting_cannot_be_moved_or_cancelled(world):
    from tests.meetings.factories import open_meeting

    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    with pytest.raises(ServiceError) as refused:
        services.meeting_cancel(actor=world.an_user, meeting=meeting, reason="Mưa bão")
    assert refused.value.message == "Chỉ hủy được buổi sinh hoạt chưa bắt đầu."
    with pytest.raises(ServiceError):
        services.meeting_reschedule(
            actor=world.an_user,
            meeting=meeting,
            date=datetime.date(2026, 11, 5),
            time=datetime.time(19, 30),
            place="",
            reason="Trùng lịch",
        )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.date) == (MeetingStatus.IN_PROGRESS, datetime.date(2026, 11, 3))
