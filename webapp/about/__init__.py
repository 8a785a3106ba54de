"""Pages about the service itself, open to everyone: e.g. about the translations."""

from flask import Blueprint

bp = Blueprint("about", __name__, url_prefix="/about")

from webapp.about import views  # noqa: E402,F401
