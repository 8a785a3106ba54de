"""The project's goals (måluppföljning): each the share or the count of a population that meets
a rule, with a target. Populations and rules come from a small catalogue in webapp/goals/rules.py."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, UTCDateTime, public_id, utcnow
from webapp.models.types import str_enum


class GoalKind(enum.StrEnum):
    SHARE = "share"  # target is a percentage of the population
    COUNT = "count"  # target is a number of participations


class ProjectGoal(Base):
    __tablename__ = "project_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[uuid.UUID] = public_id()
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))  # e.g. "G1", as in the project's application
    title: Mapped[str] = mapped_column(String(300))  # the project's own words
    kind: Mapped[GoalKind] = mapped_column(str_enum(GoalKind, "goal_kind"))
    population: Mapped[str] = mapped_column(String(64))  # a key in the rule catalogue
    condition: Mapped[str] = mapped_column(String(64))  # a key in the rule catalogue
    item_key: Mapped[str | None] = mapped_column(String(64))  # for rules about a survey item
    outcomes: Mapped[str | None] = mapped_column(String(300))  # for "outcome in": comma-separated Outcome values
    target: Mapped[int] = mapped_column(Integer)  # percent for a share, a number for a count
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
