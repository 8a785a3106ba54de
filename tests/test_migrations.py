"""The schema changes only through migrations: they match the models, and go down and up again.

Runs on SQLite, and on PostgreSQL in a database of its own when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
import uuid

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db


@pytest.fixture
def empty_database(tmp_path):
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL database."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    base = make_url(url)
    name = f"{base.database}_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migration_app(empty_database, tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database, INSTANCE_PATH=str(tmp_path))
    yield app
    with app.app_context():
        db.engine.dispose()


def _differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _tables(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_migrations_build_exactly_the_schema_of_the_models(migration_app):
    with migration_app.app_context():
        flask_migrate.upgrade()
    assert _differences(migration_app) == []


def test_migrations_go_down_and_up_again(migration_app):
    with migration_app.app_context():
        flask_migrate.upgrade()
        tables = _tables(migration_app)
        assert {"users", "participations", "steps", "activities"} <= tables
        flask_migrate.downgrade(revision="base")
        assert _tables(migration_app) == set()
        flask_migrate.upgrade()
    assert _tables(migration_app) == tables
    assert _differences(migration_app) == []


def test_migrations_keep_the_data_on_the_way_down_and_up(migration_app):
    """A real database has rows that point at each other: SQLite's table copies must not break them."""
    from sqlalchemy import func, select

    from webapp.demo import load_demo
    from webapp.models import Activity, Goal, Participation, Step, User

    def counts():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (User, Participation, Goal, Step, Activity)}

    with migration_app.app_context():
        flask_migrate.upgrade()
        load_demo()
        db.session.commit()
        before = counts()
        db.session.remove()
        flask_migrate.downgrade(revision="0001")
        db.session.remove()
        with db.engine.connect() as connection:
            kept = {name: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()  # noqa: S608
                    for name, table in (("User", "users"), ("Participation", "participations"), ("Goal", "goals"),
                                        ("Step", "steps"), ("Activity", "activities"))}
        assert kept == before
        flask_migrate.upgrade()
        assert counts() == before
        db.session.remove()
    assert _differences(migration_app) == []
