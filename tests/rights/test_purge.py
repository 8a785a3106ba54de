"""`flask purge` (PRIV-03, §5 L5, L9): after a project's retention date, every participant's data
is deleted or anonymised, the participation and audit rows stay, each purge is registered with
the retention decision's reference, and a restored backup does not bring anyone back (REL-15)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import String, Text, func, select

from tests import factories
from tests.rights.support import as_of, backup, fill_every_table, pointing_tables, restore
from webapp.extensions import db
from webapp.models import (
    AuditRecord,
    ErasureRequest,
    ErasureStatus,
    Gender,
    Goal,
    Participation,
    ProjectRetention,
    PurgeReason,
    PurgeRecord,
    User,
)
from webapp.rights import purge, services

PAID = dt.date(2026, 3, 12)
UNTIL = dt.date(2031, 12, 31)  # 31 December of 2026 + 5
REFERENCE = "KS 2026/123 § 4"


@pytest.fixture
def kept(build, world):
    """Norrskan's retention decision, and a row in every table that points at P (texts and all)."""

    def make():
        db.session.add(ProjectRetention(project_id=world.project.id, last_payment_on=PAID, keep_years=5,
                                        decision_reference=REFERENCE))
        return fill_every_table(world.p.user_id, world.p.participation_id, skip=("purge_register",))

    return build(make)


def _purge(app, *args):
    result = app.test_cli_runner().invoke(args=["purge", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _text_everywhere() -> str:
    """Every text stored in the database, joined: to show a name is nowhere."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        for row in db.session.execute(select(*columns)) if columns else ():
            found += [value for value in row if isinstance(value, str)]
    return "\n".join(found)


def _rows(table_name: str, column: str, value) -> int:
    table = db.metadata.tables[table_name]
    return db.session.scalar(select(func.count()).select_from(table).where(table.c[column] == value))


def test_every_table_that_points_at_a_participant_has_a_purge_action(app):
    with app.app_context():
        tables = {t.name for t in pointing_tables()}
    missing = sorted(tables - purge.PLAN.keys())
    assert not missing, (f"The purge does not say what happens to {missing}: add each to PLAN in "
                         "webapp/rights/purge.py (ByParticipation, ByUser, Clear, Anonymise or Keep with the reason)")
    assert not purge.PLAN.keys() - tables, "PLAN names tables that no longer point at a participant"


def test_nothing_is_purged_on_or_before_the_retention_date(app, kept, world, read, monkeypatch):
    as_of(monkeypatch, UNTIL)
    assert f"Nothing to purge on {UNTIL.isoformat()}." in _purge(app)
    assert read(lambda: db.session.get(User, world.p.user_id).name) == "Amina Hassan"
    assert read(lambda: db.session.scalar(select(func.count()).select_from(PurgeRecord))) == 0


def test_after_the_retention_date_the_data_is_deleted_or_anonymised_in_every_table(
    app, kept, world, read, monkeypatch, register_file, events
):
    audit_rows = read(lambda: db.session.scalar(select(func.count()).select_from(AuditRecord)))
    as_of(monkeypatch, UNTIL + dt.timedelta(days=1))
    output = _purge(app)
    assert "Norrskan: purged 2 participations (kept until 2031-12-31, decision KS 2026/123 § 4)." in output

    def check():
        p, user = db.session.get(Participation, world.p.participation_id), db.session.get(User, world.p.user_id)
        for name, action in purge.PLAN.items():
            if isinstance(action, purge.ByParticipation) and action.via is None:
                assert _rows(name, action.column, p.id) == 0, name
            elif isinstance(action, purge.ByParticipation):
                assert _rows(name, action.column, kept[action.via]) == 0, name
            elif isinstance(action, purge.ByUser):
                assert _rows(name, action.column, user.id) == 0, name
            elif isinstance(action, purge.Clear):
                table = db.metadata.tables[name]
                row = db.session.execute(select(table).where(table.c.participation_id == p.id)).one()
                assert all(row._mapping[c] is None for c in action.columns), name
        # The participation and the audit rows stay; the person in them does not.
        assert (p.gender, p.birth_year, p.comments_read_at) == (Gender.NOT_STATED, purge.PURGED_BIRTH_YEAR, None)
        assert (user.name, user.is_active, user.password_hash) == (purge.PURGED_NAME, False, None)
        assert user.login_name.startswith("purged-") and user.login_name != world.p.login
        assert db.session.scalar(select(func.count()).select_from(AuditRecord)) >= audit_rows
        stored = _text_everywhere()
        assert "Amina Hassan" not in stored and "Erik Lind" not in stored and world.p.login not in stored
        assert "Sara Nilsson" in stored  # another project's participant is not touched
        records = list(db.session.scalars(select(PurgeRecord).order_by(PurgeRecord.id)))
        assert {r.participation_id for r in records} == {world.p.participation_id, world.q.participation_id}
        assert {(r.project_id, r.reason, r.reference) for r in records} == {
            (world.project.id, PurgeReason.RETENTION, REFERENCE)}
        assert db.session.get(ErasureRequest, kept["erasure_requests"]).status == ErasureStatus.ERASED

    read(check)
    lines = [json.loads(line) for line in register_file.read_text().splitlines()]
    assert {line["participation_id"] for line in lines} == {str(world.p.participation_id),
                                                            str(world.q.participation_id)}
    assert {line["reference"] for line in lines} == {REFERENCE}
    assert ("purge", None, world.p.participation_id, "retention") in events


def test_a_dry_run_lists_only_and_a_second_run_purges_nothing(app, kept, world, read, monkeypatch, register_file):
    as_of(monkeypatch, UNTIL + dt.timedelta(days=1))
    output = _purge(app, "--dry-run")
    assert "Norrskan: would purge 2 participations" in output and str(world.p.participation_id) in output
    assert "Dry run: nothing was changed." in output
    assert read(lambda: db.session.get(User, world.p.user_id).name) == "Amina Hassan"
    assert not register_file.exists()

    assert "purged 2 participations" in _purge(app)
    assert "Nothing to purge" in _purge(app)
    assert read(lambda: db.session.scalar(select(func.count()).select_from(PurgeRecord))) == 2
    assert len(register_file.read_text().splitlines()) == 2


def test_without_a_last_payment_date_nothing_is_ever_purged(app, build, world, read, monkeypatch):
    build(lambda: db.session.add(ProjectRetention(project_id=world.project.id, keep_years=1,
                                                  decision_reference=REFERENCE)))
    as_of(monkeypatch, dt.date(2100, 1, 1))
    assert "Nothing to purge" in _purge(app)
    assert read(lambda: db.session.get(User, world.p.user_id).name) == "Amina Hassan"


def test_a_restored_backup_does_not_bring_purged_people_back(app, kept, world, read, monkeypatch):
    """REL-15: back up, purge, restore the backup, replay the register: they stay purged."""
    dump = read(backup)
    as_of(monkeypatch, UNTIL + dt.timedelta(days=1))
    _purge(app)
    read(restore, dump)
    assert read(lambda: db.session.get(User, world.p.user_id).name) == "Amina Hassan"
    assert read(lambda: db.session.scalar(select(func.count()).select_from(PurgeRecord))) == 0

    output = _purge(app, "--replay")
    assert "2 participations purged (again)" in output and "2 register rows restored" in output
    assert read(lambda: db.session.get(User, world.p.user_id).name) == purge.PURGED_NAME
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Goal))) == 0
    assert read(lambda: db.session.scalar(select(func.count()).select_from(PurgeRecord))) == 2
    assert "Nothing to purge" in _purge(app)


def test_an_erasure_before_the_retention_date_stays_after_a_restore(app, build, world, read, register_file):
    """Only the register knows about an "erase now": the daily purge would not redo it."""
    never = build(factories.participant, world.project, world.coach, name="Nora Aldrig")
    dump = read(backup)

    def erase():
        request = ErasureRequest(participation_id=never.participation_id, requested_by_id=never.user_id)
        db.session.add(request)
        db.session.flush()
        row = services.get_request(db.session.get(Participation, never.participation_id).project, request.public_id)
        services.decide(row, db.session.get(User, world.leader.id), services.Decision.ERASE, dt.date.today())
        db.session.commit()

    read(erase)
    read(restore, dump)
    assert "Nothing to purge" in _purge(app)
    assert read(lambda: db.session.get(User, never.user_id).name) == "Nora Aldrig"
    assert "1 participations purged (again)" in _purge(app, "--replay")
    assert read(lambda: db.session.get(User, never.user_id).name) == purge.PURGED_NAME
    record = read(lambda: db.session.scalar(select(PurgeRecord)))
    assert record.reason == PurgeReason.ERASURE_REQUEST
    assert len(register_file.read_text().splitlines()) == 1  # the replay adds no second line


def test_replay_skips_people_the_database_never_had_and_refuses_a_broken_file(app, world, register_file):
    register_file.write_text(json.dumps({"participation_id": "7d8f2c4e-0000-4000-8000-000000000000", "project_id": 1,
                                         "purged_at": "2032-01-01T03:00:00+00:00", "reason": "retention",
                                         "reference": REFERENCE}) + "\n")
    assert "0 participations purged (again), 1 not in this database" in _purge(app, "--replay")
    register_file.write_text("this is not a register\n")
    result = app.test_cli_runner().invoke(args=["purge", "--replay"])
    assert result.exit_code != 0 and "not a purge register line" in result.output


def test_a_person_in_two_projects_keeps_the_account_until_both_are_purged(app, kept, build, world, read,
                                                                          monkeypatch):
    def second():
        again = Participation(participant_id=world.p.user_id, project_id=world.project_b.id,
                              coach_id=world.coach_b.id, enrolled_on=dt.date(2031, 6, 1), gender=Gender.WOMAN,
                              birth_year=1990, municipality_id=world.project_b.municipality_id)
        db.session.add(again)
        db.session.flush()
        factories.goal(factories.Participant(world.p.user_id, again.id, world.p.login, world.p.name), "Nytt mål")
        return again.id

    other = build(second)
    as_of(monkeypatch, UNTIL + dt.timedelta(days=1))
    _purge(app)
    assert read(lambda: db.session.get(User, world.p.user_id).name) == "Amina Hassan"
    assert read(lambda: db.session.scalar(select(Goal.text).where(Goal.participation_id == other))) == "Nytt mål"
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Goal).where(
        Goal.participation_id == world.p.participation_id))) == 0
