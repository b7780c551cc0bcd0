"""Playwright fixtures for the browser tests: one Chromium per session, a fresh page per test.

We drive Debian's Chromium (/usr/bin/chromium) through Playwright's sync API; nothing is
downloaded. Without that binary every browser test is skipped with the reason.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread


class OneRequestAtATime(WSGIServer):
    """The live server answering one request at a time. On SQLite the test database lives in
    memory and every thread of the live server shares its one connection: a page that loads
    two charts at once made two threads use it together ("bad parameter or other API
    misuse"). Django closes each connection of a server that is not threaded, so a browser's
    kept-alive connection does not hold the others up."""

    def __init__(self, *args, connections_override=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    LiveServerThread.server_class = OneRequestAtATime

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
TIMEOUT_MS = 10_000


def pytest_itemcollected(item):
    """Mark every test in this folder `browser`, early enough for `-m "not browser"`."""
    if Path(__file__).parent in Path(str(item.path)).parents:
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests after all the other tests.

    Once started, Playwright keeps an event loop running in the test thread until the
    session ends (see _playwright); running the browser tests last keeps that loop, and the
    environment variable it needs, away from every other test. trylast: after pytest-django
    has put the tests in its database order, which this keeps otherwise. Under pytest-xdist
    each worker runs the tests it is sent in this order, so they come last there too; each
    worker that gets some starts its own Chromium and live server.
    """
    here = Path(__file__).parent
    browser_tests = [item for item in items if here in Path(str(item.path)).parents]
    chosen = set(browser_tests)
    items[:] = [item for item in items if item not in chosen] + browser_tests


@pytest.fixture(scope="session")
def _playwright():
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's Chromium (make chromium, or "
            "apt-get install chromium) to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in the test thread for as
    # long as it is started, and Django then refuses synchronous database calls from that
    # thread (SynchronousOnlyOperation). Allow them exactly while Playwright runs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


class PageProblems:
    """What went wrong in the page outside the test's own assertions."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed_resources: list[str] = []
        self.external_requests: list[str] = []

    def report(self) -> str:
        parts = []
        for title, items in (
            ("console errors (CSP violations show here)", self.console_errors),
            ("uncaught JavaScript errors", self.page_errors),
            ("sub-resources that failed to load", self.failed_resources),
            ("requests beyond localhost (blocked)", self.external_requests),
        ):
            if items:
                parts.append(f"{title}:\n" + "\n".join(f"  - {item}" for item in items))
        return "\n".join(parts)


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def context(browser, live_server, page_problems):
    """A fresh browser context per test, pointed at the live server, offline but for it."""
    context = browser.new_context(
        base_url=live_server.url,
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
    )
    context.set_default_timeout(TIMEOUT_MS)

    def only_localhost(route):
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            page_problems.external_requests.append(route.request.url)
            route.abort()

    context.route(re.compile(r"^https?://"), only_localhost)
    yield context
    context.close()


@pytest.fixture
def page(context, page_problems) -> Iterator:
    """A page that records console errors, JavaScript errors and failed sub-resources.

    The test fails at teardown if any happened: a CSP violation, a broken script or a
    missing style sheet or font is a real problem even when the assertions pass.
    """
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()

    def on_console(message):
        if message.type == "error":
            page_problems.console_errors.append(f"{message.text} ({page.url})")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            page_problems.failed_resources.append(f"{response.status} {response.url}")

    def on_request_failed(request):
        if request.failure == "net::ERR_ABORTED":
            return  # cancelled because the page moved on, as when a link is followed quickly
        local = urlsplit(request.url).hostname in LOCAL_HOSTS
        if local and request.resource_type != "document":
            page_problems.failed_resources.append(f"{request.failure} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_problems.page_errors.append(str(error)))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    yield page
    problems = page_problems.report()
    assert not problems, f"The browser reported problems:\n{problems}"
