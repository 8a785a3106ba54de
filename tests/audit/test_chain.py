"""LOG-03: one audit table for reads and security events, hash-chained, append-only, verifiable.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (the concurrency test is the one
that matters there)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from tests.audit.support import add_event, add_read, events, rows, tamper, verify
from webapp import audit, clock
from webapp.extensions import db
from webapp.models import AccessLog, AuditRecord, Participation, Role, User
from webapp.models.audit import GENESIS, chain_hash


def _open_participant(client, world) -> None:
    client.sign_in(world.coach.email)
    assert client.get(f"/coach/participants/{world.p.participation_id}").status_code == 200


def test_reads_and_events_go_into_one_chain(client, world, read, app):
    _open_participant(client, world)
    client.sign_out()
    found = rows(read)
    kinds = [(row.kind, row.event) for row in found]
    assert ("read", None) in kinds and ("event", "sign_in") in kinds and ("event", "sign_out") in kinds
    assert found[0].prev_hash == GENESIS
    for before, row in zip(found, found[1:], strict=False):
        assert row.prev_hash == before.hash
    for row in found:
        assert row.hash == chain_hash(row.prev_hash, {c: getattr(row, c) for c in
                                                      ("at", "kind", "event", "actor_id", "actor_role",
                                                       "participation_id", "project_id", "action", "detail",
                                                       "request_id")})
    assert verify(app).intact and verify(app).rows == len(found)


def test_a_read_says_who_their_role_whose_data_where_when_and_which_request(client, world, read):
    _open_participant(client, world)
    entry = read(lambda: db.session.scalar(select(AccessLog)))
    assert (entry.actor_id, entry.actor_role, entry.participation_id, entry.project_id, entry.action) == (
        world.coach.id, Role.COACH, world.p.participation_id, world.project.id, "coach.participant")
    assert entry.detail == "caseload"
    assert entry.at.utcoffset() == dt.timedelta(0)
    assert abs(entry.at - clock.now()) < dt.timedelta(minutes=1)
    assert entry.request_id and len(entry.request_id) == 32
    # Rows written by one request share its id; the next request has another.
    sign_in = events(read, "sign_in")[0]
    assert sign_in.request_id and sign_in.request_id != entry.request_id


def test_rows_added_through_the_orm_are_linked_too(build, world, read, app):
    def add():
        coach = db.session.get(User, world.coach.id)
        add_read(coach, world.p.participation_id, clock.now())
        add_read(coach, world.q.participation_id, clock.now())
        add_event("sign_in", coach.id, Role.COACH)

    build(add)
    found = rows(read)
    assert [r.kind for r in found] == ["read", "read", "event"]
    assert found[0].project_id == world.project.id  # taken from the participation
    assert verify(app).intact


def test_the_apps_connection_cannot_update_a_row(client, world, app):
    _open_participant(client, world)
    with app.app_context():
        with pytest.raises(DBAPIError):
            db.session.execute(update(AuditRecord).values(action="coach.caseload"))
        db.session.rollback()
        with pytest.raises(DBAPIError):
            db.session.execute(update(AuditRecord).values(at=clock.now() - dt.timedelta(days=3000)))
        db.session.rollback()


def test_the_apps_connection_cannot_delete_a_row_younger_than_five_years(client, world, app, read):
    _open_participant(client, world)
    before = len(rows(read))
    with app.app_context():
        with pytest.raises(DBAPIError):
            db.session.execute(delete(AuditRecord))
        db.session.rollback()
        with pytest.raises(DBAPIError):
            db.session.delete(db.session.scalar(select(AccessLog)))
            db.session.flush()
        db.session.rollback()
    assert len(rows(read)) == before


def test_rows_older_than_five_years_may_be_deleted(build, app, read):
    build(lambda: add_event("sign_in_failed", at=clock.now() - dt.timedelta(days=5 * 366 + 2), detail="password"))
    build(lambda: add_event("sign_in_failed", detail="password"))
    with app.app_context():
        old = db.session.scalar(select(AuditRecord).order_by(AuditRecord.id).limit(1))
        db.session.delete(old)
        db.session.commit()
    assert len(rows(read)) == 1
    # The log now starts after removed rows: said plainly, and accepted only when asked to.
    assert not verify(app).intact
    assert verify(app, allow_removed_start=True).intact


def test_a_participation_with_audit_rows_cannot_be_deleted(client, world, app, read):
    _open_participant(client, world)
    with app.app_context():
        with pytest.raises(DBAPIError):
            db.session.execute(delete(Participation).where(Participation.id == world.p.participation_id))
        db.session.rollback()
    assert read(lambda: db.session.get(Participation, world.p.participation_id)) is not None


def test_flask_audit_verify_says_the_log_is_intact(client, world, app):
    _open_participant(client, world)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output and "Newest hash" in result.output


def test_flask_audit_verify_names_a_row_the_owner_changed(client, world, app, read):
    _open_participant(client, world)
    client.get(f"/coach/participants/{world.q.participation_id}")
    changed = next(r for r in rows(read) if r.participation_id == world.p.participation_id)
    # As the owner, past the trigger: make it look as if the coach had opened Q instead of P.
    tamper(app, "UPDATE access_log SET participation_id = :q WHERE id = :id",
           q=world.q.participation_id.hex if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
           else world.q.participation_id, id=changed.id)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"row {changed.id}" in result.output
    assert "changed after it was written" in result.output


def test_flask_audit_verify_names_the_row_after_one_the_owner_removed(client, world, app, read):
    _open_participant(client, world)
    client.get(f"/coach/participants/{world.q.participation_id}")
    client.get(f"/coach/participants/{world.p.participation_id}")
    found = rows(read)
    removed, following = found[1], found[2]
    tamper(app, "DELETE FROM access_log WHERE id = :id", id=removed.id)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"row {following.id}" in result.output and "removed" in result.output


def test_an_empty_log_verifies(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "empty" in result.output


def test_strings_are_one_line_without_control_characters(app, world, read):
    with app.test_request_context("/coach", method="GET"):
        audit.record_event("export", project_id=world.project.id, detail="csv\n2026-01-01 sign_in ok\r\x1b[31m")
    row = events(read, "export")[0]
    assert row.detail == "csv\\x0a2026-01-01 sign_in ok\\x0d\\x1b[31m"
    assert audit.clean("a\u2028b\u202ec", 64) == "a\\u2028b\\u202ec"
    assert audit.clean("x" * 100, 64) == "x" * 64
    with pytest.raises(ValueError):
        audit.record_event("sign in\nfailed")


def test_concurrent_writers_never_link_to_the_same_row(app, world, read):
    """Threads, each in its own request, write at once: the chain stays one line (on PostgreSQL
    the advisory lock, on SQLite BEGIN IMMEDIATE; the unique prev_hash would refuse a fork)."""
    threads_count, each = 6, 5
    errors: list[BaseException] = []
    start = threading.Barrier(threads_count)

    def work(number: int) -> None:
        try:
            start.wait()
            for i in range(each):
                with app.test_request_context("/coach", method="GET"):
                    audit.record_event("export", project_id=world.project.id, detail=f"t{number}-{i}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert read(lambda: db.session.scalar(select(func.count()).select_from(AuditRecord))) == threads_count * each
    result = verify(app)
    assert result.intact and result.rows == threads_count * each
    assert len({r.prev_hash for r in rows(read)}) == threads_count * each
