"""Extensions, created unbound; create_app() binds them to an app."""

import sqlite3

from flask import has_request_context, request
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from webapp.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
htmx = HTMX()
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record) -> None:
    """SQLite: foreign keys on, WAL, wait for locks; and let SQLAlchemy own the transactions.

    Python's sqlite3 module begins transactions itself and not before SAVEPOINT, which breaks
    nested transactions; with isolation_level=None we emit BEGIN ourselves (see below).
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """A request that may write takes SQLite's write lock at the start (BEGIN IMMEDIATE), and so
    waits its turn (busy_timeout). A plain BEGIN that reads first and writes later fails at once
    with "database is locked" when another request wrote in between: two phones, or a phone and
    its service worker, sending the same entry at the same moment."""
    if connection.dialect.name == "sqlite":
        writes = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
