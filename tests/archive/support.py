"""Helpers for the archive tests: the archive's content compared without its ids, and an empty
database to import into."""

from __future__ import annotations

import json
from collections import Counter

from tests.conftest import _triggers_lifted
from webapp.archive import export, parts
from webapp.extensions import db
from webapp.models import Project
from webapp.rights.export import rows_at


def archive_of(name: str) -> dict:
    """The archive of the project called `name`, as the file has it (parsed JSON)."""
    from sqlalchemy import select

    project = db.session.scalar(select(Project).where(Project.name == name))
    return json.loads(export.to_json(export.collect(project)))


def content(data: dict) -> dict[str, Counter]:
    """Each table's rows as a multiset of canonical forms: the non-key columns, and for each
    foreign key the canonical form of the row it points at (so renumbered ids compare equal)."""
    rows: dict[tuple[str, str], dict] = {}
    by_table: dict[str, list[dict]] = {}
    for part in parts.PARTS:
        for row in rows_at(data, part.path):
            by_table.setdefault(part.table, []).append(row)
            if len(db.metadata.tables[part.table].primary_key.columns) == 1:
                rows[(part.table, str(row["id"] if "id" in row else row["project_id"]))] = row
    memo: dict[tuple[str, int], tuple] = {}

    def canonical(table_name: str, row: dict) -> tuple:
        key = (table_name, id(row))
        if key in memo:
            return memo[key]
        table = db.metadata.tables[table_name]
        part = next(p for p in parts.parts_of(table_name))
        out = []
        for name in sorted(part.columns):
            column = table.c[name]
            if (table_name, name) in parts.RENEWED or (column.primary_key and not column.foreign_keys):
                continue
            value = row.get(name)
            if column.foreign_keys and value is not None:
                target = next(iter(column.foreign_keys)).column.table.name
                pointed = rows.get((target, str(value)))
                value = ("->", canonical(target, pointed) if pointed is not None else ("missing", target))
            out.append((name, json.dumps(value, sort_keys=True, default=str)))
        memo[key] = tuple(out)
        return memo[key]

    return {table: Counter(canonical(table, row) for row in found) for table, found in by_table.items()}


def empty_database() -> None:
    """Every table emptied (the audit log's triggers lifted for it), as a new server's database."""
    db.session.remove()
    with db.engine.begin() as connection, _triggers_lifted(connection):
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
