"""The import's commands: keep the uploaded file, check it, import it in one transaction, and make
fresh activation codes for the people it made. No request objects here."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import segno
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from webapp import clock
from webapp.auth import services as auth
from webapp.auth.code_sheet import CodeSheet
from webapp.extensions import db
from webapp.imports.checking import Lookups, Row, check_rows
from webapp.imports.mapping import FIELDS
from webapp.imports.reading import Table, read_table
from webapp.models import ParticipantImport, Participation, Project, Role, User

KEPT_FOR = dt.timedelta(days=1)


def store_upload(project: Project, leader: User, filename: str, raw: bytes) -> ParticipantImport:
    """Keep the file (already read once, so it is known to be readable); drop uploads older than a day."""
    db.session.execute(delete(ParticipantImport).where(ParticipantImport.created_at < clock.now() - KEPT_FOR))
    upload = ParticipantImport(project_id=project.id, leader_id=leader.id, filename=filename[:200] or "-",
                               content=raw, created_at=clock.now())
    db.session.add(upload)
    db.session.flush()
    return upload


def get_upload(project: Project, leader: User, upload_id: uuid.UUID) -> ParticipantImport | None:
    """This leader's upload for this project, less than a day old; None otherwise."""
    return db.session.scalar(
        select(ParticipantImport).where(
            ParticipantImport.public_id == upload_id,
            ParticipantImport.project_id == project.id,
            ParticipantImport.leader_id == leader.id,
            ParticipantImport.created_at >= clock.now() - KEPT_FOR,
        )
    )


def table_of(upload: ParticipantImport) -> Table:
    return read_table(upload.content or b"")


def complete_mapping(mapping: dict | None) -> bool:
    return bool(mapping) and set(FIELDS) <= set(mapping)


def check(project: Project, upload: ParticipantImport) -> list[Row]:
    """Every row of the stored file, checked with the stored mapping."""
    mapping = {name: int(column) for name, column in (upload.mapping or {}).items()}
    return check_rows(table_of(upload), mapping, Lookups.load(project))


def import_rows(project: Project, leader: User, upload: ParticipantImport, rows: list[Row]) -> int:
    """Create a participant for each row without problems, all in the caller's one transaction;
    the file's bytes go. The rows are written together (one INSERT per table, not per person).
    No codes are made here: printing makes them, and shows each once."""
    wanted = [row for row in rows if row.ok]
    names = _login_names([row.name for row in wanted])
    users, participations = [], []
    for row, login_name in zip(wanted, names, strict=True):
        user = User(id=uuid.uuid4(), role=Role.PARTICIPANT, name=row.name, login_name=login_name,
                    organisation_id=row.coach.organisation_id)
        users.append(user)
        participations.append(Participation(
            id=uuid.uuid4(), participant_id=user.id, project_id=project.id, coach_id=row.coach.id,
            enrolled_on=row.enrolled_on, gender=row.gender, birth_year=row.birth_year,
            municipality_id=row.municipality.id,
        ))
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(participations)
    db.session.flush()
    made = [str(participation.id) for participation in participations]
    upload.content = None
    upload.imported_at = clock.now()
    upload.imported_count = len(made)
    upload.participation_ids = made
    return len(made)


def _login_names(names: list[str]) -> list[str]:
    """A free sign-in name for each person, as `auth.new_participant_login_name` makes them, with
    the taken ones looked up in one query per round instead of one per person."""
    chosen: list[str | None] = [None] * len(names)
    for _round in range(20):
        open_places = [i for i, name in enumerate(chosen) if name is None]
        if not open_places:
            break
        candidates = {i: auth.login_name_candidate(names[i]) for i in open_places}
        taken = set(db.session.scalars(select(User.login_name).where(User.login_name.in_(set(candidates.values())))))
        used = {name for name in chosen if name}
        for i, candidate in candidates.items():
            if candidate not in taken and candidate not in used:
                chosen[i] = candidate
                used.add(candidate)
    return [name or f"{auth.login_name_candidate(names[i])[:-4]}{uuid.uuid4().hex[:8]}"
            for i, name in enumerate(chosen)]


def imported(upload: ParticipantImport) -> list[Participation]:
    """The participations the import made, still in the project, by name."""
    ids = [uuid.UUID(text) for text in upload.participation_ids or []]
    if not ids:
        return []
    return list(db.session.scalars(
        select(Participation)
        .join(User, User.id == Participation.participant_id)
        .where(Participation.id.in_(ids), Participation.project_id == upload.project_id)
        .options(joinedload(Participation.participant), joinedload(Participation.coach),
                 joinedload(Participation.municipality))
        .order_by(User.name)
    ))


@dataclass(frozen=True)
class Card:
    name: str
    login_name: str
    sheet: CodeSheet


def fresh_codes(leader: User, people: list[Participation]) -> list[Card]:
    """A new code for each person who has not chosen a password yet (their earlier code stops working)."""
    cards = []
    for participation in people:
        user = participation.participant
        if user.password_hash is not None or not user.is_active:
            continue
        code = auth.issue_activation_code(user, created_by=leader)
        link = url_for("auth.activate", code=code.replace("-", ""), _external=True)
        qr = segno.make(link, error="m").svg_inline(
            scale=1, border=2, omitsize=True, svgclass="qr", title=_("QR code with the activation link")
        )
        cards.append(Card(user.name, user.login_name, CodeSheet(code, link, qr)))
    return cards
