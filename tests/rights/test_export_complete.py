"""PRIV-01: the export is complete. Every table that points at a participant (through any chain
of foreign keys) is exported or excluded for a reviewed reason, every column of an exported
table is exported or left out for a reason, and a row put in each such table shows up."""

from __future__ import annotations

import json

from tests.rights.support import fill_every_table, pointing_tables
from webapp.extensions import db
from webapp.models import User
from webapp.rights import export

WHAT_TO_DO = (
    "Add the table to PARTS in webapp/rights/export.py (and to collect() and the readable page "
    "templates/rights/readable.html), or to EXCLUDED with the reason a participant does not get it. "
    "Then give it a purge action in PLAN in webapp/rights/purge.py."
)


def test_every_table_that_points_at_a_participant_is_exported_or_excluded_with_a_reason(app):
    with app.app_context():
        tables = {t.name for t in pointing_tables()}
    assert {"participations", "users", "goals", "survey_answers", "erasure_requests"} <= tables
    missing = sorted(tables - export.PARTS_BY_TABLE.keys() - export.EXCLUDED.keys())
    assert not missing, f"The participant export does not cover {missing}. {WHAT_TO_DO}"
    both = sorted(export.PARTS_BY_TABLE.keys() & export.EXCLUDED.keys())
    assert not both, f"{both} are both exported and excluded"
    assert all(len(reason) > 20 for reason in export.EXCLUDED.values()), "give each exclusion a real reason"
    stale = sorted((export.PARTS_BY_TABLE.keys() | export.EXCLUDED.keys()) - tables)
    assert not stale, f"PARTS or EXCLUDED name tables that no longer point at a participant: {stale}"


def test_every_column_of_an_exported_table_is_exported_or_left_out_with_a_reason(app):
    with app.app_context():
        columns = {t.name: {c.name for c in t.columns} for t in db.metadata.sorted_tables}
    for part in export.PARTS:
        listed = set(part.columns) | part.omit.keys()
        new = sorted(columns[part.table] - listed)
        assert not new, (f"{part.table}: new columns {new}. Add each to the Part's columns in webapp/rights/export.py, "
                         "or to its omit list with the reason (a secret, or technical)")
        gone = sorted(listed - columns[part.table])
        assert not gone, f"{part.table}: the Part lists columns that do not exist: {gone}"
        assert not set(part.columns) & part.omit.keys(), f"{part.table}: a column is both exported and left out"


def test_a_row_in_every_table_that_points_at_a_participant_shows_up_in_the_export(app_context, world):
    made = fill_every_table(world.p.user_id, world.p.participation_id)
    data = json.loads(export.to_json(export.collect(db.session.get(User, world.p.user_id))))
    for table in pointing_tables():
        if table.name in export.EXCLUDED:
            continue
        part = export.PARTS_BY_TABLE[table.name]
        ids = {row["id"] for row in export.rows_at(data, part.path)}
        assert str(made[table.name]) in {str(i) for i in ids}, (
            f"the row made in {table.name} is not at {part.path} in the export")
        row = next(r for r in export.rows_at(data, part.path) if str(r["id"]) == str(made[table.name]))
        assert set(part.columns) <= row.keys(), f"{table.name}: columns missing in the export"
        assert not part.omit.keys() & row.keys(), f"{table.name}: a left-out column is in the export"


def test_the_export_holds_no_secret_and_nobody_elses_data(app_context, world):
    made = fill_every_table(world.p.user_id, world.p.participation_id)
    fill_every_table(world.q.user_id, world.q.participation_id)
    user = db.session.get(User, world.p.user_id)
    user.password_hash = "argon2-secret-hash"
    text = export.to_json(export.collect(user))
    for secret in ("argon2-secret-hash", "auth_ses-token_hash", "activati-code_hash", "devices-token_hash"):
        assert secret not in text
    assert str(world.q.participation_id) not in text
    assert "Erik Lind" not in text  # Q
    data = json.loads(text)
    assert [p["id"] for p in data["participations"]] == [str(world.p.participation_id)]
    assert data["user"]["name"] == "Amina Hassan"
    assert str(made["goals"]) in {g["id"] for g in data["participations"][0]["goals"]}


def test_the_json_keys_are_stable_english_names(app_context, world):
    """Programs read the file: renaming a key breaks them. Change VERSION in export.py if you must."""
    fill_every_table(world.p.user_id, world.p.participation_id)
    data = json.loads(export.to_json(export.collect(db.session.get(User, world.p.user_id))))
    assert set(data) == {"format", "version", "exported_at", "user", "participations"}
    assert data["version"] == 1
    assert {"id", "name", "login_name", "passkeys", "devices", "events", "organisation"} <= set(data["user"])
    assert set(data["participations"][0]) >= {
        "id", "project", "coach", "municipality", "enrolled_on", "gender", "birth_year", "ended_on", "kept_until",
        "retention_decision", "goals", "steps", "activities", "capacities", "comments", "reviews",
        "survey_responses", "follow_ups", "events", "access_log", "access_summary", "consents", "consent_shares",
        "erasure_requests", "purges",
    }
    assert all(key.isascii() and key == key.lower() for key in data["participations"][0])
