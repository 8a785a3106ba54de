"""What every template can use besides Flask-Babel's _ and ngettext."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from flask_login import current_user
from flask_wtf import FlaskForm
from jinja2 import pass_context

from webapp.labels import init_labels
from webapp.models import Role
from webapp.once import once_field
from webapp.plan.services import NEXT_STATUS


def init_templating(app: Flask) -> None:
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["NEXT_STATUS"] = NEXT_STATUS
    app.jinja_env.globals["once_field"] = once_field
    app.jinja_env.globals["page_has_errors"] = page_has_errors
    init_labels(app)

    @app.context_processor
    def inject_user() -> dict:
        return {
            "user": current_user,
            "current_path": _page_path(),
        }


def _page_path() -> str:
    """The page the language picker comes back to. A page shown as the answer to a form (its
    errors, a conflict) has a URL that only takes POST: then the page the form was on."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    came_from = urlsplit(request.referrer or "")
    if came_from.netloc == request.host and came_from.path.startswith("/"):
        return came_from.path + (f"?{came_from.query}" if came_from.query else "")
    return "/"


@pass_context
def page_has_errors(context) -> bool:
    """Whether a form on the page came back with errors ("Error:" starts the page's title, so that a
    screen reader says it first): any form the page was given, by any name, or in a dict of forms."""
    for value in context.values():
        found = value.values() if isinstance(value, dict) else (value,)
        if any(isinstance(item, FlaskForm) and item.errors for item in found):
            return True
    return False
