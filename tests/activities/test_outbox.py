"""The outbox endpoint: what a phone sends when the connection returns. Each entry is stored once
by its client id, only as the signed-in person's own, and a refusal says why in their language."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from webapp import clock
from webapp.extensions import db
from webapp.models import Activity


@pytest.fixture
def phone(client, world):
    """Signed in as P, in English, holding the key and the token the outbox uses."""
    client.sign_in(world.p.login)
    client.post_form("/language", {"lang": "en", "next": "/home"})
    who = client.get("/log/outbox", headers={"Accept": "application/json"})
    assert who.status_code == 200 and who.headers["Cache-Control"] == "no-store"
    client.who = who.get_json()
    return client


def _send(client, fields: dict, owner: str | None = None, **extra):
    entry = {"client_id": fields["client_id"], "owner": owner or client.who["user"], "fields": fields, **extra}
    return client.post("/log/outbox", json=entry, headers={"X-CSRFToken": client.who["csrf"]})


def _fields(**extra) -> dict:
    return {"client_id": str(uuid.uuid4()), "occurred_on": clock.today().isoformat(), "kind": "job_application",
            "minutes": "30", "feeling": "4", "note": "Ringde Coop", **extra}


def _count(read) -> int:
    return read(lambda: db.session.scalar(select(func.count()).select_from(Activity)))


def test_an_entry_is_stored_once_however_often_it_is_sent(phone, read):
    fields = _fields()
    first = _send(phone, fields)
    again = _send(phone, fields)
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["id"] == again.get_json()["id"]
    assert _count(read) == 1
    assert "Ringde Coop" in phone.get("/log").get_data(as_text=True)


def test_the_same_id_with_other_content_is_refused_with_a_reason(phone, read):
    fields = _fields()
    assert _send(phone, fields).status_code == 201
    changed = _send(phone, {**fields, "note": "Något annat"})
    assert changed.status_code == 422
    assert "already sent with other content" in changed.get_json()["message"]
    assert _count(read) == 1


def test_an_entry_that_cannot_be_stored_says_why_and_stores_nothing(phone, read):
    future = _send(phone, _fields(occurred_on="2999-01-01"))
    assert future.status_code == 422
    assert "cannot be in the future" in future.get_json()["message"]
    assert "occurred_on" in future.get_json()["errors"]
    no_kind = _send(phone, _fields(kind="dancing"))
    assert no_kind.status_code == 422 and "kind" in no_kind.get_json()["errors"]
    assert _count(read) == 0


def test_a_broken_character_in_a_note_is_refused_with_a_reason_not_a_500(phone, read):
    """A lone surrogate cannot be stored as UTF-8: it was a 500, which the phone takes as "stop",
    and every later entry waited behind it."""
    broken = _send(phone, _fields(note="Ringde \ud800 Coop"))
    assert broken.status_code == 422
    assert "character we cannot save" in broken.get_json()["errors"]["note"]
    assert _count(read) == 0


def test_someone_elses_entry_is_refused(phone, read):
    refused = _send(phone, _fields(), owner="0" * 24)
    assert refused.status_code == 409
    assert _count(read) == 0


def test_a_broken_request_is_a_400_and_not_an_error(phone, read):
    response = phone.post("/log/outbox", data="not json", headers={"X-CSRFToken": phone.who["csrf"],
                                                                    "Content-Type": "application/json"})
    assert response.status_code == 400
    assert _count(read) == 0


def test_without_the_token_nothing_is_stored(phone, read):
    fields = _fields()
    response = phone.post("/log/outbox", json={"client_id": fields["client_id"], "owner": phone.who["user"],
                                               "fields": fields})
    assert response.status_code == 400
    assert _count(read) == 0


def test_the_key_is_the_same_for_a_person_and_different_for_others(client, new_client, world):
    client.sign_in(world.p.login)
    first = client.get("/log/outbox").get_json()["user"]
    client.sign_out()
    client.sign_in(world.p.login)
    assert client.get("/log/outbox").get_json()["user"] == first
    other = new_client()
    other.sign_in(world.q.login)
    assert other.get("/log/outbox").get_json()["user"] != first
    assert world.p.login not in first and str(world.p.user_id) not in first


def test_coaches_and_strangers_have_no_outbox(client, new_client, world):
    assert client.get("/log/outbox").status_code in (302, 303)
    coach = new_client()
    coach.sign_in(world.coach.email)
    assert coach.get("/log/outbox").status_code in (403, 404)
