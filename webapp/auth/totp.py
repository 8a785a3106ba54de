"""Staff's second factor: a six-digit code from an authenticator app (TOTP, RFC 6238).

A code is accepted for the time step before, now and after (phones' clocks drift), and each
step only once per person: a code seen over someone's shoulder cannot be used again.
"""

from __future__ import annotations

import re

import pyotp
import segno
from sqlalchemy import update

from webapp import clock
from webapp.extensions import db
from webapp.models import User

STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits from `secrets`


def provisioning_uri(user: User, secret: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.login_name, issuer_name=issuer)


def qr_svg(uri: str, title: str) -> str:
    """Inline SVG made by segno from our own URI (no user text in it)."""
    return segno.make(uri, error="m").svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", title=title)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return re.sub(r"\s", "", code or "")


def matching_step(secret: str, code: str) -> int | None:
    """The time step the code belongs to (now, or one step either side), or None."""
    code = _clean(code)
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(clock.now().timestamp()) // STEP_SECONDS
    for step in (now_step, now_step - 1, now_step + 1):
        if totp.at(step * STEP_SECONDS) == code:
            return step
    return None


def verify(user: User, code: str) -> bool:
    """True when the code is right and its time step was not used before; marks it used."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    used = db.session.execute(
        update(User)
        .where(User.id == user.id, (User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step)
    )
    return used.rowcount == 1


def confirm_new_secret(user: User, secret: str, code: str) -> bool:
    """Save a new secret once the person shows their app makes the right codes with it."""
    step = matching_step(secret, code)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_last_step = step
    return True
