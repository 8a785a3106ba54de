"""The plan with a keyboard only: reach a button with Tab, press it with Enter, and keep going
from where the change happened (htmx must not drop focus onto <body>)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests import factories
from tests.e2e.pages import expect_focus_in, sign_in, status
from webapp.extensions import db
from webapp.models import Step

pytestmark = pytest.mark.e2e

GOAL = "Work in a warehouse"
FIRST = "Get a forklift licence"
SECOND = "Visit the warehouse in Öjebyn"
MAX_TABS = 40


@pytest.fixture
def two_steps(build, participant) -> tuple[factories.Participant, object, object]:
    goal_id = build(factories.goal, participant, GOAL)
    first = build(factories.step, participant, goal_id, FIRST, position=1)
    second = build(factories.step, participant, goal_id, SECOND, position=2)
    return participant, first, second


def tab_to(page: Page, predicate: str, what: str) -> None:
    """Press Tab until the focused element matches the JS predicate `(el) => bool`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate})(document.activeElement)"):
            return
    raise AssertionError(f"{what} was not reached with {MAX_TABS} presses of Tab")


def step_titles(page: Page) -> list[str]:
    return page.locator("#plan").get_by_role("listitem").locator(".item-title").all_inner_texts()


def test_a_step_moves_down_with_tab_and_enter_and_focus_stays_with_it(open_page, two_steps, read):
    participant, first_id, second_id = two_steps
    page = open_page(js=True)
    sign_in(page, participant.login)
    page.goto("/plan")
    assert step_titles(page) == [FIRST, SECOND]

    # From the top of the page, Tab to the first step's "Move down" button.
    tab_to(
        page,
        f"(el) => el.getAttribute('aria-label') === 'Move down' && el.closest('#step-{first_id}') !== null",
        "the first step's Move down button",
    )
    page.keyboard.press("Enter")

    expect(status(page)).to_have_text("The step moved down.")
    expect(page.locator("#plan").get_by_role("listitem").locator(".item-title")).to_have_text([SECOND, FIRST])
    expect(page).to_have_url(re.compile(r"/plan$"))  # htmx did it, no new page

    # Focus follows the step that moved, so the next Tab continues inside it.
    expect_focus_in(page, "#plan", "after moving the step")
    moved = page.locator(f"#step-{first_id}")
    expect(moved).to_be_focused()
    page.keyboard.press("Tab")
    expect(moved.get_by_role("button", name="I have started")).to_be_focused()
    # It is last now: it can move up, not down.
    expect(moved.get_by_role("button", name="Move up")).to_be_visible()
    expect(moved.get_by_role("button", name="Move down")).to_have_count(0)

    order = read(lambda: list(db.session.scalars(
        select(Step.id).where(Step.participation_id == participant.participation_id).order_by(Step.position)
    )))
    assert order == [second_id, first_id]


def test_changing_an_entry_just_saved_puts_focus_in_its_first_field(open_page, participant):
    page = open_page(js=True)
    sign_in(page, participant.login)
    page.goto("/log")
    page.get_by_label("What did you do?").select_option(label="Studies")
    page.get_by_label("How long did it take?").select_option(label="30 min")
    page.get_by_role("radio", name="Good", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    entry = page.get_by_role("listitem").filter(has_text="Studies")
    expect(entry).to_be_focused()

    entry.get_by_role("link", name=re.compile(r"^Change")).click()
    date = entry.get_by_label("Date", exact=True)
    expect(date).to_be_visible()
    # Loaded fresh, the same form gets focus in its date field; right after a save it must too.
    expect(date).to_be_focused(timeout=2_000)
