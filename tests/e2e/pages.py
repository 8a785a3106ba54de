"""What the browser tests do again and again: sign in, wait for an htmx change, look at focus."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from tests import factories


def sign_in(page: Page, login: str, password: str = factories.PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/sign-in")
    page.get_by_label("Email or sign-in name").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/home$"))


def status(page: Page) -> Locator:
    """The live region (role=status) where the outcome of a change is announced."""
    return page.get_by_role("status")


def clear_status(page: Page) -> None:
    """Empty the status region, so that the next message must come from the next answer.

    Two changes in a row can give the same message ("The step is saved."); without this the
    second check would pass on the first message.
    """
    page.evaluate("document.getElementById('status').replaceChildren()")


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


def assert_fits_screen(page: Page, name: str) -> None:
    """Nothing on the page is wider than the phone: no sideways scrolling, no cut-off words.

    Under mobile emulation Chromium widens the layout to fit content that overflows, and
    window.innerWidth grows with it (366 px on a 360 px phone), so the width we set for the
    viewport is checked too.
    """
    found = page.evaluate(_WIDTHS)
    phone_width = page.viewport_size["width"]
    assert found["scrollWidth"] <= found["innerWidth"], f"{name}: the page scrolls sideways: {found}"
    assert found["scrollWidth"] <= phone_width, (
        f"{name}: the page is {found['scrollWidth']}px wide on a {phone_width}px phone: {found}"
    )
    assert not found["sticking"], f"{name}: text runs past the right edge of the screen: {found['sticking']}"
