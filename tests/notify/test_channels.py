"""Issue 10, channels: every notification reaches the inbox; e-mail, SMS and the daily digest
follow each user's preference per kind of message, with links to the object."""

import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone

from chibo.notify import jobs, sms
from chibo.notify.models import Notification
from chibo.notify.selectors import preferences_for
from chibo.notify.services import notify_users, preferences_save
from tests.notify.gateways import RecordingGateway

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_ENABLED = True
    settings.CHIBO_BASE_URL = "https://chibo.example.vn"
    settings.CHIBO_SMS_GATEWAY = "tests.notify.gateways.RecordingGateway"
    RecordingGateway.sent = []
    for user, address in ((world.an_user, "an@example.org"), (world.cuc_user, "cuc@example.org")):
        user.email = address
        user.save(update_fields=["email"])
    world.binh.phone = "0912345678"
    world.binh.save(update_fields=["phone"])
    return world


def _send(django_capture_on_commit_callbacks, world, code="meeting.published"):
    with django_capture_on_commit_callbacks(execute=True):
        notify_users(
            users=[world.an_user, world.binh_user, world.cuc_user],
            code=code,
            title="Sinh hoạt thường kỳ của Chi bộ Khối 1: 03/11/2026 lúc 19:30",
            url="/meetings/7/",
        )


def test_defaults_email_where_there_is_an_address_digest_for_upper_level(channels):
    world = channels
    chosen = preferences_for([world.an_user.pk, world.binh_user.pk, world.cuc_user.pk], "meetings")
    assert chosen[world.an_user.pk] == chosen[world.an_user.pk].__class__(True, False, False)
    assert not chosen[world.binh_user.pk].email  # no address
    assert chosen[world.cuc_user.pk].digest  # Cúc is an upper-level committee member
    assert not any(c.sms for c in chosen.values())  # SMS off by default


def test_inbox_always_email_by_preference_with_an_absolute_link(
    channels, django_capture_on_commit_callbacks
):
    world = channels
    _send(django_capture_on_commit_callbacks, world)
    assert Notification.objects.filter(code="meeting.published").count() == 3  # every inbox
    # An by e-mail at once; Bình has no address; Cúc gets the evening digest instead.
    assert [m.to for m in mail.outbox] == [["an@example.org"]]
    assert "https://chibo.example.vn/meetings/7/" in mail.outbox[0].body
    assert RecordingGateway.sent == []
    # A retried delivery job sends nothing twice.
    ids = [world.an_user.pk, world.binh_user.pk, world.cuc_user.pk]
    assert jobs.deliver_now(code="meeting.published", recipient_ids=ids) == {"email": 0, "sms": 0}
    assert len(mail.outbox) == 1


def test_preferences_route_per_kind_of_message(channels, django_capture_on_commit_callbacks):
    world = channels
    preferences_save(
        user=world.binh_user, choices={"meetings": {"email": False, "sms": True, "digest": False}}
    )
    preferences_save(
        user=world.an_user, choices={"meetings": {"email": False, "sms": False, "digest": False}}
    )
    _send(django_capture_on_commit_callbacks, world)
    assert mail.outbox == []  # An turned e-mail off for meetings; Cúc waits for the digest
    assert RecordingGateway.sent == [
        (
            "0912345678",
            "Sinh hoạt thường kỳ của Chi bộ Khối 1: 03/11/2026 lúc 19:30 "
            "https://chibo.example.vn/meetings/7/",
        )
    ]
    # Assignments are another kind: An's default (e-mail) still applies there.
    _send(django_capture_on_commit_callbacks, world, code="assignment.due")
    assert [m.to for m in mail.outbox] == [["an@example.org"]]
    assert len(RecordingGateway.sent) == 1  # Bình's SMS was for meetings only


def test_daily_digest_once_a_day_with_links(channels, django_capture_on_commit_callbacks):
    world = channels
    _send(django_capture_on_commit_callbacks, world)
    _send(django_capture_on_commit_callbacks, world, code="assignment.due")
    mail.outbox.clear()
    today = timezone.localdate()
    assert jobs.send_digests(today=today - datetime.timedelta(days=1)) == 0  # nothing yet then
    assert jobs.send_digests(today=today) == 1
    assert jobs.send_digests(today=today) == 0  # the job run twice
    (digest,) = mail.outbox
    assert digest.to == ["cuc@example.org"]
    assert digest.body.count("https://chibo.example.vn/meetings/7/") == 2
    assert (
        Notification.objects.filter(recipient=world.cuc_user, emailed_at__isnull=True).count() == 0
    )
    # One more after the evening digest: in the next evening's digest, once.
    notify_users(users=[world.cuc_user], code="meeting.rescheduled", title="Dời lịch", url="/m/")
    tomorrow = today + datetime.timedelta(days=1)
    assert jobs.send_digests(today=tomorrow) == 1
    assert "https://chibo.example.vn/m/" in mail.outbox[-1].body
    assert "/meetings/7/" not in mail.outbox[-1].body
    assert jobs.send_digests(today=tomorrow) == 0


def test_read_notifications_stay_out_of_the_digest(channels, django_capture_on_commit_callbacks):
    world = channels
    _send(django_capture_on_commit_callbacks, world)
    Notification.objects.filter(recipient=world.cuc_user).update(read_at=timezone.now())
    assert jobs.send_digests(today=timezone.localdate()) == 0


def test_logging_gateway_logs_no_number_and_no_text(caplog):
    with caplog.at_level(logging.INFO, logger="chibo.notify.sms"):
        message_id = sms.LoggingGateway().send("0912345678", "Họp chi bộ tối nay")
    assert message_id
    assert "0912345678" not in caplog.text and "Họp" not in caplog.text
    assert "*******678" in caplog.text and "18 characters" in caplog.text


def test_file_backend_keeps_an_email_log(channels, settings, tmp_path):
    """The embedded mode's e-mail log: each e-mail a file in the mail folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    notify_users(users=[channels.an_user], code="meeting.upcoming", title="Họp", url="/meetings/7/")
    jobs.deliver_now(code="meeting.upcoming", recipient_ids=[channels.an_user.pk])
    (log,) = (tmp_path / "mail").iterdir()
    assert "https://chibo.example.vn/meetings/7/" in log.read_text()
