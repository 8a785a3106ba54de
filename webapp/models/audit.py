"""The audit log: one append-only, hash-chained table for two kinds of rows.

- `AccessLog` (kind "read"): someone other than the participant opened a participant's data
  (who, their role, whose data, which page). The participant sees these ("who has looked").
- `AuditEvent` (kind "event"): a security or privacy event (sign-in, failure, rate limit, CSRF
  failure, refused access, account closed or opened, export, log follow-up …), with a short
  `detail` code, never free text and never a secret.

Every row carries `prev_hash`, the `hash` of the row before it, and its own `hash` =
SHA-256(prev_hash + "\\n" + canonical content). Changing a row breaks its own hash; removing one
breaks the next row's link. `flask audit verify` walks the chain. Database triggers (migration
0007) refuse UPDATE always, and DELETE of rows younger than the retention time (5 years).

Rows are linked under a lock, so that two writers never link to the same previous row:
PostgreSQL takes a transaction-level advisory lock, SQLite holds its one write lock. A unique
constraint on `prev_hash` backs this up: a fork fails instead of being stored.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import uuid
from collections.abc import Mapping

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, event, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.people import Role, User
from webapp.models.project import Participation, Project
from webapp.models.types import str_enum

GENESIS = "0" * 64
# The advisory lock every audit writer takes on PostgreSQL (any fixed 64-bit number; "stegvis").
LOCK_KEY = 0x73746567766973
RETENTION_YEARS = 5
# What the hash covers, in this order. Changing it breaks every existing chain: add a new
# version (FORMAT) and teach the verifier both, never edit this one.
FORMAT = "stegvis-audit-1"
CANONICAL_FIELDS = (
    "at", "kind", "event", "actor_id", "actor_role", "participation_id", "project_id", "action", "detail",
    "request_id",
)


class AuditRecord(Base):
    """A row of the audit log; see the module docstring. Never updated, never deleted early."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_participation_at", "participation_id", "at"),
        Index("ix_access_log_project_at", "project_id", "at"),
        Index("ix_access_log_actor_at", "actor_id", "at"),
        UniqueConstraint("prev_hash"),
        CheckConstraint(
            "(kind = 'read' AND event IS NULL AND actor_id IS NOT NULL AND participation_id IS NOT NULL)"
            " OR (kind = 'event' AND event IS NOT NULL)",
            name="kind",
        ),
    )
    # batch=False: each row is inserted before the next one is linked (see _link_on_insert).
    __mapper_args__ = {"polymorphic_on": "kind", "batch": False}

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(8))
    # The event's name (e.g. "sign_in_failed"); None for a read.
    event: Mapped[str | None] = mapped_column(String(32))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[Role | None] = mapped_column(str_enum(Role, "actor_role"))
    # No ON DELETE: a participation with audit rows cannot be deleted (the purge anonymises it).
    participation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participations.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    # The endpoint of the request (e.g. "coach.participant").
    action: Mapped[str | None] = mapped_column(String(64))
    # A short code or id: the sign-in method, which export, "cover" for a colleague's caseload …
    detail: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(32))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    participation: Mapped[Participation | None] = relationship(foreign_keys=[participation_id])
    project: Mapped[Project | None] = relationship(foreign_keys=[project_id])

    @property
    def is_read(self) -> bool:
        return self.kind == "read"


class AccessLog(AuditRecord):
    """Someone other than the participant opened the participant's data. `action` is the
    endpoint that showed it (e.g. "coach.participant")."""

    __mapper_args__ = {"polymorphic_identity": "read", "batch": False}


class AuditEvent(AuditRecord):
    """A security or privacy event."""

    __mapper_args__ = {"polymorphic_identity": "event", "batch": False}


# --- the chain -----------------------------------------------------------------------------------


def _plain(value):
    if value is None or isinstance(value, int | str) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value)


def canonical(values: Mapping) -> str:
    """The row's content as one line of JSON, the same whether it comes from Python or the database."""
    return json.dumps([FORMAT, *(_plain(values.get(name)) for name in CANONICAL_FIELDS)],
                      separators=(",", ":"), ensure_ascii=True)


def chain_hash(prev_hash: str, values: Mapping) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(values)}".encode("ascii")).hexdigest()


def lock_chain(connection: Connection) -> None:
    """PostgreSQL: wait for the audit lock, held until this transaction ends. (SQLite: the
    writer holds the database's write lock; see webapp.audit.)"""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def head(connection: Connection) -> str:
    """The hash of the newest row, or GENESIS for an empty log."""
    table = AuditRecord.__table__
    return connection.execute(select(table.c.hash).order_by(table.c.id.desc()).limit(1)).scalar() or GENESIS


def link(connection: Connection, values: dict) -> dict:
    """Fill in prev_hash and hash for a row about to be inserted on this connection."""
    lock_chain(connection)
    values["prev_hash"] = head(connection)
    values["hash"] = chain_hash(values["prev_hash"], values)
    return values


@event.listens_for(AuditRecord, "before_insert", propagate=True)
def _link_on_insert(_mapper, connection: Connection, target: AuditRecord) -> None:
    """Rows added through an ORM session (tests, jobs) are linked too, in that session's
    transaction. webapp.audit writes with Core and links the values itself."""
    if target.hash:
        return
    if target.at is None:
        target.at = utcnow()
    if target.project_id is None and target.participation_id is not None:
        target.project_id = connection.execute(
            select(Participation.project_id).where(Participation.id == target.participation_id)
        ).scalar()
    values = {name: getattr(target, name) for name in CANONICAL_FIELDS}
    values["kind"] = target.kind or target.__mapper__.polymorphic_identity
    link(connection, values)
    target.prev_hash, target.hash = values["prev_hash"], values["hash"]
