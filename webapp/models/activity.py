"""The activity log (aktivitetslogg) and the participant's stated capacity."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, SmallInteger, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.plan import Step
from webapp.models.types import str_enum


class ActivityKind(enum.StrEnum):
    WORK_PLACEMENT = "work_placement"
    STUDIES = "studies"
    SFI = "sfi"
    WORK_TRAINING = "work_training"
    JOB_APPLICATION = "job_application"
    AUTHORITY_MEETING = "authority_meeting"
    HEALTH = "health"
    PERSONAL_DEVELOPMENT = "personal_development"
    OTHER = "other"


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("feeling BETWEEN 1 AND 5", name="feeling"),
        CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes"),
        Index("ix_activities_participation_day", "participation_id", "occurred_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    participation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    # Made by the client when the form is shown, so a repeated submit (double tap, a replay
    # after a dropped connection) is stored once.
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    # SHA-256 of the first submission's content: a replay matches it even after an edit.
    payload_hash: Mapped[str] = mapped_column(String(64))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind, "activity_kind"))
    minutes: Mapped[int] = mapped_column(Integer)
    feeling: Mapped[int] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(Text)
    # Indexed: deleting a step (the purge) sets this to NULL in every activity that names it.
    step_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("steps.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    step: Mapped[Step | None] = relationship()


class CapacityLevel(enum.StrEnum):
    """How much the participant can take part now, as a share of full time."""

    P25 = "25"
    P50 = "50"
    P75 = "75"
    P100 = "100"
    SICK_LEAVE = "sick_leave"

    @property
    def percent(self) -> int | None:
        return None if self is CapacityLevel.SICK_LEAVE else int(self.value)


class Capacity(Base):
    """A stated capacity from a date on; the newest one on or before a day applies."""

    __tablename__ = "capacities"
    __table_args__ = (Index("ix_capacities_participation_start", "participation_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    level: Mapped[CapacityLevel] = mapped_column(str_enum(CapacityLevel, "capacity_level"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
