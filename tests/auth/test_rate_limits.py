"""Sign-in and activation are rate limited, so codes and passwords cannot be guessed quickly."""

from __future__ import annotations

import pytest

from tests.conftest import PageClient
from webapp import create_app
from webapp.config import TestConfig


@pytest.fixture
def limited_client(app, database_url, tmp_path):
    limited = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, INSTANCE_PATH=str(tmp_path),
                         RATELIMIT_ENABLED=True, RATELIMIT_SIGN_IN="3 per minute")
    limited.test_client_class = PageClient
    return limited.test_client()


@pytest.mark.parametrize(("url", "data"), [
    ("/sign-in", {"login_name": "someone", "password": "wrong password"}),
    ("/activate", {"code": "ABCD-EFGH"}),
])
def test_too_many_tries_get_429_with_a_plain_message(limited_client, url, data):
    statuses = [limited_client.post_form(url, data).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    page = limited_client.post_form(url, data)
    assert page.status_code == 429 and "<h1>" in page.get_data(as_text=True)
