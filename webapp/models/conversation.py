"""Comments between a participant and the coaches, and what each side has seen."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, Index, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.activity import Activity
from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.people import User
from webapp.models.plan import Step


class Comment(Base):
    """A comment in a thread: about a step, about an activity, or the general thread (neither)."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_participation_created", "participation_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    participation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # Kept on the row so "has the participant had an answer?" is one query, whoever the coach is.
    by_staff: Mapped[bool] = mapped_column(Boolean)
    step_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()
    step: Mapped[Step | None] = relationship()
    activity: Mapped[Activity | None] = relationship()

    @property
    def thread(self) -> str:
        """A stable name for the thread, e.g. "step-<id>" or "general"."""
        if self.step_id:
            return f"step-{self.step_id}"
        if self.activity_id:
            return f"activity-{self.activity_id}"
        return "general"


class Review(Base):
    """When a coach last marked a participant's news as reviewed."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("participation_id", "coach_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    coach_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
