"""Every SELECT the pages make can be served by an index (PostgreSQL).

Every GET route of every role (tests/every_page.py: the list pages, the goal report and its Excel
and CSV files, the exports) is visited over realistic data, and each SELECT it runs is captured.
Each is then explained with sequential scans switched off: a plan that still reads a table whole
(a Seq Scan, or an index scan with no condition, which is the same full read in index order)
means no index fits the query, and the test names the query. Small lookup tables are allowed with
a reason (ALLOWED_FULL_READS).

With seqscan off the planner picks an index whenever one can serve the query, however few rows
the test data has; so the test checks the schema, not the planner's choice for this data.
scripts/bench_report.py --explain shows the real plans of the report over the large dataset.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event

from tests.access_matrix import COACH, LEADER, PARTICIPANT
from tests.every_page import signed_in_client, urls_for
from webapp.extensions import db

# Tables that may be read whole, with why. Every page's query has an index, even on the small
# lookup tables (helpers, municipalities, goals are read by project_id). But a query that joins a
# staff member's projects and sorts them by name may, by the planner's estimate on the day, read
# the projects in name order and look each up in project_staff (by its key): both plans use an
# index, and which one wins changes with the statistics.
ALLOWED_FULL_READS: dict[str, str] = {"projects": "one row per ESF project: a handful per organisation"}
SCAN_NODES = {"Seq Scan", "Index Scan", "Index Only Scan"}


@pytest.fixture
def postgresql(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("runs in the PostgreSQL run (TEST_DATABASE_URL): EXPLAIN needs PostgreSQL")


def full_reads(plan: dict, limited: bool = False) -> list[str]:
    """The tables a plan reads whole: a sequential scan, or an index scan without a condition
    (except right under a LIMIT: reading the newest rows in index order stops after a few)."""
    found = []
    if plan.get("Node Type") in SCAN_NODES and "Relation Name" in plan:
        whole = plan["Node Type"] == "Seq Scan" or ("Index Cond" not in plan and not limited)
        if whole and plan["Relation Name"] not in ALLOWED_FULL_READS:
            found.append(f"{plan['Node Type']} on {plan['Relation Name']}")
    for child in plan.get("Plans", []):
        found += full_reads(child, limited=plan.get("Node Type") == "Limit")
    return found


# Without these the planner, on a few test rows, may read a whole index in order to merge or hash
# it; with only nested loops it reaches each table by a lookup whenever an index can serve one.
PLANNER = ("SET enable_seqscan = off", "SET enable_mergejoin = off", "SET enable_hashjoin = off")


def explain(connection, statement: str, parameters) -> dict:
    cursor = connection.cursor()
    try:
        cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
        result = cursor.fetchone()[0]
    finally:
        cursor.close()
    return (json.loads(result) if isinstance(result, str) else result)[0]["Plan"]


def capture_selects(app, statements: dict, page: list[str]):
    """Record each distinct SELECT (with its parameters, for EXPLAIN) and the page (`page[0]`) that
    ran it first."""

    def record(conn, cursor, statement, parameters, context, executemany):
        head = statement.lstrip().split(None, 1)[0].upper()
        if head in ("SELECT", "WITH") and not executemany:
            statements.setdefault(statement, (parameters, page[0]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    return lambda: event.remove(engine, "before_cursor_execute", record)


def test_every_select_of_every_page_can_use_an_index(postgresql, app, site, new_client):
    statements: dict[str, tuple] = {}
    page = ["(none)"]
    visited = 0
    for role in (PARTICIPANT, COACH, LEADER):
        client = signed_in_client(new_client, site, role, language="en")
        urls = urls_for(app, site, role)
        stop = capture_selects(app, statements, page)
        try:
            for endpoint, url in urls:
                page[0] = f"{role} {url} ({endpoint})"
                response = client.get(url)
                response.close()
                visited += 1
        finally:
            stop()
    assert visited > 60 and len(statements) > 50, (visited, len(statements))
    problems = []
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            for setting in PLANNER:
                raw.cursor().execute(setting)
            for statement, (parameters, page) in statements.items():
                reads = full_reads(explain(raw, statement, parameters))
                if reads:
                    problems.append(f"{', '.join(sorted(set(reads)))} — {page}:\n    {' '.join(statement.split())}")
        finally:
            raw.rollback()
            raw.close()
    assert not problems, f"{len(problems)} queries read a table whole:\n" + "\n".join(problems)


def test_the_check_sees_a_query_no_index_serves(postgresql, app):
    """The check itself: a filter on a column with no index is reported, one on the key is not."""
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            for setting in PLANNER:
                raw.cursor().execute(setting)
            unindexed = explain(raw, "SELECT id FROM activities WHERE minutes = %(m)s", {"m": 30})
            by_key = explain(raw, "SELECT minutes FROM activities WHERE id = %(id)s",
                             {"id": "00000000-0000-0000-0000-000000000000"})
        finally:
            raw.rollback()
            raw.close()
    assert full_reads(unindexed) and "activities" in full_reads(unindexed)[0]
    assert full_reads(by_key) == []


# -- the purge: deletes by participation and by person, and the foreign keys they must check -------


def _leading_columns(table) -> set[str]:
    """Columns that lead an index of the table (an index, a unique constraint or the key)."""
    leading = {index.columns[0].name for index in table.indexes}
    leading |= {c.columns[0].name for c in table.constraints if hasattr(c, "columns") and len(c.columns)
                and c.__class__.__name__ in ("UniqueConstraint", "PrimaryKeyConstraint")}
    return leading | {column.name for column in table.columns if column.unique or column.index}


def test_every_delete_of_the_purge_can_use_an_index():
    """The purge (webapp/rights/purge.py) deletes a participation's rows table by table, and each
    deleted row makes the database check every foreign key that points at it. Without an index on
    the column, each of those is a read of the whole table: one purge of a person with three steps
    read all five million activities three times (activities.step_id)."""
    from webapp.rights.purge import PLAN, ByParticipation, ByUser

    tables = db.metadata.tables
    purged = {name for name, action in PLAN.items() if isinstance(action, ByParticipation | ByUser)}
    missing = []
    for name in sorted(purged):
        action = PLAN[name]
        if action.column not in _leading_columns(tables[name]):
            missing.append(f"{name}.{action.column} (the purge deletes by it)")
    for table in tables.values():
        for key in table.foreign_keys:
            if key.column.table.name in purged and key.parent.name not in _leading_columns(table):
                missing.append(f"{table.name}.{key.parent.name} (points at {key.column.table.name}, whose rows the "
                               f"purge deletes)")
    assert not missing, "no index for: " + "; ".join(missing)
