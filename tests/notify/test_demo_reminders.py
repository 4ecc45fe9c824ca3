"""Issue 10, the demo: seeding ends with the day's reminders in the inboxes, their e-mail
copies delivered (to var/mail/ in the embedded mode), and seeding again sends none twice."""

import pytest
from django.conf import settings

from chibo.demo.reminders import send_reminders
from chibo.notify.models import Notification, Reminder

pytestmark = pytest.mark.django_db


def test_demo_leaves_reminders_in_the_inbox_and_the_email_log(demo_data):
    reminders = Notification.objects.filter(
        code__in=[
            "meeting.upcoming",
            "meeting.publish_reminder",
            "meeting.unscheduled",
            "assignment.due",
            "assignment.overdue",
            "proposal.due",
            "proposal.overdue",
        ]
    )
    assert reminders.exists()
    assert Reminder.objects.count() == reminders.count()
    assert reminders.filter(emailed_at__isnull=False).exists()  # went by e-mail
    assert send_reminders() == 0  # the same day again: nothing twice


def test_embedded_mode_writes_emails_to_the_mail_folder():
    # Tests use Django's in-memory outbox; the settings module chose the file backend.
    assert not settings.EMAIL_HOST
    assert str(settings.EMAIL_FILE_PATH) == str(settings.DATA_DIR / "mail")
