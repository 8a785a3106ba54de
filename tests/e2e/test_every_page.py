"""Every page, for every role, in Swedish and in Arabic (right to left), in a real browser.

The pages come from tests/every_page.py: every GET route a role may open, so a new page is checked
without anyone adding it here. One browser context per role and language, not per page; on each
page:

- axe-core finds no WCAG 2.0/2.1/2.2 A and AA violations;
- nothing is wider than a 320 px phone (WCAG 1.4.10 reflow);
- with the text twice as big (the root font size doubled, WCAG 1.4.4), nothing scrolls sideways
  at 320 px nor at 360 px;
- on the participant's pages, every control is at least 44 × 44 CSS px.

Automated checks catch only part of WCAG; they are a floor, not a proof.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import BrowserContext, Page

from tests import factories
from tests.access_matrix import PARTICIPANT
from tests.e2e.conftest import TIMEOUT_MS, PageProblems
from tests.e2e.pages import axe_problems, screen_problems, second_step, small_targets
from tests.every_page import LANGUAGES, ROLE_IDS, ROLES, pages_for, signed_in_client

pytestmark = [pytest.mark.e2e, pytest.mark.presentation]

SMALLEST = {"width": 320, "height": 640}
SMALL = {"width": 360, "height": 740}
DIRECTION = {"sv": "ltr", "ar": "rtl"}
TEXT_SIZE = "(size) => { document.documentElement.style.fontSize = size; }"
OPEN_DISCLOSURES = "() => { for (const details of document.querySelectorAll('details')) details.open = true; }"


def _context(browser, live_server, language: str) -> BrowserContext:
    context = browser.new_context(base_url=live_server, viewport=SMALLEST, screen=SMALLEST, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, timezone_id="Europe/Stockholm")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.add_init_script(path=AXE_FILE_PATH)  # axe in every page, not sent over for each check
    # The language picker's cookie: what a person who chose the language has.
    context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    return context


def _signed_in(context: BrowserContext, login: str | None, problems: PageProblems) -> Page:
    page = context.new_page()
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    page.on("response", problems.response)
    if login:
        # By ids: the labels are in the page's language.
        page.goto("/sign-in")
        page.locator("#login_name").fill(login)
        page.locator("#password").fill(factories.PASSWORD)
        page.locator("form.form button[type=submit]").click()
        second_step(page)
        page.wait_for_url(re.compile(r"/(home|coach|project)$"))
    return page


def check_page(page: Page, url: str, language: str, participant: bool) -> list[str]:
    """Every check on one page, in an order where none disturbs the next."""
    where = f"{language} {url}"
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{where} answered {response and response.status}"
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        language, DIRECTION[language]], where
    found = axe_problems(page, where)
    found += screen_problems(page, f"{where} at 320 px")
    page.evaluate(TEXT_SIZE, "200%")
    found += screen_problems(page, f"{where} with 200 % text at 320 px")
    page.set_viewport_size(SMALL)
    found += screen_problems(page, f"{where} with 200 % text at 360 px")
    page.set_viewport_size(SMALLEST)
    page.evaluate(TEXT_SIZE, "")
    # Menus and "more" disclosures open: the language menu must fit the screen too.
    page.evaluate(OPEN_DISCLOSURES)
    found += screen_problems(page, f"{where} at 320 px with every disclosure open")
    if participant:
        found += small_targets(page, where)
    return found


@pytest.mark.parametrize("role", ROLES, ids=ROLE_IDS)
def test_every_page_passes_axe_and_fits_a_small_phone_also_with_large_text(app, browser, live_server, site,
                                                                           new_client, role):
    pages = pages_for(app, signed_in_client(new_client, site, role), site, role)
    assert len(pages) >= 7, f"only {len(pages)} pages found for {role}: {pages}"
    found = []
    for language in LANGUAGES:
        context = _context(browser, live_server, language)
        problems = PageProblems()
        try:
            page = _signed_in(context, site.login(role) if role else None, problems)
            for each in pages:
                found += check_page(page, each.url, language, role == PARTICIPANT)
        finally:
            context.close()
        found += [f"{language}: {message}" for message in problems.messages]
    assert not found, f"{len(found)} problems:\n" + "\n".join(found)


def test_the_checks_find_what_they_look_for(open_page):
    """Each check fails on a page that breaks its rule."""
    page = open_page(js=True)
    page.set_viewport_size(SMALLEST)
    page.goto("/sign-in")
    assert not axe_problems(page, "sign-in") and not screen_problems(page, "sign-in")
    assert not small_targets(page, "sign-in")
    page.evaluate("""() => {
        document.querySelector('label[for=password]').remove();
        const wide = document.createElement('p');
        wide.textContent = 'Arbetsmarknadsutbildningen och praktikplatsen på äldreboendet';
        wide.style.whiteSpace = 'nowrap';
        document.querySelector('main').append(wide);
        const button = document.querySelector('form.form button[type=submit]');
        button.style.minBlockSize = '30px';
        button.style.blockSize = '30px';
    }""")
    assert any("label" in problem for problem in axe_problems(page, "sign-in"))
    assert screen_problems(page, "sign-in")
    assert any("<button" in problem for problem in small_targets(page, "sign-in"))
    page.goto("/sign-in")
    page.evaluate(TEXT_SIZE, "200%")
    page.evaluate("() => { document.querySelector('.site-header__bar').style.flexWrap = 'nowrap'; }")
    assert screen_problems(page, "sign-in with 200 % text and a header that does not wrap")
