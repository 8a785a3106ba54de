"""A form that makes something new, sent twice, is done once (webapp/once.py).

A double tap on a slow connection sends the same form twice; so does "send again" after a reload,
or a retry after an answer that never came. Once, a coach got the same participant twice, a
leader lost a new coach's one-time code behind a "this e-mail is taken" error, and a thread
showed the same message twice."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from tests.html import parse
from webapp import clock, once
from webapp.extensions import db
from webapp.models import Comment, FormSubmission, Goal, Step, User


def _count(read, model, *where) -> int:
    return read(lambda: db.session.scalar(select(func.count()).select_from(model).where(*where)))


def _token(html: str) -> str:
    found = parse(html).select('input[name="once"]')
    assert len(found) >= 1, "the form carries its token"
    return found[0]["value"]


@pytest.fixture
def coach(client, world):
    client.sign_in(world.coach.email)
    return client


@pytest.fixture
def participant(new_client, world):
    client = new_client()
    client.sign_in(world.p.login)
    return client


def _new_participant(world, token: str) -> dict:
    return {"name": "Fatima Ali", "gender": "woman", "birth_year": "1988",
            "municipality": str(world.project.municipality_id), "enrolled_on": clock.today().isoformat(),
            "capacity": "50", "once": token}


def test_a_new_participant_sent_twice_is_made_once_and_both_answers_lead_to_its_code(coach, read, world):
    form = _new_participant(world, _token(coach.get("/coach/participants/new").get_data(as_text=True)))
    first = coach.post_form("/coach/participants/new", form)
    second = coach.post_form("/coach/participants/new", form)
    assert (first.status_code, second.status_code) == (303, 303)
    assert second.headers["Location"] == first.headers["Location"], "the repeat leads to the same page"
    assert _count(read, User, User.name == "Fatima Ali") == 1
    # The first answer's page shows the code (the browser would have followed the first or the second).
    assert parse(coach.get(first.headers["Location"]).get_data(as_text=True)).select_one(".code") is not None


def test_the_same_form_sent_at_the_same_moment_is_made_once(app, coach, read, world, new_client):
    """Two requests at once with the same cookie (a double tap); on PostgreSQL they run side by side."""
    token = _token(coach.get("/coach/participants/new").get_data(as_text=True))
    form = {**_new_participant(world, token), "csrf_token": coach.csrf_token()}
    start = threading.Barrier(2, timeout=10)
    answers = []

    def send():
        start.wait()
        answers.append(coach.post("/coach/participants/new", data=form))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [a.status_code for a in answers] == [303, 303]
    assert len({a.headers["Location"] for a in answers}) == 1
    assert _count(read, User, User.name == "Fatima Ali") == 1


def test_a_message_sent_twice_is_in_the_thread_once(participant, read, world):
    page = participant.get("/messages").get_data(as_text=True)
    form = {"general-text": "Hej! Jag kommer på mötet.", "general-thread": "general", "once": _token(page)}
    assert participant.post_form("/messages/general", form).status_code == 303
    again = participant.post_form("/messages/general", form)
    assert again.status_code == 303 and again.headers["Location"].endswith("#thread-general")
    assert _count(read, Comment, Comment.text == "Hej! Jag kommer på mötet.") == 1


def test_another_text_with_the_same_token_is_a_new_message(participant, read, world):
    """Back to the form, write something else, send: a second message, not a repeat."""
    token = _token(participant.get("/messages").get_data(as_text=True))
    for text in ("Hej!", "Jag blir sen."):
        assert participant.post_form("/messages/general", {"general-text": text, "general-thread": "general",
                                                           "once": token}).status_code == 303
    assert _count(read, Comment, Comment.text.in_(["Hej!", "Jag blir sen."])) == 2


def test_a_form_with_errors_sent_twice_shows_the_errors_twice_and_keeps_no_claim(coach, read, world):
    token = _token(coach.get("/coach/participants/new").get_data(as_text=True))
    form = {**_new_participant(world, token), "birth_year": "19"}
    for _ in range(2):
        response = coach.post_form("/coach/participants/new", form)
        assert response.status_code == 422
        assert parse(response.get_data(as_text=True)).select_one('input[name="name"]')["value"] == "Fatima Ali"
    assert _count(read, FormSubmission) == 0
    assert coach.post_form("/coach/participants/new", {**form, "birth_year": "1988"}).status_code == 303


def test_a_goal_sent_twice_with_htmx_is_saved_once_and_the_repeat_goes_to_the_plan(participant, read, world):
    token = _token(participant.hx_get("/plan/goals/new").get_data(as_text=True))
    form = {"text": "Få ett jobb i en butik", "once": token}
    assert participant.post_form("/plan/goals/new", form, hx=True).status_code == 200
    again = participant.post_form("/plan/goals/new", form, hx=True)
    assert again.status_code == 200 and again.headers["HX-Redirect"].startswith("/plan#goal-")
    assert _count(read, Goal, Goal.text == "Få ett jobb i en butik") == 1


def test_a_suggested_step_and_a_new_coach_sent_twice_are_made_once(coach, new_client, read, world):
    url = f"/coach/participants/{world.p.participation_id}/suggest"
    form = {"text": "Besök biblioteket", "once": _token(coach.get(url).get_data(as_text=True))}
    assert [coach.post_form(url, form).status_code for _ in range(2)] == [303, 303]
    assert _count(read, Step, Step.text == "Besök biblioteket") == 1

    leader = new_client()
    leader.sign_in(world.leader.email)
    url = f"/project/{world.project.public_id}/coaches/new"
    form = {"name": "Ny Coach", "email": "ny.coach@example.org", "once": _token(leader.get(url).get_data(as_text=True))}
    first, second = leader.post_form(url, form), leader.post_form(url, form)
    assert (first.status_code, second.status_code) == (303, 303), "not 'this e-mail is taken'"
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(read, User, User.name == "Ny Coach") == 1


def test_a_form_without_a_token_works_as_before(participant, read, world):
    """A page loaded before this change, or a hand-made request: no guard, no error."""
    for _ in range(2):
        assert participant.post_form("/plan/goals/new", {"text": "Gå en kurs"}).status_code == 303
    assert _count(read, Goal, Goal.text == "Gå en kurs") == 2


def test_sendings_older_than_a_day_are_forgotten(app, participant, build, read, world, monkeypatch):
    def old_row():
        db.session.add(FormSubmission(user_id=world.p.user_id, key="0" * 64, result_url="/plan",
                                      created_at=clock.now() - once.KEEP * 2))

    build(old_row)
    token = uuid.uuid4().hex
    assert participant.post_form("/plan/goals/new", {"text": "Gå en kurs", "once": token}).status_code == 303
    assert read(lambda: db.session.scalars(select(FormSubmission.result_url)).all()) == [
        read(lambda: f"/plan#goal-{db.session.scalar(select(Goal.id).where(Goal.text == 'Gå en kurs'))}")]
