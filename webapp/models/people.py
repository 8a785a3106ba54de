"""People and how they get in: users, activation codes and server-side sign-in sessions."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.types import str_enum


class Role(enum.StrEnum):
    PARTICIPANT = "participant"
    COACH = "coach"
    LEADER = "leader"


class Organisation(Base):
    """A municipality or a unit in one, that owns projects and employs staff."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(Base):
    """Anyone who signs in. One role each.

    Staff sign in with their email as login name; a participant gets a short generated
    sign-in name when the coach creates them, and sets a password with an activation code.
    """

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    name: Mapped[str] = mapped_column(String(100))
    # Lower-cased email for staff, generated name for participants.
    login_name: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(16))
    # SFI mode: show the Swedish words beside the translation (for people learning Swedish).
    show_swedish: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A participant's PIN (argon2id), used with a device this person enrolled (see Device).
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    # Wrong PINs in a row; at the limit the account is locked until a coach unlocks it.
    pin_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Staff's second factor: a TOTP secret (base32) and the last time step used (no replay).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation | None] = relationship()

    # Flask-Login's user protocol. The id Flask-Login keeps in the cookie is the token of a
    # server-side AuthSession, not the user id, so that a session can be ended on the server.
    is_authenticated = True
    is_anonymous = False
    session_token = None  # set per request, never stored

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_activated(self) -> bool:
        """Has chosen a way to sign in with the activation code: a password or a PIN."""
        return bool(self.password_hash or self.pin_hash)

    @property
    def is_participant(self) -> bool:
        return self.role == Role.PARTICIPANT

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.COACH, Role.LEADER)


class ActivationCode(Base):
    """A one-time code a coach gives a participant to set (or reset) their password."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # HMAC-SHA256 of the normalised code; the code itself is shown once and never stored.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class AuthSession(Base):
    """A signed-in session, kept on the server so that logout really ends it."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the random token in the signed cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Last request with this session, to the minute (for the idle timeout); None: not since sign-in.
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
