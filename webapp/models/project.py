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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.people import Organisation, User
from webapp.models.types import str_enum


class Project(Base):
    """An ESF project such as Norrskan, with its period."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200), unique=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    # A participant with no activity for this many days needs the coach's attention.
    inactivity_days: Mapped[int] = mapped_column(Integer, default=14)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class ProjectStaff(Base):
    """A coach or project leader working in a project."""

    __tablename__ = "project_staff"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class Municipality(Base):
    """A municipality the project works in; the goal report splits by it."""

    __tablename__ = "municipalities"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))

    project: Mapped[Project] = relationship()


class Helper(Base):
    """An authority, institution or organisation that can help with a step ("who helps")."""

    __tablename__ = "helpers"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The "other" entry: the participant writes who helps in their own words.
    is_other: Mapped[bool] = mapped_column(Boolean, default=False)


class Gender(enum.StrEnum):
    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"
    NOT_STATED = "not_stated"


class Participation(Base):
    """A participant's time in a project, with the coach and the facts the goal report needs."""

    __tablename__ = "participations"
    __table_args__ = (CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year"),)

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
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant: Mapped[User] = relationship(foreign_keys=[participant_id])
    coach: Mapped[User] = relationship(foreign_keys=[coach_id])
    project: Mapped[Project] = relationship()
    municipality: Mapped[Municipality] = relationship()
