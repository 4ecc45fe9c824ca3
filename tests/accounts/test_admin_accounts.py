"""The administrators' logins screen (issue 14): only Hà (administrator) may use it; resets
force a change at the next login; temporary passwords are shown once and never recorded."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from chibo.accounts.models import User
from chibo.core.models import AuditEntry
from chibo.members.models import Member
from tests.conftest import PASSWORD, make_member

USERS = "/accounts/users/"


def detail(user) -> str:
    return f"{USERS}{user.pk}/"


@pytest.fixture
def admin(world, client):
    client.force_login(world.admin_user)
    return client


def shown_password(response) -> str:
    return re.search(r"user-select-all\">([a-z0-9-]+)<", response.content.decode()).group(1)


@pytest.mark.django_db
def test_only_an_administrator_reaches_the_screen(world, client):
    nguoi_moi = make_member(world.khoi1, "Hoàng Văn Mới")
    pages = [
        ("get", USERS),
        ("get", detail(world.binh_user)),
        ("get", f"{USERS}new/?q=moi"),
        ("get", f"{USERS}new/{nguoi_moi.pk}/"),
        ("post", f"{detail(world.binh_user)}reset/"),
        ("post", f"{detail(world.binh_user)}active/"),
    ]
    for method, path in pages:
        assert getattr(client, method)(path).status_code == 302, path  # to the login page
    # An (cell secretary) and Cúc (upper committee) are not administrators.
    for user in (world.an_user, world.cuc_user):
        client.force_login(user)
        for method, path in pages:
            assert getattr(client, method)(path, {"method": "temporary"}).status_code == 403, path
    world.binh_user.refresh_from_db()
    assert world.binh_user.check_password(PASSWORD)
    assert not world.binh_user.must_change_password
    assert not AuditEntry.objects.filter(code__startswith="user.").exists()


@pytest.mark.django_db
def test_the_list_finds_by_username_and_by_member_name(world, admin):
    page = admin.get(USERS, {"q": "tran thi"}).content.decode()
    assert "binh" in page
    assert "cuc" not in page
    page = admin.get(USERS, {"q": "dun"}).content.decode()
    assert ">dung<" in page
    assert "binh" not in page
    assert f'href="{USERS}"' in admin.get("/").content.decode()  # the administrator's menu


@pytest.mark.django_db
@override_settings(CHIBO_PAGE_SIZE=2)
def test_the_list_is_paginated_with_a_fixed_number_of_queries(world, admin):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(USERS).status_code == 200
        return len(captured)

    few = queries()
    for number in range(6):
        User.objects.create_user(username=f"extra{number}")
    assert queries() == few
    assert "Trang 1/6" in admin.get(USERS).content.decode()


@pytest.mark.django_db
def test_a_temporary_password_is_shown_once_and_forces_a_change(world, admin, client):
    response = admin.post(f"{detail(world.binh_user)}reset/", {"method": "temporary"})
    assert response.status_code == 200
    password = shown_password(response)
    world.binh_user.refresh_from_db()
    assert world.binh_user.check_password(password)
    assert world.binh_user.must_change_password
    entry = AuditEntry.objects.get(code="user.password_reset_by_admin")
    assert entry.actor == world.admin_user
    assert password not in str(entry.changes) + entry.note
    # The detail page never shows it again.
    assert password not in admin.get(detail(world.binh_user)).content.decode()
    # Bình logs in with it and is sent to the change page.
    admin.logout()
    login = client.post("/accounts/login/", {"username": "binh", "password": password})
    assert login.status_code == 302
    assert client.get("/")["Location"] == "/accounts/password_change/"


@pytest.mark.django_db
def test_a_reset_by_email_goes_to_the_members_address(
    world, admin, django_capture_on_commit_callbacks
):
    Member.objects.filter(pk=world.binh.pk).update(email="binh@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"{detail(world.binh_user)}reset/", {"method": "email"})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["binh@example.vn"]]
    world.binh_user.refresh_from_db()
    assert world.binh_user.check_password(PASSWORD)  # unchanged until the link is used
    assert world.binh_user.must_change_password


@pytest.mark.django_db
def test_a_reset_by_email_without_an_address_is_refused(world, admin):
    response = admin.post(f"{detail(world.dung_user)}reset/", {"method": "email"}, follow=True)
    assert "không có địa chỉ e-mail" in response.content.decode()
    world.dung_user.refresh_from_db()
    assert not world.dung_user.must_change_password
    assert mail.outbox == []


@pytest.mark.django_db
def test_deactivate_and_activate(world, admin, client):
    admin.post(f"{detail(world.binh_user)}active/", {"active": "0"})
    world.binh_user.refresh_from_db()
    assert not world.binh_user.is_active
    assert AuditEntry.objects.filter(code="user.deactivated").count() == 1
    admin.post(f"{detail(world.binh_user)}active/", {"active": "1"})
    world.binh_user.refresh_from_db()
    assert world.binh_user.is_active
    # The administrator cannot lock themselves out.
    response = admin.post(f"{detail(world.admin_user)}active/", {"active": "0"}, follow=True)
    assert "không thể tự khóa" in response.content.decode()
    world.admin_user.refresh_from_db()
    assert world.admin_user.is_active


@pytest.mark.django_db
def test_a_member_without_a_login_gets_one(world, admin):
    moi = make_member(world.khoi1, "Hoàng Văn Mới", email="moi@example.vn")
    picked = admin.get(f"{USERS}new/", {"q": "hoang van moi"}).content.decode()
    assert "Hoàng Văn Mới" in picked
    assert "Trần Thị Bình" not in admin.get(f"{USERS}new/", {"q": "binh"}).content.decode()
    response = admin.post(f"{USERS}new/{moi.pk}/", {"username": "moi.khoi1"})
    assert response.status_code == 200
    password = shown_password(response)
    moi.refresh_from_db()
    assert moi.user.username == "moi.khoi1"
    assert moi.user.check_password(password)
    assert moi.user.must_change_password
    assert moi.user.email == "moi@example.vn"
    assert AuditEntry.objects.filter(code="user.created", target_id=str(moi.user.pk)).exists()
    # Now that the member has a login, the page is gone for them.
    assert admin.get(f"{USERS}new/{moi.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_taken_or_invalid_username_creates_nothing(world, admin):
    moi = make_member(world.khoi1, "Hoàng Văn Mới")
    taken = admin.post(f"{USERS}new/{moi.pk}/", {"username": "BINH"})
    assert "Tên đăng nhập này đã có người dùng" in taken.content.decode()
    invalid = admin.post(f"{USERS}new/{moi.pk}/", {"username": "có dấu cách"})
    assert invalid.status_code == 200
    assert invalid.context["form"].errors["username"]
    moi.refresh_from_db()
    assert moi.user is None
    assert User.objects.count() == 5


@pytest.mark.django_db
def test_wrong_methods(world, admin):
    assert admin.get(f"{detail(world.binh_user)}reset/").status_code == 405
    assert admin.post(USERS).status_code == 405
    assert admin.get(f"{USERS}999999/").status_code == 404
