"""Issue 10, "Cài đặt thông báo": each user sees and changes only their own channels."""

import pytest
from django.urls import reverse

from chibo.notify.models import NotificationPreference
from chibo.notify.selectors import preferences_of

pytestmark = pytest.mark.django_db

URL = reverse("notify:preferences")


def test_settings_page_shows_the_users_own_defaults_in_vietnamese(world, client):
    world.cuc_user.email = "cuc@example.org"
    world.cuc_user.save(update_fields=["email"])
    client.force_login(world.cuc_user)
    text = client.get(URL).content.decode()
    assert "Cài đặt thông báo" in text
    assert "Sinh hoạt chi bộ và lời nhắc" in text
    # Cúc has an address: e-mail on; she is an upper-level committee member: digest on.
    assert 'name="meetings_email" id="id_meetings_email" checked' in text
    assert 'name="meetings_digest" id="id_meetings_digest" checked' in text
    assert 'name="meetings_sms" id="id_meetings_sms">' in text
    assert 'id="prefs-no-phone"' in text  # no phone number recorded for her
    assert "bạn" not in text.lower().split("<main")[1]


def test_saving_changes_only_the_users_own_preferences(world, client):
    client.force_login(world.binh_user)
    response = client.post(URL, {"meetings_sms": "on", "assignments_email": "on"})
    assert response.status_code == 302 and response.url == URL
    mine = preferences_of(world.binh_user)
    assert mine["meetings"].sms and not mine["meetings"].email
    assert mine["assignments"].email and not mine["assignments"].sms
    assert not NotificationPreference.objects.exclude(user=world.binh_user).exists()
    page = client.get(URL).content.decode()
    assert "Đã lưu cài đặt thông báo." in page
    assert 'name="meetings_sms" id="id_meetings_sms" checked' in page
    # An sees his own (defaults), not Bình's choices.
    client.force_login(world.an_user)
    assert (
        'name="meetings_sms" id="id_meetings_sms" checked' not in client.get(URL).content.decode()
    )


def test_settings_need_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.url


def test_inbox_and_handbook_link_the_settings(world, client):
    client.force_login(world.binh_user)
    assert URL in client.get(reverse("notify:inbox")).content.decode()
    assert URL in client.get(reverse("accounts:handbook")).content.decode()
