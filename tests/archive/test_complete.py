"""The archive is complete: every table that reaches a project (through any chain of foreign keys,
or that a project's rows point at: organisations, users) is archived or excluded with a reason;
every column of an archived table is in the file or left out with a reason; the per-participation
part is the personal export's own."""

from __future__ import annotations

import json
from pathlib import Path

from tests.rights.support import reaching
from webapp.archive import parts
from webapp.extensions import db
from webapp.rights import export as personal

ROOTS = ("projects", "organisations", "users")


def reaching_tables() -> set[str]:
    return reaching(ROOTS)


def test_every_table_that_reaches_a_project_is_archived_or_excluded_with_a_reason(app):
    with app.app_context():
        tables = reaching_tables()
        every = {t.name for t in db.metadata.sorted_tables}
    archived = {part.table for part in parts.PARTS}
    assert {"participations", "access_log", "survey_answers", "project_goals", "caseload_shares"} <= tables
    missing = sorted(tables - archived - parts.EXCLUDED.keys())
    assert not missing, f"The project archive does not cover {missing}: add a Part in webapp/archive/parts.py " \
                        "(and the schema), or an EXCLUDED reason"
    assert not archived & parts.EXCLUDED.keys()
    assert all(len(reason) > 20 for reason in parts.EXCLUDED.values())
    assert tables == every, "a table that does not reach a project: say here whether it belongs in the archive"


def test_every_column_of_an_archived_table_is_in_the_file_or_left_out_with_a_reason(app):
    with app.app_context():
        columns = {t.name: {c.name for c in t.columns} for t in db.metadata.sorted_tables}
    for part in parts.PARTS:
        listed = set(part.columns) | part.omit.keys()
        assert listed == columns[part.table], f"{part.table}: {sorted(columns[part.table] ^ listed)}"
        assert not set(part.columns) & part.omit.keys()


def test_the_participations_are_the_personal_exports_own_parts():
    personal_paths = {(p.table, p.path, p.columns) for p in personal.PARTS if p.path.startswith("participations[]")}
    assert {(p.table, p.path, p.columns) for p in parts.PARTICIPATION_PARTS} == personal_paths


def test_the_schema_names_every_archived_column():
    schema = json.loads((Path(__file__).parents[2] / "webapp/archive/schema.json").read_text())
    for part in parts.PARTS:
        definition = schema["$defs"][part.table]
        assert set(part.columns) <= set(definition["properties"]), part.table
        assert set(part.columns) <= set(definition["required"]), part.table


def test_a_participants_part_of_the_archive_is_their_personal_export(demo):
    """What "Mina uppgifter" gives Amina under participations is what the archive has for her."""
    from sqlalchemy import select

    from tests.archive.support import archive_of
    from webapp.models import User

    amina = db.session.scalar(select(User).where(User.login_name == "amina"))
    own = json.loads(personal.to_json(personal.collect(amina)))["participations"]
    archive = archive_of("Norrskan")
    mine = [p for p in archive["participations"] if p["participant_id"] == str(amina.id)]
    assert len(mine) == len(own) == 1
    assert set(mine[0]) == set(own[0])
    for key in ("goals", "steps", "activities", "comments", "survey_responses", "access_log", "consents"):
        assert [r["id"] for r in mine[0][key]] == [r["id"] for r in own[0][key]], key
        assert all(set(a) == set(b) for a, b in zip(mine[0][key], own[0][key], strict=True)), key
