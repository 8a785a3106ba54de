"""Deny by default: the login gate, role guards, safe redirects and security headers."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, redirect, request, url_for
from flask_login import current_user

from webapp.extensions import htmx
from webapp.models import Role

# Everything else needs a signed-in user. Keep this list short and reviewed: a test fails
# when an endpoint is neither here nor in the role matrix.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "auth.sign_in",
        "auth.activate",
        "auth.set_language",
        "auth.set_swedish_words",
        "about.translations",
        "about.easy",
        "about.accessibility",
        "pwa.manifest",
        "pwa.service_worker",
        "pwa.offline",
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


def safe_next(target: str | None, fallback: str = "/") -> str:
    """A same-site path to go to after sign-in or a language change; anything else is dropped."""
    if not target:
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
    """A blueprint before_request guard: signed in, active and one of these roles, or 403."""

    def guard() -> None:
        if not current_user.is_authenticated or current_user.role not in roles:
            abort(403)

    return guard


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        # Personal data must not stay in shared or borrowed phones' caches.
        headers["Cache-Control"] = "no-store"
    return response


def init_security(app: Flask) -> None:
    app.before_request(login_gate)
    app.after_request(set_security_headers)
