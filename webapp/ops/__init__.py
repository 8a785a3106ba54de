"""Running Stegvis: the health endpoint, the schema check at start, the proxy, and backups.

init_ops(app) is called by create_app(); the `flask backup` commands are added by init_cli(); the
schema check runs in wsgi.py, the servers' entry point (webapp/ops/schema.py says why).
docs/DEPLOY.md describes how these fit together on one or several machines.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

SESSIONLESS = frozenset({"ops.healthz"})


class WithoutSessionFor(SessionInterface):
    """The app's own session interface, except that the endpoints in SESSIONLESS never set the
    session cookie (a permanent session would otherwise be refreshed on every answer)."""

    def __init__(self, inner: SessionInterface):
        self.inner = inner

    def open_session(self, app, request_):
        return self.inner.open_session(app, request_)

    def save_session(self, app, session, response) -> None:
        if request.endpoint in SESSIONLESS:
            return None
        return self.inner.save_session(app, session, response)


def init_ops(app: Flask) -> None:
    from webapp.ops.health import bp as health_bp

    app.register_blueprint(health_bp)
    app.session_interface = WithoutSessionFor(app.session_interface)
    proxies = app.config.get("PROXY_COUNT", 0)
    if proxies:
        # The rate limits and the logs see the phone's address, not the proxy's (ASVS 15.3.4).
        # The Host header stays the one nginx sets; TRUSTED_HOSTS checks it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0)
