"""Passkeys: register after sign-in, sign in with one, and every wrong answer refused (AUTH-04),
with ceremonies that are single-use and live in the database (AUTH-05)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.auth.soft_authenticator import SoftPasskey
from webapp import clock, create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.models import AuthSession, Passkey, PasskeyChallenge


def _post_json(client, url: str, body: dict | None = None):
    return client.post(url, json=body or {}, headers={"X-CSRFToken": client.csrf_token()})


def register(client, authenticator: SoftPasskey, **answer):
    options = _post_json(client, "/account/passkeys/options").get_json()
    credential = authenticator.create(options["publicKey"], **answer)
    return _post_json(client, "/account/passkeys", {"ceremony": options["ceremony"], "credential": credential})


def sign_in_with(client, authenticator: SoftPasskey, **answer):
    options = _post_json(client, "/sign-in/passkey/options").get_json()
    credential = authenticator.get(options["publicKey"], **answer)
    return _post_json(client, "/sign-in/passkey", {"ceremony": options["ceremony"], "credential": credential})


@pytest.fixture
def enrolled(client, world, english):
    """P has registered a passkey and signed out; returns (a fresh client, the passkey)."""
    client.sign_in(world.p.login)
    authenticator = SoftPasskey()
    assert register(client, authenticator).status_code == 200
    client.sign_out()
    return english(), authenticator


def _is_signed_in(client) -> bool:
    return client.get("/home").status_code == 200


def test_a_participant_adds_a_passkey_and_signs_in_with_it_without_a_name(app, client, world, english, read):
    client.sign_in(world.p.login)
    authenticator = SoftPasskey()
    added = register(client, authenticator)
    assert added.status_code == 200 and added.get_json()["redirect"] == "/account/sign-in"
    page = client.get("/account/sign-in").get_data(as_text=True)
    assert "Passkey on" in page and "Your passkey is saved" in page

    stored = read(lambda: db.session.scalar(select(Passkey)))
    assert stored.user_id == world.p.user_id and stored.credential_id == authenticator.credential_id
    # The user handle the phone keeps is the random user id, not a name or a personal number.
    assert authenticator.user_handle == world.p.user_id.bytes

    phone = english()
    answer = sign_in_with(phone, authenticator)
    assert answer.status_code == 200 and answer.get_json()["redirect"] == "/home"
    assert _is_signed_in(phone)
    assert read(lambda: db.session.scalar(select(Passkey.sign_count))) == 1


def test_a_coach_signs_in_with_a_passkey_without_the_code_step(client, world, english):
    client.sign_in(world.coach.email)
    authenticator = SoftPasskey()
    assert register(client, authenticator).status_code == 200
    other = english()
    answer = sign_in_with(other, authenticator)
    assert answer.get_json()["redirect"] == "/coach"
    assert other.get("/coach").status_code == 200


@pytest.mark.parametrize(
    ("what", "answer"),
    [
        ("no user verification", {}),
        ("another origin", {"origin": "https://evil.example"}),
        ("another relying party", {"rp_id": "evil.example"}),
    ],
)
def test_a_wrong_passkey_answer_is_refused_and_no_session_starts(enrolled, read, what, answer, english):
    phone, authenticator = enrolled
    if what == "no user verification":
        authenticator.user_verified = False
    sessions = read(lambda: db.session.scalar(select(func.count()).select_from(AuthSession)))
    refused = sign_in_with(phone, authenticator, **answer)
    assert refused.status_code == 422, what
    assert "did not work" in refused.get_json()["error"]
    assert not _is_signed_in(phone)
    assert read(lambda: db.session.scalar(select(func.count()).select_from(AuthSession))) == sessions


def test_registration_needs_user_verification_and_the_right_origin(client, world, read, english):
    client.sign_in(world.p.login)
    assert register(client, SoftPasskey(user_verified=False)).status_code == 422
    assert register(client, SoftPasskey(), origin="https://evil.example").status_code == 422
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Passkey))) == 0


def test_a_ceremony_works_once(enrolled, english):
    phone, authenticator = enrolled
    options = _post_json(phone, "/sign-in/passkey/options").get_json()
    body = {"ceremony": options["ceremony"], "credential": authenticator.get(options["publicKey"])}
    assert _post_json(phone, "/sign-in/passkey", body).status_code == 200
    phone.sign_out()
    assert _post_json(phone, "/sign-in/passkey", body).status_code == 422
    assert not _is_signed_in(phone)


def test_a_ceremony_too_old_is_refused(enrolled, monkeypatch, english):
    phone, authenticator = enrolled
    options = _post_json(phone, "/sign-in/passkey/options").get_json()
    later = clock.now() + dt.timedelta(minutes=6)
    monkeypatch.setattr(clock, "now", lambda: later)
    body = {"ceremony": options["ceremony"], "credential": authenticator.get(options["publicKey"])}
    assert _post_json(phone, "/sign-in/passkey", body).status_code == 422


def test_a_sign_count_that_goes_back_is_refused(enrolled, english):
    """A cloned authenticator shows itself by counting from an older number."""
    phone, authenticator = enrolled
    assert sign_in_with(phone, authenticator, count=5).status_code == 200
    phone.sign_out()
    assert sign_in_with(phone, authenticator, count=3).status_code == 422


def test_a_registration_ceremony_cannot_be_finished_by_someone_else(client, world, english):
    """Q cannot save a passkey into P's account with P's ceremony (cross-user answers)."""
    client.sign_in(world.p.login)
    options = _post_json(client, "/account/passkeys/options").get_json()
    other = english()
    other.sign_in(world.q.login)
    credential = SoftPasskey().create(options["publicKey"])
    refused = _post_json(other, "/account/passkeys", {"ceremony": options["ceremony"], "credential": credential})
    assert refused.status_code == 422


def test_the_challenge_is_random_and_long_enough(client, world, english):
    first = _post_json(client, "/sign-in/passkey/options").get_json()
    second = _post_json(client, "/sign-in/passkey/options").get_json()
    assert first["publicKey"]["challenge"] != second["publicKey"]["challenge"]
    assert len(first["publicKey"]["challenge"]) >= 43  # 32 bytes in base64url
    assert first["publicKey"]["userVerification"] == "required"


def test_a_ceremony_begun_on_one_instance_finishes_on_another_once(app, enrolled, database_url, tmp_path, english):
    """Two app instances on one database: the state is in the database, not in a process."""
    phone, authenticator = enrolled
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, INSTANCE_PATH=str(tmp_path))
    options = _post_json(phone, "/sign-in/passkey/options").get_json()
    body = {"ceremony": options["ceremony"], "credential": authenticator.get(options["publicKey"])}

    from tests.conftest import PageClient

    other.test_client_class = PageClient
    phone_on_b = other.test_client()
    assert _post_json(phone_on_b, "/sign-in/passkey", body).status_code == 200
    assert phone_on_b.get("/home").status_code == 200
    # The same answer again, on the first instance: the ceremony is used up.
    assert _post_json(phone, "/sign-in/passkey", body).status_code == 422
    with other.app_context():
        db.engine.dispose()


def test_removing_a_passkey_signs_out_other_devices(client, world, english, read):
    client.sign_in(world.p.login)
    assert register(client, SoftPasskey()).status_code == 200
    elsewhere = english()
    elsewhere.sign_in(world.p.login)
    passkey_id = read(lambda: db.session.scalar(select(Passkey.public_id)))
    removed = client.post_form(f"/account/passkeys/{passkey_id}/remove")
    assert removed.status_code == 303
    assert _is_signed_in(client)
    assert not _is_signed_in(elsewhere)


def test_nobody_removes_another_persons_passkey(client, world, english, read):
    client.sign_in(world.p.login)
    assert register(client, SoftPasskey()).status_code == 200
    passkey_id = read(lambda: db.session.scalar(select(Passkey.public_id)))
    other = english()
    other.sign_in(world.q.login)
    assert other.post_form(f"/account/passkeys/{passkey_id}/remove").status_code == 404
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Passkey))) == 1


def test_old_ceremonies_are_cleared_when_new_ones_begin(client, read, monkeypatch, english):
    _post_json(client, "/sign-in/passkey/options")
    later = clock.now() + dt.timedelta(hours=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    _post_json(client, "/sign-in/passkey/options")
    assert read(lambda: db.session.scalar(select(func.count()).select_from(PasskeyChallenge))) == 1
