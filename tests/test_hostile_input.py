"""Hostile text through the free-text fields a participant and a coach write in, into every page
that shows it: escaped everywhere, never a 500, and too long or broken text refused with a
message. (Issue 7's corpus; the fields: goal, step, log note, messages both ways.)"""

from __future__ import annotations

import uuid

import pytest

from tests.html import parse
from webapp import clock

MARK = "zq7"
HOSTILE = [
    f"<script>window.{MARK}=1</script>",
    f'"><img src=x onerror="{MARK}()">',
    f"' onmouseover='{MARK}()' x='",
    f"\u202eevil{MARK}\u202c text",  # right-to-left override
    f"{MARK} 😀👩🏽‍🌾 ✓ ትግርኛ العربية",
    f"{{{{ 7*7 }}}} {{% raw %}} {MARK}",
]


def _writes(participant, coach, world, text: str) -> list:
    """Every free-text field, with `text`; returns the answers."""
    answers = [participant.post_form("/plan/goals/new", {"text": text})]
    answers.append(participant.post_form("/log", {
        "client_id": str(uuid.uuid4()), "occurred_on": clock.today().isoformat(), "kind": "sfi",
        "minutes": "60", "feeling": "3", "note": text, "step": "",
    }))
    answers.append(participant.post_form("/messages/general", {"general-text": text, "general-thread": "general"}))
    answers.append(coach.post_form(f"/coach/participants/{world.p.participation_id}/messages/general",
                                   {"general-text": text, "general-thread": "general"}))
    return answers


def _pages(participant, coach, world) -> list[tuple[str, str]]:
    urls = [(participant, u) for u in ("/home", "/plan", "/log", "/messages")]
    urls += [(coach, u) for u in ("/coach", f"/coach/participants/{world.p.participation_id}")]
    found = []
    for client, url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found.append((url, response.get_data(as_text=True)))
    return found


@pytest.fixture
def people(client, new_client, world):
    client.sign_in(world.p.login)
    coach = new_client()
    coach.sign_in(world.coach.email)
    return client, coach


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_as_text_and_shown_escaped(people, world, text):
    participant, coach = people
    for answer in _writes(participant, coach, world, text):
        assert answer.status_code in (200, 303), answer.get_data(as_text=True)[:300]
    shown = 0
    for url, html in _pages(participant, coach, world):
        page = parse(html)
        for script in page.find_all("script"):
            assert MARK not in (script.string or ""), f"{url}: the text became a script"
        for element in page.find_all(True):
            for name, value in element.attrs.items():
                if name.startswith("on"):
                    raise AssertionError(f"{url}: the text made an attribute {name}={value!r}")
            if element.name == "img" and element.get("src") == "x":
                raise AssertionError(f"{url}: the text made an image")
        if MARK in page.get_text():
            shown += 1
    assert shown >= 4, "the text is shown as text on the pages that show it"


@pytest.mark.parametrize("text", ["x" * 10_000, "Hej\x00då", "\x00"])
def test_too_long_or_broken_text_is_refused_with_a_message_or_cleaned(people, world, text, read):
    participant, coach = people
    for answer in _writes(participant, coach, world, text):
        assert answer.status_code in (200, 303, 422), answer.status_code
        if answer.status_code == 422:
            body = parse(answer.get_data(as_text=True))
            assert body.select_one(".field__error, .error-summary"), "a refusal says why, by the field"
    for _url, html in _pages(participant, coach, world):
        assert "\x00" not in html



EXTREME_DATES = ["0001-01-01", "9999-12-31", "2026-02-31", "99999-01-01", "-1", ""]


@pytest.fixture
def leader(new_client, world):
    client = new_client()
    client.sign_in(world.leader.email)
    return client


@pytest.mark.parametrize("day", EXTREME_DATES)
def test_dates_out_of_range_in_a_link_are_never_a_500(people, leader, world, day):
    """A hand-made or old link: the page, or a message; never a 500 (year 1 once overflowed the log)."""
    participant, coach = people
    project = world.project.public_id
    asks = [(participant, f"/log?before={day}"),
            (coach, f"/coach/report?start={day}&end={day}"),
            (leader, f"/project/{project}/report?start={day}&end=2026-01-01"),
            (leader, f"/project/{project}/report?start=2026-01-01&end={day}"),
            (leader, f"/project/{project}/logs?start={day}&end={day}&page=99999999999999999999")]
    for client, url in asks:
        status = client.get(url).status_code
        assert status in (200, 422), (url, status)
