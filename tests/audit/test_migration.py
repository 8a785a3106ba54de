"""Migration 0007 links the access log's existing rows into the chain (the app's verifier accepts
them), creates the append-only triggers, and goes down and up again keeping the reads."""

from __future__ import annotations

import datetime as dt

import flask_migrate
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from tests.test_migrations import empty_database, migration_app  # noqa: F401 - fixtures
from webapp import audit, clock
from webapp.extensions import db
from webapp.models import AccessLog, AuditEvent, AuditRecord, Participation, User


def _verify() -> audit.Verification:
    with db.engine.connect() as connection:
        return audit.verify(connection)


def test_the_existing_reads_are_linked_and_the_triggers_made(migration_app):  # noqa: F811
    from webapp.demo import load_demo

    with migration_app.app_context():
        flask_migrate.upgrade()
        load_demo()
        db.session.commit()
        participations = db.session.scalars(select(Participation).order_by(Participation.id)).all()[:3]
        for number, participation in enumerate(participations):
            coach = db.session.get(User, participation.coach_id)
            db.session.add(AccessLog(actor_id=coach.id, actor_role=coach.role, participation_id=participation.id,
                                     action="coach.participant", at=clock.now() - dt.timedelta(days=number)))
        db.session.add(AuditEvent(event="sign_in", actor_id=coach.id, actor_role=coach.role, detail="password"))
        db.session.commit()
        coach_id, coach_role = coach.id, coach.role
        reads_before = db.session.execute(
            select(AccessLog.id, AccessLog.actor_id, AccessLog.participation_id, AccessLog.at)
            .order_by(AccessLog.id)).all()
        db.session.remove()

        flask_migrate.downgrade(revision="0006")
        with db.engine.connect() as connection:
            kept = connection.execute(text("SELECT COUNT(*) FROM access_log")).scalar()
        assert kept == len(reads_before)  # the event went; the reads stayed

        flask_migrate.upgrade()
        db.session.remove()
        result = _verify()
        assert result.intact and result.rows == len(reads_before)
        reads_after = db.session.execute(
            select(AccessLog.id, AccessLog.actor_id, AccessLog.participation_id, AccessLog.at)
            .order_by(AccessLog.id)).all()
        assert reads_after == reads_before
        assert db.session.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.project_id.is_(None))) == 0

        # The triggers are there again, and the app goes on from the migrated chain's head.
        with pytest.raises(DBAPIError):
            db.session.execute(update(AuditRecord).values(detail="x"))
        db.session.rollback()
        db.session.add(AuditEvent(event="sign_out", actor_id=coach_id, actor_role=coach_role))
        db.session.commit()
        assert _verify().intact and _verify().rows == len(reads_before) + 1
        db.session.remove()
