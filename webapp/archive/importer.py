"""Reading a project archive into the database: every row gets a new id (uuid keys a new uuid4,
counters what the database gives) and every foreign key is rewritten through the map of old id to
new id. The caller commits; on ArchiveError (or any error) it rolls back, so nothing is half-saved.

People: staff are matched by their email (login name) when they already have an account here, and
linked; anyone else is created without a password and gets a new activation code. A participant
whose login name is taken here gets a new one. The audit log's rows are appended through the log's
own writer (webapp.models.audit), so the chain stays whole: their content and time are kept, the
hashes are new.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, Enum, Integer, String, Table, Text, TypeDecorator, Uuid, insert, select
from sqlalchemy.exc import DataError, IntegrityError

from webapp.archive.parts import FORMAT, PARTS, VERSION
from webapp.auth.services import issue_activation_code, new_participant_login_name
from webapp.extensions import db
from webapp.models import AccessLog, AuditEvent, Organisation, Project, Role, User
from webapp.rights.export import rows_at

STAFF = (Role.COACH.value, Role.LEADER.value)
IMPORTED_PAYLOAD = "imported"  # activities.payload_hash: the entry came from an archive, not a phone


class ArchiveError(Exception):
    """The file cannot be imported; the message says why, in words for the person importing."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        """In the person's language in a request; in English on the command line (no request)."""
        text = str(self.message) if has_request_context() else getattr(self.message, "_args", (self.message,))[0]
        return text % self.params if self.params else text


@dataclass
class NewAccount:
    name: str
    role: str
    login_name: str
    code: str | None  # None: the account is not active, so it gets no code


@dataclass
class Imported:
    project: Project | None
    accounts: list[NewAccount] = field(default_factory=list)
    linked_staff: list[str] = field(default_factory=list)
    rows: int = 0


def read(raw: bytes | str) -> dict:
    """The archive in the file, or ArchiveError if it is not one this version can read."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise ArchiveError(_l("The file is not a Stegvis project archive (it is not JSON).")) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError(_l("The file is not a Stegvis project archive."))
    if data.get("version") != VERSION:
        raise ArchiveError(_l("The archive has format version %(found)s. This Stegvis reads version %(version)s."),
                           found=data.get("version"), version=VERSION)
    if not isinstance(data.get("project"), dict) or not isinstance(data.get("participations", []), list):
        raise ArchiveError(_l("The file is damaged: the project is missing."))
    return data


def project_name(data: dict) -> str:
    return str(data["project"].get("name") or "")


def import_archive(data: dict, *, new_name: str | None = None, actor: User | None = None) -> Imported:
    """Insert everything in the archive; raises ArchiveError. The caller commits or rolls back."""
    name = (new_name or "").strip() or project_name(data)
    if db.session.scalar(select(Project.id).where(Project.name == name)) is not None:
        if new_name:
            raise ArchiveError(_l("There is already a project called “%(name)s”. Choose another name."), name=name)
        raise ArchiveError(_l("The project “%(name)s” already exists here. Nothing was imported. "
                              "To import it as a copy, give it a new name."), name=name)
    run = _Run(data, name, actor)
    try:
        run.all()
    except (IntegrityError, DataError) as error:
        raise ArchiveError(_l("The file does not fit together (%(problem)s). Nothing was imported."),
                           problem=type(error.orig).__name__) from error
    except (KeyError, TypeError, ValueError, AttributeError) as error:  # a shape no check above foresaw
        raise ArchiveError(_l("The file is damaged at %(where)s."), where=type(error).__name__) from error
    return run.result


class _Run:
    def __init__(self, data: dict, name: str, actor: User | None):
        self.data, self.name, self.actor = data, name, actor
        self.maps: dict[str, dict[str, object]] = {}
        self.result = Imported(project=None)

    def rows(self, table: str) -> list[dict]:
        found = []
        for part in PARTS:
            if part.table == table:
                try:
                    found.extend(rows_at(self.data, part.path))
                except (AttributeError, TypeError) as error:
                    raise ArchiveError(_l("The file is damaged at %(where)s."), where=part.path) from error
        if not all(isinstance(row, dict) for row in found):
            raise ArchiveError(_l("The file is damaged at %(where)s."), where=table)
        return found

    def all(self) -> None:
        for table in db.metadata.sorted_tables:
            rows = self.rows(table.name)
            if table.name == "access_log":
                rows.sort(key=lambda row: row.get("id") if isinstance(row.get("id"), int) else 0)
            for row in rows:
                values = self.values(table, row)
                handler = getattr(self, f"_{table.name}", self._plain)
                handler(table, row, values)
            if table.name == "projects" and rows:
                self.result.project = db.session.get(Project, next(iter(self.maps["projects"].values())))
            self.result.rows += len(rows)
        if self.result.project is None:
            raise ArchiveError(_l("The file is damaged: the project is missing."))

    # --- one row ---------------------------------------------------------------------------------

    def values(self, table: Table, row: dict) -> dict:
        values = {}
        for name, raw in row.items():
            if name not in table.c or name.endswith("_hash"):
                continue  # the personal export's readable extras ("coach", "deleted" …)
            column = table.c[name]
            value = _from_json(table, column, raw)
            if value is not None and column.foreign_keys:
                target = next(iter(column.foreign_keys)).column.table.name
                if str(value) not in self.maps.get(target, {}):
                    raise ArchiveError(_l("The file is damaged: %(where)s points at something not in the file."),
                                       where=f"{table.name}.{name}")
                value = self.maps[target][str(value)]
            values[name] = value
        return values

    def _plain(self, table: Table, row: dict, values: dict) -> object:
        keys = list(table.primary_key.columns)
        old = row.get(keys[0].name)
        if len(keys) == 1 and not keys[0].foreign_keys:
            if isinstance(keys[0].type, Uuid):
                values[keys[0].name] = uuid.uuid4()
            else:
                values.pop(keys[0].name, None)
        result = db.session.execute(insert(table).values(**values))
        new = values.get(keys[0].name) if isinstance(keys[0].type, Uuid) else result.inserted_primary_key[0]
        self.maps.setdefault(table.name, {})[str(old)] = new
        return new

    def _organisations(self, table: Table, row: dict, values: dict) -> None:
        existing = db.session.scalar(select(Organisation.id).where(Organisation.name == values.get("name")))
        if existing is not None:
            self.maps.setdefault("organisations", {})[str(row.get("id"))] = existing
        else:
            self._plain(table, row, values)

    def _projects(self, table: Table, row: dict, values: dict) -> None:
        values["name"] = self.name
        self._plain(table, row, values)

    def _activities(self, table: Table, row: dict, values: dict) -> None:
        values["client_id"] = uuid.uuid4()
        values["payload_hash"] = IMPORTED_PAYLOAD
        self._plain(table, row, values)

    def _users(self, table: Table, row: dict, values: dict) -> None:
        login = values.get("login_name")
        if not login:
            raise ArchiveError(_l("The file is damaged at %(where)s."), where="users")
        existing = db.session.scalar(select(User).where(User.login_name == login))
        staff = values.get("role") in STAFF
        if existing is not None and staff and existing.role in STAFF:
            self.maps.setdefault("users", {})[str(row.get("id"))] = existing.id
            self.result.linked_staff.append(existing.login_name)
            return
        if existing is not None and staff:
            raise ArchiveError(_l("%(login)s is a participant's login name here, but staff in the file."), login=login)
        if existing is not None:
            values["login_name"] = new_participant_login_name(values.get("name") or "")
        user = User(**{k: v for k, v in values.items() if k != "id"})
        db.session.add(user)
        db.session.flush()
        self.maps.setdefault("users", {})[str(row.get("id"))] = user.id
        code = issue_activation_code(user, created_by=self.actor) if user.is_active else None
        self.result.accounts.append(NewAccount(user.name, Role(user.role).value, user.login_name, code))

    def _access_log(self, table: Table, row: dict, values: dict) -> None:
        kind = values.pop("kind", None)
        values.pop("id", None)
        model = AccessLog if kind == "read" else AuditEvent
        if kind not in ("read", "event") or values.get("at") is None:
            raise ArchiveError(_l("The file is damaged at %(where)s."), where="access_log")
        db.session.add(model(**values))
        db.session.flush()


def _from_json(table: Table, column, raw):
    """A value from the file as the column's Python type, or ArchiveError naming the place."""
    if raw is None:
        return None
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    try:
        return _convert(kind, raw)
    except (TypeError, ValueError, AttributeError) as error:
        raise ArchiveError(_l("The file is damaged: a value in %(where)s is not valid."),
                           where=f"{table.name}.{column.name}") from error


def _convert(kind, raw):
    if isinstance(kind, Enum):
        return kind.enum_class(raw) if kind.enum_class else _check(raw, str)
    if isinstance(kind, Uuid):
        return uuid.UUID(_check(raw, str))
    if isinstance(kind, Boolean):
        return _check(raw, bool)
    if isinstance(kind, Integer):
        if isinstance(raw, bool):
            raise TypeError
        return _check(raw, int)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(_check(raw, str))
    if hasattr(kind, "timezone"):
        value = dt.datetime.fromisoformat(_check(raw, str))
        if value.tzinfo is None:
            raise ValueError
        return value
    if isinstance(kind, String | Text):
        if getattr(kind, "length", None) and len(_check(raw, str)) > kind.length:
            raise ValueError
        return _check(raw, str)
    raise TypeError  # a column type the archive does not carry


def _check(value, kind: type):
    if not isinstance(value, kind):
        raise TypeError
    return value
