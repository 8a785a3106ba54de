"""LOG-04 (second half): no password, activation code, session cookie or CSRF token reaches the app's
log output or the audit log, through a whole sign-in story."""

from __future__ import annotations

import logging

from sqlalchemy import select

from tests import factories
from tests.conftest import CSRF_META
from webapp import audit
from webapp.auth.services import normalise_code
from webapp.extensions import db
from webapp.models import AuditRecord

WRONG = "fel-lösenord-7731"
NEW_PASSWORD = "min nya hemliga fras 4410"


def _audit_text(read) -> str:
    def dump():
        columns = AuditRecord.__table__.columns
        return "\n".join(" ".join(str(getattr(row, c.key)) for c in columns)
                         for row in db.session.scalars(select(AuditRecord)))

    return read(dump)


def test_no_secret_is_logged_anywhere(client, new_client, build, world, read, app, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    code = build(factories.activation_code, world.q)

    # A wrong password while the audit table cannot be written: the row goes to the app log.
    with monkeypatch.context() as broken:
        broken.setattr(audit, "_insert", lambda connection, values: 1 / 0)
        client.post_form("/sign-in", {"login_name": world.p.login, "password": WRONG})
    # Another wrong password, then the right one, then a page and the sign-out.
    client.post_form("/sign-in", {"login_name": world.p.login, "password": WRONG})
    client.sign_in(world.p.login)
    page = client.get("/home").get_data(as_text=True)
    csrf_token = CSRF_META.search(page).group(1)
    session_cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    client.post("/plan/goals/new", data={"text": "x"})  # no token: a CSRF failure, logged
    client.sign_out()

    # An activation: a wrong code, then the right one and a new password.
    other = new_client()
    other.post_form("/activate", {"code": "ZZZZ-ZZZZ"})
    assert other.post_form("/activate", {"code": code}).status_code == 200
    response = other.post_form("/activate", {"stage": "password", "code": normalise_code(code),
                                             "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 303

    logged = caplog.text  # every record, formatted, with its traceback
    assert "Audit log not written" in logged and world.p.user_id.hex in logged  # the fallback sink
    stored = _audit_text(read)
    assert {"sign_in", "sign_in_failed", "sign_out", "csrf_failed"} <= {
        e for e in read(lambda: set(db.session.scalars(select(AuditRecord.event))))}
    secrets = {
        "the wrong password": WRONG,
        "the password": factories.PASSWORD,
        "the new password": NEW_PASSWORD,
        "the activation code": code,
        "the activation code without its dash": normalise_code(code),
        "the session cookie": session_cookie,
        "the CSRF token": csrf_token,
    }
    for what, secret in secrets.items():
        assert secret not in logged, f"{what} is in the log output"
        assert secret not in stored, f"{what} is in the audit log"
