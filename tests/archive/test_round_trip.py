"""Export → import into an empty database → export gives the same content (ids renumbered), for
the demo project, through `flask export-project` and `flask import-project`; the file follows the
JSON Schema, and the audit log is whole after the import."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from sqlalchemy import func, select

from tests.archive.support import archive_of, content, empty_database
from webapp.archive import importer
from webapp.extensions import db
from webapp.models import ActivationCode, AuditRecord, Project, User

SCHEMA = json.loads((Path(__file__).parents[2] / "webapp/archive/schema.json").read_text())


def _validate(data: dict) -> None:
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())


def test_the_demo_survives_export_and_import_into_an_empty_database(app, demo, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "norrskan.json"
    result = runner.invoke(args=["export-project", "Norrskan", "--output", str(path)])
    assert result.exit_code == 0, result.output
    first = json.loads(path.read_text(encoding="utf-8"))
    _validate(first)
    assert first["format"] == "stegvis-project-archive" and first["version"] == 1
    assert len(first["participations"]) == 9
    assert {"Amina Hassan", "Lena Ek", "Maria Lund", "Fatima Ali"} <= {u["name"] for u in first["users"]}
    before = content(first)
    assert all(before.get(table) for table in ("access_log", "follow_ups", "erasure_requests", "purge_register",
                                               "caseload_shares", "project_retention", "imported_questionnaires",
                                               "survey_answers", "consent_shares"))

    empty_database()
    codes = tmp_path / "codes.csv"
    result = runner.invoke(args=["import-project", str(path), "--codes", str(codes)])
    assert result.exit_code == 0, result.output
    assert "Imported Norrskan" in result.output

    second = archive_of("Norrskan")
    _validate(second)
    after = content(second)
    # The import itself is the one new row in the log: an "import" event about the project.
    added = after["access_log"] - before["access_log"]
    assert [dict(row)["event"] for row in added.elements()] == ['"import"']
    after["access_log"] -= added
    assert after == before
    assert {p["id"] for p in second["participations"]}.isdisjoint({p["id"] for p in first["participations"]})

    lines = codes.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "name,role,login_name,activation_code"
    assert len(lines) - 1 == db.session.scalar(select(func.count()).select_from(User))
    assert db.session.scalar(select(func.count()).select_from(ActivationCode)) == len(lines) - 1
    assert db.session.scalar(select(func.count()).where(User.password_hash.is_not(None))) == 0

    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "intact" in verified.output


def test_imported_audit_rows_keep_their_time_and_content_with_new_hashes(demo):
    first = archive_of("Norrskan")
    old_hashes = set(db.session.scalars(select(AuditRecord.hash)))
    read = next(row for p in first["participations"] for row in p["access_log"] if row["kind"] == "read")
    importer.import_archive(importer.read(json.dumps(first)), new_name="Norrskan kopia")
    db.session.commit()
    copy = db.session.scalar(select(Project).where(Project.name == "Norrskan kopia"))
    row = db.session.scalar(select(AuditRecord).where(AuditRecord.project_id == copy.id, AuditRecord.kind == "read"))
    assert row.at.isoformat() == read["at"]
    assert (row.action, row.actor_role.value) == (read["action"], read["actor_role"])
    assert row.hash not in old_hashes
    from webapp.audit import verify

    assert verify(db.session.connection()).intact


def test_export_prints_the_archive_and_refuses_an_unknown_project(app, demo):
    runner = app.test_cli_runner()
    printed = runner.invoke(args=["export-project", "Norrskan"])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout)["project"]["name"] == "Norrskan"
    unknown = runner.invoke(args=["export-project", "Sydskan"])
    assert unknown.exit_code != 0
    assert "no project called 'Sydskan'" in unknown.output
