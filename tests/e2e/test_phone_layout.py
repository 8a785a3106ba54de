"""The plan and the log on a 360 px phone: nothing wider than the screen, with realistic content
and with the in-place forms open. Full-page screenshots go to test-artifacts/ for a person to
look at (the directory is git-ignored)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.e2e.pages import no_horizontal_scroll, sign_in
from webapp import clock
from webapp.models import ActivityKind, StepStatus

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def busy_participant(build, participant) -> factories.Participant:
    """A plan and a log like a participant's after a few weeks, in Swedish words as people write."""
    project_helpers = build(_helper_ids, participant)
    goal = build(factories.goal, participant, "Gå arbetsmarknadsutbildningen till undersköterska", position=1)
    build(factories.step, participant, goal, "Ringa Arbetsförmedlingen och fråga om utbildningen", position=1,
          status=StepStatus.DONE, helper_id=project_helpers[0])
    build(factories.step, participant, goal, "Skriva mitt CV tillsammans med min coach", position=2,
          status=StepStatus.DOING)
    build(factories.step, participant, goal, "Söka praktikplats på äldreboendet", position=3)
    other = build(factories.goal, participant, "Bättre svenska", position=2)
    build(factories.step, participant, other, "SFI tre dagar i veckan", position=1)
    today = clock.today()
    build(factories.activity, participant, today, 180, ActivityKind.SFI, 4, "Vi läste en tidning tillsammans.")
    build(factories.activity, participant, today - dt.timedelta(days=7), 45, ActivityKind.JOB_APPLICATION, 2)
    return participant


def _helper_ids(participant: factories.Participant) -> list[int]:
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import Helper, Participation

    project_id = db.session.get(Participation, participant.participation_id).project_id
    return list(db.session.scalars(select(Helper.id).where(Helper.project_id == project_id).order_by(Helper.position)))


def look(page: Page, name: str) -> None:
    """A full-page screenshot for a person to see, and the check that nothing scrolls sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    scroll_width, inner_width = no_horizontal_scroll(page)
    assert scroll_width <= inner_width, (
        f"{name}: the page is {scroll_width}px wide on a {inner_width}px screen; it scrolls sideways"
    )
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
            .filter((el) => !el.closest('.visually-hidden, .skip-link'))
            .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""
    )
    assert not wide, f"{name}: these stick out past the right edge of the screen: {wide}"


def test_the_plan_fits_a_phone_screen(open_page, busy_participant):
    page = open_page(js=True)
    sign_in(page, busy_participant.login)
    page.goto("/plan")
    expect(page.get_by_role("heading", name="Gå arbetsmarknadsutbildningen till undersköterska")).to_be_visible()
    look(page, "plan-360")

    # The step form opened in place, inside the goal.
    goal = page.locator("section.goal").filter(has_text="Bättre svenska")
    goal.get_by_role("link", name="Add a step").click()
    expect(goal.get_by_label("What will you do?")).to_be_focused()
    look(page, "plan-360-step-form")


def test_the_log_fits_a_phone_screen(open_page, busy_participant):
    page = open_page(js=True)
    sign_in(page, busy_participant.login)
    page.goto("/log")
    expect(page.get_by_role("listitem").filter(has_text="SFI")).to_be_visible()
    look(page, "log-360")

    entry = page.get_by_role("listitem").filter(has_text="SFI")
    entry.get_by_role("link", name=re.compile(r"^Change")).click()
    expect(entry.get_by_label("Date", exact=True)).to_be_focused()
    look(page, "log-360-edit-form")
