"""What a phone downloads, measured in the browser: the first visit of a participant (sign-in
page, signing in, the start page, and the service worker setting itself up) stays within 60 KB,
and a later visit downloads no static file at all. Requests the service worker makes count too
(PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS, set in conftest.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Request

from tests import factories
from tests.e2e.conftest import PHONE, TIMEOUT_MS
from tests.e2e.test_offline import wait_until_installed

pytestmark = [pytest.mark.e2e, pytest.mark.presentation]

KB = 1024


class Transfers:
    """Every finished request in a browser context, with the bytes that came over the network."""

    def __init__(self) -> None:
        self.requests: list[Request] = []

    def finished(self, request: Request) -> None:
        self.requests.append(request)

    def bytes(self) -> int:
        total = 0
        for request in self.requests:
            response = request.response()
            if response is None or response.from_service_worker:
                continue  # answered on the phone: nothing came over the network
            sizes = request.sizes()
            # Chromium reports a negative size for answers from the browser's own cache.
            total += max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])
        return total

    def static_downloads(self) -> list[str]:
        downloaded = []
        for request in self.requests:
            response = request.response()
            if "/static/" in request.url and response is not None and not response.from_service_worker:
                if request.sizes()["responseBodySize"] > 0:
                    downloaded.append(request.url)
        return downloaded


def test_a_first_visit_is_light_and_a_repeat_visit_downloads_no_static_file(browser, live_server, participant):
    context = browser.new_context(base_url=live_server, viewport=PHONE, screen=PHONE, is_mobile=True,
                                  has_touch=True, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        first = Transfers()
        context.on("requestfinished", first.finished)
        page = context.new_page()
        page.goto("/sign-in")
        page.locator("#login_name").fill(participant.login)
        page.locator("#password").fill(factories.PASSWORD)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url("**/home")
        wait_until_installed(page)
        page.wait_for_load_state("networkidle")
        total = first.bytes()
        assert total <= 60 * KB, f"the first visit downloaded {total} bytes; the budget is 60 KB"
        assert any("/static/js/app.js" in r.url for r in first.requests), "the measurement saw the page's files"
        context.remove_listener("requestfinished", first.finished)

        again = Transfers()
        context.on("requestfinished", again.finished)
        for url in ("/log", "/plan", "/home"):
            page.goto(url)
        page.wait_for_load_state("networkidle")
        assert again.static_downloads() == [], "a repeat visit downloaded static files again"
    finally:
        context.close()
