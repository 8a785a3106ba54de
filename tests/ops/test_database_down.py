"""When the database cannot be reached, every page answers a fast 503 with Retry-After and a plain
message: the whole page, the status message for htmx, or JSON for the phone's outbox. Never a 500
or a traceback. (The real outage, PostgreSQL stopped and started under gunicorn, is
tests/ops/test_postgres_restart.py.)"""

from __future__ import annotations

import time

import pytest

from tests.conftest import PageClient
from webapp import create_app
from webapp.config import TestConfig

MESSAGE = "We cannot reach the data right now"


@pytest.fixture
def down_client(down_url, tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=down_url, INSTANCE_PATH=str(tmp_path / "instance"))
    app.test_client_class = PageClient
    client = app.test_client()
    client.set_cookie("lang", "en")
    with client.session_transaction() as session:
        session["_user_id"] = "a-session-token"  # a signed-in phone: its user is loaded from the database
    return client


def _fast_503(response, started: float) -> str:
    assert time.monotonic() - started < 4, "the answer took too long"
    assert response.status_code == 503
    assert 10 <= int(response.headers["Retry-After"]) <= 30
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "OperationalError" not in body
    return body


def test_a_page_answers_503_with_retry_after_and_a_plain_message(down_client):
    started = time.monotonic()
    body = _fast_503(down_client.get("/home"), started)
    assert MESSAGE in body and "Nothing was saved" in body
    assert "<h1>" in body  # the whole page (checked by PageClient like every page)


def test_htmx_gets_the_message_for_the_status_region(down_client):
    started = time.monotonic()
    response = down_client.hx_get("/plan")
    body = _fast_503(response, started)
    assert response.headers["HX-Retarget"] == "#status"
    assert MESSAGE in body and "<h1>" not in body


def test_the_outbox_gets_json(down_client):
    started = time.monotonic()
    response = down_client.get("/log/outbox", headers={"Accept": "application/json"})
    _fast_503(response, started)
    assert response.is_json
    assert MESSAGE in response.get_json()["message"]


def test_a_public_page_that_needs_no_data_still_works_for_someone_not_signed_in(down_client):
    with down_client.session_transaction() as session:
        session.clear()
    assert down_client.get("/about/accessibility").status_code == 200


def test_a_full_pool_gives_a_fast_503(database_url, world, tmp_path):
    """Every connection busy (an overloaded database): the request waits pool_timeout, then 503."""
    if not database_url.startswith("postgresql"):
        pytest.skip("runs in the PostgreSQL run (SQLite has no bounded pool)")
    from webapp.extensions import db

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, INSTANCE_PATH=str(tmp_path / "instance"),
                     SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0, "pool_timeout": 1})
    app.test_client_class = PageClient
    client = app.test_client()
    client.set_cookie("lang", "en")
    client.sign_in(world.p.login)
    with app.app_context(), db.engine.connect(), db.engine.connect():  # both of the pool's connections, held
        started = time.monotonic()
        body = _fast_503(client.get("/home"), started)
    assert MESSAGE in body
    assert client.get("/home").status_code == 200  # free again: back to normal
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(("size", "overflow", "said"), [
    ("1", "0", "must be at least 2"),  # the audit log would wait for the request's own connection
    ("0", "2", "must be at least 2"),
    ("two", "2", "STEGVIS_DB_POOL_SIZE must be a whole number, not 'two'"),
])
def test_a_pool_too_small_to_work_is_refused_at_start_with_what_to_change(monkeypatch, size, overflow, said):
    from webapp.config import engine_options

    monkeypatch.setenv("STEGVIS_DB_POOL_SIZE", size)
    monkeypatch.setenv("STEGVIS_DB_MAX_OVERFLOW", overflow)
    with pytest.raises(RuntimeError, match=said):
        engine_options("postgresql+psycopg://stegvis@db.example/stegvis")
    monkeypatch.setenv("STEGVIS_DB_POOL_SIZE", "1")
    monkeypatch.setenv("STEGVIS_DB_MAX_OVERFLOW", "1")
    options = engine_options("postgresql+psycopg://stegvis@db.example/stegvis")
    assert options["pool_size"] == 1
    assert "-c jit=off" in options["connect_args"]["options"]  # compiling cost more than it saved
    assert "pool_size" not in engine_options("sqlite:///stegvis.db")  # SQLite takes none of these


def test_a_database_that_goes_away_as_the_page_is_done_does_not_turn_it_into_a_500(client, world, monkeypatch):
    """PostgreSQL restarted just as a page was made: the page is finished, but the closing ROLLBACK
    fails ("terminating connection due to administrator command"). Once, that was a 500."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    client.sign_in(world.p.login)
    close = Session.close
    failed = []

    def close_on_a_dead_connection(self):
        if not failed:
            failed.append(True)
            raise OperationalError("ROLLBACK", None, Exception("terminating connection due to administrator command"))
        return close(self)

    monkeypatch.setattr(Session, "close", close_on_a_dead_connection)
    response = client.get("/plan")
    assert failed, "the close failed once"
    assert response.status_code == 200 and "<h1>" in response.get_data(as_text=True)
    monkeypatch.setattr(Session, "close", close)
    assert client.get("/plan").status_code == 200, "the next request works"
