import pytest


@pytest.fixture
def in_request(app):
    """A request context in English (the messages are translated; the assertions read English),
    for tests of the reading and checking alone."""
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        yield
