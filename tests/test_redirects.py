"""XSS-03: no open redirect. `next` (sign-in's query, the language forms' hidden field and every
other form that carries one) and every response that sends the browser on (Location, htmx's
HX-Redirect and HX-Location) stay on this site, whatever is sent.

tests/test_fuzz_forms.py checks the same for its hostile requests; here each known trick is sent
to each place that takes `next`, found on the pages (a form field named "next") and in the url_map.
"""

from __future__ import annotations

import pytest

from tests import factories
from tests.access_matrix import COACH, LEADER, PARTICIPANT
from tests.every_page import signed_in_client, urls_for
from tests.fuzzing import (
    FormSpec,
    Submission,
    forms_by_endpoint,
    off_site,
    pages,
    post_rules,
    redirect_targets,
    send,
    url_of,
    with_query,
)
from webapp.security import safe_next

EVIL = [
    "//evil.example",
    "//evil.example/plan",
    "https://evil.example",
    "https://evil.example/",
    "http:evil.example",
    "http:/evil.example",
    "https:\\\\evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "%2f%2fevil.example",
    "/%2F/evil.example",
    "/%09/evil.example",
    "/%5Cevil.example",
    "///evil.example",
    "////evil.example",
    "evil.example",
    "@evil.example",
    "/@evil.example",
    "/.//evil.example",
    "\uff0f\uff0fevil.example",  # full-width slashes
]
# The same tricks behind what browsers skip: leading spaces and control characters, and tabs and
# newlines anywhere ("/\t/evil.example" is "//evil.example" to a browser).
PREFIXES = [" ", "\t", "\n", "\r\n", "\x00", "\x0b", "\x1f", " \t\n"]
WITH_PREFIXES = [p + t for p in PREFIXES for t in ("//evil.example", "https://evil.example", "javascript:alert(1)")]
INFIXED = ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\r\n/evil.example", "/\\\t\\evil.example",
           "/ok\r\nLocation: https://evil.example", "/ok\r\nSet-Cookie: stolen=1", "/\x00/evil.example"]
ALL = EVIL + WITH_PREFIXES + INFIXED


def test_the_checker_knows_an_off_site_address():
    """off_site() is what every test here relies on; it must say yes to each trick as a browser
    would read it, and no to our own paths."""
    for target in ("//evil.example", "https://evil.example", "/\\evil.example", "\t//evil.example", "/\t/evil.example",
                   "javascript:alert(1)", "http:evil.example", "evil.example", " https://evil.example"):
        assert off_site(target), target
    for target in ("/", "/plan", "/plan?next=//evil.example", "/sign-in?next=/log", "http://localhost/plan",
                   "/%2F/evil.example", "/.//evil.example"):
        assert not off_site(target), target


@pytest.mark.parametrize("target", ALL)
def test_safe_next_keeps_only_a_path_on_this_site(target):
    kept = safe_next(target, "/fallback")
    assert not off_site(kept), kept
    assert not any(c in kept for c in "\t\r\n\x00"), kept


def test_after_sign_in_next_never_leads_off_site(client, world):
    """Every trick in `next` on the sign-in address: the person lands on this site (their start
    page, or the next sign-in step, never evil.example)."""
    for target in ALL:
        client.sign_out()
        response = client.post_form("/sign-in", {"login_name": world.p.login, "password": factories.PASSWORD},
                                    query_string={"next": target})
        assert response.status_code in (302, 303), (target, response.status_code)
        _follow_on_site(client, response, target)


def test_a_staff_sign_in_with_next_stays_on_site(client, world):
    for target in ("//evil.example", "/\t/evil.example", "https://evil.example", "/ok\r\nSet-Cookie: x=1"):
        client.sign_out()
        response = client.post_form("/sign-in", {"login_name": world.coach.email, "password": factories.PASSWORD},
                                    query_string={"next": target})
        assert response.status_code in (302, 303), (target, response.status_code)
        _follow_on_site(client, response, target)


def _follow_on_site(client, response, target: str, steps: int = 4) -> None:
    """The answer, and each redirect after it, stays on this site."""
    for _ in range(steps):
        locations = redirect_targets(response)
        for location in locations:
            assert not off_site(location), f"next={target!r} sent the browser to {location!r}"
        if response.status_code not in (301, 302, 303, 307, 308) or not locations:
            return
        response = client.get(locations[0], check=False)


def _spec_with_next(app, client, site, role) -> dict[str, FormSpec]:
    specs = forms_by_endpoint(app, pages(app, client, site, role))
    return {endpoint: spec for endpoint, spec in specs.items()
            if any(name == "next" or name.endswith("-next") for name in spec.fields)}


@pytest.mark.parametrize("role", [None, PARTICIPANT, COACH, LEADER], ids=["anonymous", PARTICIPANT, COACH, LEADER])
def test_every_form_with_a_next_field_stays_on_site(app, new_client, site, role):
    """The forms that carry `next` (the language picker, SFI mode, "Mark as read"…), found on the
    role's pages, with each trick in it, as a plain form and as htmx."""
    client = signed_in_client(new_client, site, role)
    specs = _spec_with_next(app, client, site, role)
    assert {"auth.set_language"} <= specs.keys(), f"the language picker was not found: {sorted(specs)}"
    token = client.csrf_token()
    rules = {rule.endpoint: rule for rule in post_rules(app, role)}
    for endpoint, spec in sorted(specs.items()):
        url = url_of(app, site, rules[endpoint])
        valid = [(name, f.valid) for name, f in spec.fields.items() if not (name == "next" or name.endswith("-next"))]
        next_name = next(name for name in spec.fields if name == "next" or name.endswith("-next"))
        for target in ALL:
            for hx in (False, True):
                response = send(client, url, Submission((*valid, (next_name, target)), hx=hx), token, spec)
                assert response.status_code < 500, (endpoint, target, response.status_code)
                for location in redirect_targets(response):
                    assert not off_site(location), f"{endpoint}: next={target!r} sent the browser to {location!r}"


@pytest.mark.parametrize("role", [None, PARTICIPANT, COACH, LEADER], ids=["anonymous", PARTICIPANT, COACH, LEADER])
def test_no_route_follows_a_next_it_is_given(app, new_client, site, role):
    """Every route the role may use, GET and POST, plain and htmx, with `next` and its cousins in
    the query string and the form: whatever it answers, it never sends the browser off site."""
    client = signed_in_client(new_client, site, role)
    token = client.csrf_token()
    hostile = (("next", "//evil.example"), ("return_to", "https://evil.example"), ("redirect", "/\\evil.example"),
               ("url", "javascript:alert(1)"), ("then", "//evil.example"), ("back", "\t//evil.example"))
    for endpoint, url in urls_for(app, site, role):
        for hx in (False, True):
            response = client.get(with_query(url, hostile), headers={"HX-Request": "true"} if hx else {},
                                  check=False)
            response.close()
            for location in redirect_targets(response):
                assert not off_site(location), f"GET {endpoint} sent the browser to {location!r}"
    for rule in post_rules(app, role):
        if rule.endpoint == "auth.sign_out":
            continue
        url = url_of(app, site, rule)
        for hx in (False, True):
            response = send(client, url, Submission(hostile, query=hostile, hx=hx), token)
            response.close()
            assert response.status_code < 500, (rule.endpoint, response.status_code)
            for location in redirect_targets(response):
                assert not off_site(location), f"POST {rule.endpoint} sent the browser to {location!r}"


def test_htmx_without_a_session_is_sent_to_sign_in_on_this_site(app, client, site):
    """The login gate answers htmx with HX-Redirect to the sign-in page carrying the page asked
    for; with a hostile query string that address, and where sign-in then leads, stay here."""
    for endpoint, url in urls_for(app, site, PARTICIPANT)[:10] + urls_for(app, site, COACH)[:5]:
        response = client.get(with_query(url, [("next", "//evil.example"), ("x", "\r\n//evil.example")]),
                              headers={"HX-Request": "true"}, check=False)
        response.close()
        if response.status_code != 401:
            continue
        location = response.headers["HX-Redirect"]
        assert location.startswith("/sign-in") and not off_site(location), (endpoint, location)
    response = client.get("/plan?next=//evil.example", headers={"HX-Request": "true"})
    assert response.status_code == 401
    signed_in = client.post_form(response.headers["HX-Redirect"],
                                 {"login_name": site.world.p.login, "password": factories.PASSWORD})
    _follow_on_site(client, signed_in, "/plan?next=//evil.example")
    assert signed_in.headers["Location"].startswith("/plan")


def test_a_changed_item_sent_by_htmx_navigates_on_this_site(client, world, build):
    """HX-Location (webapp/htmx.py redirect_after_post) and HX-Redirect answers point here."""
    client.sign_in(world.p.login)
    goal = build(factories.goal, world.p)
    response = client.post_form(f"/plan/goals/{goal}/delete", {"next": "//evil.example"}, hx=True)
    assert response.status_code < 400
    for location in redirect_targets(response):
        assert not off_site(location), location
