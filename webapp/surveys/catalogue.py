"""Which questionnaires exist: the files that come with Stegvis, and those a project imported.

A response names a questionnaire by key and version; both kinds are found the same way.
Shipped keys are shared by every project, so an import may not reuse one.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ImportedQuestionnaire, Project
from webapp.surveys.format import Problem, Questionnaire, read

SHIPPED_DIR = Path(__file__).resolve().parent / "questionnaires"


@functools.cache
def shipped() -> dict[tuple[str, int], Questionnaire]:
    """Every version of every shipped file, read once per process. A broken file is a bug: fail loudly."""
    found = {}
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        result = read(path.read_bytes(), shipped=True)
        if isinstance(result, list):
            raise RuntimeError(f"{path.name}: " + "; ".join(f"{p.code} {p.where or ''}" for p in result))
        if path.name != f"{result.key}.v{result.version}.json":
            raise RuntimeError(f"{path.name} must be named {result.key}.v{result.version}.json")
        found[(result.key, result.version)] = result
    return found


def shipped_keys() -> set[str]:
    return {key for key, _version in shipped()}


def _newest(questionnaires: Iterable[Questionnaire]) -> dict[str, Questionnaire]:
    newest: dict[str, Questionnaire] = {}
    for q in questionnaires:
        if q.key not in newest or q.version > newest[q.key].version:
            newest[q.key] = q
    return newest


@dataclass
class Imported:
    row: ImportedQuestionnaire
    questionnaire: Questionnaire


def imported(project_id: int, keys: Iterable[str] | None = None) -> list[Imported]:
    """The project's imported questionnaires (all versions), oldest first; one query."""
    query = select(ImportedQuestionnaire).where(ImportedQuestionnaire.project_id == project_id)
    if keys is not None:
        query = query.where(ImportedQuestionnaire.key.in_(list(keys)))
    rows = db.session.scalars(query.order_by(ImportedQuestionnaire.key, ImportedQuestionnaire.version))
    found = []
    for row in rows:
        result = read(row.definition)
        # Stored files were checked when imported; one that no longer reads is skipped, not fatal.
        if not isinstance(result, list):
            found.append(Imported(row, result))
    return found


class Library:
    """The questionnaires one project can use, looked up without further queries."""

    def __init__(self, project_id: int, imported_ones: list[Imported]):
        self.project_id = project_id
        self.imported = imported_ones
        self.by_version = dict(shipped())
        self.by_version.update({(i.questionnaire.key, i.questionnaire.version): i.questionnaire for i in imported_ones})

    @classmethod
    def for_keys(cls, project_id: int, keys: Iterable[str]) -> Library:
        """Shipped ones always; imported ones only if a key needs them (one query, or none)."""
        wanted = set(keys) - shipped_keys() - {None}
        return cls(project_id, imported(project_id, wanted) if wanted else [])

    def get(self, key: str, version: int) -> Questionnaire | None:
        return self.by_version.get((key, version))

    def newest(self, key: str | None) -> Questionnaire | None:
        return _newest(q for (k, _v), q in self.by_version.items() if k == key).get(key)

    def choices(self) -> list[Questionnaire]:
        """The newest version of each questionnaire, shipped ones first."""
        newest = _newest(self.by_version.values())
        return sorted(newest.values(), key=lambda q: (not q.is_shipped, q.key))


def library(project_id: int) -> Library:
    return Library(project_id, imported(project_id))


def import_questionnaire(project: Project, by_id: uuid.UUID, raw: bytes) -> Questionnaire | list[Problem]:
    """Check a file and store it for the project; nothing is stored when anything is wrong."""
    result = read(raw)
    if isinstance(result, list):
        return result
    if result.key in shipped_keys():
        return [Problem("exists", _l('The key "%(key)s" belongs to a questionnaire that comes with Stegvis. '
                                     'Choose another key.', key=result.key))]
    taken = db.session.scalar(
        select(ImportedQuestionnaire.id).where(
            ImportedQuestionnaire.project_id == project.id,
            ImportedQuestionnaire.key == result.key,
            ImportedQuestionnaire.version == result.version,
        )
    )
    if taken is not None:
        return [Problem("exists", _l('The project already has "%(key)s" version %(version)s. Answers point to it, '
                                     'so it cannot be replaced: give the new file a higher "version".',
                                     key=result.key, version=result.version))]
    db.session.add(ImportedQuestionnaire(
        project_id=project.id, key=result.key, version=result.version,
        definition=raw.decode("utf-8-sig"), imported_by_id=by_id,
    ))
    return result
