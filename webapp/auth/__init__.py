"""Signing in and out, activation with a code, and the language choice. Mostly public."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from webapp.auth import factor_views, views  # noqa: E402,F401  (routes register on import)
