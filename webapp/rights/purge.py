"""Purge (gallring): delete or anonymise a participant's data once the project's retention decision
allows it, and the register that makes a purge stick after a restore from backup.

What happens to each table is written in PLAN, and tests/rights/test_purge.py checks that every
table pointing at a participant is in it. Participation rows are kept (anonymised) and so are the
audit rows: the access log and the event log follow their own schedule.

Every purge is written twice: a row in `purge_register`, and a line in a file outside the database
(PURGE_REGISTER_FILE). A backup restored after a purge brings back the people and the old
register, but not the file: `flask purge --replay` purges them again (REL-15).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select, update

from webapp import audit, clock
from webapp.extensions import db
from webapp.models import (
    ErasureRequest,
    ErasureStatus,
    Gender,
    Participation,
    Project,
    ProjectRetention,
    PurgeReason,
    PurgeRecord,
    User,
)

# What a purged participant's account is called. Neutral in every language, and says nothing.
PURGED_NAME = "—"
# The lowest birth year the schema allows; with the purge register it means "removed".
PURGED_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class ByParticipation:
    """Delete the participation's rows: `column` holds the participation's id, or (with `via`)
    the id of a row of table `via` that belongs to the participation."""

    column: str = "participation_id"
    via: str | None = None


@dataclass(frozen=True)
class ByUser:
    """Delete the person's rows (`column` holds the user's id) once every participation of the
    person is purged: credentials and sign-in state."""

    column: str = "user_id"


@dataclass(frozen=True)
class Clear:
    """Keep the rows and empty these columns (free text)."""

    columns: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Anonymise:
    """Keep the row and overwrite its personal fields (see _anonymise_participation, _anonymise_user)."""

    reason: str


@dataclass(frozen=True)
class Keep:
    reason: str


PLAN = {
    "goals": ByParticipation(),
    "steps": ByParticipation(),
    "activities": ByParticipation(),
    "capacities": ByParticipation(),
    "comments": ByParticipation(),
    "reviews": ByParticipation(),
    "survey_responses": ByParticipation(),
    "survey_answers": ByParticipation("response_id", via="survey_responses"),
    "follow_ups": ByParticipation(),
    "consents": ByParticipation(),
    "consent_shares": ByParticipation(),
    "participation_events": Clear(("reason",), "the history of ends and reopenings stays (when, how it ended, "
                                               "by which coach); the free-text reason goes"),
    "participations": Anonymise("kept for the project's figures and as the purge register's anchor; the "
                                "personal fields are overwritten"),
    "users": Anonymise("kept so that old rows still point somewhere; name, sign-in name and every secret are "
                       "overwritten and the account is closed"),
    "activation_codes": ByUser(),
    "auth_sessions": ByUser(),
    "passkeys": ByUser(),
    "devices": ByUser(),
    "passkey_challenges": ByUser(),
    "form_submissions": ByUser(),
    "access_log": Keep("audit: append-only, with its own schedule (5 years); holds ids, roles and times only"),
    "erasure_requests": Keep("the register of requests and decisions; ids and dates only"),
    "purge_register": Keep("this register; ids, a time and the decision's reference only"),
    "project_staff": Keep("staff only: never a participant's row"),
    "caseload_shares": Keep("staff only: never a participant's row"),
    "imported_questionnaires": Keep("staff only: never a participant's row"),
    "participant_imports": Keep("a leader's upload: its file is dropped when the import is done (then only ids "
                                "stay) and the row after a day"),
}


# --- the register file ---------------------------------------------------------------------------


def register_file() -> Path:
    """PURGE_REGISTER_FILE (config), or STEGVIS_PURGE_REGISTER_FILE (environment), or the instance
    folder. Keep it on other storage than the database and its backups, and back it up apart."""
    configured = current_app.config.get("PURGE_REGISTER_FILE") or os.environ.get("STEGVIS_PURGE_REGISTER_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "purge-register.jsonl"


def _line(record: PurgeRecord) -> dict:
    return {"participation_id": str(record.participation_id), "project_id": record.project_id,
            "purged_at": record.purged_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "reason": record.reason.value, "reference": record.reference}


def _append(lines: list[dict]) -> None:
    """Append and fsync before the database commits: if the commit then fails, a replay purges
    someone whose purge was already decided, which is the safe side."""
    if not lines:
        return
    path = register_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_register_file(path: Path | None = None) -> list[dict]:
    path = path or register_file()
    if not path.exists():
        return []
    found = []
    with path.open(encoding="utf-8") as f:
        for number, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                uuid.UUID(line["participation_id"])
            except (ValueError, KeyError, TypeError) as error:
                raise RegisterError(f"{path}, line {number}: not a purge register line ({error})") from None
            found.append(line)
    return found


class RegisterError(Exception):
    pass


# --- purging -------------------------------------------------------------------------------------


def _table(name: str):
    return db.metadata.tables[name]


def _ordered(names) -> list[str]:
    """Children before parents, so deletes never trip a foreign key."""
    order = [t.name for t in reversed(db.metadata.sorted_tables)]
    return sorted(names, key=order.index)


def _wipe_participation(participation: Participation) -> None:
    """Delete and clear the participation's data; safe to run again (a replay does)."""
    for name in _ordered(name for name, action in PLAN.items() if name in db.metadata.tables):
        action, table = PLAN[name], _table(name)
        if isinstance(action, ByParticipation):
            if action.via:
                parent = _table(action.via)
                ids = select(parent.c.id).where(parent.c.participation_id == participation.id)
                db.session.execute(delete(table).where(table.c[action.column].in_(ids)))
            else:
                db.session.execute(delete(table).where(table.c[action.column] == participation.id))
        elif isinstance(action, Clear):
            db.session.execute(update(table).where(table.c.participation_id == participation.id)
                               .values({column: None for column in action.columns}))
    participation.gender = Gender.NOT_STATED
    participation.birth_year = PURGED_BIRTH_YEAR
    participation.comments_read_at = None
    # Requests still open or kept are answered by the purge itself.
    db.session.execute(
        update(ErasureRequest)
        .where(ErasureRequest.participation_id == participation.id, ErasureRequest.status != ErasureStatus.ERASED)
        .values(status=ErasureStatus.ERASED, decided_at=clock.now())
    )


def _wipe_user(user: User) -> None:
    """Close and anonymise the account, and delete its credentials and sessions."""
    for name in _ordered(name for name, action in PLAN.items() if name in db.metadata.tables):
        action, table = PLAN[name], _table(name)
        if isinstance(action, ByUser):
            db.session.execute(delete(table).where(table.c[action.column] == user.id))
    user.name = PURGED_NAME
    # Random, and no password: nobody can sign in with it, and it says nothing about the person.
    user.login_name = f"purged-{secrets.token_hex(16)}"
    user.is_active = False
    user.locale = None
    user.show_swedish = False
    for column, value in (("password_hash", None), ("pin_hash", None), ("pin_failures", 0), ("locked_at", None),
                          ("totp_secret", None), ("totp_last_step", None)):
        if hasattr(user, column):
            setattr(user, column, value)


def _everything_purged(user_id: uuid.UUID) -> bool:
    left = db.session.scalar(
        select(func.count()).select_from(Participation)
        .where(Participation.participant_id == user_id,
               Participation.id.not_in(select(PurgeRecord.participation_id)))
    )
    return left == 0


def apply(participation: Participation, reason: PurgeReason, reference: str,
          purged_at: dt.datetime | None = None) -> tuple[PurgeRecord, bool]:
    """Purge one participation (and the account, when it was the person's last one) and register
    it. Returns the register row and whether it is new. The caller commits; register lines are
    written to the file first (see _append)."""
    record = db.session.scalar(select(PurgeRecord).where(PurgeRecord.participation_id == participation.id))
    new = record is None
    if new:
        record = PurgeRecord(participation_id=participation.id, project_id=participation.project_id,
                             purged_at=purged_at or clock.now(), reason=reason, reference=reference[:200])
        db.session.add(record)
    _wipe_participation(participation)
    db.session.flush()
    if _everything_purged(participation.participant_id):
        _wipe_user(db.session.get(User, participation.participant_id))
    if new:
        audit.record_event("purge", participation=participation, project_id=participation.project_id,
                           detail=reason.value)
    return record, new


def purge_now(participation: Participation, reason: PurgeReason, reference: str) -> PurgeRecord:
    """Purge one participation at once (an erasure request decided "erase now"). The caller commits."""
    record, new = apply(participation, reason, reference)
    if new:
        _append([_line(record)])
    return record


# --- the daily run -------------------------------------------------------------------------------


@dataclass
class ProjectRun:
    project: Project
    retention: ProjectRetention
    participation_ids: list[uuid.UUID] = field(default_factory=list)
    not_ended: int = 0


def due(today: dt.date) -> list[ProjectRun]:
    """Projects whose retention date has passed, with the participations not yet purged.

    A project without a last-payment date, or without the decision's reference, is never due."""
    runs = []
    for retention, project in db.session.execute(
        select(ProjectRetention, Project).join(Project, Project.id == ProjectRetention.project_id)
        .where(ProjectRetention.last_payment_on.is_not(None)).order_by(Project.name)
    ):
        until = retention.retention_until
        if until is None or today <= until or not (retention.decision_reference or "").strip():
            continue
        run = ProjectRun(project, retention)
        for participation_id, ended_on in db.session.execute(
            select(Participation.id, Participation.ended_on)
            .where(Participation.project_id == project.id,
                   Participation.id.not_in(select(PurgeRecord.participation_id)))
            .order_by(Participation.enrolled_on, Participation.id)
        ):
            run.participation_ids.append(participation_id)
            run.not_ended += ended_on is None
        if run.participation_ids:
            runs.append(run)
    return runs


def run_due(today: dt.date, dry_run: bool = False) -> Iterator[tuple[ProjectRun, int]]:
    """Purge every due project, one commit per participation; yields each project and how many
    were purged (0 on a dry run)."""
    for run in due(today):
        done = 0
        if not dry_run:
            for participation_id in run.participation_ids:
                participation = db.session.get(Participation, participation_id)
                record, new = apply(participation, PurgeReason.RETENTION, run.retention.decision_reference.strip())
                if new:
                    _append([_line(record)])
                db.session.commit()
                done += 1
        yield run, done


# --- replay after a restore ----------------------------------------------------------------------


@dataclass
class Replay:
    applied: int = 0  # register entries whose participation is in this database: purged (again)
    missing: int = 0  # entries for participations this database never had (a backup older than them)
    registered: int = 0  # rows added to the database's register from the file
    written: int = 0  # lines added to the file from the database's register


def replay(path: Path | None = None) -> Replay:
    """Re-apply every purge in the file and in the database's register, so that a restored
    backup does not bring purged people back; then make the file and the register agree."""
    result = Replay()
    lines = read_register_file(path)
    in_file = {uuid.UUID(line["participation_id"]) for line in read_register_file()}
    entries: dict[uuid.UUID, dict] = {}
    for line in lines:
        entries.setdefault(uuid.UUID(line["participation_id"]), line)
    for record in db.session.scalars(select(PurgeRecord).order_by(PurgeRecord.id)):
        entries.setdefault(record.participation_id, _line(record))
    for participation_id, line in entries.items():
        participation = db.session.get(Participation, participation_id)
        if participation is None:
            result.missing += 1
            continue
        had_row = db.session.scalar(select(PurgeRecord.id).where(PurgeRecord.participation_id == participation_id))
        record, _new = apply(participation, PurgeReason(line["reason"]), line["reference"],
                             purged_at=dt.datetime.fromisoformat(line["purged_at"]))
        result.applied += 1
        result.registered += had_row is None
        if participation_id not in in_file:
            _append([_line(record)])
            result.written += 1
        db.session.commit()
    return result
