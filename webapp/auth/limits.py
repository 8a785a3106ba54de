"""The rate limits every sign-in step shares (Flask-Limiter reads them when a request comes)."""

from __future__ import annotations

from flask import Response, current_app


def sign_in_limit() -> str:
    return current_app.config["RATELIMIT_SIGN_IN"]


def account_limit() -> str:
    return current_app.config["RATELIMIT_SIGN_IN_ACCOUNT"]


def refused(response: Response) -> bool:
    """Only tries the server refused count against an address (a wrong password or code: 4xx).
    A class signing in on one school network must not lock itself out by succeeding."""
    return response.status_code >= 400


def failed(response: Response) -> bool:
    """Only tries that did not get in count against the account (a sign-in answers 303)."""
    return response.status_code != 303
