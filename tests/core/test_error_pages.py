"""Error pages (issue 9, item 14): Vietnamese, in chibo's layout, with a way back home."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

HOME_LINK = 'href="/"'


def test_an_unknown_page_answers_404_in_vietnamese_with_a_way_home(world, client):
    client.force_login(world.binh_user)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page
    assert "Về trang chủ" in page and HOME_LINK in page
    assert 'class="navbar' in page  # the layout, with the user's menu
    assert "Đăng xuất" in page


def test_another_cells_record_answers_the_same_404_page(world, client):
    client.force_login(world.binh_user)
    response = client.get(reverse("members:detail", args=[world.dung.pk]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_read_only_user_gets_the_403_page_in_vietnamese(world, client):
    # Cúc oversees the ward (upper-level committee member) but keeps no register: she may read
    # Khối 1's members and may not add one.
    client.force_login(world.cuc_user)
    response = client.get(reverse("members:new", args=[world.khoi1.pk]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền truy cập" in page
    assert "Về trang chủ" in page and HOME_LINK in page


def test_the_500_page_renders_without_a_request_context():
    """Django's server_error view renders 500.html with an empty context (no user, no
    database): the page must still be Vietnamese and lead home."""
    response = defaults.server_error(RequestFactory().get("/broken/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in page
    assert "Về trang chủ" in page and HOME_LINK in page


def test_the_400_page_is_vietnamese():
    response = defaults.bad_request(RequestFactory().get("/"), exception=None)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
