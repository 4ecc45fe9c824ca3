"""Browser tests: one Debian Chromium per test session, driven through Playwright's sync API
against pytest-django's live server, on the demo data of `seed_demo`.

Each test starts from the freshly seeded demo: `seed_demo` runs once per test process and every
test gets an exact copy of its result (`demo_data` in tests/conftest.py), committed so that the
live server's thread sees it (live_server needs transactional_db). Each xdist worker that runs
browser tests seeds the demo and starts Chromium once."""

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API keeps an event loop in the test thread; Django would then refuse
# ORM calls from the test ("SynchronousOnlyOperation"). The tests are plain synchronous code.
# Set for the whole process, not per test: the session's browser stays up while the test
# modules collected after this one run in the same process (or xdist worker).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


class OneRequestAtATime(StaticFilesHandler):
    """The live server's application, handling one request at a time.

    On SQLite the test database lives in memory, so pytest-django hands the live server the test
    thread's one connection and every request thread shares it. Two requests at once — a page's
    htmx requests (`hx-trigger="load"`, the roll-call summary polled every 20 s) racing the
    logout POST — then interleave their transactions on that one connection, and a response
    goes missing: the browser tests' occasional timeout waiting for the login page after a
    logout. A real server has a connection per thread; here the requests take turns."""

    lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return super().__call__(environ, start_response)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serialised on SQLite (see OneRequestAtATime)."""
    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
    server = LiveServer(addr or "localhost", start=False)
    if server.thread.connections_override:
        server.thread.static_handler = OneRequestAtATime
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (Debian's chromium package)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server, transactional_db, demo_data):
    """A factory of pages, each in its own browser context (own cookies), closed afterwards.
    `new_page(phone=True)` emulates a 360 px phone; the default is a 1366 px desktop."""
    contexts = []

    def make(*, phone: bool = False):
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", **(PHONE if phone else DESKTOP)
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Iterator[Path]:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    yield SCREENSHOT_DIR
