"""Fixtures for the participant's rights: clients in English (the tests read the messages), the
audit events the pages record, and a register file of the test's own."""

from __future__ import annotations

import pytest


def _in_english(client, next_url: str):
    client.post_form("/language", {"lang": "en", "next": next_url})
    return client


@pytest.fixture
def participant(client, world):
    """The client, signed in as P (world.p), in English."""
    client.sign_in(world.p.login)
    return _in_english(client, "/home")


@pytest.fixture
def leader(new_client, world):
    """Another client, signed in as the leader of world.project, in English."""
    other = new_client()
    other.sign_in(world.leader.email)
    return _in_english(other, "/project")


@pytest.fixture
def coach(new_client, world):
    """Another client, signed in as P's coach, in English."""
    other = new_client()
    other.sign_in(world.coach.email)
    return _in_english(other, "/coach")


@pytest.fixture
def events(monkeypatch):
    """The events written with webapp.audit.record_event, as (event, actor id, participation id, detail)."""
    found = []
    import webapp.audit

    real = webapp.audit.record_event

    def record(event, *, actor=None, participation=None, project_id=None, detail=None):
        found.append((event, actor.id if actor else None, participation.id if participation else None, detail))
        return real(event, actor=actor, participation=participation, project_id=project_id, detail=detail)

    monkeypatch.setattr(webapp.audit, "record_event", record)
    return found


@pytest.fixture(autouse=True)
def register_file(app, tmp_path, monkeypatch):
    """Each test writes its own purge register file."""
    path = tmp_path / "purge-register.jsonl"
    monkeypatch.setitem(app.config, "PURGE_REGISTER_FILE", str(path))
    return path
