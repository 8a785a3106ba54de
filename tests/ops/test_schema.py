"""The app refuses to start on a schema that is not at the migrations' head; the flask CLI that
brings it there is not blocked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from sqlalchemy import create_engine, text

from tests.servers import Gunicorn
from webapp import create_app
from webapp.config import DevelopmentConfig, TestConfig
from webapp.ops.schema import SchemaNotAtHead, check_at_start

ROOT = Path(__file__).resolve().parents[2]


def _start(url: str, tmp_path: Path, **overrides):
    """What wsgi.py does: make the app, then check its schema."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, INSTANCE_PATH=str(tmp_path / "instance"),
                     SCHEMA_CHECK=True, **overrides)
    check_at_start(app)
    return app



def _revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def test_the_check_is_on_for_servers_and_off_for_the_tests():
    from webapp.config import Config

    assert Config.SCHEMA_CHECK and DevelopmentConfig.SCHEMA_CHECK
    assert not TestConfig.SCHEMA_CHECK


def test_an_app_on_an_older_schema_refuses_to_start_and_says_what_to_run(sqlite_at, tmp_path):
    with pytest.raises(SchemaNotAtHead) as refused:
        _start(sqlite_at("0012"), tmp_path)
    message = str(refused.value)
    assert "revision 0012" in message
    assert "flask --app wsgi db upgrade" in message


def test_an_app_on_an_empty_database_refuses_to_start(tmp_path):
    with pytest.raises(SchemaNotAtHead, match="empty"):
        _start(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path)


def test_an_app_at_head_starts(sqlite_at, tmp_path):
    app = _start(sqlite_at("head"), tmp_path)
    assert app.test_client().get("/healthz").status_code == 200


def test_an_unreachable_database_does_not_stop_the_start(down_url, tmp_path, caplog):
    # A worker restarted while the database is down must not take the whole server down with it.
    app = _start(down_url, tmp_path)
    assert app.test_client().get("/healthz").status_code == 503
    assert "Schema not checked at start" in caplog.text


def test_flask_run_is_checked_and_other_flask_commands_are_not(sqlite_at, tmp_path):
    url = sqlite_at("0012")
    with click.Context(click.Command("run")), pytest.raises(SchemaNotAtHead):
        _start(url, tmp_path)
    with click.Context(click.Group("flask")):
        _start(url, tmp_path)  # e.g. `flask db upgrade`: loaded by the CLI to bring the schema to head


def test_flask_db_upgrade_runs_on_an_older_schema(sqlite_at, tmp_path):
    url = sqlite_at("0012")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEGVIS_")}
    env.update({"STEGVIS_ENV": "development", "DATABASE_URL": url, "STEGVIS_INSTANCE": str(tmp_path / "instance")})
    done = subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "db", "upgrade"],  # noqa: S603
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert _revision(url) != "0012"
    _start(url, tmp_path)  # and now the server starts


def test_gunicorn_exits_at_start_on_an_older_schema(sqlite_at, tmp_path):
    server = Gunicorn(sqlite_at("0012"), tmp_path / "gunicorn", workers=1)
    with pytest.raises(RuntimeError, match="gunicorn stopped at start") as stopped:
        server.__enter__()
    assert "flask --app wsgi db upgrade" in str(stopped.value)
    assert server.process.poll() is not None
