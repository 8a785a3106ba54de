"""Deny by default: the login gate, role guards, safe redirects and security headers."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, redirect, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask.wrappers import Request
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.extensions import htmx
from webapp.models import Role

# Everything else needs a signed-in user. Keep this list short and reviewed: a test fails
# when an endpoint is neither here nor in the role matrix.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "auth.sign_in",
        "auth.activate",
        "auth.sign_in_pin",
        "auth.second_factor",
        "auth.set_up_second_factor",
        "auth.passkey_options",
        "auth.passkey_sign_in",
        "auth.set_language",
        "auth.set_swedish_words",
        "about.translations",
        "about.easy",
        "about.accessibility",
        "pwa.manifest",
        "pwa.service_worker",
        "pwa.offline",
        "ops.healthz",
    }
)
# Public files the same for everyone, which a phone may keep and check again (Cache-Control set
# by the view); every other answer is no-store.
CACHEABLE_ENDPOINTS = frozenset({"static", "pwa.manifest", "pwa.service_worker", "pwa.offline"})

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
    ]
)


# Passkeys stay allowed for our own pages (and only them).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), "
    "publickey-credentials-create=(self), publickey-credentials-get=(self)"
)


def safe_next(target: str | None, fallback: str = "/") -> str:
    """A same-site path to go to after sign-in or a language change; anything else is dropped."""
    # A control character (tab, newline, NUL…) is never in a path we made: browsers drop tabs and
    # newlines (so "/\t/evil.example" is "//evil.example"), and a newline cannot go in a header.
    if not target or any(unicodedata.category(char) == "Cc" for char in target):
        return fallback
    target = target.replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    # request.full_path leaves a bare "?" when there is no query string.
    return target.rstrip("?") or fallback


def login_gate() -> Response | None:
    """Send anyone not signed in to the sign-in page, unless the endpoint is public."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    login = url_for("auth.sign_in", next=safe_next(request.full_path))
    if htmx:
        # A redirect would be followed by the XHR and the sign-in page swapped into a fragment.
        response = Response(status=401)
        response.headers["HX-Redirect"] = login
        return response
    return redirect(login)


def require_role(*roles: Role) -> Callable[[], None]:
    """A blueprint before_request guard: signed in, active and one of these roles, or 403.

    Every blueprint declares exactly one guard, and a view outside a guarded blueprint is public
    or marked with `signed_in`; tests/test_access.py checks both against the role matrix."""

    def guard() -> None:
        if not current_user.is_authenticated or current_user.role not in roles:
            abort(403)

    guard.roles = frozenset(roles)
    return guard


def signed_in(view: Callable) -> Callable:
    """Declares a view in a mixed blueprint (sign-in and sign-out live together) that anyone
    signed in may use, whatever their role; the login gate enforces it."""
    view.roles = frozenset(Role)
    return view


def only(*roles: Role) -> Callable[[Callable], Callable]:
    """Narrows one view of a blueprint that every role shares (the account pages): 403 for the
    other roles."""
    guard = require_role(*roles)

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            guard()
            return view(*args, **kwargs)

        guarded.roles = guard.roles
        return guarded

    return decorate


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        # Personal data must not stay in shared or borrowed phones' caches.
        headers["Cache-Control"] = "no-store"
    return response


class BoundedJSONProvider(DefaultJSONProvider):
    """JSON nested deeper than Python can parse ("[[[[…" a million times) is bad JSON like any
    other: request.get_json() reads it as unreadable (400), instead of a RecursionError (500)."""

    def loads(self, s: str | bytes, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error


class BoundedRequest(Request):
    """Werkzeug counts MAX_FORM_PARTS only in multipart bodies; here url-encoded fields count too
    (a 500 KB body of "a&a&a…" is 250 000 fields). Too many: 413, and the form reads as empty."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        limit = self.max_form_parts
        if limit is not None and sum(len(values) for values in self.form.listvalues()) > limit:
            self.__dict__["form"] = self.parameter_storage_class()
            raise RequestEntityTooLarge()


def init_security(app: Flask) -> None:
    app.json = BoundedJSONProvider(app)
    app.request_class = BoundedRequest
    app.before_request(login_gate)
    app.after_request(set_security_headers)
