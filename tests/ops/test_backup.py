"""`flask backup create` and `flask backup restore-drill`: a backup with its manifest restores and
passes the drill; a backup that was tampered with (a row removed, an audit row changed) fails it,
and the drill says why. On SQLite and, in the PostgreSQL run, on PostgreSQL (pg_dump, pg_restore)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import func, select

from tests import factories
from webapp.audit import record_event
from webapp.extensions import db
from webapp.models import Activity
from webapp.models.audit import AuditRecord


@pytest.fixture
def some_data(build, world):
    def make():
        factories.activity(world.p, note="Backup")
        factories.activity(world.p, note="Och en till")
        record_event("export", detail="test")

    build(make)
    return world


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def _counts(read) -> tuple[int, int]:
    return read(lambda: (db.session.scalar(select(func.count()).select_from(Activity)),
                         db.session.scalar(select(func.count()).select_from(AuditRecord))))


def test_a_backup_has_a_manifest_and_passes_the_restore_drill(app, some_data, tmp_path, read):
    backup = tmp_path / "stegvis.backup"
    made = _cli(app, "backup", "create", str(backup))
    assert made.exit_code == 0, made.output
    manifest = json.loads((tmp_path / "stegvis.backup.manifest.json").read_text())
    activities, audit_rows = _counts(read)
    assert manifest["row_counts"]["activities"] == activities == 2
    assert manifest["audit"]["rows"] == audit_rows >= 1 and manifest["audit"]["intact"]
    assert manifest["alembic_revision"] and manifest["created_at"]

    drill = _cli(app, "backup", "restore-drill", str(backup))
    assert drill.exit_code == 0, drill.output
    for check in ("schema revision", "foreign keys", "row counts", "audit hash chain"):
        assert f"PASS  {check}" in drill.output
    assert "The restore drill passed." in drill.output
    assert "purge --replay" in drill.output


def test_a_backup_is_never_overwritten(app, tmp_path):
    backup = tmp_path / "taken.backup"
    backup.write_text("an older backup")
    result = app.test_cli_runner().invoke(args=["backup", "create", str(backup)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert backup.read_text() == "an older backup"


def test_the_drill_fails_when_the_manifest_does_not_match(app, some_data, tmp_path):
    backup = tmp_path / "stegvis.backup"
    assert _cli(app, "backup", "create", str(backup)).exit_code == 0
    manifest_file = tmp_path / "stegvis.backup.manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["row_counts"]["activities"] += 1  # a row the backup should have had
    manifest_file.write_text(json.dumps(manifest))
    drill = _cli(app, "backup", "restore-drill", str(backup))
    assert drill.exit_code == 1
    assert "FAIL  row counts: activities: 2 restored, 3 in the manifest" in drill.output
    assert "The restore drill FAILED" in drill.output


def _tamper_sqlite(path, *statements: str) -> None:
    with sqlite3.connect(path) as connection:
        for name, in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            connection.execute(f'DROP TRIGGER "{name}"')  # the append-only triggers, in the copy only
        for statement in statements:
            connection.execute(statement)


@pytest.mark.parametrize(("statements", "reason"), [
    (["DELETE FROM activities WHERE id = (SELECT min(id) FROM activities)"],
     "FAIL  row counts: activities: 1 restored, 2 in the manifest"),
    (["UPDATE access_log SET detail = 'changed' WHERE id = (SELECT max(id) FROM access_log)"],
     "FAIL  audit hash chain: its content does not match its hash"),
    (["PRAGMA foreign_keys = OFF", "DELETE FROM users WHERE role = 'coach'"], "FAIL  foreign keys"),
])
def test_a_tampered_sqlite_backup_fails_the_drill(app, some_data, tmp_path, statements, reason):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("a SQLite backup file is tampered with here; the PostgreSQL run has its own test")
    backup = tmp_path / "stegvis.backup"
    assert _cli(app, "backup", "create", str(backup)).exit_code == 0
    _tamper_sqlite(backup, *statements)
    drill = _cli(app, "backup", "restore-drill", str(backup))
    assert drill.exit_code == 1, drill.output
    assert reason in drill.output
    assert "The restore drill FAILED" in drill.output


def test_a_postgres_backup_of_a_changed_audit_log_fails_the_drill(app, some_data, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("runs in the PostgreSQL run")
    with app.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE access_log DISABLE TRIGGER USER")
        connection.exec_driver_sql("UPDATE access_log SET detail = 'changed' WHERE id = (SELECT max(id) FROM access_log)")
        connection.exec_driver_sql("ALTER TABLE access_log ENABLE TRIGGER USER")
    backup = tmp_path / "stegvis.backup"
    made = _cli(app, "backup", "create", str(backup))
    assert "the audit log does not verify" in made.output
    drill = _cli(app, "backup", "restore-drill", str(backup))
    assert drill.exit_code == 1
    assert "FAIL  audit hash chain: its content does not match its hash" in drill.output
