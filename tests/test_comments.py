"""Coaches and participants write to each other: about a step, an activity, or in general."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.html import parse, textarea_value
from webapp.extensions import db
from webapp.models import Comment, Participation


def _coach_writes(client, person, thread: str, text: str):
    return client.post_form(f"/coach/participants/{person.participation_id}/messages/{thread}",
                            {f"{thread}-text": text, f"{thread}-thread": thread.replace("-", ":", 1)})


def _participant_writes(client, thread: str, text: str):
    return client.post_form(f"/messages/{thread}", {f"{thread}-text": text, f"{thread}-thread": thread.replace("-", ":", 1)})


@pytest.fixture
def coach(client, world):
    client.sign_in(world.coach.email)
    return client


@pytest.fixture
def participant(new_client, world):
    phone = new_client()
    phone.sign_in(world.p.login)
    return phone


def test_coach_comments_on_a_step_and_the_participant_sees_it_at_home_and_answers(coach, participant, build, world, read):
    step = build(factories.step, world.p, build(factories.goal, world.p), "Ringa AF")
    thread = f"step-{step}"
    page = coach.get(f"/coach/participants/{world.p.participation_id}/messages/{thread}")
    assert page.status_code == 200 and "Ringa AF" in page.get_data(as_text=True)
    response = _coach_writes(coach, world.p, thread, "Bra plan! Ring före lunch.")
    assert response.status_code == 303

    home = parse(participant.get("/home").get_data(as_text=True))
    assert "Bra plan! Ring före lunch." in home.find(id="new-messages").get_text()
    messages = parse(participant.get("/messages").get_data(as_text=True))
    section = messages.find(id=f"thread-{thread}")
    assert "Ringa AF" in section.get_text() and "Bra plan!" in section.get_text()

    assert _participant_writes(participant, thread, "Tack, det gör jag!").status_code == 303
    rows = read(lambda: [(c.by_staff, c.step_id, c.text) for c in db.session.scalars(select(Comment).order_by(Comment.created_at))])
    assert rows == [(True, step, "Bra plan! Ring före lunch."), (False, step, "Tack, det gör jag!")]
    assert parse(participant.get("/home").get_data(as_text=True)).find(id="new-messages").get_text(strip=True) == "", \
        "answering counts as having read"


def test_the_participant_can_mark_new_messages_as_read(coach, participant, world, read):
    _coach_writes(coach, world.p, "general", "Hej! Hur går det?")
    response = participant.post_form("/messages/read", {"next": "/home"})
    assert response.status_code == 303 and response.headers["Location"] == "/home"
    assert read(lambda: db.session.get(Participation, world.p.participation_id).comments_read_at) is not None
    assert "Hej! Hur går det?" not in parse(participant.get("/home").get_data(as_text=True)).find(id="new-messages").get_text()
    assert "Hej! Hur går det?" in participant.get("/messages").get_data(as_text=True), "still in the thread"


def test_coach_comments_on_an_activity(coach, participant, build, world):
    activity = build(factories.activity, world.p, note="Första dagen")
    _coach_writes(coach, world.p, f"activity-{activity}", "Vad roligt!")
    page = participant.get("/messages").get_data(as_text=True)
    assert f'id="thread-activity-{activity}"' in page and "Vad roligt!" in page


def test_each_threads_answer_button_says_which_thread(coach, participant, build, world):
    """A screen reader's list of buttons on the messages page: not "Answer" three times."""
    step = build(factories.step, world.p, build(factories.goal, world.p), "Ringa AF")
    _coach_writes(coach, world.p, f"step-{step}", "Bra plan!")
    _coach_writes(coach, world.p, "general", "Hej!")
    page = parse(participant.get("/messages").get_data(as_text=True))
    names = [" ".join(button.get_text().split()) for button in page.select(".thread button")]
    assert "Svara: Om steget: Ringa AF" in names and "Svara: Allmänt" in names
    assert len(set(names)) == len(names)


def test_the_participant_starts_a_general_thread(participant, coach, world):
    _participant_writes(participant, "general", "Kan vi ses på tisdag?")
    page = coach.get(f"/coach/participants/{world.p.participation_id}").get_data(as_text=True)
    assert "Kan vi ses på tisdag?" in page


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001, "nul\x00"])
def test_bad_messages_are_refused_and_kept(coach, participant, world, read, text):
    typed = text if "\x00" not in text else text
    response = _participant_writes(participant, "general", typed)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert page.find(id="general-text-error") is not None
    if text.strip() and "\x00" not in text:
        assert textarea_value(page.find(id="general-text")) == text
    response = _coach_writes(coach, world.p, "general", typed)
    assert response.status_code == 422
    assert parse(response.get_data(as_text=True)).find(id="general-text-error") is not None
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Comment))) == 0


def test_messages_are_shown_as_text_never_as_html(coach, participant, world):
    _coach_writes(coach, world.p, "general", '<img src=x onerror="alert(1)"> مرحبا')
    page = participant.get("/messages").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page
    text = parse(page).select_one(".comment__text")
    assert text["dir"] == "auto"


def test_a_thread_about_another_participants_step_answers_404(coach, participant, build, world, read):
    theirs = build(factories.step, world.q, None)
    assert _participant_writes(participant, f"step-{theirs}", "Hej").status_code == 404
    other = build(factories.step, world.r, None)
    assert _coach_writes(coach, world.p, f"step-{other}", "Hej").status_code == 404
    assert coach.get(f"/coach/participants/{world.p.participation_id}/messages/nonsense").status_code == 404
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Comment))) == 0


def test_coach_marks_a_participant_as_reviewed_and_only_newer_things_are_new(coach, build, world):
    build(factories.activity, world.p, note="Gammal")
    url = f"/coach/participants/{world.p.participation_id}"
    assert parse(coach.get(url).get_data(as_text=True)).select(".tag--new")
    coach.post_form(f"{url}/reviewed")
    assert not parse(coach.get(url).get_data(as_text=True)).select(".tag--new")
    build(factories.activity, world.p, note="Ny")
    new_tags = parse(coach.get(url).get_data(as_text=True)).select(".tag--new")
    assert len(new_tags) == 1


def test_a_coach_closes_and_opens_a_participants_account(coach, participant, world, client):
    url = f"/coach/participants/{world.p.participation_id}"
    coach.post_form(f"{url}/deactivate")
    assert participant.get("/home").status_code == 302, "signed out at once"
    from tests.conftest import PageClient  # noqa: F401 - the same client class signs in below
    response = participant.post_form("/sign-in", {"login_name": world.p.login, "password": factories.PASSWORD})
    assert response.status_code == 422
    coach.post_form(f"{url}/reactivate")
    participant.sign_in(world.p.login)
