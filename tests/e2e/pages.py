"""Steps a person takes in the browser, shared by the browser tests."""

from playwright.sync_api import expect

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
    """Log out with the navbar's POST form, as a person would: on a narrow screen the form is in
    the collapsed menu, so open it first (and wait until it is open). Then wait for the login
    page itself — its URL and its username field — rather than for "the next navigation of any
    kind, until every stylesheet, script and font has loaded", which is what
    `with page.expect_navigation(): click` waits for."""
    button = page.locator("nav form[action$='/accounts/logout/'] button")
    if not button.is_visible():
        page.locator(".navbar-toggler").click()
        # Bootstrap marks the menu `.show` once its opening transition has ended. A click on the
        # button while the menu is still `.collapsing` (visible, but clipped and growing) can
        # be lost: no POST is sent. The longer the menu, the longer that window.
        expect(page.locator("#mainnav.show")).to_be_visible()
        expect(button).to_be_visible()
    button.click()
    page.wait_for_url("**/accounts/login/", wait_until="domcontentloaded")
    expect(page.locator("#id_username")).to_be_visible()
