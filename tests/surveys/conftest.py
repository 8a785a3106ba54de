"""Fixtures for surveys: the project's questionnaires chosen, a participant signed in (in
English: the tests read the words)."""

from __future__ import annotations

import pytest

from tests.surveys.support import use_shipped_questionnaires


@pytest.fixture
def english(app):
    """A request context in English, for reading messages outside a page."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def surveys_on(build, world):
    build(use_shipped_questionnaires, world.project.id)
    return world


@pytest.fixture
def participant(client, surveys_on):
    """The client, signed in as P (enrolled 60 days ago) in English."""
    client.sign_in(surveys_on.p.login)
    client.post_form("/language", {"lang": "en", "next": "/home"})
    return client
