"""axe-core finds no WCAG 2.2 A/AA violations on the pages, in Swedish, also after htmx swaps and
with form errors on screen. Automated checks catch only part of WCAG; they are a floor."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests import factories
from webapp.models import StepState

pytestmark = pytest.mark.e2e

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
AXE = Axe()


def assert_no_violations(page: Page, where: str) -> None:
    results = AXE.run(page, options=WCAG)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    assert not problems, f"{where}:\n" + "\n".join(problems)


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


def test_public_pages_have_no_violations(swedish_page):
    page = swedish_page()
    for url in ("/sign-in", "/activate"):
        page.goto(url)
        assert_no_violations(page, url)
    page.get_by_role("button", name="Fortsätt").click()  # an empty code: the error summary
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_violations(page, "/activate with an error")


def test_participant_pages_have_no_violations_before_and_after_changes(swedish_page, people):
    _project, _coach, _leader, person = people
    page = swedish_page()
    sign_in_swedish(page, person.login)
    for url in ("/home", "/plan", "/log", "/capacity", "/plan/steps/new", "/plan/goals/new", "/messages",
                "/who-has-looked"):
        page.goto(url)
        assert_no_violations(page, url)

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


def test_staff_pages_have_no_violations(swedish_page, people):
    project, coach, leader, person = people
    page = swedish_page()
    sign_in_swedish(page, coach.email, home="/coach")
    pid = person.participation_id
    for url in ("/coach", f"/coach/participants/{pid}", "/coach/participants/new",
                f"/coach/participants/{pid}/suggest", f"/coach/participants/{pid}/messages/general",
                f"/coach/participants/{pid}/end", f"/coach/participants/{pid}/reopen",
                f"/coach/participants/{pid}/follow-up", "/coach?need=attention"):
        page.goto(url)
        assert_no_violations(page, url)
    page.goto(f"/coach/participants/{person.participation_id}")
    page.get_by_role("button", name="Gör en ny kod").first.click()
    expect(page.locator(".code")).to_be_visible()
    assert_no_violations(page, "the activation code page")

    other = swedish_page()
    sign_in_swedish(other, leader.email, home="/project")
    for url in ("/project", f"/project/{project.id}/coaches", f"/project/{project.id}/coaches/new",
                f"/project/{project.id}/participants", f"/project/{project.id}/shares",
                f"/project/{project.id}/helpers", f"/project/{project.id}/municipalities"):
        other.goto(url)
        assert_no_violations(other, url)


def sign_in_swedish(page: Page, login: str, home: str = "/home") -> None:
    page.goto("/sign-in")
    page.get_by_label("E-post eller inloggningsnamn").fill(login)
    page.get_by_label("Lösenord", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"**{home}")


def test_the_check_finds_a_violation_when_there_is_one(swedish_page):
    page = swedish_page()
    page.goto("/sign-in")
    page.evaluate("document.querySelector('label[for=password]').remove()")
    with pytest.raises(AssertionError, match="label"):
        assert_no_violations(page, "sign-in without the password label")
