"""The project's coaches: list, add with an activation code, new code, switch off and on."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.audit import record_event
from webapp.auth import code_sheet
from webapp.extensions import db
from webapp.leader import bp
from webapp.leader import coaches as services
from webapp.leader.forms import CoachForm
from webapp.leader.views import own_project
from webapp.models import Project, User
from webapp.once import once

# As for a participant's code: the plain code lives only in the leader's session, between the
# POST that made it and the one page that shows it; the database keeps a hash.


def own_coach(project_id: uuid.UUID, coach_id: uuid.UUID) -> tuple[Project, User]:
    project = own_project(project_id)
    coach = services.get_coach(project, coach_id)
    if coach is None:
        abort(404)
    return project, coach


@bp.get("/<uuid:project_id>/coaches")
def coaches(project_id: uuid.UUID):
    project = own_project(project_id)
    return render_template("leader/coaches.html", project=project, rows=services.coaches(project))


@bp.route("/<uuid:project_id>/coaches/new", methods=["GET", "POST"])
@once
def new_coach(project_id: uuid.UUID):
    project = own_project(project_id)
    form = CoachForm(taken=services.login_taken)
    if form.validate_on_submit():
        coach, code = services.add_coach(project, current_user, form.name.data, form.email.data)
        db.session.commit()
        return _show_code(project, coach, code)
    status = 422 if form.errors else 200
    return render_template("leader/new_coach.html", project=project, form=form), status


def _show_code(project: Project, coach: User, code: str) -> Response:
    code_sheet.keep_for_showing(coach.id, code)
    return redirect(url_for("leader.coach_code", project_id=project.public_id, coach_id=coach.id), code=303)


@bp.route("/<uuid:project_id>/coaches/<uuid:coach_id>/code", methods=["GET", "POST"])
def coach_code(project_id: uuid.UUID, coach_id: uuid.UUID):
    project, coach = own_coach(project_id, coach_id)
    if request.method == "POST":
        code = services.new_code(current_user, coach)
        db.session.commit()
        return _show_code(project, coach, code)
    sheet = code_sheet.take_for_showing(coach.id)
    return render_template("leader/coach_code.html", project=project, coach=coach, sheet=sheet)


@bp.post("/<uuid:project_id>/coaches/<uuid:coach_id>/deactivate")
def deactivate_coach(project_id: uuid.UUID, coach_id: uuid.UUID):
    return _set_active(project_id, coach_id, active=False)


@bp.post("/<uuid:project_id>/coaches/<uuid:coach_id>/reactivate")
def reactivate_coach(project_id: uuid.UUID, coach_id: uuid.UUID):
    return _set_active(project_id, coach_id, active=True)


def _set_active(project_id: uuid.UUID, coach_id: uuid.UUID, active: bool) -> Response:
    project, coach = own_coach(project_id, coach_id)
    services.set_active(coach, active)
    record_event("account_enabled" if active else "account_disabled", actor=current_user, project_id=project.id,
                 detail=f"coach:{coach.id.hex}")
    db.session.commit()
    if active:
        flash(_("%(name)s can sign in again.", name=coach.name))
    else:
        flash(_("%(name)s is signed out and can no longer sign in.", name=coach.name))
    return redirect(url_for("leader.coaches", project_id=project.public_id, _anchor=f"coach-{coach.id}"), code=303)
