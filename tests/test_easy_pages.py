"""Easy-to-read pages (lättläst): welcome, your information, your rights, help."""

from __future__ import annotations

import re

import pytest

from tests.html import parse

PAGES = ["welcome", "your-information", "your-rights", "help"]


@pytest.mark.parametrize("page", PAGES)
def test_each_easy_page_is_open_to_everyone_and_marked_as_easy_to_read_in_swedish(client, page):
    response = client.get(f"/about/{page}")
    assert response.status_code == 200
    html = parse(response.get_data(as_text=True))
    assert html.select_one(".caption .tag").get_text(strip=True) == "Lättläst"
    others = {a["href"] for a in html.select(".easy-nav a")}
    assert others == {f"/about/{p}" for p in PAGES if p != page}


@pytest.mark.parametrize("page", PAGES)
def test_easy_to_read_swedish_has_short_sentences(client, page):
    """Lättläst: at most 15 words in a sentence (MTM's guideline)."""
    text = parse(client.get(f"/about/{page}").get_data(as_text=True)).select_one(".easy").get_text(" ")
    sentences = [s for s in re.split(r"[.!?:]\s+|\n", text) if s.strip()]
    long = [s.strip() for s in sentences if len(s.split()) > 15]
    assert not long, long


def test_help_is_in_the_same_place_on_every_page(client, world):
    """WCAG 3.2.6: the help link is the first footer link on every page, signed in or not."""
    def first_footer_link(url):
        return parse(client.get(url).get_data(as_text=True)).select_one(".site-footer a")["href"]

    assert first_footer_link("/sign-in") == "/about/help"
    client.sign_in(world.p.login)
    assert {first_footer_link(url) for url in ("/home", "/plan", "/log", "/messages")} == {"/about/help"}


def test_a_signed_in_participant_gets_a_way_to_write_to_the_coach_from_help(client, world):
    client.sign_in(world.p.login)
    page = parse(client.get("/about/help").get_data(as_text=True))
    assert page.select_one(".easy a[href='/messages']") is not None
