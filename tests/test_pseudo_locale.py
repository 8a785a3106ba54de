"""A pseudo-locale catches text that bypasses the catalogues.

Every msgid is "translated" into ⟦…⟧. Pages are then rendered in that locale, and every visible
word must sit inside the brackets, be a date or a number, or be data (names, what people wrote).
A word outside is a string the code shows without gettext: it would stay English (or Swedish)
for every language.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po
from bs4 import NavigableString
from sqlalchemy import update

from tests import factories
from tests.conftest import PageClient
from tests.html import parse
from webapp import create_app
from webapp.cli import extract
from webapp.config import TRANSLATIONS_DIR, TestConfig
from webapp.extensions import db
from webapp.models import Project, StepState

PSEUDO = "eo"  # a real but unused locale: Babel knows no pseudo-locale codes
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
BRACKETS = re.compile(r"⟦[^⟦⟧]*⟧")
WORD = re.compile(r"[^\W\d_]{2,}")


def _pseudo(text: str) -> str:
    return f"⟦{text}⟧"


@pytest.fixture(scope="module")
def pseudo_app(database_url, tmp_path_factory, app):
    """The app with one more language whose every string is bracketed."""
    target = tmp_path_factory.mktemp("pseudo") / "translations"
    shutil.copytree(TRANSLATIONS_DIR, target, ignore=shutil.ignore_patterns("*.mo"))
    pot = target / "messages.pot"
    extract(pot)
    with pot.open("rb") as f:
        catalogue = read_po(f, locale=PSEUDO)
    catalogue.fuzzy = False  # a fresh template's header is fuzzy, and fuzzy catalogues are not compiled
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(_pseudo(message.id[1]) for _ in range(catalogue.num_plurals))
        else:
            message.string = _pseudo(message.id)
    (target / PSEUDO / "LC_MESSAGES").mkdir(parents=True)
    with (target / PSEUDO / "LC_MESSAGES" / "messages.po").open("wb") as f:
        write_po(f, catalogue)
    meta = json.loads((target / "languages.json").read_text())
    meta[PSEUDO] = {"order": 99, "review": "written"}
    (target / "languages.json").write_text(json.dumps(meta))
    CommandLineInterface().run(["pybabel", "-q", "compile", "-d", str(target)])
    pseudo = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url,
                        INSTANCE_PATH=str(tmp_path_factory.mktemp("pseudo-instance")),
                        BABEL_TRANSLATION_DIRECTORIES=str(target))
    pseudo.test_client_class = PageClient
    yield pseudo
    with pseudo.app_context():
        db.engine.dispose()


@pytest.fixture
def rich_world(world, build):
    """Data on every page: a plan, a suggestion, an entry, a message, a survey."""
    goal = build(factories.goal, world.p, "Lära mig svenska")
    build(factories.step, world.p, goal, "Ringa Arbetsförmedlingen", helper_id=world.project.helper_id)
    build(factories.step, world.p, goal, "Gå på jobbmässan", 2, state=StepState.SUGGESTED, suggested_by=world.coach)
    build(factories.activity, world.p, note="Första lektionen")
    build(lambda: db.session.execute(update(Project).values(start_survey_key="stegvis-start",
                                                            exit_survey_key="stegvis-exit")))
    return world


def _data_words(world) -> set[str]:
    """Words that come from the data, not from the interface."""
    texts = [
        "Stegvis", "Norrskan", "Vägar", "Piteå", "Arvidsjaur", "Piteå kommun", "Lära mig svenska",
        "Ringa Arbetsförmedlingen", "Gå på jobbmässan", "Första lektionen", "Annan", "SFI", "ESF",
        world.p.name, world.q.name, world.r.name, world.coach.name, world.leader.name, world.other_coach.name,
        world.coach_b.name, world.p.login, world.q.login,
    ]
    from webapp.setup import STANDARD_HELPERS

    texts += STANDARD_HELPERS
    texts.append("Esperanto")  # the pseudo-locale's own name in the language picker, from Babel
    texts += ["stegvis-start", "stegvis-follow-up", "stegvis-exit"]  # questionnaire keys, shown to leaders
    return {word.lower() for text in texts for word in WORD.findall(text)}


def _leaks(html: str, allowed: set[str]) -> list[str]:
    soup = parse(html)
    leaks = []
    body = soup.find("body")
    for node in body.find_all(string=True):
        if not isinstance(node, NavigableString) or node.parent.name in ("script", "style", "title"):
            continue
        if any(parent.name in ("time", "bdi", "svg") or parent.get("dir") == "auto"
               or (parent.get("lang") and parent.get("lang") != PSEUDO) for parent in node.parents if parent.name):
            continue
        text = str(node)
        while BRACKETS.search(text):
            text = BRACKETS.sub(" ", text)
        words = [w for w in WORD.findall(text) if w.lower() not in allowed]
        if words:
            leaks.append(f"{node.parent.name}: {str(node).strip()[:80]!r}")
    return leaks


PAGES = {
    None: ["/sign-in", "/activate", "/about/translations", "/about/welcome", "/about/help", "/about/accessibility"],
    "participant": ["/home", "/plan", "/log", "/capacity", "/messages", "/who-has-looked", "/surveys/progress",
                    "/plan/steps/new", "/plan/goals/new"],
    "coach": ["/coach", "/coach/participants/new", "/coach/report"],
    "leader": ["/project"],
}


def _sign_in(client, world, role):
    login = {"participant": world.p.login, "coach": world.coach.email, "leader": world.leader.email}[role]
    client.sign_in(login)


@pytest.mark.parametrize("role", list(PAGES))
def test_every_word_on_the_page_comes_from_the_catalogue(pseudo_app, rich_world, role):
    world = rich_world
    client = pseudo_app.test_client()
    client.set_cookie("lang", PSEUDO)
    urls = list(PAGES[role])
    if role:
        _sign_in(client, world, role)
    if role == "coach":
        pid = world.p.participation_id
        urls += [f"/coach/participants/{pid}", f"/coach/participants/{pid}/messages/general",
                 f"/coach/participants/{pid}/suggest", f"/coach/participants/{pid}/end"]
    if role == "leader":
        base = f"/project/{world.project.public_id}"
        urls += [f"{base}/{page}" for page in ("coaches", "participants", "shares", "helpers", "municipalities",
                                               "questionnaires", "goals", "report")]
    allowed = _data_words(world)
    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert parse(html).find("html")["lang"] == PSEUDO
        if leaks := _leaks(html, allowed):
            problems[url] = leaks
    if role == "participant":
        start = client.post_form("/surveys/start", {"occasion": "start", "round": "0"})
        question = client.get(start.headers["Location"])
        if leaks := _leaks(question.get_data(as_text=True), allowed):
            problems["a survey question"] = leaks
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
