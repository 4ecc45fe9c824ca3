"""E-mail copies of notifications go out by a job, only to users with an address, once."""

import pytest
from django.core import mail

from chibo.notify import jobs
from chibo.notify.models import Notification
from chibo.notify.services import notify_users


@pytest.mark.django_db
def test_email_copies_reach_users_with_an_address_once(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.an_user.email = "an@example.org"
    world.an_user.save(update_fields=["email"])
    notify_users(
        users=[world.an_user, world.binh_user],
        code="meeting.published",
        title="Sinh hoạt thường kỳ của Chi bộ Khối 1: 03/11/2026 lúc 19:30",
        url="/meetings/1/",
    )
    ids = [world.an_user.pk, world.binh_user.pk]
    assert jobs.deliver.call_local(code="meeting.published", recipient_ids=ids)["email"] == 1
    assert [message.to for message in mail.outbox] == [["an@example.org"]]
    assert "/meetings/1/" in mail.outbox[0].body
    # A retried job sends nothing twice.
    assert jobs.deliver.call_local(code="meeting.published", recipient_ids=ids)["email"] == 0
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 1
