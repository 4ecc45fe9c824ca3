"""Issue 10: two consumers running the same reminder job at the same moment, each with its own
database connection, send each reminder exactly once (the ledger's unique key). PostgreSQL
only: SQLite serialises writers, so the race cannot happen there."""

import datetime

import pytest
from django.db import connection

from chibo.followup import jobs as followup_jobs
from chibo.followup.models import Assignment
from chibo.meetings import jobs as meeting_jobs
from chibo.notify.models import Notification, Reminder
from tests.meetings.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrent run is tested on PostgreSQL (DATABASE_URL)")


def test_two_consumers_send_the_unscheduled_reminder_once(world):
    day = datetime.date(2026, 11, 25)
    results: list[int] = []
    errors = run_together(
        lambda: results.append(meeting_jobs.remind_unscheduled(today=day)),
        lambda: results.append(meeting_jobs.remind_unscheduled(today=day)),
    )
    assert errors == []
    assert sorted(results) == [0, 1]
    assert Notification.objects.filter(code=meeting_jobs.UNSCHEDULED_CODE).count() == 1


def test_two_consumers_send_assignment_reminders_once(world):
    row = Assignment.objects.create(
        organization=world.khoi1, title="Rà soát hộ nghèo", due_date=datetime.date(2026, 11, 10)
    )
    row.members.set([world.binh, world.dung])
    day = datetime.date(2026, 11, 9)
    results: list[int] = []
    errors = run_together(
        *[lambda: results.append(followup_jobs.remind_assignments(today=day))] * 4
    )
    assert errors == []
    assert sum(results) == 3  # Bình, Dũng (assignees) and An (secretary), once each
    assert Notification.objects.filter(code=followup_jobs.DUE_CODE).count() == 3
    assert Reminder.objects.count() == 3
