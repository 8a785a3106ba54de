"""The action plan (handlingsplan): goals and steps in the participant's own words."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.people import User
from webapp.models.project import Helper
from webapp.models.types import str_enum


class StepStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    DOING = "doing"
    DONE = "done"
    PAUSED = "paused"


class StepState(enum.StrEnum):
    """Whether a step is part of the plan. A coach's suggestion joins only when accepted."""

    IN_PLAN = "in_plan"
    SUGGESTED = "suggested"
    DECLINED = "declined"


class Goal(Base):
    __tablename__ = "goals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    participation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Deleting is soft for a while so that the participant can undo it.
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Counts the changes (see Step.version).
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}


# The steps the goal report counts as "a step names who helps": in the plan, not deleted, a helper
# chosen: the condition of the partial index ix_steps_with_helper, which the report's query uses.
STEP_WITH_HELPER = "helper_id IS NOT NULL AND deleted_at IS NULL AND state = 'in_plan'"


class Step(Base):
    __tablename__ = "steps"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    participation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    goal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("goals.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    helper_id: Mapped[int | None] = mapped_column(ForeignKey("helpers.id"))
    helper_other: Mapped[str | None] = mapped_column(String(100))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[StepStatus] = mapped_column(str_enum(StepStatus, "step_status"), default=StepStatus.NOT_STARTED)
    note: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[StepState] = mapped_column(str_enum(StepState, "step_state"), default=StepState.IN_PLAN)
    suggested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Counts the changes: every UPDATE sets version + 1 WHERE version is the one that was read,
    # so a change written in between (another phone, the same person's other tab) makes the
    # later write fail (StaleDataError) instead of silently overwriting it. An edit form carries
    # the version it was loaded with; see plan.services.Conflict.
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}
    # The goal report asks, for each participation, whether a step in the plan names who helps:
    # this index holds only such steps, so the answer is one look-up (see goals/report.py).
    __table_args__ = (
        Index("ix_steps_with_helper", "participation_id", sqlite_where=sql_text(STEP_WITH_HELPER),
              postgresql_where=sql_text(STEP_WITH_HELPER)),
    )

    helper: Mapped[Helper | None] = relationship()
    suggested_by: Mapped[User | None] = relationship()

    @property
    def helper_label(self) -> str | None:
        """Who helps, as the participant sees it: the free text for "other", else the list name."""
        if self.helper is None:
            return None
        if self.helper.is_other and self.helper_other:
            return self.helper_other
        return self.helper.name
