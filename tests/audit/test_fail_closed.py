"""LOG-02 / REL-13: when the audit row cannot be written, participant data is not shown (503 with
Retry-After, a plain translated page), writes are not made, and the failure goes to the app log."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.audit.support import events, rows
from webapp import audit
from webapp.extensions import db
from webapp.models import Comment


@pytest.fixture
def broken_audit(monkeypatch):
    """Fault injection: every audit insert fails, as if the table or the database refused it."""
    calls = []

    def refuse(connection, values):
        calls.append(values)
        raise RuntimeError("injected: the audit table cannot be written")

    monkeypatch.setattr(audit, "_insert", refuse)
    return calls


@pytest.fixture
def coach(client, world):
    client.sign_in(world.coach.email)
    return client


@pytest.fixture
def leader(new_client, world):
    client = new_client()
    client.sign_in(world.leader.email)
    return client


def test_a_sign_in_that_cannot_be_logged_is_refused(client, world, broken_audit):
    response = client.post_form("/sign-in", {"login_name": world.p.login, "password": world.p.password})
    assert response.status_code == 503
    assert client.get("/home").status_code == 302  # not signed in


def _fallback_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("Audit log not written")]


def test_the_coach_does_not_see_the_participant_when_the_read_cannot_be_logged(coach, world, build, broken_audit,
                                                                                 caplog):
    build(lambda: factories.step(world.p, None, "Ringa Försäkringskassan om sjukpenningen"))
    caplog.set_level(logging.ERROR)
    response = coach.get(f"/coach/participants/{world.p.participation_id}")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    body = response.get_data(as_text=True)
    assert world.p.name not in body and "Försäkringskassan" not in body
    assert "Vi kan inte visa det här just nu" in body  # Swedish, the default
    assert broken_audit, "the read tried to write its audit row"
    lines = _fallback_lines(caplog)
    assert lines and lines[0].name == "webapp" and world.p.participation_id.hex in lines[0].getMessage()


def test_the_refusal_is_in_the_users_language(coach, world, broken_audit):
    coach.post_form("/language", {"lang": "sv", "next": "/coach"})
    response = coach.get(f"/coach/participants/{world.p.participation_id}")
    assert response.status_code == 503
    assert '<html lang="sv"' in response.get_data(as_text=True)


def test_an_htmx_request_gets_the_message_in_the_status_region(coach, world, broken_audit):
    response = coach.hx_get(f"/coach/participants/{world.p.participation_id}")
    assert response.status_code == 503
    assert response.headers["HX-Retarget"] == "#status"
    assert world.p.name not in response.get_data(as_text=True)


def test_a_write_is_not_made_when_its_read_cannot_be_logged(coach, world, read, broken_audit):
    url = f"/coach/participants/{world.p.participation_id}/messages/general"
    response = coach.post_form(url, {"general-text": "Hej! Vi ses på torsdag."})
    assert response.status_code == 503
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Comment))) == 0


def test_an_export_is_refused_when_it_cannot_be_logged(leader, world, broken_audit):
    response = leader.get(f"/project/{world.project.public_id}/report.csv")
    assert response.status_code == 503
    assert response.mimetype == "text/html"


def test_a_failed_sign_in_is_answered_as_usual_when_it_cannot_be_logged(client, world, broken_audit, caplog):
    caplog.set_level(logging.ERROR)
    response = client.post_form("/sign-in", {"login_name": world.p.login, "password": "fel lösenord"})
    assert response.status_code == 422
    assert _fallback_lines(caplog)


def test_signing_out_works_when_it_cannot_be_logged(client, world, monkeypatch):
    client.sign_in(world.p.login)
    monkeypatch.setattr(audit, "_insert", lambda connection, values: 1 / 0)
    assert client.sign_out().status_code == 303
    assert client.get("/home").status_code == 302


def test_the_row_of_a_write_request_that_did_not_commit_is_written_afterwards(client, world, read):
    """SQLite: the row went through the request's session, which rolled back (a 422). It is
    written again on its own; on PostgreSQL it was written on its own connection at once."""
    client.post_form("/sign-in", {"login_name": world.p.login, "password": "fel lösenord"})
    failed = events(read, "sign_in_failed")
    assert len(failed) == 1 and failed[0].actor_id == world.p.user_id
    assert len(rows(read)) == 1
