"""Browser fixtures: the app served on a loopback port of our own, Debian's Chromium driven by
Playwright, and a fresh phone-sized context per test, with or without JavaScript.

The browser is Debian's (/usr/bin/chromium): `playwright install` cannot download here. Without
it the tests are skipped locally, but fail in CI, where a missing browser is a broken setup.
"""

from __future__ import annotations

import os
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Response, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # Debian's Chromium otherwise keeps resolving Google hosts, which slows and flakes the tests.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]",
]
PHONE = {"width": 360, "height": 740}
# Let Playwright see the service worker's own requests, so that "offline" (set_offline) and routes
# apply to them as to the page's: a phone without a connection has none in its service worker either.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
# Playwright's default wait is 30 s; on loopback anything slower than this is a bug.
TIMEOUT_MS = 5_000


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The browser, or a skip (locally) / failure (CI=true) that says why there is none."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        reason = (
            f"{CHROMIUM} is missing: install Debian's browser with "
            "`apt-get install -y --no-install-recommends chromium fonts-liberation`"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    return CHROMIUM


class QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request: the tests' output stays readable. Errors still show."""

    def log_request(self, code="-", size="-") -> None:
        pass


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The test app on 127.0.0.1 and a port the OS picked, served from a daemon thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    try:
        _check_listener_is_ours(base_url)
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _check_listener_is_ours(base_url: str) -> None:
    # No proxies: the request must reach the socket we just bound, nothing else.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{base_url}/sign-in", timeout=5) as response:  # noqa: S310 - our own loopback URL
        body = response.read().decode("utf-8")
        assert response.status == 200, f"{base_url}/sign-in answered {response.status}"
    assert "Stegvis" in body and 'name="csrf-token"' in body, f"{base_url} is not the Stegvis test server"


@pytest.fixture(scope="session")
def playwright_session(chromium_path) -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session, chromium_path) -> Iterator[Browser]:
    chromium = playwright_session.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
    try:
        yield chromium
    finally:
        chromium.close()


@dataclass
class PageProblems:
    """What went wrong in the browser while a test ran: script errors, CSP refusals and failed
    requests. A 422 is how a form with errors comes back, so it is not a problem."""

    messages: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        # Failed loads are also logged to the console, without the URL; on_response names them.
        if message.type != "error" or message.text.startswith("Failed to load resource"):
            return
        self.messages.append(f"console: {message.text}")

    def page_error(self, error: Exception) -> None:
        self.messages.append(f"page error: {error}")

    def response(self, response: Response) -> None:
        if response.status >= 400 and response.status != 422:
            self.messages.append(f"{response.status} from {response.request.method} {response.url}")


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Callable[..., Page]]:
    """open_page(js=True) → a Page in its own phone-sized, English, cookie-less context."""
    contexts: list[tuple[BrowserContext, PageProblems]] = []

    def make(js: bool = True) -> Page:
        context = browser.new_context(
            base_url=live_server,
            viewport=PHONE,
            screen=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="en-GB",
            timezone_id="Europe/Stockholm",
            java_script_enabled=js,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        problems = PageProblems()
        contexts.append((context, problems))
        page = context.new_page()
        page.on("console", problems.console)
        page.on("pageerror", problems.page_error)
        page.on("response", problems.response)
        return page

    yield make
    found = []
    for context, problems in contexts:
        context.close()
        found += problems.messages
    assert not found, "the browser reported problems:\n" + "\n".join(found)


@pytest.fixture
def participant(build) -> factories.Participant:
    """An activated participant with a coach, in a project of their own."""
    project = build(factories.project)
    coach = build(factories.staff, project, "coach")
    return build(factories.participant, project, coach, name="Amina Hassan")

