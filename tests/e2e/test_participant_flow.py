"""The participant's first visit, end to end in a real browser: activate with a code, write a
goal and two steps, say "this is my plan", log an activity and change it.

Run once with JavaScript (htmx changes parts of the page in place) and once without (every form
is a plain POST → 303 → GET). Both must reach the same result.
"""

from __future__ import annotations

import re
import uuid

import pytest
from babel.dates import format_date
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests import factories
from tests.e2e.pages import assert_same_document, clear_status, expect_focus_in, mark_document, status
from webapp import clock
from webapp.extensions import db
from webapp.models import Activity, Goal, Participation, Step

pytestmark = pytest.mark.e2e

PASSWORD = "blue kettle on the hill"
GOAL = "Get a job in a shop"
STEP_1 = "Call Arbetsförmedlingen on Monday"
STEP_2 = "Write my CV with Arbetsförmedlingen"
NOTE = "Sent one application"
EDITED_NOTE = "Sent one application and called the shop"


@pytest.fixture
def new_participant(build) -> tuple[factories.Participant, str]:
    """A participant the coach has registered but who has not chosen a password, and their code."""
    project = build(factories.project)
    coach = build(factories.staff, project, "coach")
    person = build(factories.participant, project, coach, name="Amina Hassan", activated=False)
    return person, build(factories.activation_code, person)


@pytest.mark.parametrize("js", [True, False], ids=["with-js", "without-js"])
def test_participant_activates_plans_and_logs_with_and_without_javascript(
    open_page, new_participant, read, js: bool
):
    person, code = new_participant
    page = open_page(js=js)

    activate(page, person, code)
    goal_section = write_goal(page, js)
    add_step(page, goal_section, STEP_1, js, position=1)
    add_step(page, goal_section, STEP_2, js, position=2)
    mark_plan_ready(page, js)
    entry = log_activity(page, js)
    edit_activity(page, entry, js)

    assert_database(read, person)


# --- the steps of the visit ------------------------------------------------------------------


def activate(page: Page, person: factories.Participant, code: str) -> None:
    page.goto("/activate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start with your code")
    page.get_by_label("Activation code").fill(code)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose how you sign in")
    # The person must see the sign-in name they will need next time.
    expect(page.get_by_text(person.login, exact=True)).to_be_visible()
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Write the password again").fill(PASSWORD)
    page.get_by_role("button", name="Save the password").click()

    page.wait_for_url(re.compile(r"/home$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Amina!")
    expect(status(page)).to_have_text("Welcome to Stegvis! Your password is saved.")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def write_goal(page: Page, js: bool):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My plan").click()
    page.wait_for_url(re.compile(r"/plan$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    if js:
        mark_document(page)

    # An empty plan opens with the form for the first goal.
    page.get_by_label("Your goal").fill(GOAL)
    page.get_by_role("button", name="Save the goal").click()

    expect(status(page)).to_have_text("The goal is saved.")
    goal_heading = page.get_by_role("heading", name=GOAL, level=2)
    expect(goal_heading).to_be_visible()
    expect(page.get_by_label("Your goal")).to_have_count(0)  # the first-goal form has done its job
    if js:
        assert_same_document(page, "saving the goal")
        expect_focus_in(page, "#plan", "after saving the goal")
        expect(goal_heading).to_be_focused()
    else:
        page.wait_for_url(re.compile(r"/plan#goal-"))
    return page.locator("section.goal").filter(has=goal_heading)


def add_step(page: Page, goal_section, text: str, js: bool, position: int) -> None:
    if js:
        clear_status(page)
    goal_section.get_by_role("link", name="Add a step").click()
    what = page.get_by_label("What will you do?")
    if js:
        # The form opens in place, under the goal, with the cursor in the first field.
        expect(goal_section.get_by_label("What will you do?")).to_be_visible()
        assert_same_document(page, "opening the step form")
        expect(what).to_be_focused()
    else:
        page.wait_for_url(re.compile(r"/plan/steps/new\?goal="))
        expect(page.get_by_role("heading", level=1)).to_have_text("New step")
    # The step goes under the goal it was added from.
    expect(page.get_by_label("Goal", exact=True).locator("option:checked")).to_have_text(GOAL)

    what.fill(text)
    page.get_by_label("Who helps you?").select_option(label="Arbetsförmedlingen")
    page.get_by_role("button", name="Save the step").click()

    expect(status(page)).to_have_text("The step is saved.")
    steps = goal_section.get_by_role("listitem")
    expect(steps).to_have_count(position)
    new_step = steps.nth(position - 1)
    expect(new_step.locator(".item-title")).to_have_text(text)
    expect(new_step).to_contain_text("With: Arbetsförmedlingen")
    expect(new_step).to_contain_text("Not started")
    expect(goal_section).to_contain_text(f"Steps done: 0 of {position}")
    if js:
        assert_same_document(page, "saving a step")
        expect_focus_in(page, "#plan", "after saving a step")
        expect(new_step).to_be_focused()
    else:
        page.wait_for_url(re.compile(r"/plan#step-"))


def mark_plan_ready(page: Page, js: bool) -> None:
    page.get_by_role("button", name="This is my plan").click()
    expect(status(page)).to_have_text("Your plan is marked as ready. Well done!")
    plan_status = page.get_by_role("region", name="Is this your plan?")
    # The plan says since when it is the participant's plan (today, e.g. "23 November 2026").
    expect(plan_status).to_contain_text(format_date(clock.today(), "d MMMM y", locale="en_GB"))
    expect(page.get_by_role("button", name="This is my plan")).to_have_count(0)
    expect(page.get_by_role("button", name="I have completed my plan")).to_be_visible()
    if js:
        assert_same_document(page, "marking the plan as ready")
        expect_focus_in(page, "#plan", "after marking the plan as ready")
        expect(plan_status).to_be_focused()


def log_activity(page: Page, js: bool):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My log").click()
    page.wait_for_url(re.compile(r"/log$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My log")
    if js:
        mark_document(page)

    today = clock.today()
    expect(page.get_by_label("Date", exact=True)).to_have_value(today.isoformat())
    page.get_by_label("What did you do?").select_option(label="Job application")
    page.get_by_label("How long did it take?").select_option(label="1 h")
    page.get_by_role("radio", name="Good", exact=True).check()
    page.get_by_label("Is it part of a step in your plan?").select_option(label=STEP_1)
    page.get_by_label("Note (if you want)").fill(NOTE)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(status(page)).to_have_text("Saved. Good work!")
    this_week = page.get_by_role("region", name=re.compile(rf"^Week {today.isocalendar().week}\b"))
    entry = this_week.get_by_role("listitem").filter(has_text="Job application")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("1 h")
    expect(entry).to_contain_text("Good")
    expect(entry).to_contain_text(f"Step: {STEP_1}")
    expect(entry).to_contain_text(NOTE)
    expect(this_week).to_contain_text("Time: 1 h")
    # The form is empty again for the next entry (the date is today again).
    expect(page.get_by_label("Note (if you want)")).to_have_value("")
    if js:
        assert_same_document(page, "saving an entry")
        expect_focus_in(page, "#log", "after saving an entry")
        expect(entry).to_be_focused()
    else:
        page.wait_for_url(re.compile(r"/log#activity-"))
    return entry


def edit_activity(page: Page, entry, js: bool) -> None:
    if js:
        clear_status(page)
    entry.get_by_role("link", name=re.compile(r"^Change")).click()
    edit_form = page.locator("form").filter(has=page.get_by_role("link", name="Cancel"))
    if js:
        # The form opens in the entry itself, with focus on its first field.
        expect(entry.locator("form")).to_be_visible()
        assert_same_document(page, "opening the entry's form")
        # Focus goes to the form's first field, inside the entry being changed.
        expect_focus_in(page, f"#{entry.get_attribute('id')}", "after opening the entry's form")
        expect(entry.get_by_label("Date", exact=True)).to_be_focused()
    else:
        page.wait_for_url(re.compile(r"/log/[0-9a-f-]+/edit$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Change the entry")
    # The form shows what was saved.
    expect(edit_form.get_by_label("How long did it take?").locator("option:checked")).to_have_text("1 h")
    expect(edit_form.get_by_label("Note (if you want)")).to_have_value(NOTE)

    edit_form.get_by_label("How long did it take?").select_option(label="1 h 30 min")
    edit_form.get_by_label("Note (if you want)").fill(EDITED_NOTE)
    edit_form.get_by_role("button", name="Save", exact=True).click()

    expect(status(page)).to_have_text("The change is saved.")
    this_week = page.get_by_role("region", name=re.compile(rf"^Week {clock.today().isocalendar().week}\b"))
    changed = this_week.get_by_role("listitem").filter(has_text="Job application")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("1 h 30 min")
    expect(changed).to_contain_text(EDITED_NOTE)
    expect(this_week).to_contain_text("Time: 1 h 30 min")
    expect(edit_form).to_have_count(0)
    if js:
        assert_same_document(page, "saving the change")
        expect_focus_in(page, "#log", "after saving the change")
        expect(changed).to_be_focused()
    else:
        page.wait_for_url(re.compile(r"/log#activity-"))


# --- what the database says ------------------------------------------------------------------


def assert_database(read, person: factories.Participant) -> None:
    def facts():
        pid = person.participation_id
        goals = list(db.session.scalars(select(Goal).where(Goal.participation_id == pid, Goal.deleted_at.is_(None))))
        steps = list(db.session.scalars(
            select(Step).where(Step.participation_id == pid, Step.deleted_at.is_(None)).order_by(Step.position)
        ))
        activities = list(db.session.scalars(
            select(Activity).where(Activity.participation_id == pid, Activity.deleted_at.is_(None))
        ))
        participation = db.session.get(Participation, pid)
        return {
            "goals": [g.text for g in goals],
            "goal_ids": {g.id for g in goals},
            "steps": [(s.text, s.goal_id, s.helper.name if s.helper else None) for s in steps],
            "step_ids": [s.id for s in steps],
            "plan_ready_on": participation.plan_ready_on,
            "activities": [(a.kind.value, a.minutes, a.feeling, a.note, a.step_id) for a in activities],
        }

    found = read(facts)
    assert found["goals"] == [GOAL]
    (goal_id,) = found["goal_ids"]
    assert found["steps"] == [(STEP_1, goal_id, "Arbetsförmedlingen"), (STEP_2, goal_id, "Arbetsförmedlingen")]
    assert found["plan_ready_on"] == clock.today()
    step_1_id: uuid.UUID = found["step_ids"][0]
    assert found["activities"] == [("job_application", 90, 4, EDITED_NOTE, step_1_id)]
