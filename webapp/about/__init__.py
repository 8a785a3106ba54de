"""Pages about the service itself, open to everyone: the translations, the easy-to-read pages and
the accessibility statement."""

from flask import Blueprint

bp = Blueprint("about", __name__, url_prefix="/about")

from webapp.about import views  # noqa: E402,F401
