"""What every template can use besides Flask-Babel's _ and ngettext."""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

from webapp.labels import init_labels
from webapp.models import Role
from webapp.plan.services import NEXT_STATUS


def init_templating(app: Flask) -> None:
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["NEXT_STATUS"] = NEXT_STATUS
    init_labels(app)

    @app.context_processor
    def inject_user() -> dict:
        return {
            "user": current_user,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
