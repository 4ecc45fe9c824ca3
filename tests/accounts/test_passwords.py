"""Password change, reset by e-mail, and the forced change (issue 14)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from chibo.accounts.management.commands import changepassword
from chibo.accounts.models import User
from chibo.core.models import AuditEntry
from chibo.members.models import Member
from tests.conftest import PASSWORD

CHANGE = "/accounts/password_change/"
RESET = "/accounts/password_reset/"
NEW = "a-Long-and-new-passphrase-42"


def change(client, new1, new2=None, old=PASSWORD):
    return client.post(
        CHANGE,
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


@pytest.mark.django_db
def test_the_change_page_is_reached_from_the_menu_and_needs_a_login(world, client):
    """The menu's key button opens the account security page, which links the change page."""
    assert client.get(CHANGE).status_code == 302
    client.force_login(world.binh_user)
    home = client.get("/")
    assert 'href="/accounts/twofactor/"' in home.content.decode()
    security = client.get("/accounts/twofactor/")
    assert f'href="{CHANGE}"' in security.content.decode()
    assert client.get(CHANGE).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Ab1-xyz", "Mật khẩu quá ngắn: phải có ít nhất 10 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("48291736550", "Mật khẩu này hoàn toàn là số."),
        # Bình's e-mail address is tran.thi.binh@example.vn.
        ("tran.thi.binh@example", "Mật khẩu quá giống với địa chỉ email"),
        ("chibo-demo-2026", "Mật khẩu này được công bố cùng bản trình diễn chibo"),
        ("Xy-7-binh-qz-44", "Mật khẩu không được chứa tên đăng nhập."),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(world, client, new, message):
    User.objects.filter(pk=world.binh_user.pk).update(email="tran.thi.binh@example.vn")
    client.force_login(world.binh_user)
    response = change(client, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    world.binh_user.refresh_from_db()
    assert world.binh_user.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_wrong_old_password_or_a_mismatch_changes_nothing(world, client):
    client.force_login(world.binh_user)
    assert "Mật khẩu cũ không chính xác" in change(client, NEW, old="wrong").content.decode()
    assert "Hai trường mật khẩu không giống nhau" in change(client, NEW, NEW + "x").content.decode()
    world.binh_user.refresh_from_db()
    assert world.binh_user.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_good_password_is_changed_and_the_session_stays(world, client):
    User.objects.filter(pk=world.binh_user.pk).update(must_change_password=True)
    client.force_login(world.binh_user)
    response = change(client, NEW)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get("/").status_code == 200  # still logged in
    world.binh_user.refresh_from_db()
    assert world.binh_user.check_password(NEW)
    assert world.binh_user.must_change_password is False
    entry = AuditEntry.objects.get(code="user.password_changed")
    assert entry.target_id == str(world.binh_user.pk)
    assert NEW not in str(entry.changes)


# -- reset by e-mail ---------------------------------------------------------------------------


def reset_link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.mark.django_db
def test_the_login_page_offers_the_reset(client):
    assert f'href="{RESET}"' in client.get("/accounts/login/").content.decode()
    assert "Quên mật khẩu?" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
@override_settings(CHIBO_BASE_URL="https://chibo.example.vn")
def test_a_reset_mail_is_sent_in_vietnamese_to_the_users_address(world, client):
    User.objects.filter(pk=world.binh_user.pk).update(email="binh@example.vn")
    response = client.post(RESET, {"email": "BINH@example.vn"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["BINH@example.vn"]
    assert "mật khẩu" in message.subject
    assert "binh" in message.body
    assert "đồng chí" in message.body
    # The link points to the configured address, not to the request's host (testserver).
    assert reset_link(message).startswith("https://chibo.example.vn/accounts/reset/")


@pytest.mark.django_db
def test_the_members_address_also_finds_the_login(world, client):
    Member.objects.filter(pk=world.an.pk).update(email="an.nguyen@example.vn")
    client.post(RESET, {"email": "an.nguyen@example.vn"})
    assert [m.to for m in mail.outbox] == [["an.nguyen@example.vn"]]
    assert "an" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_mail(world, client):
    known = client.post(RESET, {"email": "nobody@example.vn"})
    assert known.status_code == 302
    assert known["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []
    done = client.get(known["Location"])
    assert "Nếu địa chỉ thuộc về một tài khoản" in done.content.decode()


@pytest.mark.django_db
def test_the_reset_link_works_once(world, client):
    User.objects.filter(pk=world.binh_user.pk).update(
        email="binh@example.vn", must_change_password=True
    )
    client.post(RESET, {"email": "binh@example.vn"})
    path = reset_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "123", "new_password2": "123"})
    assert "Mật khẩu quá ngắn" in weak.content.decode()
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/login/"
    world.binh_user.refresh_from_db()
    assert world.binh_user.check_password(NEW)
    assert world.binh_user.must_change_password is False
    assert AuditEntry.objects.filter(code="user.password_reset").count() == 1
    again = client.get("/" + path, follow=True)
    assert "không còn hiệu lực" in again.content.decode()
    assert not again.context["validlink"]


# -- the forced change -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_forced_user_is_sent_to_the_change_page_from_everywhere(world, client):
    User.objects.filter(pk=world.an_user.pk).update(must_change_password=True)
    client.force_login(world.an_user)
    for path in ("/", f"/members/cell/{world.khoi1.pk}/", "/accounts/handbook/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == CHANGE
    htmx = client.get("/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == CHANGE
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert "Mật khẩu của đồng chí do người khác đặt" in page.content.decode()
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.django_db
def test_after_the_change_the_forced_user_goes_on(world, client):
    User.objects.filter(pk=world.an_user.pk).update(must_change_password=True)
    client.force_login(world.an_user)
    change(client, NEW)
    assert client.get("/").status_code == 200


def run_changepassword(monkeypatch, username: str) -> None:
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt=None: NEW)
    call_command("changepassword", username, stdout=None)


@pytest.mark.django_db
@override_settings(PRODUCTION=True)
def test_in_production_a_password_set_by_the_command_must_be_changed(world, monkeypatch):
    run_changepassword(monkeypatch, "binh")
    world.binh_user.refresh_from_db()
    assert world.binh_user.check_password(NEW)
    assert world.binh_user.must_change_password is True


@pytest.mark.django_db
@override_settings(PRODUCTION=False)
def test_outside_production_the_command_forces_nothing(world, monkeypatch):
    run_changepassword(monkeypatch, "binh")
    world.binh_user.refresh_from_db()
    assert world.binh_user.check_password(NEW)
    assert world.binh_user.must_change_password is False
