"""The sign-in factor tests read the pages in English, so they do not depend on a translation."""

from __future__ import annotations

import pytest


@pytest.fixture
def english(client, new_client):
    """The client and new clients in English (the language cookie a person's choice sets)."""
    client.set_cookie("lang", "en")

    def make():
        made = new_client()
        made.set_cookie("lang", "en")
        return made

    return make
