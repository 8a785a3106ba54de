"""The audit log: who opened a participant's data (reads), and security events.

Both go to one append-only, hash-chained table (webapp.models.audit). Three rules:

- **Fail closed.** A read of participant data that cannot be logged is refused: record_access
  raises AuditUnavailable (503, Retry-After), before the page is built. So do events that change
  or disclose something (exports, account changes, a sign-in). Events that are themselves a
  refusal (a failed sign-in, a CSRF failure, a rate limit …) and signing out are recorded when
  possible and never block. Every failure goes to the app logger with the row's content (the
  fallback sink).
- **One chain, no forks.** Rows are linked under a lock. In a request the row is written on its
  own connection in a short transaction (PostgreSQL: advisory lock; SQLite: BEGIN IMMEDIATE), so
  it stays whatever the request does next. On SQLite a write request already holds the database's
  one write lock through the request's session (BEGIN IMMEDIATE, webapp/extensions.py); there the
  row goes through that session, and if the request ends without committing, the row is written
  again on its own once the request's transaction is gone (see _write_lost_rows). Outside a
  request (jobs, the shell) the row joins the caller's transaction and the caller commits.
- **No secrets, no free text.** `detail` is a short code or an id. Every stored string is cut to
  its column and has its control characters escaped, so a log line cannot be forged.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

import click
from flask import Flask, Response, current_app, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, insert, or_, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, joinedload
from werkzeug.exceptions import ServiceUnavailable

from webapp import clock
from webapp.extensions import db
from webapp.models import AccessLog, CaseloadShare, Participation, Role, User
from webapp.models.audit import GENESIS, AuditRecord, canonical, chain_hash, link

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EVENT_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
# Recorded when possible; a failure to record them is logged and does not refuse anything more.
BEST_EFFORT = frozenset(
    {"sign_in_failed", "locked_out", "passkey_failed", "rate_limited", "csrf_failed", "access_denied", "sign_out",
     "share_refused"}
)
RETRY_AFTER_SECONDS = 60
LOCK_TIMEOUT = "5s"  # PostgreSQL: wait at most this long for the audit lock (then fail closed)
_PENDING = "stegvis_audit_pending"  # rows written through the request's session, not yet committed
_LOST = "stegvis_audit_lost"  # such rows whose transaction was rolled back


class AuditUnavailable(ServiceUnavailable):
    """The audit log could not be written, so what needed it is refused."""


def clean(value, limit: int) -> str | None:
    """One line of printable text: control, format and line-separator characters escaped
    (a newline becomes the four characters "\\x0a"), cut to `limit`."""
    if value is None:
        return None
    out = []
    for char in str(value):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)[:limit]


# --- writing -------------------------------------------------------------------------------------


def record_access(actor: User, participation: Participation, action: str | None = None) -> None:
    """One row per request that opens the participant's data (not when it is the participant's
    own). Raises AuditUnavailable when the row cannot be written: the caller shows nothing."""
    if actor.id == participation.participant_id:
        return
    values = _values("read", None, actor, participation, None, _relation(actor, participation),
                     action or _endpoint() or "unknown")
    _append(values, required=True)


def record_event(
    event: str,
    *,
    actor: User | None = None,
    participation: Participation | None = None,
    project_id: int | None = None,
    detail: str | None = None,
) -> None:
    """A security or privacy event (sign-in, failure, lockout, export, share, role change…).

    `detail` is a short code or id, never free text, never a secret. Raises AuditUnavailable when
    the row cannot be written, except for the BEST_EFFORT events."""
    if not EVENT_NAME.fullmatch(event):
        raise ValueError(f"not an audit event name: {event!r}")
    values = _values("event", event, actor, participation, project_id, detail, _endpoint())
    _append(values, required=event not in BEST_EFFORT)


def record_sign_in_failed(login_name: str | None, method: str) -> None:
    """A failed sign-in: the account's id when the name belongs to one; the name itself never."""
    from webapp.auth.services import normalise_login

    user = None
    if login_name:
        try:
            user = db.session.scalar(select(User).where(User.login_name == normalise_login(login_name)))
        except Exception as error:  # noqa: BLE001 - recorded without the account, and said so
            current_app.logger.warning("Account of a failed sign-in not looked up (%s)", type(error).__name__)
    record_event("sign_in_failed", actor=user, detail=method)


def record_denied(actor: User, participation_id) -> None:
    """Someone asked for a participation they may not open (answered 404). Recorded with the
    participation when it exists; an id that matches nothing is not a participant's data."""
    try:
        found = db.session.execute(
            select(Participation.id, Participation.project_id).where(Participation.id == participation_id)
        ).first()
    except Exception as error:  # noqa: BLE001 - the 404 is answered anyway
        current_app.logger.error("Refused access not recorded (%s)", type(error).__name__)
        return
    if found is None:
        return
    values = _values("event", "access_denied", actor, None, found.project_id, None, _endpoint())
    values["participation_id"] = found.id
    _append(values, required=False)


def _signed_in():
    from flask_login import current_user

    try:
        return current_user._get_current_object() if current_user.is_authenticated else None
    except Exception:  # noqa: BLE001 - no user can be loaded (e.g. the database is down)
        return None


def record_refusal(event: str) -> None:
    """A request refused before its view ran (CSRF, rate limit), by whoever is signed in."""
    record_event(event, actor=_signed_in(), detail=_endpoint())


def rate_limit_breached(_limit) -> None:
    """Flask-Limiter's on_breach callback (RATELIMIT_ON_BREACH_CALLBACK): once per request. On the
    sign-in pages the account tried is named by its id, when it exists."""
    if not has_request_context() or g.get("stegvis_rate_limit_recorded"):
        return
    g.stegvis_rate_limit_recorded = True
    actor = _signed_in()
    login_name = request.form.get("login_name") if request.endpoint and request.endpoint.startswith("auth.") else None
    if actor is None and login_name:
        from webapp.auth.services import normalise_login

        try:
            actor = db.session.scalar(select(User).where(User.login_name == normalise_login(login_name)))
        except Exception as error:  # noqa: BLE001 - recorded without the account
            current_app.logger.warning("Account of a rate-limited sign-in not looked up (%s)", type(error).__name__)
    record_event("rate_limited", actor=actor, detail=_endpoint())


def _relation(actor: User, participation: Participation) -> str | None:
    """How a coach came to open the data: their own caseload, a colleague's they cover, or
    neither (which the access rules should never allow; the log follow-up lists it)."""
    if actor.role != Role.COACH:
        return None
    if participation.coach_id == actor.id:
        return "caseload"
    covered = db.session.scalar(
        select(CaseloadShare.id).where(
            CaseloadShare.owner_id == participation.coach_id,
            CaseloadShare.colleague_id == actor.id,
            CaseloadShare.ended_at.is_(None),
            or_(CaseloadShare.until.is_(None), CaseloadShare.until >= clock.today()),
        ).limit(1)
    )
    return "cover" if covered else "outside"


def _endpoint() -> str | None:
    return request.endpoint if has_request_context() else None


def _request_id() -> str | None:
    """A random id per request, shared by every row the request writes."""
    if not has_request_context():
        return None
    if not g.get("request_id"):
        g.request_id = uuid.uuid4().hex
    return clean(g.request_id, 32)


def _values(kind, event, actor, participation, project_id, detail, action) -> dict:
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None  # Flask-Login's anonymous user
    return {
        "at": clock.now(),
        "kind": kind,
        "event": event,
        "actor_id": actor.id if actor is not None else None,
        "actor_role": Role(actor.role) if actor is not None else None,
        "participation_id": participation.id if participation is not None else None,
        "project_id": participation.project_id if participation is not None else project_id,
        "action": clean(action, 64),
        "detail": clean(detail, 64),
        "request_id": _request_id(),
    }


def _append(values: dict, required: bool) -> None:
    try:
        if has_request_context() and request.method not in SAFE_METHODS and db.engine.dialect.name == "sqlite":
            _write_in_session(values, track=True)
        elif has_request_context():
            _write_alone(values)
        else:
            _write_in_session(values, track=False)
    except Exception as error:
        _fallback(values, error)
        if required:
            raise AuditUnavailable() from error


def _insert(connection: Connection, values: dict) -> None:
    """Link the row to the newest one and insert it (the caller holds the lock)."""
    link(connection, values)
    connection.execute(insert(AuditRecord.__table__).values(**values))


def _write_alone(values: dict) -> None:
    """On a connection of its own, committed at once."""
    with db.engine.connect() as connection, connection.begin():
        if connection.dialect.name == "sqlite":
            # Nothing has been read yet: trade the BEGIN for BEGIN IMMEDIATE, which waits
            # (busy_timeout) for the database's one write lock and holds it until COMMIT.
            driver = connection.connection.driver_connection
            driver.execute("ROLLBACK")
            driver.execute("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        _insert(connection, values)


def _write_in_session(values: dict, track: bool) -> None:
    """Through the session's transaction (which holds SQLite's write lock in a write request)."""
    _insert(db.session.connection(), values)
    if track:
        db.session.info.setdefault(_PENDING, []).append(_unlinked(values))


def _unlinked(values: dict) -> dict:
    return {key: value for key, value in values.items() if key not in ("prev_hash", "hash")}


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        session.info.setdefault(_LOST, []).extend(rows)


def _write_lost_rows(_error=None) -> None:
    """After a (SQLite) write request: rows its transaction did not commit are written again,
    each on its own, now that the request no longer holds the write lock."""
    session = db.session
    rows = session.info.pop(_LOST, []) + session.info.pop(_PENDING, [])
    if not rows:
        return
    try:
        session.rollback()  # whatever the request left uncommitted was never going to be kept
    except Exception as error:  # noqa: BLE001 - e.g. the database went away; the rows are logged below
        current_app.logger.warning("Rollback before re-writing audit rows failed (%s)", type(error).__name__)
    session.info.pop(_LOST, None)
    for values in rows:
        try:
            _write_alone(_unlinked(values))
        except Exception as error:  # noqa: BLE001 - the response has been made; log and go on
            _fallback(values, error)


def _fallback(values: dict, error: Exception) -> None:
    current_app.logger.error("Audit log not written (%s). The row: %s", type(error).__name__,
                             canonical(values), exc_info=error)


# --- reading -------------------------------------------------------------------------------------


def accesses(participation: Participation, limit: int = 100) -> list[AccessLog]:
    """The newest entries first, with the person who looked."""
    return list(
        db.session.scalars(
            select(AccessLog)
            .where(AccessLog.participation_id == participation.id)
            .options(joinedload(AccessLog.actor))
            .order_by(AccessLog.at.desc(), AccessLog.id.desc())
            .limit(limit)
        )
    )


@dataclass
class Verification:
    rows: int
    first_id: int | None = None
    last_id: int | None = None
    head: str = GENESIS
    bad_id: int | None = None
    problem: str | None = None
    starts_after_removed_rows: bool = False

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify(connection: Connection, allow_removed_start: bool = False) -> Verification:
    """Walk the chain in id order; stop at the first row that does not hold."""
    table = AuditRecord.__table__
    result = Verification(rows=0)
    rows = connection.execution_options(yield_per=1000).execute(select(table).order_by(table.c.id))
    try:
        return _walk(rows, result, allow_removed_start)
    finally:
        rows.close()


def _walk(rows, result: Verification, allow_removed_start: bool) -> Verification:
    previous: str | None = None
    for row in rows.mappings():
        if previous is None:
            result.first_id = row["id"]
            if row["prev_hash"] != GENESIS:
                result.starts_after_removed_rows = True
                if not allow_removed_start:
                    result.bad_id, result.problem = row["id"], "starts_after_removed_rows"
                    return result
        elif row["prev_hash"] != previous:
            result.bad_id, result.problem = row["id"], "not_linked"
            return result
        if chain_hash(row["prev_hash"], row) != row["hash"]:
            result.bad_id, result.problem = row["id"], "changed"
            return result
        previous = row["hash"]
        result.rows += 1
        result.last_id = row["id"]
        result.head = row["hash"]
    return result


PROBLEMS = {
    "changed": "its content does not match its hash: it was changed after it was written",
    "not_linked": "it does not link to the row before it: a row was removed or put in between",
    "starts_after_removed_rows": (
        "it links to a row that is not here: earlier rows were removed (run with --allow-removed-start "
        "if they were removed after the retention time)"
    ),
}


# --- the app ---------------------------------------------------------------------------------------

UNAVAILABLE = (
    _l("We cannot show this right now"),
    _l("Every time someone opens information here, it is written down. Right now that does not work, "
       "so nothing is shown. Try again in a few minutes."),
)


def init_audit(app: Flask) -> None:
    """The 503 page for AuditUnavailable, and the re-write of rows a request did not commit."""
    from webapp.errors import render_error

    @app.errorhandler(AuditUnavailable)
    def audit_unavailable(_error: AuditUnavailable) -> Response:
        title, message = UNAVAILABLE
        response = render_error(503, str(title), str(message))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    app.teardown_request(_write_lost_rows)


def init_audit_cli(app: Flask) -> None:
    @app.cli.group("audit")
    def audit_cli() -> None:
        """The audit log: check that it is whole."""

    @audit_cli.command("verify")
    @click.option("--allow-removed-start", is_flag=True,
                  help="Accept a log whose oldest rows were removed after the retention time.")
    def verify_command(allow_removed_start: bool) -> None:
        """Walk the hash chain; exit 1 naming the first row that does not hold."""
        with db.engine.connect() as connection:
            result = verify(connection, allow_removed_start)
        if not result.intact:
            click.echo(f"Audit log broken at row {result.bad_id}: {PROBLEMS[result.problem]}.", err=True)
            click.echo(f"The {result.rows} rows before it are intact.", err=True)
            raise SystemExit(1)
        if result.rows == 0:
            click.echo("The audit log is empty.")
            return
        if result.starts_after_removed_rows:
            click.echo(f"Note: the log starts at row {result.first_id}; the rows before it were removed.")
        click.echo(f"The audit log is intact: {result.rows} rows, row {result.first_id} to row {result.last_id}.")
        click.echo(f"Newest hash: {result.head} (note it down: a later check must still contain it).")

