"""Surveys: questionnaires (shipped as files, or imported by a project), the responses a
participant gives on each occasion, and each answer, saved as it is given."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.types import str_enum


class Occasion(enum.StrEnum):
    START = "start"
    FOLLOW_UP = "follow_up"
    EXIT = "exit"


class ImportedQuestionnaire(Base):
    """A questionnaire a project leader imported (e.g. a licensed instrument), with its own texts.

    Shipped questionnaires are files in webapp/surveys/questionnaires/ and are not stored here.
    """

    __tablename__ = "imported_questionnaires"
    __table_args__ = (UniqueConstraint("project_id", "key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[str] = mapped_column(Text)  # the validated JSON file, as imported
    imported_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SurveyResponse(Base):
    """One participant's answers to one questionnaire on one occasion (the n-th follow-up is `round` n)."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("participation_id", "occasion", "round"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    participation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    occasion: Mapped[Occasion] = mapped_column(str_enum(Occasion, "occasion"))
    round: Mapped[int] = mapped_column(Integer, default=0)
    questionnaire_key: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[dt.date] = mapped_column(Date)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Until it is submitted the participant can change any answer; after, only a coach can reopen it.
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reopened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reopened_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    answers: Mapped[list[SurveyAnswer]] = relationship(back_populates="response", lazy="raise",
                                                       cascade="all, delete-orphan")


class SurveyAnswer(Base):
    """One item's answer. `skipped` means the participant chose not to answer it."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "item_key"),
        Index("ix_survey_answers_item_value", "item_key", "value_int"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(64))
    value_int: Mapped[int | None] = mapped_column(Integer)  # agreement 1–5, scale 0–10, yes 1 / no 0
    value_text: Mapped[str | None] = mapped_column(Text)  # single choice (option key) or short text
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
