"""SFI mode: the Swedish words beside the translation, for people learning Swedish."""

from __future__ import annotations

import pytest

from tests import factories
from tests.html import parse
from webapp.extensions import db
from webapp.models import User


@pytest.fixture
def learner(client, world, build):
    build(factories.goal, world.p, "Lära mig svenska")
    client.sign_in(world.p.login)
    client.post_form("/language", {"lang": "en", "next": "/plan"})
    return client


def _echoes(page) -> list:
    return page.select(".sv-echo")


def test_off_by_default(learner):
    assert not _echoes(parse(learner.get("/plan").get_data(as_text=True)).find("main"))


def test_on_it_shows_the_swedish_under_headings_labels_and_buttons(learner, read, world):
    response = learner.post_form("/swedish-words", {"lang": "on", "next": "/plan"})
    assert response.status_code == 303 and response.headers["Location"] == "/plan"
    assert read(lambda: db.session.get(User, world.p.user_id).show_swedish) is True
    page = parse(learner.get("/plan").get_data(as_text=True))
    h1 = page.find("h1")
    assert h1.get_text(" ", strip=True) == "My plan Min plan"
    echo = h1.select_one(".sv-echo")
    assert (echo["lang"], echo["dir"]) == ("sv", "ltr")
    buttons = [b.get_text(" ", strip=True) for b in page.select("main button")]
    assert "This is my plan Det här är min plan" in buttons
    assert page.title.get_text().startswith("My plan –"), "no Swedish and no markup in <title>"
    form = parse(learner.get("/log").get_data(as_text=True))
    assert form.find("label", attrs={"for": "occurred_on"}).get_text(" ", strip=True) == "Date Datum"
    legend = form.find("legend").get_text(" ", strip=True)
    assert legend == "How did it go? Hur gick det?"


def test_a_questionnaire_text_gets_its_swedish_too(learner, build, world):
    from sqlalchemy import update

    from webapp.models import Project

    build(lambda: db.session.execute(update(Project).values(start_survey_key="stegvis-start")))
    learner.post_form("/swedish-words", {"lang": "on", "next": "/home"})
    response = learner.post_form("/surveys/start", {"occasion": "start", "round": "0"})
    question = parse(learner.get(response.headers["Location"]).get_data(as_text=True))
    legend = question.find("legend")
    assert legend.select_one(".sv-echo[lang=sv]") is not None
    assert legend.select_one(".sv-echo").get_text(strip=True) != legend.get_text(strip=True)


def test_in_swedish_there_is_nothing_to_add(learner):
    learner.post_form("/swedish-words", {"lang": "on", "next": "/plan"})
    learner.post_form("/language", {"lang": "sv", "next": "/plan"})
    assert not _echoes(parse(learner.get("/plan").get_data(as_text=True)).find("main"))


def test_it_can_be_turned_off_again(learner):
    learner.post_form("/swedish-words", {"lang": "on", "next": "/plan"})
    learner.post_form("/swedish-words", {"lang": "off", "next": "/plan"})
    assert not _echoes(parse(learner.get("/plan").get_data(as_text=True)).find("main"))


def test_the_choice_follows_the_user_to_another_phone(learner, new_client, world):
    learner.post_form("/swedish-words", {"lang": "on", "next": "/plan"})
    other = new_client()
    other.sign_in(world.p.login)
    other.post_form("/language", {"lang": "en", "next": "/plan"})
    assert _echoes(parse(other.get("/plan").get_data(as_text=True)).find("main"))


def test_before_signing_in_the_choice_is_kept_in_a_cookie(client):
    client.post_form("/language", {"lang": "en", "next": "/sign-in"})
    client.post_form("/swedish-words", {"lang": "on", "next": "/sign-in"})
    page = parse(client.get("/sign-in").get_data(as_text=True))
    assert page.find("h1").get_text(" ", strip=True) == "Sign in Logga in"


def test_the_switch_is_offered_in_both_languages_and_only_outside_swedish(client):
    swedish = parse(client.get("/sign-in").get_data(as_text=True))
    assert swedish.select_one("form[action='/swedish-words']") is None
    client.post_form("/language", {"lang": "en", "next": "/sign-in"})
    english = parse(client.get("/sign-in").get_data(as_text=True))
    button = english.select_one("form[action='/swedish-words'] button")
    assert button.select_one("[lang=sv]").get_text() == "Visa de svenska orden också"


def test_bad_values_are_refused(client):
    assert client.post_form("/swedish-words", {"lang": "maybe", "next": "/"}).status_code == 400
