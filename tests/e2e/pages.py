"""Steps a person takes in the browser, shared by the browser tests."""

from chibo.demo.common import demo_password  # CHIBO_DEMO_PASSWORD, or the documented default


def log_in(page, username: str, password: str | None = None) -> None:
    """Log in through the login page, as a person would, and wait for the home page."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or demo_password())
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert not page.url.endswith("/accounts/login/"), f"login as {username} failed"


def log_out(page) -> None:
    """Log out with the navbar's POST form (opening the collapsed menu on narrow screens)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    with page.expect_navigation():
        page.locator("nav form[action$='/accounts/logout/'] button").click()
    assert page.url.endswith("/accounts/login/")
