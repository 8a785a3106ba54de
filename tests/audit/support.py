"""Helpers for the audit-log tests: rows as the database holds them, the verifier, and a way
for the tables' owner to get past the append-only triggers."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from sqlalchemy import select, text

from webapp import audit
from webapp.extensions import db
from webapp.models import AccessLog, AuditEvent, AuditRecord, Role, User


def rows(read) -> list[AuditRecord]:
    """Every row of the audit table, oldest first (reads and events)."""
    return read(lambda: list(db.session.scalars(select(AuditRecord).order_by(AuditRecord.id))))


def events(read, name: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if name:
        query = query.where(AuditEvent.event == name)
    return read(lambda: list(db.session.scalars(query)))


def verify(app, **kwargs) -> audit.Verification:
    with app.app_context(), db.engine.connect() as connection:
        return audit.verify(connection, **kwargs)


@contextmanager
def as_owner(connection):
    """The triggers lifted inside this transaction, as the tables' owner could (an attacker with
    the owner's rights, or a careless administrator)."""
    if connection.dialect.name == "sqlite":
        triggers = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_log'").all()
        for name, _sql in triggers:
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
        yield
        for _name, sql in triggers:
            connection.exec_driver_sql(sql)
    else:
        connection.exec_driver_sql("ALTER TABLE access_log DISABLE TRIGGER USER")
        yield
        connection.exec_driver_sql("ALTER TABLE access_log ENABLE TRIGGER USER")


def tamper(app, sql: str, **params) -> None:
    with app.app_context(), db.engine.begin() as connection, as_owner(connection):
        connection.execute(text(sql), params)


def add_read(actor, participation_id, at: dt.datetime, action: str = "coach.participant",
             detail: str | None = None) -> None:
    """A read as the access log holds it, at a chosen time (inside `build`)."""
    db.session.add(AccessLog(actor_id=actor.id, actor_role=db.session.get(User, actor.id).role,
                             participation_id=participation_id, action=action, at=at, detail=detail))
    db.session.flush()


def add_event(event: str, actor_id=None, role: Role | None = None, at: dt.datetime | None = None, **values) -> None:
    db.session.add(AuditEvent(event=event, actor_id=actor_id, actor_role=role, at=at, **values))
    db.session.flush()
