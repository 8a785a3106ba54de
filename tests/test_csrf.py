"""CSRF protection is on, in tests too: a form without the page's token changes nothing."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select

from webapp import clock
from webapp.extensions import db
from webapp.models import Activity, Goal


def _entry():
    return {"client_id": str(uuid.uuid4()), "occurred_on": clock.today().isoformat(), "kind": "sfi",
            "minutes": "60", "feeling": "3"}


def _count(read, model):
    return read(lambda: db.session.scalar(select(func.count()).select_from(model)))


def test_a_form_without_token_is_refused_and_nothing_is_saved(client, world, read):
    client.sign_in(world.p.login)
    response = client.post("/log", data=_entry())
    assert response.status_code == 400
    assert _count(read, Activity) == 0


def test_a_token_from_another_session_is_refused(client, new_client, world, read):
    other = new_client()
    other.sign_in(world.q.login)
    foreign_token = other.csrf_token()
    client.sign_in(world.p.login)
    response = client.post("/plan/goals/new", data={"text": "Ett mål", "csrf_token": foreign_token})
    assert response.status_code == 400
    assert _count(read, Goal) == 0


def test_htmx_request_without_token_is_refused_with_a_message_in_the_status_region(client, world, read):
    client.sign_in(world.p.login)
    response = client.post("/log", data=_entry(), headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#status"
    assert _count(read, Activity) == 0


def test_the_token_in_the_header_is_accepted_as_htmx_sends_it(client, world, read):
    client.sign_in(world.p.login)
    page = client.get("/log").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/log", data=_entry(), headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200
    assert _count(read, Activity) == 1


def test_sign_in_form_needs_the_token_too(client, world):
    response = client.post("/sign-in", data={"login_name": world.p.login, "password": "a good long password"})
    assert response.status_code == 400
    assert client.get("/home").status_code == 302
