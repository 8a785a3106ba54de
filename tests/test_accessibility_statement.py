"""The accessibility statement (tillgänglighetsredogörelse): every part that DOS-lagen and Digg ask
for, open to everyone, in every language, with the legal text in Swedish."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date

from tests.html import parse
from webapp.about.views import STATEMENT_ASSESSED_ON, STATEMENT_UPDATED_ON, swedish_name
from webapp.config import PROJECT_ROOT, TRANSLATIONS_DIR
from webapp.i18n.languages import discover

STATEMENT = "/about/accessibility"
LANGUAGES = discover(TRANSLATIONS_DIR)
SECTIONS = ["compliance", "shortcomings", "burden", "out-of-scope", "method", "feedback", "supervision"]


def statement(client, lang: str | None = None):
    if lang:
        client.set_cookie("lang", lang)
    response = client.get(STATEMENT)
    assert response.status_code == 200
    return parse(response.get_data(as_text=True))


def text(html, selector: str) -> str:
    found = html.select_one(selector)
    assert found is not None, f"{selector} is missing"
    return " ".join(found.get_text(" ").split())


def test_anyone_can_read_it_without_signing_in(client):
    response = client.get(STATEMENT)
    assert response.status_code == 200
    assert "sign-in" not in response.headers.get("Location", "")


def test_a_signed_in_participant_reads_the_same_page(client, world):
    client.sign_in(world.p.login)
    assert text(statement(client), "#statement-compliance")


def test_it_names_the_public_body_from_the_settings_and_the_service(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ORGANISATION_NAME", "Kommunalförbundet Testbygden")
    html = statement(client)
    assert text(html, ".statement").startswith("Kommunalförbundet Testbygden står bakom Stegvis.")
    assert "Kontakta Kommunalförbundet Testbygden" in text(html, "#statement-feedback")
    assert "Piteå" not in html.select_one("main").get_text()


def test_the_status_is_partly_compliant_in_the_words_digg_asks_for(client):
    compliance = text(statement(client), "#statement-compliance")
    assert "delvis förenlig med lagen om tillgänglighet till digital offentlig service" in compliance
    assert "helt förenlig" not in compliance and "inte förenlig" not in compliance


def test_the_known_shortcomings_are_listed(client):
    items = {li["id"] for li in statement(client).select("#statement-shortcomings li")}
    assert items == {"shortcoming-translations", "shortcoming-charts", "shortcoming-read-aloud",
                     "shortcoming-imported-surveys", "shortcoming-written-text", "shortcoming-time-limit"}


def test_the_translations_not_yet_reviewed_are_named_from_the_language_registry(client):
    sentence = text(statement(client), "#shortcoming-translations")
    unreviewed = [code for code, lang in LANGUAGES.items() if lang.review == "written"]
    assert unreviewed, "every language is reviewed: remove this shortcoming from the statement"
    for code in unreviewed:
        assert swedish_name(code) in sentence.split("översättningarna till", 1)[1]
    assert "dari" in sentence  # fa_AF, by the name Swedish readers know


def test_the_time_limit_shortcoming_follows_the_session_setting(app, client, monkeypatch):
    assert "utloggad 12 timmar efter" in text(statement(client), "#shortcoming-time-limit")
    monkeypatch.setitem(app.config, "PERMANENT_SESSION_LIFETIME", 24 * 60 * 60)
    assert statement(client).select_one("#shortcoming-time-limit") is None  # WCAG 2.2.1: over 20 h is allowed


def test_the_chart_shortcoming_is_still_true():
    """The statement says the progress charts run left to right on right-to-left pages. When the
    charts follow the page's direction, take that item out of the statement and this test with it."""
    chart = (PROJECT_ROOT / "webapp" / "templates" / "surveys" / "_progress.html").read_text()
    assert 'direction="ltr"' in chart


def test_it_gives_the_dates_of_the_assessment_and_of_the_last_update(client):
    html = statement(client)
    times = [t["datetime"] for t in html.select("#statement-dates time")]
    assert times == [STATEMENT_ASSESSED_ON.isoformat(), STATEMENT_UPDATED_ON.isoformat()]
    dates = text(html, "#statement-dates")
    assert f"Bedömningen gjordes den {format_date(STATEMENT_ASSESSED_ON, 'd MMMM y', locale='sv')}" in dates
    assert f"uppdaterades senast den {format_date(STATEMENT_UPDATED_ON, 'd MMMM y', locale='sv')}" in dates
    assert STATEMENT_ASSESSED_ON <= STATEMENT_UPDATED_ON <= dt.date.today()


def test_it_describes_the_method(client):
    method = text(statement(client), "#statement-method")
    assert "självskattning" in method
    for tool in ("axe-core", "Nu HTML Checker", "Lighthouse", "tangentbord"):
        assert tool in method


def test_feedback_goes_to_the_email_address_in_the_settings(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ACCESSIBILITY_CONTACT", "tillganglighet@testbygden.example")
    link = statement(client).select_one("#statement-feedback a")
    assert link["href"] == "mailto:tillganglighet@testbygden.example"
    assert link.get_text(strip=True) == "tillganglighet@testbygden.example"


def test_feedback_can_go_to_a_web_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ACCESSIBILITY_CONTACT", "https://testbygden.example/tillganglighet")
    link = statement(client).select_one("#statement-feedback a")
    assert link["href"] == "https://testbygden.example/tillganglighet"


def test_it_links_to_digg_s_reporting_function(client):
    html = statement(client)
    link = html.select_one("#statement-supervision a[href='https://www.digg.se/tdosanmalan']")
    assert link is not None and "Digg" in link.get_text()


def test_it_says_there_is_no_disproportionate_burden_and_nothing_out_of_scope(client):
    html = statement(client)
    assert "Vi åberopar inte undantaget för oskäligt betungande anpassning" in text(html, "#statement-burden")
    assert "Inget innehåll i Stegvis är undantaget från lagen (9 §)" in text(html, "#statement-out-of-scope")


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_language_gets_the_page_with_the_legal_text_marked_as_swedish(client, code):
    html = statement(client, code)
    assert html.find("html")["lang"] == LANGUAGES[code].tag
    for section in SECTIONS:
        block = html.select_one(f"#statement-{section}")
        assert (block["lang"], block["dir"]) == ("sv", "ltr"), section
        heading = html.select_one(f"#statement-{section}-heading")
        assert heading.find_parent(class_="statement") is None, f"the {section} heading is in the Swedish text"
    assert "delvis förenlig" in text(html, "#statement-compliance")
    # Readers of other languages are told why the text is in Swedish.
    assert (html.select_one("#statement-language-note") is not None) == (code != "sv")


def test_every_page_links_to_it_from_the_footer(client, world):
    """Signed out, as a participant and as staff: the footer has the link (Digg asks for it on
    every page)."""
    pages = [("/sign-in", None), ("/home", world.p.login), ("/log", world.p.login), ("/coach", world.coach.email)]
    for url, login in pages:
        if login:
            client.sign_in(login)
        html = parse(client.get(url).get_data(as_text=True))
        assert html.select_one(f'footer a[href="{STATEMENT}"]') is not None, url
        if login:
            client.sign_out()
