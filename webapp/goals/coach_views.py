"""A coach's goal report: the project's goals over the participations they coach themselves.

Only their own caseload (Participation.coach_id), not colleagues' participants they cover during
an absence: the figures describe the coach's own work. No exports: those are the leader's.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from webapp import clock
from webapp.extensions import db
from webapp.goals import coach_bp
from webapp.goals.forms import read_period
from webapp.goals.report import build_report, default_period, project_period
from webapp.models import Project, ProjectStaff


def coach_projects() -> list[Project]:
    """The projects the signed-in coach works in."""
    return list(db.session.scalars(
        select(Project).join(ProjectStaff, ProjectStaff.project_id == Project.id)
        .where(ProjectStaff.user_id == current_user.id).order_by(Project.name)
    ))


@coach_bp.get("/report")
def report():
    projects = coach_projects()
    if not projects:
        return render_template("goals/coach_report.html", projects=[], project=None, form=None, report=None)
    wanted = request.args.get("project")
    project = next((p for p in projects if str(p.public_id) == wanted), None) if wanted else projects[0]
    if project is None:
        abort(404)
    form, period = read_period(request.args, default_period(project, clock.today()), project_period(project))
    if period is None:
        return render_template("goals/coach_report.html", projects=projects, project=project, form=form,
                               report=None), 422
    report = build_report(project, period, coach_id=current_user.id)
    return render_template("goals/coach_report.html", projects=projects, project=project, form=form, report=report)
