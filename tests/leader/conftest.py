"""Fixtures for the leader's pages."""

from __future__ import annotations

import pytest


@pytest.fixture
def leader(client, world):
    """The client, signed in as world.leader (leader of world.project), in English: the tests read
    the messages."""
    client.sign_in(world.leader.email)
    client.post_form("/language", {"lang": "en", "next": "/project"})
    return client


@pytest.fixture
def signed_in(new_client):
    """Someone else on their own phone: `signed_in(login)` is a new client signed in as them."""

    def make(login: str):
        other = new_client()
        other.sign_in(login)
        return other

    return make
