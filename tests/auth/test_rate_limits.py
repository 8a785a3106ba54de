"""Sign-in and activation are rate limited, so codes and passwords cannot be guessed quickly."""

from __future__ import annotations

import pytest

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


def test_reading_the_sign_in_page_is_not_limited(client, strict_limits):
    assert {client.get("/sign-in").status_code for _ in range(6)} == {200}
