"""GET /healthz for the load balancer: 200 "ok" when the database answers and its schema is at the
migrations' head, 503 with Retry-After otherwise.

Public, no session (no cookie is read or set), no audit row, nothing from the templates: it must
be cheap enough to ask every few seconds and answer fast when the database is down (the pool's
and the connection's timeouts bound it, see webapp/config.py).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from sqlalchemy import text

from webapp.extensions import db
from webapp.ops.schema import schema_state

bp = Blueprint("ops", __name__)


def _plain(body: str, status: int) -> Response:
    response = Response(body + "\n", status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = str(current_app.config.get("DATABASE_RETRY_AFTER", 15))
    return response


@bp.get("/healthz")
def healthz() -> Response:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            state = schema_state(current_app, connection)
    except Exception as error:  # noqa: BLE001 - any failure to reach the database is "not ready"
        current_app.logger.warning("Health check: database unavailable (%s)", type(error).__name__)
        return _plain("database unavailable", 503)
    if not state.at_head:
        return _plain("schema not at head", 503)
    return _plain("ok", 200)
