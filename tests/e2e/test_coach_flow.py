"""A coach finds the participant who needs attention, writes to them and suggests a step; the
participant reads the message, answers, and accepts the step. With and without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from tests import factories
from tests.e2e.pages import sign_in, sign_in_staff, status
from webapp import clock
from webapp.extensions import db
from webapp.models import Comment, Participation, Review, Step, StepState

pytestmark = pytest.mark.e2e

MESSAGE = "Hej Amina! Hur gick det hos Arbetsförmedlingen?"
ANSWER = "Det gick bra, jag fick en tid till praktik."
SUGGESTION = "Besök jobbmässan i Piteå på torsdag"


@pytest.fixture
def caseload(build):
    """A coach with two participants: Amina has done nothing for three weeks; Erik is active and
    the coach went through his news this morning."""
    project = build(factories.project)
    coach = build(factories.staff, project, "coach", name="Maria Lund")
    amina = build(factories.participant, project, coach, name="Amina Hassan")
    erik = build(factories.participant, project, coach, name="Erik Lind")
    goal = build(factories.goal, amina, "Få ett jobb i en butik")
    build(factories.step, amina, goal, "Ringa Arbetsförmedlingen")
    build(factories.activity, amina, clock.today() - dt.timedelta(days=21))
    build(factories.activity, erik, clock.today())
    ready = clock.today() - dt.timedelta(days=10)
    build(lambda: db.session.execute(update(Participation).values(plan_ready_on=ready)))
    build(lambda: db.session.add(Review(participation_id=erik.participation_id, coach_id=coach.id)))
    return coach, amina, erik


@pytest.mark.parametrize("js", [True, False], ids=["with-js", "without-js"])
def test_coach_writes_and_suggests_and_the_participant_answers_and_accepts(open_page, caseload, read, js):
    coach, amina, _erik = caseload
    staff = open_page(js=js)
    sign_in_staff(staff, coach.email)

    # The one who needs attention comes first, and says why.
    rows = staff.locator(".caseload__row")
    expect(rows.first).to_contain_text("Amina Hassan")
    expect(rows.first).to_contain_text("No activity for 21 days")
    staff.get_by_label("Show").select_option(label="Needs attention")
    if not js:
        staff.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Amina Hassan")
    rows.first.get_by_role("link", name="Amina Hassan").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Amina Hassan")

    # A message in the general thread.
    staff.get_by_role("link", name="Write a message").click()
    staff.get_by_label("Your message").fill(MESSAGE)
    staff.get_by_role("button", name="Send").click()
    expect(status(staff)).to_contain_text("Your message is sent")
    expect(staff.locator("#thread-general")).to_contain_text(MESSAGE)

    # A suggested step.
    staff.get_by_role("link", name="Suggest a step").click()
    staff.get_by_label("Suggested step").fill(SUGGESTION)
    staff.get_by_role("button", name="Send the suggestion").click()
    expect(status(staff)).to_contain_text("The suggestion is sent")

    # The participant sees both on the start page.
    phone = open_page(js=js)
    sign_in(phone, amina.login)
    new_messages = phone.locator("#new-messages")
    expect(new_messages).to_contain_text(MESSAGE)
    expect(phone.get_by_role("region", name="Suggestions from your coach")).to_contain_text("suggested 1 step")

    new_messages.get_by_role("link", name="Read and answer").click()
    thread = phone.locator("#thread-general")
    expect(thread).to_contain_text(MESSAGE)
    thread.get_by_label("Your message").fill(ANSWER)
    thread.get_by_role("button", name="Answer").click()
    expect(status(phone)).to_contain_text("Your message is sent")
    expect(phone.locator("#thread-general")).to_contain_text(ANSWER)

    phone.get_by_role("navigation", name="Menu").get_by_role("link", name="My plan").click()
    suggestions = phone.get_by_role("region", name="Suggestions from your coach")
    expect(suggestions).to_contain_text(SUGGESTION)
    suggestions.get_by_role("button", name="Add to my plan").click()
    expect(status(phone)).to_contain_text("The step is now in your plan")
    expect(phone.get_by_role("region", name="Steps without a goal")).to_contain_text(SUGGESTION)

    # Back at the coach: the answer is there, and the message has been answered.
    staff.goto("/coach")
    expect(staff.locator(".caseload__row").filter(has_text="Amina Hassan")).to_contain_text("since you last looked")
    staff.goto(f"/coach/participants/{amina.participation_id}")
    expect(staff.locator("#thread-general")).to_contain_text(ANSWER)

    found = read(lambda: (
        [(c.by_staff, c.text) for c in db.session.scalars(select(Comment).order_by(Comment.created_at))],
        db.session.scalar(select(Step.state).where(Step.text == SUGGESTION)),
    ))
    assert found == ([(True, MESSAGE), (False, ANSWER)], StepState.IN_PLAN)
