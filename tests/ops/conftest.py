"""Apps on databases of our choosing: migrated to a given revision, or not there at all."""

from __future__ import annotations

import socket

import flask_migrate
import pytest

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db


def free_port() -> int:
    """A loopback port nothing listens on (picked by the kernel, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sqlite_at(tmp_path):
    """`sqlite_at("0012")`: the URL of a SQLite file migrated to that revision ("head" for the newest)."""

    def make(revision: str, name: str = "ops.db") -> str:
        url = f"sqlite:///{tmp_path / name}"
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, INSTANCE_PATH=str(tmp_path / "instance"))
        with app.app_context():
            flask_migrate.upgrade(revision=revision)
            db.engine.dispose()
        return url

    return make


@pytest.fixture
def down_url() -> str:
    """A PostgreSQL address where no server listens: every connection is refused at once."""
    return f"postgresql+psycopg://stegvis@127.0.0.1:{free_port()}/stegvis"
