"""The forms of the plan and the log also have pages of their own (a link opened in a new tab, a
bookmark). With JavaScript on, saving there must land on the plan or the log, as without it.

Their htmx answers replace #plan or #log, which those pages do not have: once, the save went
through but the page stayed as it was, the button greyed out. A person pressed again, and the
goal was saved twice."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests import factories
from tests.e2e.pages import sign_in
from webapp.extensions import db
from webapp.models import Activity, Comment, Goal, Step, StepStatus

pytestmark = pytest.mark.e2e


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@dataclass(frozen=True)
class Case:
    """Open `url`, type `text` into the field `label` (if any), press `button`, land on `lands`."""

    url: str
    button: str
    lands: str
    saved: Callable[[dict], bool]  # read in the app: saved, and exactly once
    label: str | None = None
    text: str | None = None


CASES = {
    "new goal": Case("/plan/goals/new", "Save the goal", "/plan",
                     lambda ids: _count(Goal, Goal.text == "Få ett jobb på ett lager") == 1, "Your goal", "Få ett jobb på ett lager"),
    "edit goal": Case("/plan/goals/{goal}/edit", "Save the goal", "/plan",
                      lambda ids: db.session.get(Goal, ids["goal"]).text == "Få ett jobb i en butik",
                      "Your goal", "Få ett jobb i en butik"),
    "new step": Case("/plan/steps/new?goal={goal}", "Save the step", "/plan",
                     lambda ids: _count(Step, Step.text == "Mejla butiken") == 1, "What will you do?", "Mejla butiken"),
    "edit step": Case("/plan/steps/{step}/edit", "Save the step", "/plan",
                      lambda ids: db.session.get(Step, ids["step"]).text == "Ringa AF på måndag",
                      "What will you do?", "Ringa AF på måndag"),
    "tap a step": Case("/plan/steps/{step}", "I have started", "/plan",
                       lambda ids: db.session.get(Step, ids["step"]).status == StepStatus.DOING),
    "edit entry": Case("/log/{activity}/edit", "Save", "/log",
                       lambda ids: db.session.get(Activity, ids["activity"]).note == "Läste en bok på svenska",
                       "Note (if you want)", "Läste en bok på svenska"),
    # Where a deleted entry can be brought back: the log, with "Undo".
    "delete entry": Case("/log/{activity}", "Delete", "/log/{activity}/deleted",
                         lambda ids: db.session.get(Activity, ids["activity"]).deleted_at is not None),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_saving_on_a_page_of_its_own_with_javascript_lands_on_the_plan_or_the_log(
    open_page, participant, build, read, case
):
    goal = build(factories.goal, participant)
    ids = {"goal": goal, "step": build(factories.step, participant, goal, "Ringa AF"),
           "activity": build(factories.activity, participant)}
    page = open_page()
    sign_in(page, participant.login)

    page.goto(case.url.format(**ids))
    if case.label:
        page.get_by_label(case.label).fill(case.text)
    # The button's own words, then perhaps ": what it acts on" for screen readers ("Delete: Ringa AF";
    # Chromium puts a space before the hidden part).
    page.get_by_role("button", name=re.compile("^" + case.button + "( ?:|$)")).click()

    page.wait_for_url(re.compile(rf"{re.escape(case.lands.format(**ids))}(#.*)?$"))
    expect(page.locator("#plan" if case.lands.startswith("/plan") else "#log")).to_be_visible()
    assert read(lambda: case.saved(ids))


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no javascript"])
def test_a_double_tap_on_send_sends_one_message(open_page, participant, read, monkeypatch, js):
    """With JavaScript the second tap is not sent while the first is on its way; without it the
    browser sends both, and the server answers the repeat with the first answer (webapp/once.py).
    The server takes a second, as on a slow connection, so that the second tap comes first."""
    from webapp.comments import services as comments  # here: the app has imported its blueprints

    add_comment = comments.add_comment

    def slowly(*args, **kwargs):
        time.sleep(1.0)
        return add_comment(*args, **kwargs)

    monkeypatch.setattr(comments, "add_comment", slowly)
    page = open_page(js=js)
    sign_in(page, participant.login)
    page.goto("/messages")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.get_by_label("Your message").first.fill("Hej! Jag kommer på mötet.")
    box = page.get_by_role("button", name="Send", exact=True).first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(300)  # a second tap while the first is on its way (raw: Playwright would wait)
    page.mouse.click(x, y)

    expect(page.locator(".comment__text", has_text="Hej! Jag kommer på mötet.")).to_have_count(1)
    page.wait_for_load_state()
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.text == "Hej! Jag kommer på mötet."))) == 1
    if js:
        assert len(posts) == 1, posts
