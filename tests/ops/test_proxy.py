"""Behind a reverse proxy (STEGVIS_PROXY_COUNT), the rate limits count the phone's address from
X-Forwarded-For; without it, the header is ignored (anyone can write it). ASVS 15.3.4."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import PageClient
from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db


@pytest.fixture
def client_behind(app, tmp_path, database_url):
    """`client_behind(proxies)`: a client of an app that trusts that many proxies, with a low
    sign-in limit (2 a minute)."""
    made = []

    def make(proxies: int) -> PageClient:
        application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, PROXY_COUNT=proxies,
                                 INSTANCE_PATH=str(tmp_path / "instance"), RATELIMIT_SIGN_IN="2 per minute")
        application.test_client_class = PageClient
        made.append(application)
        return application.test_client()

    yield make
    for application in made:
        with application.app_context():
            db.engine.dispose()


def _tries(client: PageClient, forwarded_for: str) -> list[int]:
    token = client.csrf_token()
    return [client.post("/sign-in", data={"csrf_token": token, "login_name": f"nobody-{uuid.uuid4().hex}",
                                          "password": "wrong-password"},
                        headers={"X-Forwarded-For": forwarded_for}).status_code for _ in range(3)]


def _address() -> str:
    return f"198.51.100.{uuid.uuid4().int % 250 + 1}"


def test_behind_one_proxy_each_phone_has_its_own_limit(client_behind):
    client = client_behind(1)
    first, second = _address(), _address()
    while second == first:
        second = _address()
    assert _tries(client, first)[-1] == 429
    assert _tries(client, second)[0] != 429  # another phone behind the same proxy is not blocked


def test_without_a_proxy_the_forwarded_address_is_ignored(client_behind):
    client = client_behind(0)
    assert _tries(client, _address())[-1] == 429
    assert _tries(client, _address())[0] == 429  # a forged header does not get round the limit
