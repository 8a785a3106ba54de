"""Settings come from the environment; production refuses to start unsafely."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from webapp import create_app
from webapp.config import Config, DevelopmentConfig, database_url
from webapp.extensions import db


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Config, SECRET_KEY=None, INSTANCE_PATH=str(tmp_path))


def test_production_refuses_a_short_secret_key(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Config, SECRET_KEY="too-short", INSTANCE_PATH=str(tmp_path))


SAFE_PRODUCTION = {"SECRET_KEY": "x" * 64, "TRUSTED_HOSTS": ["stegvis.pitea.se"]}


@pytest.mark.parametrize(("unsafe", "message"), [
    ({"SECRET_KEY": None}, "SECRET_KEY is missing"),
    ({"SECRET_KEY": "test-secret-key-that-is-long-enough-for-hmac"}, "SECRET_KEY is a key from Stegvis"),
    ({"DEBUG": True}, "DEBUG must be off"),
    ({"TRUSTED_HOSTS": None}, "STEGVIS_TRUSTED_HOSTS is missing"),
    ({"STAFF_SECOND_FACTOR": False}, "STAFF_SECOND_FACTOR must be on"),
])
def test_production_refuses_each_unsafe_setting(tmp_path, unsafe, message):
    settings = {**SAFE_PRODUCTION, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}", **unsafe}
    with pytest.raises(RuntimeError, match=message):
        create_app(Config, INSTANCE_PATH=str(tmp_path), **settings)


def test_a_fresh_production_database_has_no_accounts(tmp_path):
    """No default accounts: the first staff member comes from `flask create-staff`."""
    import flask_migrate

    from webapp.models import User

    app = create_app(Config, INSTANCE_PATH=str(tmp_path), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}",
                     **SAFE_PRODUCTION)
    with app.app_context():
        flask_migrate.upgrade()
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_production_cookies_are_secure_and_host_only(tmp_path):
    app = create_app(Config, INSTANCE_PATH=str(tmp_path),
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}", **SAFE_PRODUCTION)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")


def test_development_generates_a_secret_key_once_in_the_instance_folder(tmp_path):
    first = create_app(DevelopmentConfig, INSTANCE_PATH=str(tmp_path), SQLALCHEMY_DATABASE_URI="sqlite://")
    second = create_app(DevelopmentConfig, INSTANCE_PATH=str(tmp_path), SQLALCHEMY_DATABASE_URI="sqlite://")
    key_file = tmp_path / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_sqlite_is_the_default_in_the_instance_folder(tmp_path):
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path / 'stegvis.db'}"


@pytest.mark.parametrize("given", ["postgres://u:p@h/db", "postgresql://u:p@h/db"])
def test_postgresql_urls_use_psycopg_3(tmp_path, given):
    assert database_url(given, tmp_path) == "postgresql+psycopg://u:p@h/db"


def test_sqlite_has_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    app = create_app(DevelopmentConfig, INSTANCE_PATH=str(tmp_path),
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'pragma.db'}")
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        db.engine.dispose()


def test_an_unknown_environment_name_is_refused(monkeypatch):
    from webapp.config import config_from_env

    monkeypatch.setenv("STEGVIS_ENV", "staging")
    with pytest.raises(RuntimeError, match="STEGVIS_ENV"):
        config_from_env()
