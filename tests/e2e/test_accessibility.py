"""axe-core finds no WCAG 2.2 A/AA violations in the states a page load does not show: after htmx
swaps, and with form errors on screen. Every page as it loads, for every role and in Swedish and
Arabic, is checked by test_every_page.py. Automated checks catch only part of WCAG; they are a floor."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.e2e.pages import axe_problems, second_step
from webapp.models import StepState

pytestmark = [pytest.mark.e2e, pytest.mark.presentation]


def assert_no_violations(page: Page, where: str) -> None:
    problems = axe_problems(page, where)
    assert not problems, "\n".join(problems)


@pytest.fixture
def swedish_page(open_page, live_server):
    """A phone that has chosen Swedish in the language picker (the language cookie)."""

    def make() -> Page:
        # axe runs as a script in the page, so these pages have JavaScript on; without it the
        # server sends the same markup (htmx only adds attributes' behaviour).
        page = open_page(js=True)
        page.context.add_cookies([{"name": "lang", "value": "sv", "url": live_server}])
        return page

    return make


@pytest.fixture
def people(build):
    project = build(factories.project)
    coach = build(factories.staff, project, "coach")
    leader = build(factories.staff, project, "leader")
    person = build(factories.participant, project, coach, name="Amina Hassan")
    goal = build(factories.goal, person, "Få ett jobb i en butik")
    build(factories.step, person, goal, "Ringa Arbetsförmedlingen", helper_id=project.helper_id)
    build(factories.step, person, goal, "Gå på jobbmässan", 2, state=StepState.SUGGESTED, suggested_by=coach)
    build(factories.activity, person, note="Första lektionen")
    return project, coach, leader, person


def test_the_activation_page_with_an_error_has_no_violations(swedish_page):
    page = swedish_page()
    page.goto("/activate")
    page.get_by_role("button", name="Fortsätt").click()  # an empty code: the error summary
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_violations(page, "/activate with an error")


def test_participant_pages_have_no_violations_after_changes_in_place_and_with_errors(swedish_page, people):
    _project, _coach, _leader, person = people
    page = swedish_page()
    sign_in_swedish(page, person.login)

    page.goto("/plan")
    page.get_by_role("link", name="Lägg till ett steg").click()
    expect(page.get_by_label("Vad ska du göra?")).to_be_focused()
    assert_no_violations(page, "/plan with the step form open in place")
    page.get_by_role("button", name="Spara steget").click()  # empty: errors in place
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_violations(page, "/plan with errors in the step form")

    page.goto("/log")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_violations(page, "/log with errors")


def test_the_new_activation_code_page_has_no_violations(swedish_page, people):
    _project, coach, _leader, person = people
    page = swedish_page()
    sign_in_swedish(page, coach.email, home="/coach")
    page.goto(f"/coach/participants/{person.participation_id}")
    page.get_by_role("button", name="Gör en ny kod").first.click()
    expect(page.locator(".code")).to_be_visible()
    assert_no_violations(page, "the activation code page")


def sign_in_swedish(page: Page, login: str, home: str = "/home") -> None:
    page.goto("/sign-in")
    page.get_by_label("E-post eller inloggningsnamn").fill(login)
    page.get_by_label("Lösenord", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    second_step(page)  # staff: the code from their app
    page.wait_for_url(f"**{home}")


def test_the_check_finds_a_violation_when_there_is_one(swedish_page):
    page = swedish_page()
    page.goto("/sign-in")
    page.evaluate("document.querySelector('label[for=password]').remove()")
    with pytest.raises(AssertionError, match="label"):
        assert_no_violations(page, "sign-in without the password label")
