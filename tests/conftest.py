"""Fixtures: one app per test session on SQLite (or TEST_DATABASE_URL), tables emptied after
each test, a client that checks page invariants, factories and a query counter.

CSRF protection stays on: the client reads the token from the page like a browser does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import contextmanager

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

from tests import factories, html
from tests.access_matrix import objects  # noqa: F401 - a fixture for the access tests
from tests.every_page import site  # noqa: F401 - a fixture for the every-page checks
from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def pytest_report_header(config) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {url.split('@')[-1] if url else 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def reset_schema(app: Flask) -> None:
    """Drop everything, then build the schema through the migrations (as production does)."""
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        flask_migrate.upgrade()


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues() -> None:
    """The app reads compiled catalogues; build them so `pytest` alone works too."""
    from webapp.cli import compile_catalogues

    compile_catalogues()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory) -> Flask:
    application = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=database_url, INSTANCE_PATH=str(tmp_path_factory.mktemp("instance"))
    )
    reset_schema(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Each test starts from empty tables (cheaper than rebuilding the schema)."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        with db.engine.begin() as connection, _triggers_lifted(connection):
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@contextmanager
def _triggers_lifted(connection):
    """The audit log's triggers refuse DELETE (append-only). The cleanup, as the tables' owner,
    lifts every trigger inside its own transaction and puts them back before it commits."""
    if connection.dialect.name == "sqlite":
        triggers = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
        for name, _sql in triggers:
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
        yield
        for _name, sql in triggers:
            connection.exec_driver_sql(sql)
        return
    tables = connection.exec_driver_sql(
        "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal").scalars().all()
    for table in tables:
        connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    for table in tables:
        connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.fixture
def build(app) -> Callable:
    """Run factory code in its own app context and commit it, like data made before a visit."""

    def run(fn, *args, **kwargs):
        with app.app_context():
            result = fn(*args, **kwargs)
            db.session.commit()
            return result

    return run


@pytest.fixture
def read(app) -> Callable:
    """Look at the database in a fresh session, the way the next request would see it."""

    def run(fn, *args, **kwargs):
        with app.app_context():
            return fn(*args, **kwargs)

    return run


class PageClient(FlaskClient):
    """A test client that checks every HTML page or fragment it receives, and signs in and
    posts forms like a browser: with the CSRF token from the page."""

    def open(self, *args, check: bool = True, **kwargs):
        response = super().open(*args, **kwargs)
        if check and response.mimetype == "text/html" and response.status_code not in (204, 301, 302, 303):
            body = response.get_data(as_text=True)
            if body.strip():
                html.check(body, str(args[0]) if args else "")
        return response

    def csrf_token(self) -> str:
        """The token a page would carry now (it changes when the session does, e.g. at sign-in)."""
        page = self.get("/sign-in", follow_redirects=True).get_data(as_text=True)
        found = CSRF_META.search(page)
        assert found, "no CSRF token on the page"
        return found.group(1)

    def post_form(self, url: str, data: dict | None = None, hx: bool = False, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        headers = kwargs.pop("headers", {})
        if hx:
            headers["HX-Request"] = "true"
        return self.post(url, data=data, headers=headers, **kwargs)

    def hx_get(self, url: str, **kwargs):
        return self.get(url, headers={"HX-Request": "true"}, **kwargs)

    def sign_in(self, login: str, password: str = factories.PASSWORD):
        """Sign in as a person would: the password, then (staff) the code from their app."""
        response = self.post_form("/sign-in", {"login_name": login, "password": password})
        assert response.status_code == 303, f"sign-in failed for {login}: {response.status_code}"
        if response.location.endswith("/sign-in/code"):
            response = self.second_step()
        return response

    def second_step(self):
        """The code step. A code works once, and the server takes the codes of the time steps
        just before and after now (phones' clocks drift): so up to three sign-ins of one person
        fit in 30 seconds."""
        for ahead in (-1, 0, 1):
            response = self.post_form("/sign-in/code", {"code": factories.totp_code(ahead)})
            if response.status_code == 303:
                return response
        raise AssertionError(f"the second step failed: {response.status_code}")

    def sign_out(self):
        return self.post_form("/sign-out")


@pytest.fixture
def client(app) -> PageClient:
    app.test_client_class = PageClient
    return app.test_client()


@pytest.fixture
def new_client(app) -> Callable[[], PageClient]:
    """More clients, e.g. a second phone or another person."""

    def make() -> PageClient:
        app.test_client_class = PageClient
        return app.test_client()

    return make


class World:
    """Two projects. In project A: a leader, a coach with participants P and Q, and another
    coach. In project B: a coach with participant R."""

    def __init__(self, build):
        self.project = build(factories.project, "Norrskan")
        self.leader = build(factories.staff, self.project, "leader")
        self.coach = build(factories.staff, self.project, "coach")
        self.other_coach = build(factories.staff, self.project, "coach")
        self.p = build(factories.participant, self.project, self.coach, name="Amina Hassan")
        self.q = build(factories.participant, self.project, self.coach, name="Erik Lind")
        self.project_b = build(factories.project, "Vägar")
        self.coach_b = build(factories.staff, self.project_b, "coach")
        self.r = build(factories.participant, self.project_b, self.coach_b, name="Sara Nilsson")


@pytest.fixture
def world(build) -> World:
    return World(build)


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside the block: `with count_queries() as n: ...; n()`."""

    @contextmanager
    def counter():
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            # Transaction control differs by database (SQLite's BEGIN is ours); count real work.
            if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counter


@pytest.fixture
def app_context(app):
    """For service tests: an app context whose unfinished work is rolled back afterwards."""
    with app.app_context():
        yield
        db.session.rollback()
