"""A participant answers the exit survey on a phone, in a real browser: one question per page,
skip one, go back and change one, change one more from the review page, and send. Run with
JavaScript and without; both must store the same answers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests import factories
from tests.e2e.pages import assert_fits_screen, sign_in, status
from tests.surveys.support import end_participation, use_shipped_questionnaires
from webapp.extensions import db
from webapp.models import Occasion, Participation, SurveyAnswer, SurveyResponse

pytestmark = pytest.mark.e2e

NOTE = "Praktiken och min coach."
# Questions 4 to 13 after the first three: five life areas and five "how true is it for me".
MIDDLE = ["4", "5", "6", "3", "7", "Partly true", "Mostly true", "Mostly true", "Completely true", "Partly true"]


@pytest.fixture
def leaving(build, participant) -> factories.Participant:
    """The participant's project uses Stegvis's questionnaires, and the participation has ended."""
    project_id = build(lambda: db.session.get(Participation, participant.participation_id).project_id)
    build(use_shipped_questionnaires, project_id)
    build(end_participation, participant.participation_id)
    return participant


@pytest.mark.parametrize("js", [True, False], ids=["with-js", "without-js"])
def test_participant_answers_the_exit_survey_on_a_phone(open_page, leaving, read, js: bool):
    page = open_page(js=js)
    sign_in(page, leaving.login)

    due = page.get_by_role("region", name="Questions for you")
    expect(due).to_contain_text("Exit survey")
    due.get_by_role("button", name="Start answering").click()

    expect_question(page, 1)
    expect(page.get_by_text("These questions are about your time in the project")).to_be_visible()
    assert_fits_screen(page, "question 1")
    answer(page, "7")
    expect_question(page, 2)
    page.get_by_role("button", name="Skip this question").click()
    expect_question(page, 3)
    answer(page, "5")

    # Back from question 4 to 3: the answer is there, and can be changed.
    expect_question(page, 4)
    page.get_by_role("link", name="Back").click()
    expect_question(page, 3)
    expect(page.get_by_role("radio", name="5", exact=True)).to_be_checked()
    answer(page, "6")

    for number, choice in enumerate(MIDDLE, start=4):
        expect_question(page, number)
        answer(page, choice)
    expect_question(page, 14)
    expect(page.get_by_role("group", name="My chances of getting a job have increased since I started.")).to_be_visible()
    answer(page, "Mostly true")
    expect_question(page, 15)
    answer(page, "Completely true")
    expect_question(page, 16)
    answer(page, "Yes")
    expect_question(page, 17)
    page.get_by_label("What helped you most in the project?").fill(NOTE)
    page.get_by_role("button", name="Save and continue").click()

    review(page)
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(re.compile(r"/home$"))
    expect(status(page)).to_have_text("Thank you! Your answers are sent.")
    expect(page.get_by_role("region", name="Questions for you")).to_have_count(0)

    assert_database(read, leaving)


def expect_question(page: Page, number: int) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Question {number} of 17")


def answer(page: Page, label: str) -> None:
    page.get_by_role("radio", name=label, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()


def review(page: Page) -> None:
    """Every answer is listed; change the first one from here and come back."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    rows = page.locator(".answers__row")
    expect(rows).to_have_count(17)
    expect(rows.nth(1)).to_contain_text("Skipped")
    expect(rows.nth(2)).to_contain_text("6")
    expect(rows.nth(16)).to_contain_text(NOTE)
    assert_fits_screen(page, "review")
    page.get_by_role("link", name=re.compile(r"^Change\W+How are things with work for you now\?$")).click()
    expect_question(page, 1)
    expect(page.get_by_role("radio", name="7", exact=True)).to_be_checked()
    answer(page, "8")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(rows.nth(0)).to_contain_text("8")


def assert_database(read, person: factories.Participant) -> None:
    def run():
        response = db.session.scalar(select(SurveyResponse).where(
            SurveyResponse.participation_id == person.participation_id))
        answers = {a.item_key: a for a in db.session.scalars(
            select(SurveyAnswer).where(SurveyAnswer.response_id == response.id))}
        return response, answers

    response, answers = read(run)
    assert (response.occasion, response.questionnaire_key, response.questionnaire_version) == (
        Occasion.EXIT, "stegvis-exit", 1)
    assert response.submitted_at is not None
    assert len(answers) == 17
    assert (answers["life_work"].value_int, answers["life_studies"].skipped, answers["life_health"].value_int) == (
        8, True, 6)
    assert answers["confidence"].value_int == 3 and answers["part_of_decisions"].value_int == 3
    assert (answers["chances_increased"].value_int, answers["knows_requirements"].value_int) == (4, 5)
    assert answers["would_recommend"].value_int == 1
    assert answers["most_helpful"].value_text == NOTE
    assert sum(a.skipped for a in answers.values()) == 1


@pytest.mark.presentation
def test_survey_pages_have_no_accessibility_violations(open_page, leaving, build, live_server):
    """axe on each kind of survey page: a question, a question with an error, a text question,
    the review, the progress picture, and the coach's view of the answers."""
    from tests.e2e.test_accessibility import assert_no_violations

    page = open_page(js=True)
    sign_in(page, leaving.login)
    assert_no_violations(page, "start page with a survey due")
    page.get_by_role("button", name="Start answering").click()
    assert_no_violations(page, "question 1 (scale)")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose an answer")
    assert_no_violations(page, "question 1 with an error")
    answer(page, "4")
    page.goto(page.url.replace("/questions/2", "/questions/17"))
    assert_no_violations(page, "question 17 (text)")
    page.goto(page.url.replace("/questions/17", "/review"))
    assert_no_violations(page, "review")
    page.get_by_role("button", name="Send my answers").click()
    page.goto("/surveys/progress")
    expect(page.locator(".progress-chart")).to_have_count(1)
    assert_no_violations(page, "progress")
    assert_fits_screen(page, "progress")
