"""The plan with a keyboard only: reach a button with Tab, press it with Enter, and keep going
from where the change happened (htmx must not drop focus onto <body>)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests import factories
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.pages import (
    assert_same_document,
    clear_status,
    expect_focus_in,
    mark_document,
    sign_in,
    sign_in_staff,
    status,
)
from webapp.extensions import db
from webapp.models import Step, StepState

pytestmark = [pytest.mark.e2e, pytest.mark.presentation]

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
        f"(el) => (el.getAttribute('aria-label') || '').startsWith('Move down') && el.closest('#step-{first_id}') !== null",
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


# --- every htmx change: focus in the changed area, the outcome in the status region ----------


_WAIT_FOR_SWAP = """() => {
    window.__e2eSwapped = false;
    document.addEventListener('htmx:afterSettle', function done(event) {
        // The status region is swapped out of band; wait for the change itself.
        if (event.target.id === 'status') return;
        window.__e2eSwapped = true;
        document.removeEventListener('htmx:afterSettle', done);
    });
}"""


def press(locator, swaps: bool = True) -> None:
    """Reach a control and press Enter on it, as a keyboard does (Enter follows links and presses
    buttons); then wait until htmx has put the answer in the page (app.js moves focus then)."""
    page = locator.page
    if swaps:
        page.evaluate(_WAIT_FOR_SWAP)
    locator.focus()
    page.keyboard.press("Enter")
    if swaps:
        page.wait_for_function("() => window.__e2eSwapped === true", timeout=TIMEOUT_MS)


def changed(page: Page, area: str, what: str, message: str | re.Pattern | None = None) -> None:
    """htmx made the change in place; focus is in `area`, not on <body>; a saved change is said in
    the status region (`message`), a form that opens or comes back with errors says nothing there."""
    assert_same_document(page, what)
    expect_focus_in(page, area, what)
    if message:
        expect(page.get_by_role("status"), what).to_have_text(message)
    else:
        expect(page.locator("#status"), what).to_be_empty()
    clear_status(page)


@pytest.fixture
def full_plan(build):
    """A plan with two goals (one without steps), two steps and two suggestions from the coach."""
    project = build(factories.project)
    coach = build(factories.staff, project, "coach")
    person = build(factories.participant, project, coach, name="Amina Hassan")
    goal = build(factories.goal, person, GOAL, 1)
    other = build(factories.goal, person, "Better Swedish", 2)
    first = build(factories.step, person, goal, FIRST, position=1)
    second = build(factories.step, person, goal, SECOND, position=2)
    build(factories.step, person, None, "Visit the job fair", state=StepState.SUGGESTED, suggested_by=coach)
    build(factories.step, person, None, "Ask about a course", 2, state=StepState.SUGGESTED, suggested_by=coach)
    return person, {"goal": goal, "other": other, "first": first, "second": second}


def test_every_change_on_the_plan_keeps_focus_in_the_changed_area_and_is_announced(open_page, full_plan):
    person, ids = full_plan
    page = open_page(js=True)
    sign_in(page, person.login)
    page.goto("/plan")
    # One live region for every outcome: a screen reader reads what is put in it.
    expect(page.locator("#status")).to_have_attribute("role", "status")
    assert page.get_by_role("status").count() == 1
    mark_document(page)
    plan = page.locator("#plan")
    goal, other = page.locator(f"#goal-{ids['goal']}"), page.locator(f"#goal-{ids['other']}")

    # A new goal: the form opens in place, an empty one comes back with errors, a good one is saved.
    press(page.get_by_role("link", name="Add a goal"))
    changed(page, "#new-goal", "the new goal form opened")
    expect(page.get_by_label("Your goal")).to_be_focused()
    press(page.get_by_role("button", name="Save the goal"))
    changed(page, "#goal-form-new", "the new goal form with an error")
    expect(page.locator("#goal-form-new .error-summary")).to_be_focused()
    page.get_by_label("Your goal").fill("Drive a forklift")
    press(page.get_by_role("button", name="Save the goal"))
    changed(page, "#plan", "a goal saved", "The goal is saved.")
    expect(plan.get_by_role("heading", name="Drive a forklift")).to_be_focused()

    # A new step in the goal that has none.
    press(other.get_by_role("link", name="Add a step"))
    changed(page, f"#new-step-{ids['other']}", "the new step form opened")
    press(other.get_by_role("button", name="Save the step"))
    changed(page, f"#step-form-new-{ids['other'].hex[:8]}", "the new step form with an error")
    expect(page.locator(f"#step-form-new-{ids['other'].hex[:8]} .error-summary")).to_be_focused()
    other.get_by_label("What will you do?").fill("Read a newspaper")
    press(other.get_by_role("button", name="Save the step"))
    changed(page, "#plan", "a step saved", "The step is saved.")
    expect(plan.get_by_role("listitem").filter(has_text="Read a newspaper")).to_be_focused()

    # Change a step: open the form, cancel, open again, save.
    step = f"#step-{ids['first']}"
    press(page.locator(step).get_by_role("link", name=re.compile("^Change")))
    changed(page, step, "the step form opened")
    press(page.locator(step).get_by_role("link", name="Cancel"))
    changed(page, step, "the step form cancelled")
    expect(page.locator(step)).to_be_focused()
    press(page.locator(step).get_by_role("link", name=re.compile("^Change")))
    page.locator(step).get_by_label("What will you do?").fill(FIRST + " this spring")
    press(page.locator(step).get_by_role("button", name="Save the step"))
    changed(page, step, "a step changed", "The step is saved.")

    # Status, delete and undo.
    press(page.locator(step).get_by_role("button", name="I have started"))
    changed(page, step, "a step started", re.compile(FIRST))
    press(page.locator(f"#step-{ids['second']}").get_by_role("button", name="Delete"))
    changed(page, "#undo", "a step deleted", "The step is deleted.")
    expect(page.locator("#undo").get_by_role("button", name="Undo")).to_be_focused()
    press(page.locator("#undo").get_by_role("button", name="Undo"))
    changed(page, f"#step-{ids['second']}", "a step back", "The step is back.")
    expect(page.locator(f"#step-{ids['second']}")).to_be_focused()

    # The goal's own actions sit in a disclosure ("Change the goal").
    press(goal.locator("summary"), swaps=False)
    press(goal.get_by_role("link", name="Edit the text"))
    changed(page, f"#goal-{ids['goal']}", "the goal form opened")
    press(goal.get_by_role("button", name="Save the goal"))
    changed(page, f"#goal-{ids['goal']}", "a goal saved", "The goal is saved.")
    press(goal.locator("summary"), swaps=False)
    press(goal.locator("details.more").get_by_role("button", name="Move down"))
    changed(page, f"#goal-{ids['goal']}", "a goal moved", "The goal moved down.")
    press(other.locator("summary"), swaps=False)
    press(other.get_by_role("button", name="Delete the goal"))
    changed(page, "#undo", "a goal deleted", "The goal and its steps are deleted.")
    press(page.locator("#undo").get_by_role("button", name="Undo"))
    changed(page, f"#goal-{ids['other']}", "a goal back", "The goal is back.")

    # The coach's suggestions: take one, say no to the last one.
    suggestions = page.locator("#suggestions")
    press(suggestions.get_by_role("listitem").filter(has_text="Visit the job fair").get_by_role("button",
                                                                                              name="Add to my plan"))
    changed(page, "#plan", "a suggestion taken", "The step is now in your plan.")
    press(suggestions.get_by_role("button", name="No, thanks"))
    changed(page, "#plan", "the last suggestion declined", "You said no thanks to the suggestion.")
    expect(page.locator("#suggestions")).to_have_count(0)
    expect(other.get_by_role("heading", name="Better Swedish")).to_be_focused()  # what took its place

    # Ready, completed, and back.
    for button, message in (("This is my plan", "Your plan is marked as ready. Well done!"),
                            ("I have completed my plan", "Your plan is marked as completed. Well done!"),
                            ("The plan is not completed after all", "The plan is no longer marked as completed."),
                            ("The plan is not ready after all", "The plan is no longer marked as ready.")):
        press(page.locator("#plan-status").get_by_role("button", name=button))
        changed(page, "#plan-status", button, message)


def _log_with_one_entry(open_page, build, participant):
    """The log page with one entry, keyboard only; returns the page and the entry."""
    build(factories.activity, participant, note="Read the newspaper")
    page = open_page(js=True)
    sign_in(page, participant.login)
    page.goto("/log")
    mark_document(page)
    return page, page.get_by_role("listitem").filter(has_text="Read the newspaper")


def test_every_change_in_the_log_keeps_focus_in_the_changed_area_and_is_announced(open_page, build, participant):
    page, entry = _log_with_one_entry(open_page, build, participant)

    press(page.get_by_role("button", name="Save", exact=True))
    changed(page, "#activity-form-new", "an empty entry")
    expect(page.locator("#activity-form-new .error-summary")).to_be_focused()

    press(entry.get_by_role("link", name=re.compile("^Change")))
    changed(page, "#log .entries", "the entry form opened")
    press(entry.get_by_role("button", name="Save", exact=True))
    changed(page, "#log", "an entry changed", "The change is saved.")
    expect(entry).to_be_focused()
    press(entry.get_by_role("button", name="Delete"))
    changed(page, "#undo", "an entry deleted", "The entry is deleted.")
    press(page.locator("#undo").get_by_role("button", name="Undo"))
    changed(page, "#log", "an entry back", "The entry is back.")
    expect(entry).to_be_focused()


def test_cancelling_a_change_to_an_entry_keeps_focus_on_the_entry(open_page, build, participant):
    page, entry = _log_with_one_entry(open_page, build, participant)
    press(entry.get_by_role("link", name=re.compile("^Change")))
    changed(page, "#log .entries", "the entry form opened")
    press(entry.get_by_role("link", name="Cancel"))
    changed(page, "#log .entries", "the entry form cancelled")


def test_marking_messages_as_read_keeps_focus_in_place_and_is_announced(open_page, build, participant, read):
    from webapp.models import Comment, Participation

    def write():
        participation = db.session.get(Participation, participant.participation_id)
        db.session.add(Comment(participation_id=participation.id, author_id=participation.coach_id, by_staff=True,
                               text="Welcome! Call me if you wonder about anything."))

    build(write)
    page = open_page(js=True)
    sign_in(page, participant.login)
    mark_document(page)
    press(page.get_by_role("button", name="OK, I have read it"))
    changed(page, "#new-messages", "messages marked as read", "Marked as read.")
    expect(page.locator("#new-messages")).to_contain_text("You have read the new messages.")


def test_filtering_the_caseload_keeps_focus_where_the_coach_types_and_says_how_many(open_page, build):
    project = build(factories.project)
    coach = build(factories.staff, project, "coach")
    for name in ("Amina Hassan", "Erik Lindström", "Sara Nilsson"):
        build(factories.participant, project, coach, name=name)
    page = open_page(js=True)
    sign_in_staff(page, coach.email)
    mark_document(page)
    search = page.get_by_label("Search by name")
    search.focus()
    page.keyboard.type("Erik")
    expect(page.locator("#caseload-rows .caseload__row")).to_have_count(1)
    assert_same_document(page, "search")
    expect(search).to_be_focused()  # typing goes on where it was
    expect(page.locator("#status")).to_contain_text("1")
    page.keyboard.press("Enter")  # the form's submit: the same list, focus still not on <body>
    expect_focus_in(page, "form[role=search]", "after Enter in the search field")


def test_without_javascript_the_outcome_of_a_change_is_in_the_status_region_of_the_next_page(open_page, two_steps):
    participant, _first, _second = two_steps
    page = open_page(js=False)
    sign_in(page, participant.login)
    page.goto("/plan")
    page.get_by_role("listitem").filter(has_text=FIRST).get_by_role("button", name="I have started").click()
    expect(page.get_by_role("status")).to_contain_text(FIRST)
    assert page.get_by_role("status").evaluate("(el) => el.id") == "status"


# --- skip link and a visible focus ------------------------------------------------------------


def test_the_first_tab_reaches_a_skip_link_that_shows_and_jumps_to_the_content(open_page, participant):
    page = open_page(js=True)
    sign_in(page, participant.login)
    page.goto("/plan")
    skip = page.locator("a.skip-link")
    assert skip.bounding_box()["y"] + skip.bounding_box()["height"] <= 0, "the skip link shows before it has focus"
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Go to the content")
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] >= 24, f"the focused skip link is not on screen: {box}"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), (
        "the next Tab after the skip link is not in the content"
    )


def test_the_language_menu_closes_with_escape_and_when_focus_leaves_it(open_page, participant):
    """Open, it covered the menu links that Tab reached next (WCAG 2.4.11)."""
    page = open_page(js=True)
    sign_in(page, participant.login)
    page.goto("/plan")
    menu, summary = page.locator("details.language-picker"), page.locator("details.language-picker summary")
    tab_to(page, "(el) => el.matches('details.language-picker summary')", "the language menu")
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()

    page.keyboard.press("Enter")
    tab_to(page, "(el) => !el.closest('details.language-picker')", "the first control after the menu")
    expect(menu).not_to_have_attribute("open", "")


def test_an_error_summary_link_shows_the_fields_question_with_the_field(open_page, participant):
    page = open_page(js=True)
    sign_in(page, participant.login)
    page.goto("/log")
    page.get_by_role("button", name="Save", exact=True).click()
    link = page.locator(".error-summary a", has_text="Choose how it went.")
    link.click()
    expect(page.locator("input[name=feeling]").first).to_be_focused()
    legend = page.locator("legend", has_text="How did it go?").bounding_box()
    assert legend["y"] >= 0, f"the question is above the screen: {legend}"


def test_after_sending_a_message_focus_is_in_its_thread_and_the_outcome_is_said(open_page, participant):
    """A plain form that leads to a place on the next page (/messages#thread-general): focus was on
    <body> at the top, and the confirmation, there from the start, was never announced."""
    page = open_page(js=True)
    sign_in(page, participant.login)
    page.goto("/messages")
    page.get_by_label("Your message").first.fill("Hej! Jag kommer på mötet.")
    page.get_by_role("button", name="Send", exact=True).first.click()
    page.wait_for_url(re.compile(r"/messages#thread-general$"))
    expect(page.locator("#thread-general")).to_be_focused()
    expect(page.locator("#status")).to_contain_text("Your message is sent.")


_FOCUS_STYLE = """(blur) => {
    const el = document.activeElement;
    if (blur) el.blur();
    const style = getComputedStyle(el);
    return {outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
            width: parseFloat(style.outlineWidth), style: style.outlineStyle, shadow: style.boxShadow};
}"""


@pytest.mark.parametrize(("what", "url", "predicate"), [
    ("a link", "/log", "(el) => el.tagName === 'A' && el.closest('main') && !el.classList.contains('button')"),
    ("a button", "/plan/steps/new", "(el) => el.tagName === 'BUTTON' && el.closest('main')"),
    ("a text field", "/plan/steps/new", "(el) => el.tagName === 'INPUT' && el.type === 'text'"),
    ("a menu link", "/plan/steps/new", "(el) => el.tagName === 'A' && el.closest('nav')"),
])
def test_what_has_keyboard_focus_is_clearly_marked(open_page, build, participant, what, url, predicate):
    build(factories.goal, participant, GOAL)
    page = open_page(js=True)
    sign_in(page, participant.login)
    page.goto(url)
    tab_to(page, predicate, what)
    focused = page.evaluate(_FOCUS_STYLE, False)
    unfocused = page.evaluate(_FOCUS_STYLE, True)
    marked = (focused["style"] != "none" and focused["width"] >= 2) or focused["shadow"] != "none"
    assert marked, f"{what} with focus has no outline or ring: {focused}"
    assert (focused["outline"], focused["shadow"]) != (unfocused["outline"], unfocused["shadow"]), (
        f"{what} looks the same with and without focus: {focused}"
    )
