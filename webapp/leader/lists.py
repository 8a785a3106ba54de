"""The lists a project keeps: "who helps" (Helper) and municipalities. Entries are renamed or
hidden, never deleted: old steps and participations keep pointing at them. No request objects here."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Helper, Municipality, Project

Entry = Helper | Municipality
EntryModel = type[Helper] | type[Municipality]


class OtherCannotBeHidden(Exception):
    """The "other" helper is how a participant names a helper that is not on the list."""


def _order(model: EntryModel):
    return (Helper.position, Helper.name) if model is Helper else (Municipality.name,)


def entries(model: EntryModel, project: Project) -> list[Entry]:
    """All the project's entries, hidden ones too, in the order participants see them."""
    return list(db.session.scalars(select(model).where(model.project_id == project.id).order_by(*_order(model))))


def get_entry(model: EntryModel, project: Project, entry_id: uuid.UUID) -> Entry | None:
    return db.session.scalar(select(model).where(model.public_id == entry_id, model.project_id == project.id))


def name_taken(model: EntryModel, project: Project, name: str, keep: Entry | None = None) -> bool:
    """Whether another entry (hidden ones too) has this name, whatever the letter case."""
    query = select(model.name).where(model.project_id == project.id)
    if keep is not None:
        query = query.where(model.id != keep.id)
    wanted = name.casefold()
    return any(existing.casefold() == wanted for existing in db.session.scalars(query))


def add_entry(model: EntryModel, project: Project, name: str) -> Entry:
    """A new entry; a helper goes last before "other"."""
    entry = model(project_id=project.id, name=name)
    if model is Helper:
        last = db.session.scalar(
            select(func.max(Helper.position)).where(Helper.project_id == project.id, Helper.is_other.is_(False))
        )
        entry.position = (last or 0) + 1
    db.session.add(entry)
    db.session.flush()
    return entry


def rename(entry: Entry, name: str) -> None:
    entry.name = name


def set_shown(entry: Entry, shown: bool) -> None:
    """Offer the entry again, or stop offering it (it stays where it is already used)."""
    if not shown and getattr(entry, "is_other", False):
        raise OtherCannotBeHidden
    entry.is_active = shown
