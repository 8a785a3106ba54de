"""Read-aloud with the phone's own voice: offered only when the phone has a voice for the page's
language, reading the screen's main text; a Swedish button reads the Swedish words in SFI mode.

Chromium here has no voices, so the tests give the page a stand-in speech engine that records
what it was asked to say (an init script, before the page's own scripts run)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.e2e.pages import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.presentation]

STAND_IN = """
(voices => {
  window.__spoken = [];
  const engine = {
    getVoices: () => voices,
    speak: (u) => { window.__spoken.push({text: u.text, lang: u.lang}); if (u.onend) setTimeout(u.onend, 0); },
    cancel: () => {},
    addEventListener: () => {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: engine, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})(%s);
"""


def _page(open_page, voices: list[dict]) -> Page:
    page = open_page(js=True)
    page.add_init_script(STAND_IN % json.dumps(voices))
    return page


@pytest.fixture
def plan_of(build, participant):
    goal = build(factories.goal, participant, "Get a job in a shop")
    build(factories.step, participant, goal, "Call the shop on Monday")
    return participant


def test_the_plan_is_read_aloud_in_the_pages_language(open_page, plan_of):
    page = _page(open_page, [{"name": "English", "lang": "en-GB"}])
    sign_in(page, plan_of.login)
    page.goto("/plan")
    button = page.get_by_role("button", name="Read aloud")
    expect(button).to_have_count(1)
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == "en-GB"
    assert "Get a job in a shop" in spoken[0]["text"] and "Call the shop on Monday" in spoken[0]["text"]
    assert "Delete" not in spoken[0]["text"], "buttons are not read"


def test_no_button_when_the_phone_has_no_voice_for_the_language(open_page, plan_of):
    page = _page(open_page, [{"name": "Deutsch", "lang": "de-DE"}])
    sign_in(page, plan_of.login)
    page.goto("/plan")
    expect(page.locator("#plan")).to_be_visible()
    expect(page.locator(".read-aloud")).to_have_count(0)


def test_in_sfi_mode_a_second_button_reads_the_swedish_words_with_a_swedish_voice(open_page, plan_of):
    page = _page(open_page, [{"name": "English", "lang": "en-GB"}, {"name": "Svenska", "lang": "sv-SE"}])
    sign_in(page, plan_of.login)
    page.locator(".language-picker summary").click()
    page.get_by_role("button", name="Show the Swedish words too").click()
    page.goto("/log")
    page.goto("/plan")
    swedish = page.locator(".read-aloud button[lang=sv]")
    expect(swedish).to_have_count(1)
    swedish.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[-1]["lang"] == "sv-SE"
    assert "Inte påbörjat" in spoken[-1]["text"] and "Get a job" not in spoken[-1]["text"]


def test_a_survey_question_is_read_with_its_answers(open_page, build, participant):
    from sqlalchemy import update

    from webapp.extensions import db
    from webapp.models import Project

    build(lambda: db.session.execute(update(Project).values(start_survey_key="stegvis-start")))
    page = _page(open_page, [{"name": "English", "lang": "en-GB"}])
    sign_in(page, participant.login)
    page.locator("form[action='/surveys/start'] button").first.click()
    page.get_by_role("button", name="Read aloud").click()
    text = page.evaluate("window.__spoken")[0]["text"]
    legend = page.locator("form.survey-question legend").inner_text().split("\n")[0]
    assert legend in text and "10" in text
