"""What the browser tests do again and again: sign in, wait for an htmx change, look at focus."""

from __future__ import annotations

import re
import time

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Locator, Page

from tests import factories


def sign_in(page: Page, login: str, password: str = factories.PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/sign-in")
    page.get_by_label("Email or sign-in name").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/home$"))


def sign_in_staff(page: Page, email: str, start: str = "/coach") -> None:
    """Staff sign in through the form: the password, then the code; a coach lands on /coach,
    a leader on /project."""
    page.goto("/sign-in")
    page.get_by_label("Email or sign-in name").fill(email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    second_step(page)
    page.wait_for_url(re.compile(rf"{start}$"))


def second_step(page: Page) -> None:
    """Staff's code from their authenticator app, when the sign-in asks for it (by ids: the
    labels are in the page's language). Each code works once, and the server takes the codes of
    the time steps just before and after now: so a test that signs the same person in again and
    again tries those, and waits for the next time step when all three are used."""
    page.wait_for_url(re.compile(r"/(sign-in/code|home|coach|project)$"))
    for ahead in (-1, 0, 1, None, 0, 1):
        if not page.url.endswith("/sign-in/code"):
            return
        if ahead is None:  # all used: wait for the next 30-second step
            time.sleep(30.5 - time.time() % 30)
            continue
        page.locator("#code").fill(factories.totp_code(ahead))
        page.locator("form.form button[type=submit]").click()
        page.wait_for_load_state()
    assert not page.url.endswith("/sign-in/code"), "the code step failed with every code"


def status(page: Page) -> Locator:
    """The live region (role=status) where the outcome of a change is announced."""
    return page.get_by_role("status")


def clear_status(page: Page) -> None:
    """Empty the status region, so that the next message must come from the next answer.

    Two changes in a row can give the same message ("The step is saved."); without this the
    second check would pass on the first message.
    """
    page.evaluate("document.getElementById('status').replaceChildren()")


def htmx_settled(page: Page) -> None:
    """Wait until htmx has no request in flight and nothing swapping or settling: a check that
    runs earlier sees a passing state (e.g. the dimmed button of a form being sent)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def mark_document(page: Page) -> None:
    """Put a marker on window; it survives htmx swaps and disappears with a full page load."""
    page.evaluate("window.__e2eSameDocument = true")


def assert_same_document(page: Page, what: str) -> None:
    assert page.evaluate("window.__e2eSameDocument === true"), f"{what}: the browser loaded a new page"


def expect_focus_in(page: Page, container: str, what: str) -> None:
    """Focus went into the changed area (not back to <body>), after htmx settled."""
    try:
        page.wait_for_function(
            """(selector) => {
                const active = document.activeElement;
                const area = document.querySelector(selector);
                return active && active !== document.body && area && area.contains(active);
            }""",
            arg=container,
            timeout=2_000,
        )
    except Exception as error:  # Playwright's TimeoutError: say what was focused instead
        focused = page.evaluate(
            "(() => { const a = document.activeElement; return a ? a.outerHTML.slice(0, 120) : 'nothing'; })()"
        )
        raise AssertionError(f"{what}: focus is not in {container}, it is on {focused}") from error


_WIDTHS = """() => {
    const root = document.documentElement;
    const screenWidth = root.clientWidth;
    // A wide table may scroll inside its own box, if the box fits the screen and a keyboard can
    // reach it (tabindex="0"), so a person can scroll it with the arrow keys or a finger.
    const insideScrollBox = (element, width) => {
        for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
            const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
            if (scrolls && box.tabIndex === 0 && box.getBoundingClientRect().right <= width + 0.5) return true;
        }
        return false;
    };
    // Text that runs past the right edge; an element's box can be narrow while its words are not.
    const sticking = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const parent = node.parentElement;
        if (!node.textContent.trim() || parent.closest('.visually-hidden, .skip-link')) continue;
        if (insideScrollBox(parent, screenWidth)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        if ([...range.getClientRects()].some((rect) => rect.right > screenWidth + 0.5)) {
            const text = node.textContent.trim().slice(0, 60);
            sticking.push(`<${parent.tagName.toLowerCase()} class="${parent.className}">${text}`);
        }
    }
    return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, clientWidth: screenWidth, sticking};
}"""


def screen_problems(page: Page, name: str) -> list[str]:
    """What makes the page wider than the phone: sideways scrolling, cut-off words.

    Under mobile emulation Chromium widens the layout to fit content that overflows, and
    window.innerWidth grows with it (366 px on a 360 px phone), so the width we set for the
    viewport is checked too.
    """
    found = page.evaluate(_WIDTHS)
    phone_width = page.viewport_size["width"]
    problems = []
    if found["scrollWidth"] > found["innerWidth"]:
        problems.append(f"{name}: the page scrolls sideways: {found}")
    elif found["scrollWidth"] > phone_width:
        problems.append(f"{name}: the page is {found['scrollWidth']}px wide on a {phone_width}px phone: {found}")
    if found["sticking"]:
        problems.append(f"{name}: text runs past the right edge of the screen: {found['sticking']}")
    return problems


def assert_fits_screen(page: Page, name: str) -> None:
    """Nothing on the page is wider than the phone: no sideways scrolling, no cut-off words."""
    problems = screen_problems(page, name)
    assert not problems, "\n".join(problems)


WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
        "resultTypes": ["violations"]}


def axe_problems(page: Page, where: str) -> list[str]:
    """axe-core's WCAG 2.2 A and AA violations on the page, once htmx has finished."""
    htmx_settled(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):  # not there from the context's init script
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate("(options) => axe.run(document, options).then((results) => results.violations)", WCAG)
    return [
        f"{where}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]


MIN_TARGET = 44  # CSS px: our own rule for participants' controls, above WCAG 2.5.8's 24

_TARGETS = """(minimum) => {
    // What is inside a closed <details> (the language menu, "more" choices) is measured too.
    for (const details of document.querySelectorAll('details')) details.open = true;
    const checkable = [...document.querySelectorAll('input[type=radio], input[type=checkbox]')];
    const targets = new Set([
        ...document.querySelectorAll(
            'button, select, textarea, summary, input:not([type=hidden]):not([type=radio]):not([type=checkbox])'),
        ...checkable.flatMap((input) => [...input.labels]),
        // Menus and links that look like buttons; a link inside running text is exempt (WCAG 2.5.8).
        ...document.querySelectorAll('nav a, .footer-links a, a.button, a[role=button], .link-line a, a.answers__change'),
    ]);
    const small = [];
    for (const element of targets) {
        const rect = element.getBoundingClientRect();
        const shown = element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden'
            && !element.closest('.visually-hidden, [hidden]');
        if (!shown) continue;
        if (rect.width + 0.01 < minimum || rect.height + 0.01 < minimum) {
            const name = (element.innerText || element.value || element.getAttribute('aria-label') || '').trim();
            small.push(`<${element.tagName.toLowerCase()} class="${element.className}"> ${name.slice(0, 40)}: `
                       + `${Math.round(rect.width)}×${Math.round(rect.height)}`);
        }
    }
    return small;
}"""


def small_targets(page: Page, where: str) -> list[str]:
    """Controls smaller than 44×44 CSS px. Opens every <details> on the page to measure inside."""
    return [f"{where}: {found}" for found in page.evaluate(_TARGETS, MIN_TARGET)]
