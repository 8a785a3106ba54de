"""Extensions, created unbound; create_app() binds them to an app."""

import sqlite3
import time

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
from sqlalchemy.exc import OperationalError as DBAPIOperationalError

from webapp.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
htmx = HTMX()
limiter = Limiter(key_func=get_remote_address)


# How long a request waits for SQLite's write lock (or any other lock) before it gives up with a 503.
BUSY_TIMEOUT_MS = 10_000
# How often a request that waits for the write lock tries again (see _begin_immediate).
WRITE_LOCK_POLL_S = 0.001


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
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
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
        if writes:
            _begin_immediate(connection.connection.driver_connection)
        else:
            connection.exec_driver_sql("BEGIN")


def _begin_immediate(raw: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, trying again every millisecond while another process holds the write lock.

    SQLite's own wait (busy_timeout) sleeps longer and longer between tries, up to 0.1 s: a worker
    that waits wakes too late, and the worker that had the lock has taken it again for its next
    request. With several workers saving all the time, some saves then waited a second. Trying
    every millisecond takes the lock soon after it is free. After BUSY_TIMEOUT_MS: the usual
    "database is locked", which the app answers with a 503."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    raw.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise DBAPIOperationalError("BEGIN IMMEDIATE", None, error) from error
            time.sleep(WRITE_LOCK_POLL_S)
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
