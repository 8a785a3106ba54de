"""Sign-in with a PIN on an enrolled device (for phones without passkeys).

The device cookie holds 256 random bits (only their SHA-256 is stored): the factor the person
has. The PIN (argon2id) is the factor they know. Wrong PINs count per account, in a transaction
of their own so no rollback can undo them; at the limit the account locks until a coach unlocks
it. Nothing here touches the request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update

from webapp import clock
from webapp.auth import services
from webapp.extensions import db
from webapp.models import Device, User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def enrol_device(user: User, label: str) -> str:
    """Remember this device for the user; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(Device(user_id=user.id, token_hash=token_hash(token), label=label[:60]))
    return token


def device_for(token: str | None) -> Device | None:
    """The enrolled device behind a cookie value, if it is still remembered."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(Device).where(Device.token_hash == token_hash(token), Device.forgotten_at.is_(None))
    )


def devices(user: User) -> list[Device]:
    return list(db.session.scalars(
        select(Device).where(Device.user_id == user.id, Device.forgotten_at.is_(None)).order_by(Device.created_at)
    ))


def forget_device(user: User, device_id: uuid.UUID) -> bool:
    found = db.session.execute(
        update(Device)
        .where(Device.public_id == device_id, Device.user_id == user.id, Device.forgotten_at.is_(None))
        .values(forgotten_at=clock.now())
    )
    return found.rowcount == 1


def pin_problem(pin: str) -> str | None:
    """Why a new PIN is not good enough, as a code for the form to word; None when it is."""
    length = current_app.config["PIN_LENGTH"]
    if not re.fullmatch(rf"[0-9]{{{length}}}", pin or ""):
        return "format"
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in zip(digits, digits[1:], strict=False)}
    if len(set(digits)) == 1 or steps in ({1}, {-1}):
        return "easy"
    return None


def set_pin(user: User, pin: str) -> None:
    user.pin_hash = services.hash_password(pin)
    user.pin_failures = 0
    user.locked_at = None


@dataclass(frozen=True)
class PinResult:
    user: User | None = None
    locked: bool = False  # the account is locked (now or before)
    just_locked: bool = False  # this try locked it
    left: int | None = None  # tries left before the lock


def check_pin(device: Device, pin: str) -> PinResult:
    """Check the PIN of the device's person, counting failures per account."""
    user = device.user
    if not user.is_active or not user.pin_hash:
        return PinResult()
    if user.locked_at is not None:
        return PinResult(locked=True)
    if not services.verify_secret(user.pin_hash, pin):
        return _failed(user)
    user.pin_failures = 0
    device.last_used_at = clock.now()
    return PinResult(user=user)


def _failed(user: User) -> PinResult:
    """Count the failure atomically (safe across instances) and commit it at once, so that
    nothing the request does later can roll it back."""
    limit = current_app.config["PIN_MAX_FAILURES"]
    failures = db.session.execute(
        update(User).where(User.id == user.id).values(pin_failures=User.pin_failures + 1)
        .returning(User.pin_failures)
    ).scalar_one()
    just_locked = False
    if failures >= limit:
        just_locked = db.session.execute(
            update(User).where(User.id == user.id, User.locked_at.is_(None)).values(locked_at=clock.now())
        ).rowcount == 1
    db.session.commit()
    return PinResult(locked=failures >= limit, just_locked=just_locked, left=max(limit - failures, 0))


def unlock(user: User) -> None:
    user.pin_failures = 0
    user.locked_at = None
