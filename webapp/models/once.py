"""A form that makes something new, remembered for a day: sent twice, it is done once (webapp/once.py)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, UTCDateTime, utcnow


class FormSubmission(Base):
    """One sending of a form: its token and content as a hash, and where its answer led."""

    __tablename__ = "form_submissions"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_form_submissions_user_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # SHA-256 of the form's token, the URL it was sent to and every field sent: never the text itself.
    key: Mapped[str] = mapped_column(String(64))
    # Where the first answer led (a page of Stegvis); None until that answer is made.
    result_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
