"""The error pages on a 360 px phone (issue 9, item 14): Vietnamese, in chibo's layout, with a
way back home that fits the screen; screenshots kept in docs/screenshots/error-<code>.png."""

from urllib.parse import urlparse

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from chibo.orgs.models import Organization
from tests.e2e.conftest import PHONE, REPO_ROOT
from tests.e2e.pages import log_in

pytestmark = pytest.mark.e2e

DOCS_SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
WIDTH = PHONE["viewport"]["width"]


def check_and_keep(page, code: int, title: str) -> None:
    assert title in page.inner_text("body")
    home = page.get_by_role("link", name="Về trang chủ")
    box = home.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_SCREENSHOTS / f"error-{code}.png"))
    with page.expect_navigation():
        home.click()
    assert urlparse(page.url).path == "/"  # the home page


def test_the_error_pages_on_a_phone(new_page):
    page = new_page(phone=True)
    log_in(page, "capuy.khoi1")
    response = page.goto("/khong-co-trang-nay/")
    assert response is not None and response.status == 404
    check_and_keep(page, 404, "Không tìm thấy trang")

    # The upper-level member following Khối 1 reads its register but may not add a member.
    cell = Organization.objects.get(name="Chi bộ Khối 1")
    response = page.goto(reverse("members:new", args=[cell.pk]))
    assert response is not None and response.status == 403
    check_and_keep(page, 403, "Không có quyền truy cập")

    # A crash: Django renders 500.html with no context; served here at a made-up address.
    html = defaults.server_error(RequestFactory().get("/")).content
    page.route(
        "**/loi-may-chu/",
        lambda route: route.fulfill(status=500, body=html, content_type="text/html"),
    )
    response = page.goto("/loi-may-chu/")
    assert response is not None and response.status == 500
    check_and_keep(page, 500, "Đã xảy ra lỗi")
