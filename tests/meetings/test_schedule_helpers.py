"""Date helpers behind the schedule pages: the next meeting days a policy gives, the default
deadline of an assignment, and the quarterly thematic-meeting warning (DOMAIN R1.3)."""

import datetime

import pytest

from chibo.meetings import selectors, services
from chibo.meetings.forms_live import default_due_date
from chibo.meetings.models import MeetingKind, MeetingPolicy, NonWorkingDayShift
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("meeting_day", "due"),
    [
        (datetime.date(2026, 11, 3), datetime.date(2026, 12, 31)),
        (datetime.date(2026, 12, 20), datetime.date(2027, 1, 31)),
        (datetime.date(2027, 1, 31), datetime.date(2027, 2, 28)),
    ],
)
def test_an_assignment_is_due_by_default_at_the_end_of_the_next_month(meeting_day, due):
    assert default_due_date(meeting_day) == due


def test_next_meeting_days_skip_this_months_day_once_passed_and_cross_the_year(world):
    policy = MeetingPolicy(
        organization=world.khoi1,
        day_of_month=15,
        non_working_day=NonWorkingDayShift.KEEP,
        term_start=datetime.date(2025, 1, 1),
    )

    days = services.next_meeting_days(policy, today=datetime.date(2026, 11, 20))

    assert days == [
        datetime.date(2026, 12, 15),
        datetime.date(2027, 1, 15),
        datetime.date(2027, 2, 15),
    ]


def test_day_31_of_the_policy_is_the_last_day_of_a_shorter_month(world):
    policy = MeetingPolicy(
        organization=world.khoi1,
        day_of_month=31,
        non_working_day=NonWorkingDayShift.KEEP,
        term_start=datetime.date(2025, 1, 1),
    )

    days = services.next_meeting_days(policy, today=datetime.date(2027, 1, 31), count=2)

    assert days == [datetime.date(2027, 1, 31), datetime.date(2027, 2, 28)]


def test_the_thematic_warning_shows_until_1_thematic_meeting_is_in_the_quarter(world):
    """R1.3: at least 1 thematic meeting a quarter; the warning quotes the rule."""
    today = datetime.date(2026, 11, 3)

    warning = selectors.thematic_warning(world.khoi1, today=today)
    assert "4/2026" in warning  # the fourth quarter
    assert warning.endswith(
        selectors.rules.rule_in_force(
            "meeting.thematic_min_per_quarter", organization=world.khoi1, on=today
        ).explain()
    )

    # A thematic meeting on the last day of the quarter counts.
    make_meeting(
        world.khoi1,
        kind=MeetingKind.THEMATIC,
        topic="Học tập Chỉ thị 05",
        date=datetime.date(2026, 12, 31),
    )
    assert selectors.thematic_warning(world.khoi1, today=today) == ""
    # One in the next quarter does not count for this one.
    assert selectors.thematic_warning(world.khoi1, today=datetime.date(2027, 1, 5)) != ""
