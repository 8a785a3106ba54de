"""Consent to share chosen parts of a participant's information with a named organisation, and
every share made under it (OSL 10 kap 1 § with 12 kap 2 §: the individual's consent lifts secrecy
towards another authority, for that recipient and those parts, until it is withdrawn)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.people import User
from webapp.models.project import Participation


class SharePart(enum.StrEnum):
    """What can be shared. Nothing else: free-text notes and how an activity went never are."""

    PLAN = "plan"
    ACTIVITY_SUMMARY = "activity_summary"


class _Parts:
    """The two part columns (share_plan, share_activity_summary) as a set of SharePart."""

    @property
    def parts(self) -> frozenset[SharePart]:
        chosen = ((SharePart.PLAN, self.share_plan), (SharePart.ACTIVITY_SUMMARY, self.share_activity_summary))
        return frozenset(part for part, on in chosen if on)

    @staticmethod
    def part_columns(parts) -> dict[str, bool]:
        return {"share_plan": SharePart.PLAN in parts,
                "share_activity_summary": SharePart.ACTIVITY_SUMMARY in parts}


class Consent(_Parts, Base):
    """A consent is never changed or deleted: it is withdrawn, and a new one is given instead.

    Given in the app by the participant (given_by is the participant), or recorded by a coach
    from a consent the participant signed on paper (on_paper; given_by is the coach)."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint("share_plan OR share_activity_summary", name="some_part"),
        CheckConstraint("(withdrawn_at IS NULL) = (withdrawn_by_id IS NULL)", name="withdrawn_complete"),
        Index("ix_consents_participation_given", "participation_id", "given_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    participation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    # The organisation in the participant's words, e.g. "Arbetsförmedlingen Piteå".
    recipient: Mapped[str] = mapped_column(String(120))
    share_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    share_activity_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    purpose: Mapped[str | None] = mapped_column(String(200))
    # The last day the consent holds; None: until it is withdrawn.
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    on_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    given_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    participation: Mapped[Participation] = relationship()
    given_by: Mapped[User] = relationship(foreign_keys=[given_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])

    def is_expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and self.valid_until < today

    def is_valid(self, today: dt.date) -> bool:
        """Not withdrawn and not past its last day: a share may be made under it today."""
        return self.withdrawn_at is None and not self.is_expired(today)

    def allows(self, parts, today: dt.date) -> bool:
        """Valid today, and every one of `parts` (at least one) was consented to."""
        parts = frozenset(parts)
        return bool(parts) and parts <= self.parts and self.is_valid(today)


class ConsentShare(_Parts, Base):
    """One disclosure (utlämnande): who showed which parts under which consent, and when.
    Append-only; the recipient is the consent's, never typed at share time."""

    __tablename__ = "consent_shares"
    __table_args__ = (
        CheckConstraint("share_plan OR share_activity_summary", name="some_part"),
        Index("ix_consent_shares_participation_at", "participation_id", "shared_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consents.id", ondelete="CASCADE"), index=True)
    # The consent's participation, kept here too so an export or an erasure finds the shares directly.
    participation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    share_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    share_activity_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    shared_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    consent: Mapped[Consent] = relationship()
    shared_by: Mapped[User] = relationship()
