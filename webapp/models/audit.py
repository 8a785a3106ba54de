"""Who has looked at a participant's information: one row each time someone else opens it."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.people import Role, User
from webapp.models.types import str_enum


class AccessLog(Base):
    """Append-only. `action` is the endpoint that showed the data (e.g. "coach.participant")."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_participation_at", "participation_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[Role] = mapped_column(str_enum(Role, "actor_role"))
    participation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User] = relationship()
