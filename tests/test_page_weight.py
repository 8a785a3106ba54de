"""The page-weight budget, measured on real rendered pages: what a phone on a weak rural
connection must download, compressed as the app sends it.

| resource | budget |
|---|---|
| first HTML response (participant's home, plan, log and survey pages) | ≤ 14 KB compressed |
| CSS | ≤ 15 KB |
| JavaScript in total, htmx included | ≤ 25 KB |
| web fonts | none |

The first visit in total (≤ 60 KB) and a repeat visit (no bytes for static files) are measured
in the browser: tests/e2e/test_page_weight_browser.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests import factories
from tests.surveys.support import start, use_shipped_questionnaires
from webapp.demo import DEMO_PASSWORD

KB = 1024
BROTLI_AND_GZIP = {"Accept-Encoding": "br, gzip, deflate"}


@pytest.fixture
def amina(app, client, build):
    """The demo's Amina Hassan: a plan marked ready, SFI and a work placement, weeks of entries
    with notes, messages with her coach, and the project's surveys."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    client.sign_in("amina", DEMO_PASSWORD)
    return client


def _body(client, url: str) -> tuple[bytes, str | None]:
    response = client.get(url, headers=BROTLI_AND_GZIP, check=False)
    assert response.status_code == 200, url
    body = response.get_data()
    response.close()
    return body, response.headers.get("Content-Encoding")


def _cache_header(client, url: str) -> str:
    response = client.get(url)
    response.close()  # a file's answer is streamed; close it without reading it
    return response.headers["Cache-Control"]


def _assets(html: str, kind: str) -> list[str]:
    pattern = r'<link rel="stylesheet" href="([^"]+)"' if kind == "css" else r'<script src="([^"]+)"'
    return re.findall(pattern, html)


def test_the_participants_pages_fit_in_the_first_round_trip(amina, new_client, build):
    project = build(factories.project)
    newcomer = build(factories.participant, project, build(factories.staff, project, "coach"))
    build(use_shipped_questionnaires, project.id)
    answering = new_client()
    answering.sign_in(newcomer.login)
    for client, url in ((amina, "/home"), (amina, "/plan"), (amina, "/log"), (amina, "/messages"),
                        (answering, start(answering))):
        body, encoding = _body(client, url)
        assert encoding in ("br", "gzip"), f"{url} is sent uncompressed"
        assert len(body) <= 14 * KB, f"{url}: {len(body)} bytes compressed, the budget is 14 KB"


def test_css_and_javascript_stay_within_their_budgets(amina):
    html = amina.get("/log").get_data(as_text=True)
    css = _assets(html, "css")
    scripts = _assets(html, "js")
    assert css and len(scripts) >= 3, "the log page loads the stylesheet, htmx, the outbox and app.js"
    assert all("?v=" in url for url in css + scripts), "static URLs carry the file's fingerprint"
    css_bytes = sum(len(_body(amina, url)[0]) for url in css)
    js_bytes = sum(len(_body(amina, url)[0]) for url in scripts)
    assert css_bytes <= 15 * KB, f"CSS: {css_bytes} bytes compressed, the budget is 15 KB"
    assert js_bytes <= 25 * KB, f"JavaScript: {js_bytes} bytes compressed, the budget is 25 KB"


def test_no_web_fonts(app, client):
    """System fonts only: Arabic, Ethiopic and the rest come with the phone."""
    css = client.get("/sign-in").get_data(as_text=True)
    response = client.get(_assets(css, "css")[0], headers={"Accept-Encoding": "identity"})
    stylesheet = response.get_data(as_text=True)
    response.close()
    assert "@font-face" not in stylesheet and "@import" not in stylesheet
    fonts = [p for p in Path(app.static_folder).rglob("*") if p.suffix in (".woff", ".woff2", ".ttf", ".otf")]
    assert fonts == []


def test_fingerprinted_files_are_kept_for_a_year_and_others_are_checked_again(client):
    html = client.get("/sign-in").get_data(as_text=True)
    url = _assets(html, "css")[0]
    assert _cache_header(client, url) == "public, max-age=31536000, immutable"
    assert _cache_header(client, url.split("?")[0]) == "no-cache"
    assert _cache_header(client, url.split("?")[0] + "?v=000000000000") == "no-cache"
    # A changed file gets a new URL: the fingerprint is the file's content.
    assert re.search(r"\?v=[0-9a-f]{12}$", url)


def test_pages_are_never_kept_by_a_cache(amina):
    for url in ("/home", "/log"):
        assert amina.get(url).headers["Cache-Control"] == "no-store"


def test_brotli_and_gzip_both_work(amina):
    for accept, expected in (("br", "br"), ("gzip", "gzip")):
        response = amina.get("/log", headers={"Accept-Encoding": accept}, check=False)
        assert response.headers["Content-Encoding"] == expected
    plain = amina.get("/log", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and b"<!doctype html>" in plain.get_data()



def test_a_changed_file_gets_a_new_url_in_development_and_production_reads_each_file_once(tmp_path):
    from webapp.assets import Fingerprints

    (tmp_path / "app.css").write_text("body { color: black }")
    watching, production = Fingerprints(str(tmp_path), watch=True), Fingerprints(str(tmp_path))
    before = watching("app.css")
    assert production("app.css") == before and production("../secret.txt") is None
    (tmp_path / "app.css").write_text("body { color: navy }")
    os.utime(tmp_path / "app.css", (1, 1))  # a new modification time, however fast the disk
    assert watching("app.css") != before  # the developer's browser fetches the new file
    assert production("app.css") == before  # files do not change under a running server
