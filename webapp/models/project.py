"""Projects, the lists a project keeps, and participations (a participant in a project)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    Uuid,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, UTCDateTime, public_id, utcnow
from webapp.models.people import Organisation, User
from webapp.models.types import str_enum


class Project(Base):
    """An ESF project such as Norrskan, with its period."""

    __tablename__ = "projects"
    __table_args__ = (CheckConstraint("suppression_threshold >= 3", name="suppression_threshold"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[uuid.UUID] = public_id()
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200), unique=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    # A participant with no activity for this many days needs the coach's attention.
    inactivity_days: Mapped[int] = mapped_column(Integer, default=14)
    # Surveys: the questionnaire (key) for each occasion; follow-ups come every N weeks.
    start_survey_key: Mapped[str | None] = mapped_column(String(64))
    follow_up_survey_key: Mapped[str | None] = mapped_column(String(64))
    follow_up_weeks: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    exit_survey_key: Mapped[str | None] = mapped_column(String(64))
    # Counts from 1 to this minus 1 are not shown in reports, so nobody can be identified.
    suppression_threshold: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class ProjectStaff(Base):
    """A coach or project leader working in a project."""

    __tablename__ = "project_staff"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    # Indexed on its own too: every page a staff member opens looks up their projects by it.
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class Municipality(Base):
    """A municipality the project works in; the goal report splits by it."""

    __tablename__ = "municipalities"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[uuid.UUID] = public_id()
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    project: Mapped[Project] = relationship()


class Helper(Base):
    """An authority, institution or organisation that can help with a step ("who helps")."""

    __tablename__ = "helpers"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[uuid.UUID] = public_id()
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The "other" entry: the participant writes who helps in their own words.
    is_other: Mapped[bool] = mapped_column(Boolean, default=False)
    # Hidden entries stay on old steps but are no longer offered.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Gender(enum.StrEnum):
    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"
    NOT_STATED = "not_stated"


class EndReason(enum.StrEnum):
    COMPLETED = "completed"  # fullföljt
    INTERRUPTED = "interrupted"  # avbrutet


class InterruptionCause(enum.StrEnum):
    MOVED = "moved"
    ILLNESS = "illness"
    ANOTHER_MEASURE = "another_measure"
    OTHER = "other"
    UNKNOWN = "unknown"


class Outcome(enum.StrEnum):
    """Where a participant went at exit, or at a follow-up. Grouped for the ESF report."""

    EMPLOYMENT = "employment"
    SUPPORTED_EMPLOYMENT = "supported_employment"
    OWN_BUSINESS = "own_business"
    STUDIES = "studies"
    LABOUR_MARKET_TRAINING = "labour_market_training"
    JOB_SEEKING = "job_seeking"
    SICK_LEAVE_OR_REHABILITATION = "sick_leave_or_rehabilitation"
    OTHER = "other"
    UNKNOWN = "unknown"

    @property
    def is_work(self) -> bool:
        return self in (Outcome.EMPLOYMENT, Outcome.SUPPORTED_EMPLOYMENT, Outcome.OWN_BUSINESS)

    @property
    def is_education(self) -> bool:
        return self in (Outcome.STUDIES, Outcome.LABOUR_MARKET_TRAINING)


class Participation(Base):
    """A participant's time in a project, with the coach and the facts the goal report needs."""

    __tablename__ = "participations"
    __table_args__ = (
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year"),
        # An end is whole or absent: date, reason and outcome together, and a cause exactly
        # when the participation was interrupted.
        CheckConstraint(
            "(ended_on IS NULL AND end_reason IS NULL AND exit_outcome IS NULL AND interruption_cause IS NULL)"
            " OR (ended_on IS NOT NULL AND end_reason IS NOT NULL AND exit_outcome IS NOT NULL"
            " AND (end_reason = 'interrupted') = (interruption_cause IS NOT NULL))",
            name="end_complete",
        ),
        CheckConstraint("ended_on IS NULL OR ended_on >= enrolled_on", name="end_after_enrolment"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    coach_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    enrolled_on: Mapped[dt.date] = mapped_column(Date)
    gender: Mapped[Gender] = mapped_column(str_enum(Gender, "gender"))
    birth_year: Mapped[int] = mapped_column(SmallInteger)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"))
    plan_ready_on: Mapped[dt.date | None] = mapped_column(Date)
    plan_completed_on: Mapped[dt.date | None] = mapped_column(Date)
    # The end of the participation; all four are set together, or none (see ParticipationEvent
    # for the history of ends and reopenings).
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[EndReason | None] = mapped_column(str_enum(EndReason, "end_reason"))
    interruption_cause: Mapped[InterruptionCause | None] = mapped_column(
        str_enum(InterruptionCause, "interruption_cause")
    )
    exit_outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome, "exit_outcome"))
    # When the participant last read the coaches' comments.
    comments_read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant: Mapped[User] = relationship(foreign_keys=[participant_id])
    coach: Mapped[User] = relationship(foreign_keys=[coach_id])
    project: Mapped[Project] = relationship()
    municipality: Mapped[Municipality] = relationship()

    @property
    def is_ended(self) -> bool:
        return self.ended_on is not None


class ParticipationEvent(Base):
    """The history of a participation's end: each end and each reopening, with who and why."""

    __tablename__ = "participation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # "ended" or "reopened"
    on_date: Mapped[dt.date] = mapped_column(Date)
    end_reason: Mapped[EndReason | None] = mapped_column(str_enum(EndReason, "event_end_reason"))
    interruption_cause: Mapped[InterruptionCause | None] = mapped_column(
        str_enum(InterruptionCause, "event_interruption_cause")
    )
    outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome, "event_outcome"))
    reason: Mapped[str | None] = mapped_column(String(500))
    by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowUpKind(enum.StrEnum):
    WEEKS_4 = "4_weeks"
    MONTHS_6 = "6_months"


class FollowUp(Base):
    """Where the participant was some time after the exit: at 4 weeks and at 6 months."""

    __tablename__ = "follow_ups"
    __table_args__ = (UniqueConstraint("participation_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    kind: Mapped[FollowUpKind] = mapped_column(str_enum(FollowUpKind, "follow_up_kind"))
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "follow_up_outcome"))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseloadShare(Base):
    """A coach covers a colleague's caseload, e.g. during an absence. Set by the project leader."""

    __tablename__ = "caseload_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    colleague_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Inclusive; no end date means until the leader ends it.
    until: Mapped[dt.date | None] = mapped_column(Date)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    colleague: Mapped[User] = relationship(foreign_keys=[colleague_id])
