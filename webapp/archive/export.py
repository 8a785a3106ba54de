"""Writing the project archive: everything about one project, as one dictionary (collect) and as
the JSON file (to_json). The format is described in docs/ARCHIVE.md and webapp/archive/schema.json."""

from __future__ import annotations

import json
from functools import partial
from importlib.metadata import PackageNotFoundError, version

from sqlalchemy import and_, or_, select

from webapp import clock
from webapp.archive.parts import FORMAT, PARTS, PROJECT_PARTS, VERSION
from webapp.extensions import db
from webapp.models import (
    AuditRecord,
    CaseloadShare,
    Helper,
    ImportedQuestionnaire,
    Municipality,
    Organisation,
    Participation,
    Project,
    ProjectGoal,
    ProjectRetention,
    ProjectStaff,
    User,
)
from webapp.rights import export as personal

_PROJECT_PARTS = {part.table: part for part in PROJECT_PARTS}


def stegvis_version() -> str:
    try:
        return version("stegvis")
    except PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
        return "unknown"


def _values(row, table: str) -> dict:
    return {name: getattr(row, name) for name in _PROJECT_PARTS[table].columns}


def _rows(model, *where, order=None) -> list:
    return list(db.session.scalars(select(model).where(*where).order_by(*(order or model.__table__.primary_key))))


def _user_columns() -> dict[str, list[str]]:
    """For each Part's path, its columns that point at a user."""
    found: dict[str, list[str]] = {}
    for part in PARTS:
        table = db.metadata.tables[part.table]
        found[part.path] = [name for name in part.columns
                            if any(fk.column.table.name == "users" for fk in table.c[name].foreign_keys)]
    return found


def collect(project: Project) -> dict:
    """The whole archive of the project, as plain values (see to_json)."""
    participations = _rows(Participation, Participation.project_id == project.id,
                           order=(Participation.enrolled_on, Participation.created_at, Participation.id))
    participant_ids = {p.participant_id for p in participations}
    project_events = _rows(AuditRecord, AuditRecord.participation_id.is_(None), or_(
        AuditRecord.project_id == project.id,
        and_(AuditRecord.project_id.is_(None), AuditRecord.actor_id.in_(participant_ids)),
    ), order=(AuditRecord.id,))
    data: dict = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": clock.now(),
        "stegvis_version": stegvis_version(),
        "project": _values(project, "projects"),
        "retention": [_values(r, "project_retention")
                      for r in _rows(ProjectRetention, ProjectRetention.project_id == project.id)],
        "municipalities": [_values(m, "municipalities")
                           for m in _rows(Municipality, Municipality.project_id == project.id)],
        "helpers": [_values(h, "helpers") for h in _rows(Helper, Helper.project_id == project.id)],
        "project_goals": [_values(g, "project_goals")
                          for g in _rows(ProjectGoal, ProjectGoal.project_id == project.id)],
        "imported_questionnaires": [_values(q, "imported_questionnaires") for q in _rows(
            ImportedQuestionnaire, ImportedQuestionnaire.project_id == project.id)],
        "project_staff": [_values(s, "project_staff") for s in _rows(
            ProjectStaff, ProjectStaff.project_id == project.id, order=(ProjectStaff.user_id,))],
        "caseload_shares": [_values(c, "caseload_shares")
                            for c in _rows(CaseloadShare, CaseloadShare.project_id == project.id)],
        "access_log": [_values(e, "access_log") for e in project_events],
        "participations": personal.collect_participations(participations),
    }
    # Everyone any row points at (staff, participants, who did what), and their organisations.
    user_ids = set(participant_ids)
    for path, columns in _user_columns().items():
        if path != "users[]":
            user_ids.update(row[c] for row in personal.rows_at(data, path) for c in columns if row.get(c) is not None)
    users = _rows(User, User.id.in_(user_ids), order=(User.created_at, User.id))
    data["users"] = [_values(u, "users") for u in users]
    organisation_ids = {project.organisation_id} | {u.organisation_id for u in users if u.organisation_id}
    data["organisations"] = [_values(o, "organisations")
                             for o in _rows(Organisation, Organisation.id.in_(organisation_ids))]
    return data


def to_json(data: dict) -> str:
    """UTF-8 as it is, keys sorted, one space of indent; times in UTC to the microsecond."""
    plain = partial(personal.plain, timespec="microseconds")
    return json.dumps(data, default=plain, ensure_ascii=False, sort_keys=True, indent=1)


def file_name(project: Project) -> str:
    safe = "".join(c if c.isascii() and c.isalnum() else "-" for c in project.name.lower()).strip("-")[:40] or "project"
    return f"stegvis-archive-{safe}-{clock.today().isoformat()}.json"
