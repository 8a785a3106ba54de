"""Is the database's schema the one this code was written for?

The migrations are a separate step (`flask --app wsgi db upgrade`) run before a new release
starts. A server started before it (gunicorn, `flask run`, any WSGI server) refuses to start on a
database that is not at the migrations' head, with a message that says what to run.

Where: in wsgi.py, the one entry point of every server (`gunicorn wsgi:app`, `flask --app wsgi
run`), not in create_app(): the factory also builds apps for tools that make or migrate a
database (the tests, the benchmarks, `flask db upgrade` itself). The flask CLI loads wsgi.py too,
so its commands are skipped there, apart from `flask run`. SCHEMA_CHECK turns it off (TestConfig).

A database that cannot be reached at start does not stop the server: a worker restarted while the
database is down must not take the whole service with it. Its pages answer 503 and /healthz says
so until the database is back; the check runs again when the next worker starts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import click
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import Migrate
from sqlalchemy.engine import Connection

from webapp.extensions import db

UPGRADE = "flask --app wsgi db upgrade"


class SchemaNotAtHead(RuntimeError):
    """The database needs its migrations before this code can run on it."""


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # the database's revision (None: no schema at all)
    head: str  # the newest migration of this code

    @property
    def at_head(self) -> bool:
        return self.current == self.head


@functools.cache
def _head(directory: str) -> str:
    return ScriptDirectory(directory).get_current_head()


def migrations_head(app: Flask) -> str:
    """The newest migration in migrations/ (read once per process: the code does not change)."""
    migrate: Migrate = app.extensions["migrate"]
    return _head(str(Path(migrate.directory).resolve()))


def database_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def schema_state(app: Flask, connection: Connection) -> SchemaState:
    return SchemaState(current=database_revision(connection), head=migrations_head(app))


def _explain(state: SchemaState) -> str:
    found = f"at revision {state.current}" if state.current else "empty (no schema)"
    return (f"The database is {found}, but this Stegvis needs revision {state.head}. "
            f"Run `{UPGRADE}` (with the same DATABASE_URL) before starting the server.")


def started_by_flask_cli() -> bool:
    """The app is being loaded by a flask command other than `flask run`."""
    context = click.get_current_context(silent=True)
    return context is not None and context.command.name != "run"


def check_at_start(app: Flask) -> None:
    if not app.config.get("SCHEMA_CHECK") or started_by_flask_cli():
        return
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                state = schema_state(app, connection)
        except Exception as error:  # noqa: BLE001 - unreachable: start anyway (see above)
            app.logger.warning("Schema not checked at start: the database cannot be reached (%s).",
                               type(error).__name__)
            return
        finally:
            db.engine.dispose()  # no connection inherited by a forked worker
    if not state.at_head:
        raise SchemaNotAtHead(_explain(state))
