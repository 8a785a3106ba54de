"""Signing in and out: staff with email, participants with their sign-in name."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests import factories
from tests.conftest import CSRF_META
from webapp.extensions import db
from webapp.models import AuthSession


def test_coach_signs_in_with_email_and_lands_on_caseload(client, world):
    response = client.sign_in(world.coach.email.upper())
    assert response.headers["Location"] == "/coach"
    assert "Amina Hassan" in client.get("/coach").get_data(as_text=True)


def test_participant_signs_in_with_sign_in_name_and_lands_on_home(client, world):
    response = client.sign_in(world.p.login)
    assert response.headers["Location"] == "/home"
    assert "Amina" in client.get("/home").get_data(as_text=True)


def test_wrong_password_is_refused_next_to_the_field_and_keeps_the_name(client, world):
    response = client.post_form("/sign-in", {"login_name": world.p.login, "password": "wrong password"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="password-error"' in page
    assert f'value="{world.p.login}"' in page
    assert client.get("/home").status_code == 302


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, world):
    unknown = client.post_form("/sign-in", {"login_name": "nobody", "password": "wrong password"})
    known = client.post_form("/sign-in", {"login_name": world.p.login, "password": "wrong password"})
    assert unknown.status_code == known.status_code == 422
    # CSRF tokens carry a timestamp: two answers a second apart differ there whoever signs in.
    def page(response):
        return re.sub(r'(csrf[-_]token"[^>]*(?:content|value)=")[^"]+', r"\1…", response.get_data(as_text=True))

    assert page(unknown).replace("nobody", world.p.login) == page(known)


def test_empty_sign_in_form_says_what_is_missing(client):
    response = client.post_form("/sign-in", {"login_name": "  ", "password": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="login_name-error"' in page and 'id="password-error"' in page
    assert "<title>Fel:" in page or "<title>Error:" in page


def test_deactivated_user_cannot_sign_in(client, world, build):
    def deactivate():
        from webapp.models import User
        db.session.get(User, world.p.user_id).is_active = False

    build(deactivate)
    response = client.post_form("/sign-in", {"login_name": world.p.login, "password": factories.PASSWORD})
    assert response.status_code == 422


def test_a_copied_cookie_stops_working_after_sign_out(client, new_client, world, app):
    client.sign_in(world.p.login)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    thief = new_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    assert thief.get("/home").status_code == 200

    client.sign_out()

    response = thief.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_sign_out_ends_the_session_on_the_server(client, world, read):
    client.sign_in(world.p.login)
    client.sign_out()
    sessions = read(lambda: list(db.session.scalars(select(AuthSession))))
    assert len(sessions) == 1 and sessions[0].ended_at is not None


def test_a_late_answer_to_a_request_sent_just_after_sign_in_keeps_the_pages_forms_working(client, world, app):
    """The phone keeps fetching while it signs in (the service worker's files, the app's checks).
    An answer to a request sent with the sign-in's cookie may land after the first page's own
    answer, and the browser keeps the cookie that came last. The forms on that first page must
    still work: the sign-in gives the session its CSRF token at once, not on the first page."""
    name = app.config["SESSION_COOKIE_NAME"]
    client.sign_in(world.p.login)
    at_sign_in = client.get_cookie(name).value
    token = CSRF_META.search(client.get("/home").get_data(as_text=True)).group(1)
    client.set_cookie(name, at_sign_in)  # sent before the page came …
    assert client.get("/manifest.webmanifest").status_code == 200  # … answered after it
    response = client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 303 and response.location.endswith("/sign-in")
    assert client.get("/home").status_code == 302


def test_sign_out_needs_post(client, world):
    client.sign_in(world.p.login)
    assert client.get("/sign-out").status_code == 405
    assert client.get("/home").status_code == 200


def test_session_cookie_changes_at_sign_in(client, world, app):
    client.get("/sign-in")  # an anonymous session with a CSRF token
    before = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    client.sign_in(world.p.login)
    after = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert before != after


def test_session_cookie_is_httponly_and_samesite_lax(client, world):
    response = client.post_form("/sign-in", {"login_name": world.p.login, "password": factories.PASSWORD})
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("stegvis="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_after_sign_in_the_user_goes_where_they_were_going(client, world):
    assert client.get("/log").headers["Location"] == "/sign-in?next=/log"
    response = client.post_form("/sign-in?next=/log", {"login_name": world.p.login, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/log"


def test_sign_in_never_redirects_to_another_site(client, world):
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]:
        client.sign_out()
        response = client.post_form(
            "/sign-in", {"login_name": world.p.login, "password": factories.PASSWORD}, query_string={"next": target}
        )
        assert response.status_code == 303
        assert response.headers["Location"] == "/home", target


def test_a_signed_in_user_opening_sign_in_goes_home(client, world):
    client.sign_in(world.coach.email)
    assert client.get("/sign-in").headers["Location"] == "/coach"


def test_htmx_request_without_session_gets_401_and_a_redirect_to_sign_in(client):
    response = client.get("/plan", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/sign-in")


def test_password_hashes_are_argon2id(read, world):
    from webapp.models import User

    stored = read(lambda: db.session.get(User, world.p.user_id).password_hash)
    assert stored.startswith("$argon2id$")
