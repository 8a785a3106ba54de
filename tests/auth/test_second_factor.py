"""Staff sign in with two factors: the password and a code from an authenticator app (or a
passkey, tests/auth/test_passkeys.py). No session starts before the second step."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import func, select, update

from tests import factories
from webapp import clock
from webapp.config import Config
from webapp.extensions import db
from webapp.models import AuthSession, User


def _password(client, login):
    return client.post_form("/sign-in", {"login_name": login, "password": factories.PASSWORD})


def _sessions(read) -> int:
    return read(lambda: db.session.scalar(select(func.count()).select_from(AuthSession)))


def test_the_password_alone_does_not_let_a_coach_in(client, world, read, english):
    response = _password(client, world.coach.email)
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in/code"
    assert _sessions(read) == 0
    assert client.get("/coach").status_code == 302
    page = client.get("/sign-in/code").get_data(as_text=True)
    assert "Write the 6 digits it shows for Stegvis" in page
    assert client.post_form("/sign-in/code", {"code": factories.totp_code()}).headers["Location"] == "/coach"
    assert client.get("/coach").status_code == 200


def test_a_wrong_code_is_refused_by_the_field(client, world, english):
    _password(client, world.coach.email)
    wrong = client.post_form("/sign-in/code", {"code": "000000" if factories.totp_code() != "000000" else "111111"})
    assert wrong.status_code == 422
    assert 'id="code-error"' in wrong.get_data(as_text=True)
    assert client.get("/coach").status_code == 302


def test_a_code_works_only_once(client, world, english):
    _password(client, world.coach.email)
    code = factories.totp_code()
    assert client.post_form("/sign-in/code", {"code": code}).status_code == 303
    client.sign_out()
    _password(client, world.coach.email)
    again = client.post_form("/sign-in/code", {"code": code})
    assert again.status_code == 422 and "already used" in again.get_data(as_text=True)


def test_the_second_step_must_follow_soon(client, world, monkeypatch, english):
    _password(client, world.coach.email)
    later = clock.now() + dt.timedelta(minutes=6)
    monkeypatch.setattr(clock, "now", lambda: later)
    late = client.post_form("/sign-in/code", {"code": factories.totp_code()})
    assert late.status_code == 303 and late.headers["Location"] == "/sign-in"
    assert client.get("/coach").status_code == 302


def test_the_code_page_without_a_password_first_leads_to_the_sign_in(client, english):
    assert client.post_form("/sign-in/code", {"code": "123456"}).headers["Location"] == "/sign-in"


def test_staff_without_an_app_set_one_up_before_they_get_in(client, world, build, read, english):
    build(lambda: db.session.execute(update(User).where(User.id == world.leader.id).values(totp_secret=None)))
    response = _password(client, world.leader.email)
    assert response.headers["Location"] == "/sign-in/set-up"
    page = client.get("/sign-in/set-up").get_data(as_text=True)
    assert "Set up your second step" in page and 'class="qr"' in page
    key = page.split('<code class="secret-key"><bdi>')[1].split("<")[0].replace(" ", "")
    assert client.get("/project").status_code == 302, "no session before the app is set up"

    wrong = client.post_form("/sign-in/set-up", {"code": "12"})
    assert wrong.status_code == 422
    done = client.post_form("/sign-in/set-up", {"code": pyotp.TOTP(key).now()})
    assert done.status_code == 303 and done.headers["Location"] == "/project"
    assert read(lambda: db.session.get(User, world.leader.id).totp_secret) == key


def test_a_new_coach_sets_a_password_then_the_app(client, build, world, english):
    from webapp.auth.services import issue_activation_code

    def new_coach():
        user = db.session.get(User, world.other_coach.id)
        user.password_hash = None
        user.totp_secret = None
        return issue_activation_code(user, created_by=None)

    code = build(new_coach)
    client.post_form("/activate", {"code": code})
    response = client.post_form("/activate", {"stage": "password", "code": code, "password": "ett långt lösenord",
                                              "password_again": "ett långt lösenord"})
    assert response.headers["Location"] == "/sign-in/set-up"
    assert client.get("/coach").status_code == 302


def test_a_participant_cannot_choose_a_pin_on_a_staff_code(client, build, world):
    from webapp.auth.services import issue_activation_code

    code = build(lambda: issue_activation_code(db.session.get(User, world.other_coach.id), created_by=None))
    client.post_form("/activate", {"code": code})
    refused = client.post_form("/activate", {"stage": "pin", "code": code, "pin": "402719", "pin_again": "402719"})
    assert refused.status_code == 422


def test_staff_move_their_app_to_a_new_phone(client, world, english, read):
    client.sign_in(world.coach.email)
    page = client.get("/account/authenticator").get_data(as_text=True)
    key = page.split('<code class="secret-key"><bdi>')[1].split("<")[0].replace(" ", "")
    assert client.post_form("/account/authenticator", {"code": factories.totp_code()}).status_code == 422, \
        "the old app's code does not confirm the new key"
    assert client.post_form("/account/authenticator", {"code": pyotp.TOTP(key).now()}).status_code == 303
    assert read(lambda: db.session.get(User, world.coach.id).totp_secret) == key


def test_participants_have_no_authenticator_page(client, world):
    client.sign_in(world.p.login)
    assert client.get("/account/authenticator").status_code == 403


def test_production_refuses_to_start_without_the_second_factor_for_staff():
    with pytest.raises(RuntimeError, match="STAFF_SECOND_FACTOR"):
        Config.check({"SECRET_KEY": "x" * 40, "STAFF_SECOND_FACTOR": False, "TRUSTED_HOSTS": ["a.se"]})
    Config.check({"SECRET_KEY": "x" * 40, "STAFF_SECOND_FACTOR": True, "TRUSTED_HOSTS": ["a.se"]})
