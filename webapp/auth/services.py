"""Passwords, activation codes and server-side sessions. No request objects here."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_request_context, request
from sqlalchemy import delete, select, update

from webapp import clock
from webapp.extensions import db
from webapp.models import ActivationCode, AuthSession, Device, Passkey, User

# Letters and digits that cannot be mistaken for each other when read aloud or handwritten:
# no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def authenticate(login_name: str, password: str) -> User | None:
    """The active user with this login name and password, or None."""
    user = db.session.scalar(select(User).where(User.login_name == normalise_login(login_name)))
    hasher = _hasher()
    if user is None or not user.password_hash:
        # Spend the same time as a real check so response times do not reveal who exists.
        try:
            hasher.verify(_dummy_hash(), password)
        except VerificationError:
            pass
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if not user.is_active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def verify_secret(stored_hash: str, secret: str) -> bool:
    try:
        return _hasher().verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    cache = current_app.extensions.setdefault("stegvis_dummy_hash", {})
    if "hash" not in cache:
        cache["hash"] = _hasher().hash(secrets.token_urlsafe(16))
    return cache["hash"]


def normalise_login(login_name: str) -> str:
    return login_name.strip().lower()


# --- sessions --------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


SEEN_EVERY = dt.timedelta(minutes=1)


def _write_session(session_id: int, **values) -> None:
    """Its own short transaction: the request's own work is neither committed nor disturbed.

    Except on SQLite in a request that writes: its session already holds the database's one write
    lock (BEGIN IMMEDIATE, webapp/extensions.py), so a second connection would wait for this very
    request until busy_timeout and fail with "database is locked". There the write joins the
    request's transaction (and is stored when the request's work is)."""
    statement = update(AuthSession).where(AuthSession.id == session_id).values(**values)
    if (db.session().in_transaction() and db.session.connection().dialect.name == "sqlite"
            and has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")):
        db.session.execute(statement)
        return
    with db.engine.begin() as connection:
        connection.execute(statement)


def start_session(user: User) -> str:
    """Open a server-side session for the user and return its token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(AuthSession(user_id=user.id, token_hash=_token_hash(token)))
    user.session_token = token
    return token


def _idle_limit(user: User) -> dt.timedelta | None:
    minutes = current_app.config["IDLE_MINUTES_STAFF" if user.is_staff else "IDLE_MINUTES_PARTICIPANT"]
    return dt.timedelta(minutes=minutes) if minutes else None


def user_for_session(token: str) -> User | None:
    """The user behind a session token, if the session is open, young enough (the absolute
    timeout), used recently enough (the idle timeout, per role) and the user active."""
    now = clock.now()
    oldest = now - dt.timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])
    found = db.session.execute(
        select(User, AuthSession)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(
            AuthSession.token_hash == _token_hash(token),
            AuthSession.ended_at.is_(None),
            AuthSession.created_at > oldest,
            User.is_active.is_(True),
        )
    ).first()
    if found is None:
        return None
    user, auth = found
    last_seen = auth.last_seen_at or auth.created_at
    idle = _idle_limit(user)
    if idle is not None and now - last_seen > idle:
        _write_session(auth.id, ended_at=now)
        return None
    if now - last_seen > SEEN_EVERY:
        # At most once a minute per session, so that reading pages stays (nearly) read-only.
        _write_session(auth.id, last_seen_at=now)
    user.session_token = token
    return user


def end_session(token: str) -> None:
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == _token_hash(token), AuthSession.ended_at.is_(None))
        .values(ended_at=clock.now())
    )


def end_all_sessions(user: User, keep: str | None = None) -> int:
    """End every open session of the user (e.g. when their password is reset), except the one
    with the token `keep` (the person's own, when they change a factor). Returns how many."""
    query = update(AuthSession).where(AuthSession.user_id == user.id, AuthSession.ended_at.is_(None))
    if keep:
        query = query.where(AuthSession.token_hash != _token_hash(keep))
    return db.session.execute(query.values(ended_at=clock.now())).rowcount


# --- activation codes --------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """Upper case, without spaces or dashes; the form accepts "abcd 2345" as "ABCD-2345"."""
    return re.sub(r"[^A-Z0-9]", "", unicodedata.normalize("NFKC", code).upper())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _code_hash(code: str) -> str:
    key = hashlib.sha256(b"activation-code:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def issue_activation_code(user: User, created_by: User | None) -> str:
    """A new one-time code for the user; earlier unused codes stop working. Returns the code."""
    now = clock.now()
    db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.user_id == user.id, ActivationCode.used_at.is_(None))
        .values(used_at=now)
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    days = current_app.config["ACTIVATION_CODE_DAYS"]
    db.session.add(
        ActivationCode(
            user_id=user.id,
            code_hash=_code_hash(code),
            created_by_id=created_by.id if created_by else None,
            expires_at=now + dt.timedelta(days=days),
        )
    )
    return format_code(code)


def valid_activation_code(code: str) -> ActivationCode | None:
    """The unused, unexpired code for an active user, or None."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    return db.session.scalar(
        select(ActivationCode)
        .join(User, User.id == ActivationCode.user_id)
        .where(
            ActivationCode.code_hash == _code_hash(code),
            ActivationCode.used_at.is_(None),
            ActivationCode.expires_at > clock.now(),
            User.is_active.is_(True),
        )
    )


def use_code(activation: ActivationCode) -> User:
    """Use the code once. A code is a new start (often a lost phone): the old sessions end, and
    the old PIN, phones, passkeys and authenticator app no longer work."""
    user = activation.user
    now = clock.now()
    activation.used_at = now
    end_all_sessions(user)
    db.session.execute(update(Device).where(Device.user_id == user.id, Device.forgotten_at.is_(None))
                       .values(forgotten_at=now))
    db.session.execute(delete(Passkey).where(Passkey.user_id == user.id))
    user.pin_hash = None
    user.pin_failures = 0
    user.locked_at = None
    user.totp_secret = None
    user.totp_last_step = None
    return user


def activate(activation: ActivationCode, password: str) -> User:
    """Use the code: the new password is the way in."""
    user = use_code(activation)
    user.password_hash = hash_password(password)
    return user


def login_name_candidate(name: str) -> str:
    """A short sign-in name from the first name and four digits, e.g. "amina4821" (maybe taken)."""
    first = name.split()[0] if name.split() else ""
    ascii_name = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z]", "", ascii_name)[:12] or "stegvis"
    return f"{stem}{secrets.randbelow(9000) + 1000}"


def new_participant_login_name(name: str) -> str:
    """A free sign-in name (see login_name_candidate)."""
    for _ in range(50):
        candidate = login_name_candidate(name)
        if db.session.scalar(select(User.id).where(User.login_name == candidate)) is None:
            return candidate
    return f"{login_name_candidate(name)[:-4]}{uuid.uuid4().hex[:8]}"
