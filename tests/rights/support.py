"""Helpers for the rights tests: which tables point at a participant (read from the schema), a row
in every one of them made from the column types, and a backup and restore of the database."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, Enum, Integer, LargeBinary, String, Table, Text, TypeDecorator, Uuid, select

from webapp import clock
from webapp.extensions import db

ROOTS = ("participations", "users")


def pointing_tables() -> list[Table]:
    """Every table with a foreign key to `participations` or `users`, directly or through a chain
    of other tables, and the two tables themselves; parents before children."""
    found = reaching(ROOTS)
    return [t for t in db.metadata.sorted_tables if t.name in found]


def reaching(roots: tuple[str, ...]) -> set[str]:
    """These tables and every table with a foreign key to one of them, directly or through others."""
    found = set(roots)
    changed = True
    while changed:
        changed = False
        for table in db.metadata.sorted_tables:
            if table.name not in found and any(fk.column.table.name in found for fk in table.foreign_keys):
                found.add(table.name)
                changed = True
    return found


# Values the column types cannot tell, for rules a table's CHECK constraints make.
OVERRIDES: dict[str, dict] = {
    "consents": {"withdrawn_at": None, "withdrawn_by_id": None},
    "participant_imports": {"mapping": None, "participation_ids": None},
}


def _audit_row(made: dict) -> int:
    """The audit log links each row to the one before (webapp.models.audit): write it as the app does."""
    from webapp.models import AccessLog, Role

    row = AccessLog(actor_id=made["users"], actor_role=Role.COACH, participation_id=made["participations"],
                    action="coach.participant")
    db.session.add(row)
    db.session.flush()
    return row.id


# Tables whose rows are made by code, not from the column types.
BUILDERS = {"access_log": _audit_row}


def _value(table: Table, column, n: int):
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, Enum):
        return kind.enums[0]
    if isinstance(kind, Uuid):
        return uuid.uuid4()
    if isinstance(kind, LargeBinary):
        return uuid.uuid4().bytes
    if isinstance(kind, String | Text):
        text = f"{table.name[:8]}-{column.name[:10]}-{uuid.uuid4().hex[:12]}-{n}"
        return text[: kind.length] if getattr(kind, "length", None) else text
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, Integer):
        return 1
    if isinstance(kind, Date):
        return clock.today()
    if hasattr(kind, "timezone"):  # DateTime
        return clock.now()
    raise AssertionError(f"tests/rights/support.py cannot make a value for {table.name}.{column.name} ({kind!r}): "
                         "add it to OVERRIDES")


def fill_every_table(user_id: uuid.UUID, participation_id: uuid.UUID, skip: tuple[str, ...] = ()) -> dict:
    """One row in every table that points at the participant, linked to them; returns each
    table's primary key value (participations and users: the participant's own rows)."""
    from webapp.models import Participation

    participation = db.session.get(Participation, participation_id)
    made: dict[str, object] = {"users": user_id, "participations": participation_id,
                               "projects": participation.project_id, "municipalities": participation.municipality_id}
    for n, table in enumerate(pointing_tables()):
        if table.name in made or table.name in skip:
            continue
        if table.name in BUILDERS:
            made[table.name] = BUILDERS[table.name](made)
            continue
        values = {}
        for column in table.columns:
            if column.name in OVERRIDES.get(table.name, {}):
                values[column.name] = OVERRIDES[table.name][column.name]
                continue
            if column.primary_key and not column.foreign_keys and isinstance(column.type, Integer):
                continue  # the database numbers it
            if column.foreign_keys:
                target = next(iter(column.foreign_keys)).column.table
                values[column.name] = made.get(target.name) or db.session.scalar(select(target.c.id).limit(1))
                continue
            values[column.name] = _value(table, column, n)
        result = db.session.execute(table.insert().values(**values))
        key = result.inserted_primary_key
        made[table.name] = key[0] if len(key) == 1 else tuple(key)
    db.session.flush()
    return made


# --- backup and restore ------------------------------------------------------------------------

# Append-only: the database refuses to delete its young rows, so a restore leaves it as it is.
APPEND_ONLY = {"access_log"}


def backup() -> dict[str, list[dict]]:
    """Every row of every table, as a dump would hold it."""
    return {table.name: [dict(row._mapping) for row in db.session.execute(select(table))]
            for table in db.metadata.sorted_tables}


def restore(dump: dict[str, list[dict]]) -> None:
    """Make the database hold exactly the dump again (a restore from backup), except the
    append-only audit log: rows that are gone come back, changed rows are set back, rows made
    since are removed."""
    tables = [t for t in db.metadata.sorted_tables if t.name not in APPEND_ONLY]
    for table in reversed(tables):  # children first: remove what the backup does not have
        keys = {_key(table, row) for row in dump[table.name]}
        for row in db.session.execute(select(table)).all():
            if _key(table, row._mapping) not in keys:
                db.session.execute(table.delete().where(*_where(table, row._mapping)))
    for table in tables:  # parents first: put back and set back
        for row in dump[table.name]:
            if db.session.execute(select(table).where(*_where(table, row))).first() is None:
                db.session.execute(table.insert().values(**row))
            else:
                db.session.execute(table.update().where(*_where(table, row)).values(**row))
    db.session.commit()


def _key(table: Table, row) -> tuple:
    return tuple(row[c.name] for c in table.primary_key.columns)


def _where(table: Table, row) -> list:
    return [c == row[c.name] for c in table.primary_key.columns]


def as_of(monkeypatch, day: dt.date) -> None:
    """Move the app's clock to noon (Swedish time) on `day`."""
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=clock.TIMEZONE).astimezone(dt.UTC)
    monkeypatch.setattr("webapp.clock.now", lambda: moment)
    monkeypatch.setattr("webapp.clock.today", lambda: day)
