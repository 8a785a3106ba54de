"""Sign-in and activation are rate limited, so codes and passwords cannot be guessed quickly."""

from __future__ import annotations

import re

import pytest

from tests import factories
from webapp.extensions import limiter


@pytest.fixture
def strict_limits(app, monkeypatch):
    """The test app with a low sign-in limit; the counters are emptied afterwards."""
    monkeypatch.setitem(app.config, "RATELIMIT_SIGN_IN", "3 per minute")
    yield
    limiter.reset()


@pytest.mark.parametrize(("url", "data"), [
    ("/sign-in", {"login_name": "someone", "password": "wrong password"}),
    ("/activate", {"code": "ABCD-EFGH"}),
])
def test_too_many_tries_get_429_with_a_plain_message(client, strict_limits, url, data):
    statuses = [client.post_form(url, data).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    page = client.post_form(url, data)
    assert page.status_code == 429 and "<h1>" in page.get_data(as_text=True)


def test_the_429_says_how_long_to_wait(client, app, monkeypatch):
    """50 tries an hour used up: not "wait a minute" when it is most of an hour."""
    monkeypatch.setitem(app.config, "RATELIMIT_SIGN_IN", "2 per hour")
    client.set_cookie("lang", "en")
    try:
        for _ in range(2):
            client.post_form("/sign-in", {"login_name": "someone", "password": "wrong password"})
        page = client.post_form("/sign-in", {"login_name": "someone", "password": "wrong password"})
        assert page.status_code == 429
        text = " ".join(page.get_data(as_text=True).split())
        assert re.search(r"Try again in (59|60) minutes\.", text), text[-600:]
    finally:
        limiter.reset()


def test_reading_the_sign_in_page_is_not_limited(client, strict_limits):
    assert {client.get("/sign-in").status_code for _ in range(6)} == {200}


def test_failed_sign_ins_count_per_account_from_any_address(client, new_client, world, app, monkeypatch):
    """Credential stuffing spreads over many addresses; the account's own limit still holds."""
    monkeypatch.setitem(app.config, "RATELIMIT_SIGN_IN_ACCOUNT", "3 per minute")
    try:
        statuses = []
        for n in range(4):
            other_phone = new_client()
            other_phone.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
            statuses.append(other_phone.post_form("/sign-in", {"login_name": world.p.login,
                                                               "password": "wrong password"}).status_code)
        assert statuses == [422, 422, 422, 429]
        # Another account from the same addresses is not affected.
        assert client.post_form("/sign-in", {"login_name": world.q.login, "password": "wrong"}).status_code == 422
    finally:
        limiter.reset()


def test_a_class_signing_in_from_one_address_is_not_locked_out(new_client, build, world, app, monkeypatch):
    """An SFI class on the school's network: every sign-in comes from one address. Only refused
    tries count against it."""
    monkeypatch.setitem(app.config, "RATELIMIT_SIGN_IN", "3 per minute")
    people = [build(factories.participant, world.project, world.coach) for _ in range(5)]
    try:
        for person in people:
            assert new_client().sign_in(person.login).status_code == 303
        wrong = [new_client().post_form("/sign-in", {"login_name": "someone", "password": "wrong"}).status_code
                 for _ in range(4)]
        assert wrong == [422, 422, 422, 429], "wrong passwords are still limited"
    finally:
        limiter.reset()


def test_successful_sign_ins_do_not_use_up_the_accounts_limit(new_client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_SIGN_IN_ACCOUNT", "2 per minute")
    try:
        for _ in range(4):
            phone = new_client()
            assert phone.sign_in(world.p.login).status_code == 303
    finally:
        limiter.reset()
