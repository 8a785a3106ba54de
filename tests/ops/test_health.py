"""GET /healthz: what a load balancer asks every few seconds."""

from __future__ import annotations

from sqlalchemy import func, select

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.models import AccessLog


def test_healthz_is_ok_on_a_migrated_database_without_a_cookie_or_an_audit_row(app, client, read):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert read(lambda: db.session.scalar(select(func.count()).select_from(AccessLog))) == 0


def test_healthz_needs_no_sign_in_and_ignores_a_session(client, world):
    client.sign_in(world.p.login)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_healthz_is_503_when_the_schema_is_behind(sqlite_at, tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=sqlite_at("0012"), INSTANCE_PATH=str(tmp_path / "i"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "schema not at head\n"
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_a_fast_503_when_the_database_is_down(down_url, tmp_path):
    import time

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=down_url, INSTANCE_PATH=str(tmp_path / "i"))
    started = time.monotonic()
    response = app.test_client().get("/healthz")
    assert time.monotonic() - started < 4
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "database unavailable\n"
    assert 10 <= int(response.headers["Retry-After"]) <= 30
