"""Issue 10, reminders: each (object, recipient, kind, day) is sent exactly once, whatever
runs the job twice; the finders of the apps that own the objects find the right people on
the right days."""

import datetime

import pytest
from django.urls import reverse

from chibo.followup import jobs as followup_jobs
from chibo.followup.models import Assignment, AssignmentStatus
from chibo.meetings import jobs as meeting_jobs
from chibo.meetings import services as meeting_services
from chibo.notify.models import Notification, Reminder
from chibo.notify.services import remind_once
from tests.conftest import give_position, make_member, make_user
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 2)


def _codes(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("code", flat=True))


def test_remind_once_twice_sends_one_notification(world):
    kwargs = {
        "users": [world.an_user, world.binh_user],
        "kind": "meeting.upcoming",
        "object_key": "meeting:1",
        "day": DAY,
        "title": "Sinh hoạt chi bộ ngày mai",
        "url": "/meetings/1/",
    }
    assert remind_once(**kwargs) == 2
    assert remind_once(**kwargs) == 0
    assert Notification.objects.filter(code="meeting.upcoming").count() == 2
    assert Reminder.objects.count() == 2
    # Another day, another object or another kind is another reminder.
    assert remind_once(**{**kwargs, "day": DAY + datetime.timedelta(days=1)}) == 2
    assert remind_once(**{**kwargs, "object_key": "meeting:2"}) == 2
    assert remind_once(**{**kwargs, "kind": "meeting.publish_reminder"}) == 2
    # A user added later gets theirs; the others are not sent it again.
    assert remind_once(**{**kwargs, "users": [world.an_user, world.cuc_user]}) == 1


def test_meeting_coming_up_reaches_members_and_the_upper_level_member_once(world):
    meeting = make_meeting(world.khoi1)  # 3/11/2026 19:30
    meeting_services.agenda_build(actor=None, meeting=meeting)
    meeting_services.meeting_publish(actor=None, meeting=meeting)
    Notification.objects.all().delete()
    too_early = meeting.date - datetime.timedelta(days=2)
    assert meeting_jobs.remind_upcoming(today=too_early) == 0
    day_before = meeting.date - datetime.timedelta(days=1)
    # An and Bình (members of Khối 1), Cúc (upper-level member following the ward's cells).
    assert meeting_jobs.remind_upcoming(today=day_before) == 3
    assert meeting_jobs.remind_upcoming(today=day_before) == 0  # the job run twice
    for user in (world.an_user, world.binh_user, world.cuc_user):
        assert _codes(user) == [meeting_jobs.UPCOMING_CODE]
    assert _codes(world.dung_user) == []  # Khối 2
    reminder = Notification.objects.filter(recipient=world.binh_user).get()
    assert reminder.url == reverse("meetings:detail", args=[meeting.pk])
    assert "03/11/2026" in reminder.title and "19:30" in reminder.title
    # On the day itself, once more.
    assert meeting_jobs.remind_upcoming(today=meeting.date) == 3
    assert meeting_jobs.remind_upcoming(today=meeting.date + datetime.timedelta(days=1)) == 0


def test_unpublished_meeting_reminder_is_sent_once_per_day(world):
    make_meeting(world.khoi1)  # 3/11/2026, notice due 2/11 (meeting.notice_days_before)
    assert meeting_jobs.remind_unpublished(today=datetime.date(2026, 10, 25)) == 0
    assert meeting_jobs.remind_unpublished(today=DAY - datetime.timedelta(days=1)) == 1
    assert meeting_jobs.remind_unpublished(today=DAY - datetime.timedelta(days=1)) == 0
    assert meeting_jobs.remind_unpublished(today=DAY) == 1
    assert Reminder.objects.filter(kind=meeting_jobs.REMINDER_CODE).count() == 2


def test_next_month_without_a_regular_meeting_reminds_the_secretary(world):
    # No meeting at all: from the 20th, An (secretary of Khối 1) is told December is empty.
    assert meeting_jobs.remind_unscheduled(today=datetime.date(2026, 11, 19)) == 0
    assert meeting_jobs.remind_unscheduled(today=datetime.date(2026, 11, 20)) == 1
    assert meeting_jobs.remind_unscheduled(today=datetime.date(2026, 11, 20)) == 0
    reminder = Notification.objects.get(code=meeting_jobs.UNSCHEDULED_CODE)
    assert reminder.recipient == world.an_user
    assert "12/2026" in reminder.title
    assert reminder.url == reverse("meetings:cell_meetings", args=[world.khoi1.pk])
    # Once December's meeting exists, nothing more; a cancelled one does not count.
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 12, 3))
    assert meeting_jobs.remind_unscheduled(today=datetime.date(2026, 11, 21)) == 0
    meeting_services.meeting_cancel(actor=None, meeting=meeting, reason="Mưa bão")
    assert meeting_jobs.remind_unscheduled(today=datetime.date(2026, 11, 22)) == 1


def test_remind_all_runs_every_meeting_finder(world):
    make_meeting(world.khoi1)
    # November 2 is before the 20th: only the unpublished reminder to An.
    assert meeting_jobs.remind_all(today=DAY) == 1
    assert meeting_jobs.remind_all(today=datetime.date(2026, 11, 20)) == 1  # December is empty


def _assignment(world, due, **extra):
    row = Assignment.objects.create(
        organization=world.khoi1, title="Vận động hộ gia đình phân loại rác", due_date=due, **extra
    )
    row.members.set([world.binh])
    return row


def test_assignment_due_soon_reminds_the_assignee_and_the_secretary_once_a_day(world):
    due = datetime.date(2026, 11, 10)
    row = _assignment(world, due)
    assert followup_jobs.remind_assignments(today=due - datetime.timedelta(days=4)) == 0
    day = due - datetime.timedelta(days=followup_jobs.DUE_SOON_DAYS)
    assert followup_jobs.remind_assignments(today=day) == 2
    assert followup_jobs.remind_assignments(today=day) == 0
    mine = Notification.objects.get(recipient=world.binh_user)
    assert mine.code == followup_jobs.DUE_CODE and mine.url == reverse("followup:mine")
    assert "10/11/2026" in mine.title
    secretary = Notification.objects.get(recipient=world.an_user)
    assert secretary.url == reverse("followup:cell", args=[world.khoi1.pk])
    assert followup_jobs.remind_assignments(today=due) == 2
    # Done: no more reminders.
    row.status = AssignmentStatus.DONE
    row.save(update_fields=["status"])
    assert followup_jobs.remind_assignments(today=due - datetime.timedelta(days=1)) == 0


def test_overdue_assignment_reminded_the_day_after_and_then_weekly(world):
    due = datetime.date(2026, 11, 10)
    _assignment(world, due)
    assert followup_jobs.remind_assignments(today=due + datetime.timedelta(days=1)) == 2
    assert followup_jobs.remind_assignments(today=due + datetime.timedelta(days=1)) == 0
    assert followup_jobs.remind_assignments(today=due + datetime.timedelta(days=2)) == 0
    later = due + datetime.timedelta(days=1 + followup_jobs.OVERDUE_REPEAT_DAYS)
    assert followup_jobs.remind_assignments(today=later) == 2
    assert set(
        Notification.objects.filter(code=followup_jobs.OVERDUE_CODE).values_list(
            "recipient", flat=True
        )
    ) == {world.an_user.pk, world.binh_user.pk}


def test_secretary_who_is_also_the_assignee_gets_one_reminder(world, django_user_model):
    row = _assignment(world, datetime.date(2026, 11, 10))
    row.members.set([world.an])
    assert followup_jobs.remind_assignments(today=datetime.date(2026, 11, 10)) == 1
    assert Notification.objects.get().url == reverse("followup:mine")


def test_deputy_without_login_gets_nothing(world, django_user_model):
    deputy = make_member(world.khoi2, "Hoàng Văn Phó", party_card_number="10000009")
    give_position(deputy, world.khoi2, "secretary")
    assert meeting_jobs.remind_unscheduled(today=datetime.date(2026, 11, 25)) == 1  # An only
    make_user(django_user_model, "pho", deputy)
    assert meeting_jobs.remind_unscheduled(today=datetime.date(2026, 11, 25)) == 1  # now Phó
