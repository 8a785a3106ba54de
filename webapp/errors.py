"""Error pages: a whole page, or for htmx a message in the page's status region."""

from __future__ import annotations

import contextlib
import time

from flask import Flask, Response, current_app, g, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from webapp.audit import record_refusal
from webapp.extensions import db, limiter, login_manager
from webapp.htmx import wants_fragment

MESSAGES = {
    400: (_l("Something went wrong"), _l("We could not read what was sent. Go back and try again.")),
    403: (_l("You cannot open this page"), _l("Your account does not have access to this page.")),
    404: (_l("We cannot find the page"), _l("Check the address, or go back to the start page.")),
    405: (_l("Something went wrong"), _l("This cannot be done from here. Go back and try again.")),
    413: (_l("Too much text"), _l("What you sent is too long. Make it shorter and try again.")),
    429: (_l("Wait a little"), _l("There were too many tries. Wait a minute and try again.")),
    500: (_l("Something went wrong on our side"), _l("Nothing was saved. Wait a moment and try again.")),
}
DATABASE_DOWN = (
    _l("We cannot reach the data right now"),
    _l("Nothing was saved. Try again in a minute."),
)
# The database is stopped, restarting, unreachable, or every connection is busy (the pool's wait
# ran out). psycopg's own errors reach us wrapped in OperationalError, except when raised outside
# SQLAlchemy; both are caught.
try:
    from psycopg import OperationalError as PsycopgOperationalError
except ImportError:  # pragma: no cover - psycopg is a dependency
    PsycopgOperationalError = OperationalError
DATABASE_UNAVAILABLE = (OperationalError, DisconnectionError, PoolTimeout, PsycopgOperationalError)
CSRF_MESSAGE = (
    _l("The page was open too long"),
    _l("For your safety, the form was not sent. Go back, reload the page and send it again."),
)


def render_error(status: int, title: str, message: str) -> Response:
    # An error page must not flush the half-done changes of the failed request. When the
    # database is gone the rollback fails too: the connection is dropped with the session.
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - nothing left to undo on a dead connection
        with contextlib.suppress(Exception):
            db.session.close()
    if wants_fragment():
        response = make_response(render_template("errors/_message.html", title=title, message=message), status)
        response.headers["HX-Retarget"] = "#status"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return make_response(render_template("errors/error.html", title=title, message=message), status)


def database_unavailable(error: Exception) -> Response:
    """A fast 503 with Retry-After: the page (or for htmx the status message, for JSON a message)
    says nothing was saved. The person is treated as signed out for this one answer, so building
    it asks the database nothing (their language comes from the cookie or the browser)."""
    current_app.logger.warning("Database unavailable (%s): %s %s answered 503", type(error).__name__,
                               request.method, request.path)
    g._login_user = login_manager.anonymous_user()
    title, message = (str(text) for text in DATABASE_DOWN)
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        with contextlib.suppress(Exception):
            db.session.rollback()
        response = jsonify(message=f"{title}. {message}")
        response.status_code = 503
    else:
        response = render_error(503, title, message)
    response.headers["Retry-After"] = str(current_app.config.get("DATABASE_RETRY_AFTER", 15))
    return response


def _minutes_to_wait() -> int | None:
    """When the limit that was reached opens again, in whole minutes (at least 1): "a minute" was
    wrong after 50 sign-ins in an hour."""
    found = limiter.current_limit
    if found is None or not found.breached:
        return None
    return max(1, round((found.reset_at - time.time()) / 60))


def close_session_quietly(_error=None) -> None:
    """At the end of each request, before Flask-SQLAlchemy's own close (teardowns run last added
    first): the answer is already made. If the database went away just then (a restart), the
    closing ROLLBACK fails, and uncaught that turned a finished page into a 500."""
    try:
        db.session.remove()
    except DATABASE_UNAVAILABLE as error:
        current_app.logger.warning("Closing the database session failed (%s); the answer stands", type(error).__name__)
        db.session.registry.clear()


def init_errors(app: Flask) -> None:
    for kind in DATABASE_UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)
    app.teardown_appcontext(close_session_quietly)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Response:
        title, message = CSRF_MESSAGE
        response = render_error(400, str(title), str(message))
        record_refusal("csrf_failed")  # after render_error's rollback: the request's work is gone
        return response

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> Response:
        # A host name not in TRUSTED_HOSTS: no page can be built for it (its links would carry
        # that name), so the answer is plain text.
        title, message = MESSAGES[400]
        return Response(f"{title}. {message}\n", 400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        code = error.code or 500
        title, message = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
        if code == 429 and (minutes := _minutes_to_wait()):
            message = ngettext("There were too many tries. Try again in %(num)s minute.",
                               "There were too many tries. Try again in %(num)s minutes.", minutes)
        response = render_error(code, str(title), str(message))
        if code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> Response:
        app.logger.exception("Unhandled error", exc_info=error)
        title, message = MESSAGES[500]
        return render_error(InternalServerError.code, str(title), str(message))
