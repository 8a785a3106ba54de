"""The plan and the log on a 360 px phone: nothing wider than the screen, with realistic content
and with the in-place forms open. Full-page screenshots go to test-artifacts/ for a person to
look at (the directory is git-ignored)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests import factories
from tests.e2e.pages import assert_fits_screen, second_step, sign_in
from webapp import clock
from webapp.extensions import db
from webapp.goals.demo import load as load_goals
from webapp.models import Activity, ActivityKind, Helper, Participation, Project, StepStatus

pytestmark = [pytest.mark.e2e, pytest.mark.presentation]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Swedish runs words together; participants write them, and phones must show them.
LONG_WORD = "arbetsmarknadsutbildningen"


def _first_helper(person: factories.Participant) -> int:
    project_id = db.session.get(Participation, person.participation_id).project_id
    return db.session.scalar(select(Helper.id).where(Helper.project_id == project_id).order_by(Helper.position))


def _link(activity_id, step_id) -> None:
    db.session.get(Activity, activity_id).step_id = step_id


@pytest.fixture
def busy_participant(build, participant) -> factories.Participant:
    """A plan and a log like a participant's after a few weeks, in Swedish as people write it."""
    helper = build(_first_helper, participant)
    goal = build(factories.goal, participant, "Bli undersköterska inom äldreomsorgen", position=1)
    first = build(factories.step, participant, goal, f"Ringa och fråga om {LONG_WORD}", position=1,
                  status=StepStatus.DONE, helper_id=helper)
    build(factories.step, participant, goal, "Skriva mitt CV tillsammans med min coach", position=2,
          status=StepStatus.DOING)
    build(factories.step, participant, goal, "Söka praktikplats på äldreboendet", position=3)
    other = build(factories.goal, participant, "Bättre svenska", position=2)
    build(factories.step, participant, other, "SFI tre dagar i veckan", position=1)
    today = clock.today()
    sfi = build(factories.activity, participant, today, 180, ActivityKind.SFI, 4, "Vi läste en tidning tillsammans.")
    build(_link, sfi, first)
    build(factories.activity, participant, today - dt.timedelta(days=7), 45, ActivityKind.JOB_APPLICATION, 2,
          f"Ansökan till {LONG_WORD}.")
    return participant


def look(page: Page, name: str) -> None:
    """A full-page screenshot for a person to look at, then the check that it fits the phone."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    assert_fits_screen(page, name)


def test_the_plan_fits_a_phone_screen(open_page, busy_participant):
    page = open_page(js=True)
    sign_in(page, busy_participant.login)
    page.goto("/plan")
    expect(page.get_by_role("heading", name="Bli undersköterska inom äldreomsorgen")).to_be_visible()
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
    entry = page.get_by_role("listitem").filter(has_text="SFI")
    expect(entry).to_contain_text(f"Step: Ringa och fråga om {LONG_WORD}")
    look(page, "log-360")

    entry.get_by_role("link", name=re.compile(r"^Change")).click()
    expect(entry.get_by_label("Date", exact=True)).to_be_focused()
    look(page, "log-360-edit-form")


def test_a_goal_with_a_long_swedish_word_fits_a_phone_screen(open_page, build, participant):
    build(factories.goal, participant, f"Gå {LONG_WORD} till undersköterska")
    page = open_page(js=True)
    sign_in(page, participant.login)
    page.goto("/plan")
    expect(page.get_by_role("heading", name=f"Gå {LONG_WORD} till undersköterska")).to_be_visible()
    look(page, "plan-360-long-goal")


@pytest.mark.parametrize("kind", ["goal", "step"])
def test_the_undo_notice_of_a_deleted_goal_or_step_with_a_long_word_fits_a_320_px_phone(
        open_page, build, participant, kind):
    """The notice names what was deleted; a word longer than the line breaks there too."""
    goal = build(factories.goal, participant, LONG_WORD * 3)
    step = build(factories.step, participant, goal, LONG_WORD * 3)
    deleted = goal if kind == "goal" else step
    page = open_page(js=False)
    page.set_viewport_size({"width": 320, "height": 740})
    sign_in(page, participant.login)
    page.goto("/plan")
    if kind == "goal":
        page.locator(f"#goal-{goal} summary").click()
    page.locator(f"form[action$='/{kind}s/{deleted}/delete'] button").click()
    expect(page.locator(".notice--undo")).to_contain_text(LONG_WORD)
    look(page, f"plan-320-undo-{kind}")


LOCALES = ["sv", "ar", "ti", "so", "fa_AF", "uk"]
PARTICIPANT_PAGES = ("/home", "/plan", "/log", "/capacity", "/messages", "/who-has-looked", "/surveys/progress",
                     "/plan/steps/new", "/about/translations", "/about/help")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_participant_page_fits_a_320_px_phone_in_every_language(browser, live_server, busy_participant, locale):
    """Words are longer in Swedish and Ukrainian, and Arabic and Dari run right to left: check every
    page at 320 px in every language. Screenshots of Arabic and Tigrinya go to test-artifacts/."""
    context = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 740},
                                  screen={"width": 320, "height": 740}, is_mobile=True)
    context.add_cookies([{"name": "lang", "value": locale, "url": live_server}])
    try:
        page = context.new_page()
        page.goto("/sign-in")
        page.locator("#login_name").fill(busy_participant.login)
        page.locator("#password").fill(factories.PASSWORD)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/home$"))
        expected_dir = "rtl" if locale in ("ar", "fa_AF") else "ltr"
        assert page.evaluate("document.documentElement.dir") == expected_dir
        for url in PARTICIPANT_PAGES:
            page.goto(url)
            if locale in ("ar", "ti"):
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=ARTIFACTS / f"{locale}{url.replace('/', '-')}-320.png", full_page=True)
            assert_fits_screen(page, f"{url} at 320 px in {locale}")
    finally:
        context.close()


def test_staff_pages_fit_a_360_px_phone(browser, live_server, build, busy_participant):
    """Coaches and leaders sometimes use a phone too; wide tables scroll inside their own box."""
    project_id = build(lambda: db.session.get(Participation, busy_participant.participation_id).project_id)
    coach_email = build(lambda: db.session.get(Participation, busy_participant.participation_id).coach.login_name)
    project_name = build(lambda: db.session.scalar(select(Project.name).where(Project.id == project_id)))
    public_id = build(lambda: db.session.get(Project, project_id).public_id)
    build(lambda: load_goals(db.session.get(Project, project_id)))  # G1–G5: the report has its tables
    leader = build(lambda: factories.staff(factories.Project(project_id, project_name, 0, 0, 0), "leader"))
    for login, urls in ((coach_email, ["/coach", "/coach/report", f"/coach/participants/{busy_participant.participation_id}"]),
                        (leader.email, ["/project", f"/project/{public_id}/report", f"/project/{public_id}/goals",
                                        f"/project/{public_id}/participants", f"/project/{public_id}/questionnaires"])):
        context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740},
                                      screen={"width": 360, "height": 740}, is_mobile=True, locale="sv-SE")
        try:
            page = context.new_page()
            page.goto("/sign-in")
            page.locator("#login_name").fill(login)
            page.locator("#password").fill(factories.PASSWORD)
            page.locator("form.form button[type=submit]").click()
            second_step(page)
            page.wait_for_load_state()
            for url in urls:
                page.goto(url)
                assert_fits_screen(page, f"{url} at 360 px")
        finally:
            context.close()
