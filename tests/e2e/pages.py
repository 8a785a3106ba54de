"""What the browser tests do again and again: sign in, wait for an htmx change, look at focus."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

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


def no_horizontal_scroll(page: Page) -> tuple[int, int]:
    """(scrollWidth, innerWidth) of the page."""
    return tuple(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))
