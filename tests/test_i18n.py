"""Languages: Swedish by default, the user's choice first, a catalogue is a language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.html import parse
from webapp.config import TRANSLATIONS_DIR
from webapp.extensions import db
from webapp.i18n.languages import discover, match
from webapp.models import User

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogues():
    for po in sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            yield po.parent.parent.name, read_po(f, locale=po.parent.parent.name)


def _lang(response) -> str:
    return parse(response.get_data(as_text=True)).find("html")["lang"]


def test_swedish_is_the_default(client):
    response = client.get("/sign-in")
    assert _lang(response) == "sv"
    assert "Logga in" in response.get_data(as_text=True)


def test_the_browser_language_is_used_when_we_have_it(client):
    assert _lang(client.get("/sign-in", headers={"Accept-Language": "en-GB,en;q=0.8"})) == "en"
    assert _lang(client.get("/sign-in", headers={"Accept-Language": "de-DE"})) == "sv"


def test_a_chosen_language_beats_the_browser_and_is_reachable_from_sign_in(client):
    page = parse(client.get("/sign-in").get_data(as_text=True))
    picker = page.select_one("form[action='/language']")
    assert {b["value"] for b in picker.find_all("button")} >= {"sv", "en"}
    assert picker.find("button", value="en")["lang"] == "en"
    response = client.post_form("/language", {"lang": "en", "next": "/sign-in"})
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
    assert _lang(client.get("/sign-in", headers={"Accept-Language": "sv"})) == "en"


def test_the_saved_choice_of_a_signed_in_user_wins_on_any_device(client, new_client, world, read):
    client.sign_in(world.p.login)
    client.post_form("/language", {"lang": "en", "next": "/home"})
    assert read(lambda: db.session.get(User, world.p.user_id).locale) == "en"
    other_phone = new_client()
    other_phone.set_cookie("lang", "sv")
    other_phone.sign_in(world.p.login)
    assert _lang(other_phone.get("/home")) == "en"


def _saved_language(read, user_id):
    return read(lambda: db.session.get(User, user_id).locale)


def test_a_language_picked_on_the_sign_in_page_beats_the_one_saved_on_the_account(client, world, read):
    """Amina's account says Swedish; on a friend's phone she picks Arabic on the sign-in page."""
    client.sign_in(world.p.login)
    client.post_form("/language", {"lang": "sv", "next": "/home"})
    client.sign_out()
    client.post_form("/language", {"lang": "ar", "next": "/sign-in"})
    client.sign_in(world.p.login)
    assert _lang(client.get("/home")) == "ar"
    assert _saved_language(read, world.p.user_id) == "ar"


def test_a_language_picked_before_the_second_step_is_kept_through_it(client, world, read):
    client.post_form("/language", {"lang": "en", "next": "/sign-in"})
    client.sign_in(world.coach.email)  # the password, then the code step
    assert _lang(client.get("/coach")) == "en"
    assert _saved_language(read, world.coach.id) == "en"


def test_an_old_language_cookie_alone_does_not_change_the_account(client, world, read):
    client.sign_in(world.p.login)
    client.post_form("/language", {"lang": "en", "next": "/home"})
    client.sign_out()
    client.set_cookie("lang", "ar")  # left on this phone from long ago, not picked now
    client.sign_in(world.p.login)
    assert _lang(client.get("/home")) == "en"
    assert _saved_language(read, world.p.user_id) == "en"


def test_the_language_picker_is_on_every_signed_in_page(client, world):
    client.sign_in(world.p.login)
    for url in ("/home", "/plan", "/log", "/capacity"):
        assert parse(client.get(url).get_data(as_text=True)).select_one("form[action='/language']"), url


def test_the_language_picker_on_a_form_with_errors_goes_back_to_the_forms_page(client, world):
    """The answer to a form with errors has a URL that only takes POST (/messages/general): changing
    the language there must not end on "method not allowed"."""
    client.sign_in(world.p.login)
    response = client.post_form("/messages/general", {"general-text": "", "general-thread": "general"},
                                headers={"Referer": "http://localhost/messages?x=1"})
    assert response.status_code == 422
    picker = parse(response.get_data(as_text=True)).select_one("form[action='/language'] input[name=next]")
    assert picker["value"] == "/messages?x=1"
    switched = client.post_form("/language", {"lang": "ar", "next": picker["value"]}, follow_redirects=True)
    assert switched.status_code == 200 and _lang(switched) == "ar"
    elsewhere = client.post_form("/messages/general", {"general-text": "", "general-thread": "general"},
                                 headers={"Referer": "https://evil.example/x"})
    assert parse(elsewhere.get_data(as_text=True)).select_one(
        "form[action='/language'] input[name=next]")["value"] == "/"


def test_a_page_with_a_form_with_errors_says_error_first_in_its_title(client, world):
    """Whatever the form is called in the page: the messages' thread forms, the PIN form."""
    client.set_cookie("lang", "en")
    client.sign_in(world.p.login)
    message = client.post_form("/messages/general", {"general-text": "", "general-thread": "general"})
    pin = client.post_form("/account/pin", {"pin": "1", "pin_again": "1"})
    for response in (message, pin):
        assert response.status_code == 422
        assert parse(response.get_data(as_text=True)).title.get_text().startswith("Error: ")
    assert not parse(client.get("/messages").get_data(as_text=True)).title.get_text().startswith("Error")


def test_an_unknown_language_is_refused(client):
    assert client.post_form("/language", {"lang": "xx", "next": "/"}).status_code == 400


def test_the_language_switch_only_redirects_within_the_site(client):
    response = client.post_form("/language", {"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_html_lang_and_dir_come_from_the_locale(client):
    html = parse(client.get("/sign-in", headers={"Accept-Language": "en"}).get_data(as_text=True)).find("html")
    assert (html["lang"], html["dir"]) == ("en", "ltr")


@pytest.mark.parametrize(("tag", "expected"), [
    ("sv-SE", "sv"), ("en-US", "en"), ("EN", "en"), ("de", None), ("", None),
])
def test_language_tags_from_browsers_match_catalogues(app, tag, expected):
    assert match(tag, app.extensions["stegvis_languages"]) == expected


def test_a_new_catalogue_is_a_new_language_without_new_code(tmp_path):
    shutil.copytree(TRANSLATIONS_DIR, tmp_path / "translations")
    target = tmp_path / "translations" / "ps" / "LC_MESSAGES"  # Pashto, which we do not ship yet
    target.mkdir(parents=True)
    shutil.copy(TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po", target / "messages.po")
    languages = discover(tmp_path / "translations")
    assert languages["ps"].name == "پښتو" and languages["ps"].direction == "rtl"
    assert list(languages)[0] == "sv", "Swedish stays first in the picker"


ALL_LOCALES = sorted(po.parent.parent.name for po in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"))


@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_catalogue_is_complete_without_fuzzy_entries(locale):
    catalogue = dict(_catalogues())[locale]
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated or fuzzy: {ids[0]!r}")
        elif any(_placeholders(s, plural=len(ids) > 1) != _placeholders(ids[-1], plural=len(ids) > 1) for s in strings):
            problems.append(f"placeholders differ: {ids[0]!r}")
    assert not problems, "\n".join(problems)


def test_the_english_catalogue_repeats_the_english_source_strings():
    """English is the msgid language; anything else there is a fuzzy match that slipped through."""
    catalogue = dict(_catalogues())["en"]
    wrong = [m.id for m in catalogue if m.id and (m.string != m.id if isinstance(m.id, str) else m.string[0] != m.id[0])]
    assert not wrong, f"run `make translate` to refill the English catalogue: {wrong[:5]}"


def _placeholders(text: str, plural: bool) -> set[str]:
    """The named placeholders; in a plural form the count may be written as a word instead
    (Arabic says "رسالتان", two messages, without the number)."""
    found = set(PLACEHOLDER.findall(text))
    return found - {"%(num)s", "%(num)d"} if plural else found


@pytest.mark.parametrize(("locale", "n", "expected"), [
    ("ar", 0, "لم تسجّل أي نشاط هذا الأسبوع."),
    ("ar", 1, "سجّلت نشاطًا واحدًا هذا الأسبوع."),
    ("ar", 2, "سجّلت نشاطين هذا الأسبوع."),
    ("ar", 3, "سجّلت 3 أنشطة هذا الأسبوع."),
    ("ar", 11, "سجّلت 11 نشاطًا هذا الأسبوع."),
    ("ar", 100, "سجّلت 100 نشاط هذا الأسبوع."),
    ("uk", 0, "Цього тижня у вашому журналі 0 записів."),
    ("uk", 1, "Цього тижня у вашому журналі 1 запис."),
    ("uk", 2, "Цього тижня у вашому журналі 2 записи."),
    ("uk", 3, "Цього тижня у вашому журналі 3 записи."),
    ("uk", 11, "Цього тижня у вашому журналі 11 записів."),
    ("uk", 21, "Цього тижня у вашому журналі 21 запис."),
    ("uk", 100, "Цього тижня у вашому журналі 100 записів."),
])
def test_counts_take_the_right_plural_form(app, locale, n, expected):
    """Arabic has six forms and Ukrainian three: each count gets the grammatically right one."""
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale(locale):
        said = ngettext("You have logged %(num)s activity this week.", "You have logged %(num)s activities this week.", n)
    assert said == expected


@pytest.mark.parametrize(("locale", "minutes", "expected"), [
    ("ar", 45, "45 دقيقة"),
    ("ar", 60, "ساعة واحدة"),
    ("ar", 90, "ساعة و30 دقيقة"),
    ("ar", 120, "ساعتان"),
    ("ar", 150, "ساعتان و30 دقيقة"),
    ("ar", 180, "3 ساعات"),
    ("ar", 660, "11 ساعة"),
    ("sv", 120, "2 tim"),
    ("sv", 90, "1 tim 30 min"),
    ("en", 45, "45 min"),
])
def test_durations_take_the_right_plural_form(app, locale, minutes, expected):
    """In Arabic, two hours is ساعتان and three to ten are ساعات ("2 ساعة" was wrong)."""
    from flask_babel import force_locale

    from webapp.i18n.formatting import format_minutes

    with app.test_request_context(), force_locale(locale):
        assert format_minutes(minutes) == expected


def test_catalogues_are_not_stale(tmp_path):
    """Every string in the code is in every catalogue; run `make translate` when this fails."""
    from webapp.cli import extract

    pot = tmp_path / "messages.pot"
    extract(pot)
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    for locale, catalogue in _catalogues():
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
        assert wanted - have == set(), f"{locale} lacks strings: {sorted(wanted - have)[:10]}"
        assert have - wanted == set(), f"{locale} has strings the code no longer uses: {sorted(have - wanted)[:10]}"


def test_plural_rules_in_the_catalogue_headers_match_cldr():
    """The header picks a form by its own formula; it must split whole numbers exactly as CLDR does.

    `pybabel init` writes Babel's old gettext table, which is wrong for some languages (e.g. Dari
    and Tigrinya treat 0 like 1), so each header is checked against CLDR, not against Babel's table.
    """
    from babel import Locale

    for locale, catalogue in _catalogues():
        rule = Locale.parse(locale).plural_form
        form_of = {}
        for n in range(0, 1001):
            form = _gettext_plural(catalogue.plural_expr, n)
            category = rule(n)
            assert form_of.setdefault(form, category) == category, f"{locale}: n={n} in form {form}"
        assert len(form_of) == catalogue.num_plurals, f"{locale}: {catalogue.num_plurals} forms, CLDR uses {len(form_of)}"
        assert len(set(form_of.values())) == len(form_of), f"{locale}: two forms for one CLDR category"


def _gettext_plural(expression: str, n: int) -> int:
    """Evaluate a gettext Plural-Forms formula the way GNU gettext does (C operators)."""
    import gettext as gnu

    return int(gnu.c2py(expression)(n))


def test_every_catalogue_is_listed_in_languages_json():
    import json

    meta = json.loads((TRANSLATIONS_DIR / "languages.json").read_text())
    for locale, _catalogue in _catalogues():
        assert locale in meta, f"add {locale} to translations/languages.json (review status)"
        assert meta[locale]["review"] in {"source", "written", "reviewed"}


def test_dates_and_durations_are_formatted_in_the_users_language(client, world, build):
    from tests import factories

    build(factories.activity, world.p, minutes=90)
    client.sign_in(world.p.login)
    client.post_form("/language", {"lang": "sv", "next": "/log"})
    swedish = client.get("/log").get_data(as_text=True)
    assert "1 tim 30 min" in swedish and "Vecka" in swedish
    client.post_form("/language", {"lang": "en", "next": "/log"})
    english = client.get("/log").get_data(as_text=True)
    assert "1 h 30 min" in english and "Week" in english


@pytest.mark.parametrize("locale", [code for code in ALL_LOCALES if code != "en"])
def test_no_english_leaks_into_translated_pages(client, world, build, locale):
    """A translated page contains none of the English msgids (a sign of an untranslated string)."""
    from tests import factories

    goal = build(factories.goal, world.p)
    build(factories.step, world.p, goal)
    build(factories.activity, world.p)
    with (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f, locale=locale)
    english_only = {
        m.id for m in catalogue
        if isinstance(m.id, str) and m.id != m.string and len(m.id) > 12 and "%(" not in m.id
    }
    client.sign_in(world.p.login)
    client.post_form("/language", {"lang": locale, "next": "/home"})
    for url in ("/home", "/plan", "/log", "/capacity", "/plan/steps/new", "/messages", "/about/help"):
        page = parse(client.get(url).get_data(as_text=True))
        assert page.find("html")["lang"] == locale.replace("_", "-")
        for echo in page.select("[lang=sv], [lang=en]"):
            echo.decompose()
        text = page.get_text(" ")
        leaked = [s for s in english_only if s in text]
        assert not leaked, f"{url}: {leaked[:5]}"


def test_swedish_catalogue_is_named_in_its_own_language(app):
    assert app.extensions["stegvis_languages"]["sv"].name == "Svenska"
    assert Path(TRANSLATIONS_DIR / "sv" / "GLOSSARY.md").exists()


def test_the_about_page_lists_every_language_with_its_review_status(client):
    page = parse(client.get("/about/translations").get_data(as_text=True))
    rows = {th.get_text(strip=True): th for th in page.select("tbody th")}
    assert {"Svenska", "English"} <= set(rows)
    assert rows["Svenska"]["lang"] == "sv"
    assert page.find("a", href="/about/translations"), "linked from every page's footer"


def test_dari_is_chosen_for_the_tags_windows_and_browsers_send():
    from webapp.i18n.languages import Language

    langs = {"sv": Language("sv", "Svenska", "ltr"),
             "fa_AF": Language("fa_AF", "دری", "rtl", aliases=("prs", "prs_af", "fa", "fa_af"))}
    for tag in ("prs", "prs-AF", "fa-AF", "fa"):
        assert match(tag, langs) == "fa_AF", tag
