"""The participant's rights: how long a project keeps its data (retention), requests to erase,
and the register of every purge (gallring), which a restore from backup replays."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, UTCDateTime, public_id, utcnow
from webapp.models.types import str_enum

DEFAULT_KEEP_YEARS = 5  # ESF+ 2021–2027 (CPR 2021/1060 Art. 82): five years from 31 December


class ProjectRetention(Base):
    """A project's retention decision (gallringsbeslut): from the managing authority's last payment,
    the data is kept to 31 December of that year plus `keep_years`. No last payment: never purged."""

    __tablename__ = "project_retention"
    __table_args__ = (CheckConstraint("keep_years BETWEEN 1 AND 30", name="keep_years"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    last_payment_on: Mapped[dt.date | None] = mapped_column(Date)
    keep_years: Mapped[int] = mapped_column(Integer, default=DEFAULT_KEEP_YEARS, server_default=str(DEFAULT_KEEP_YEARS))
    # The reference of the retention decision, e.g. "KS 2026/123 § 4"; the purge register copies it.
    decision_reference: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def retention_until(self) -> dt.date | None:
        """The last day the data is kept, or None while the last payment is not known."""
        return retention_until(self.last_payment_on, self.keep_years)


def retention_until(last_payment_on: dt.date | None, keep_years: int) -> dt.date | None:
    if last_payment_on is None:
        return None
    return dt.date(last_payment_on.year + keep_years, 12, 31)


class ErasureStatus(enum.StrEnum):
    OPEN = "open"  # waiting for the project leader
    KEPT = "kept"  # kept until the retention date (the usual answer: arkivlagen, ESF rules)
    ERASED = "erased"  # erased at once (allowed only when nothing must be kept)


class ErasureRequest(Base):
    """A participant asked for their data to be erased (GDPR Art. 17), and what was decided."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[uuid.UUID] = public_id()
    # No cascade: this is a register; participation rows are never deleted (they are anonymised).
    participation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participations.id"), index=True)
    requested_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[ErasureStatus] = mapped_column(
        str_enum(ErasureStatus, "erasure_status"), default=ErasureStatus.OPEN
    )
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # For "kept": the project's retention date when the leader decided (None: not yet known).
    kept_until: Mapped[dt.date | None] = mapped_column(Date)


class PurgeReason(enum.StrEnum):
    RETENTION = "retention"  # the project's retention date has passed
    ERASURE_REQUEST = "erasure_request"  # the leader decided "erase now" on a request


class PurgeRecord(Base):
    """One row per purged participation: what `flask purge --replay` re-applies after a restore.

    Holds no personal data: ids, a time and the decision's reference."""

    __tablename__ = "purge_register"

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participations.id"), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    purged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[PurgeReason] = mapped_column(str_enum(PurgeReason, "purge_reason"))
    reference: Mapped[str] = mapped_column(String(200))
