import uuid

from flask import abort, render_template
from flask_login import current_user

from webapp.leader import bp, services
from webapp.models import Project


@bp.get("")
def home():
    return render_template("leader/home.html", summaries=services.project_summaries(current_user))


def own_project(project_id: uuid.UUID) -> Project:
    """The project, if the signed-in leader works in it (404 otherwise, as for a missing one)."""
    project = services.get_project(current_user, project_id)
    if project is None:
        abort(404)
    return project
