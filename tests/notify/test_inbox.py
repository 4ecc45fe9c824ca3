"""The inbox: newest first, unread highlighted, read on click, all read at once, and the
unread badge in the navigation bar."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.notify.models import Notification
from chibo.notify.services import notify_users

pytestmark = pytest.mark.django_db


def _notify(user, title, *, url="", days_ago=0):
    notify_users(users=[user], code="test.sent", title=title, body="Nội dung", url=url)
    row = Notification.objects.filter(recipient=user).order_by("-id").first()
    Notification.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return Notification.objects.get(pk=row.pk)


def test_inbox_lists_newest_first_with_unread_highlighted(world, client):
    old = _notify(world.binh_user, "Thông báo cũ", days_ago=3)
    Notification.objects.filter(pk=old.pk).update(read_at=timezone.now())
    _notify(world.binh_user, "Thông báo mới")
    _notify(world.an_user, "Thư của An")
    client.force_login(world.binh_user)
    page = client.get(reverse("notify:inbox"))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("Thông báo mới") < text.index("Thông báo cũ")
    assert "Thư của An" not in text
    assert text.count("list-group-item-warning") == 1
    # The bell in the navigation bar counts the unread notification.
    assert 'id="nav-unread">1<' in text


def test_clicking_marks_read_and_opens_the_link(world, client):
    meeting_url = "/meetings/1/"
    row = _notify(world.binh_user, "Sinh hoạt chi bộ tháng 11", url=meeting_url)
    client.force_login(world.binh_user)
    url = reverse("notify:read", args=[row.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == meeting_url
    row.refresh_from_db()
    assert row.read_at is not None
    assert 'id="nav-unread"' not in client.get(reverse("notify:inbox")).content.decode()


def test_a_link_outside_chibo_is_not_followed(world, client):
    row = _notify(world.binh_user, "Lạ", url="https://example.com/phishing")
    client.force_login(world.binh_user)
    response = client.post(reverse("notify:read", args=[row.pk]))
    assert response["Location"] == reverse("notify:inbox")


def test_someone_elses_notification_is_not_found(world, client):
    row = _notify(world.an_user, "Thư của An")
    client.force_login(world.dung_user)
    assert client.post(reverse("notify:read", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read(world, client):
    for number in range(3):
        _notify(world.binh_user, f"Thông báo {number}")
    _notify(world.an_user, "Thư của An")
    client.force_login(world.binh_user)
    url = reverse("notify:read_all")
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Đã đánh dấu 3 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=world.binh_user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.an_user, read_at__isnull=True).exists()


def test_inbox_needs_a_login(client):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_inbox_is_paginated_and_its_queries_do_not_grow(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.binh_user)
    url = reverse("notify:inbox")
    _notify(world.binh_user, "Thông báo đầu tiên")
    with django_assert_max_num_queries(15) as small:
        assert client.get(url).status_code == 200
    for number in range(45):
        _notify(world.binh_user, f"Thông báo số {number}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert "Trang 1/2" in page.content.decode()
