"""The project leader's goal pages: the report, its three exports and the goals' configuration."""

from __future__ import annotations

import uuid
from decimal import Decimal

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user

from webapp import audit, clock
from webapp.errors import render_error
from webapp.exits.labels import OUTCOMES
from webapp.extensions import db, limiter
from webapp.goals import bp, config, exports
from webapp.goals.forms import GoalForm, PeriodForm, read_period
from webapp.goals.report import Period, build_report, default_period, project_period, status_words
from webapp.leader.views import own_project
from webapp.models import Outcome, Project, ProjectGoal


def per_user() -> str:
    """Rate limits count per signed-in person (several leaders may share an office's address)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def _export_limit() -> str:
    return current_app.config["RATELIMIT_EXPORTS"]


# Exports read the whole project; a person should not be able to hammer the database with them.
# The three files share one budget per person (RATELIMIT_EXPORTS). Only files made count: a period
# that could not be read (400) costs nothing, and used up the budget of a leader who typed wrong.
export_limit = limiter.shared_limit(_export_limit, scope="exports", key_func=per_user,
                                    deduct_when=lambda response: response.status_code < 400)


@bp.errorhandler(RateLimitExceeded)
def too_many_exports(error: RateLimitExceeded) -> Response:
    return render_error(429, _("Wait a little"),
                        _("You have downloaded many files in a short time. Wait a while and try again."))


def chosen_period(project: Project) -> tuple[PeriodForm, Period | None]:
    return read_period(request.args, default_period(project, clock.today()), project_period(project))


@bp.get("/<uuid:project_id>/report")
def report(project_id: uuid.UUID):
    project = own_project(project_id)
    form, period = chosen_period(project)
    if period is None:
        return render_template("goals/report.html", project=project, form=form, report=None), 422
    return render_template("goals/report.html", project=project, form=form, report=build_report(project, period))


def _export(project_id: uuid.UUID) -> tuple[Project, Period]:
    project = own_project(project_id)
    _form, period = chosen_period(project)
    if period is None:
        abort(400)
    audit.record_event("export", actor=current_user, project_id=project.id, detail=request.endpoint)
    return project, period


@bp.get("/<uuid:project_id>/report.csv")
@export_limit
def report_csv(project_id: uuid.UUID) -> Response:
    project, period = _export(project_id)
    return exports.csv_response(exports.report_table(build_report(project, period)),
                                exports.file_name(project, period, "csv"))


@bp.get("/<uuid:project_id>/report.xlsx")
@export_limit
def report_xlsx(project_id: uuid.UUID) -> Response:
    project, period = _export(project_id)
    report = build_report(project, period)
    return exports.xlsx_response(report, exports.file_name(project, period, "xlsx"))


@bp.get("/<uuid:project_id>/report/anonymised.csv")
@export_limit
def anonymised_csv(project_id: uuid.UUID) -> Response:
    project, period = _export(project_id)
    return exports.csv_response(exports.anonymised_table(project, period),
                                exports.file_name(project, period, "csv", anonymised=True))


# -- configuration ------------------------------------------------------------------------------


def _goal_form(project: Project, keep: ProjectGoal | None = None, **kwargs) -> GoalForm:
    return GoalForm(taken=lambda code: config.code_taken(project, code, keep), **kwargs)


def _goals_page(project: Project, form: GoalForm, status: int = 200):
    return render_template("goals/goals.html", project=project, goals=config.described(project), form=form), status


@bp.route("/<uuid:project_id>/goals", methods=["GET", "POST"])
def goals(project_id: uuid.UUID):
    """The project's goals, and a form that adds one."""
    project = own_project(project_id)
    form = _goal_form(project)
    if request.method == "GET":
        form.kind.data = "share"
    if form.validate_on_submit():
        goal = config.add_goal(project, form.data_for_saving())
        db.session.commit()
        flash(_("The goal %(code)s is added.", code=goal.code))
        return redirect(url_for("goals.goals", project_id=project.public_id, _anchor=f"goal-{goal.id}"), code=303)
    return _goals_page(project, form, 422 if form.errors else 200)


def _own_goal(project_id: uuid.UUID, goal_id: uuid.UUID) -> tuple[Project, ProjectGoal]:
    project = own_project(project_id)
    goal = config.get_goal(project, goal_id)
    if goal is None:
        abort(404)
    return project, goal


@bp.route("/<uuid:project_id>/goals/<uuid:project_goal_id>/edit", methods=["GET", "POST"])
def edit_goal(project_id: uuid.UUID, project_goal_id: uuid.UUID):
    project, goal = _own_goal(project_id, project_goal_id)
    form = _goal_form(project, keep=goal)
    if request.method == "GET":
        form.fill_from(goal)
    if form.validate_on_submit():
        config.update_goal(goal, form.data_for_saving())
        db.session.commit()
        flash(_("The goal %(code)s is saved.", code=goal.code))
        return redirect(url_for("goals.goals", project_id=project.public_id, _anchor=f"goal-{goal.id}"), code=303)
    status = 422 if form.errors else 200
    return render_template("goals/edit_goal.html", project=project, goal=goal, form=form), status


@bp.route("/<uuid:project_id>/goals/<uuid:project_goal_id>/remove", methods=["GET", "POST"])
def remove_goal(project_id: uuid.UUID, project_goal_id: uuid.UUID):
    """GET asks first (the button sits next to "Change"); POST removes."""
    project, goal = _own_goal(project_id, project_goal_id)
    if request.method == "GET":
        return render_template("goals/remove_goal.html", project=project, goal=goal)
    code = goal.code
    config.remove_goal(goal)
    db.session.commit()
    flash(_("The goal %(code)s is removed. The data behind it is kept.", code=code))
    return redirect(url_for("goals.goals", project_id=project.public_id), code=303)


# -- words and numbers for the goal templates (both blueprints' pages use them) -----------------


@bp.app_template_filter("share")
def format_share(value: Decimal) -> str:
    """A percentage with one decimal, as the user's language writes it: "66,7 %"."""
    return format_percent(value / 100, format="#,##0.0\u00a0%")


@bp.app_template_filter("whole_percent")
def format_whole_percent(value: int) -> str:
    return format_percent(Decimal(value) / 100)


@bp.app_template_filter("outcome_words")
def outcome_words(value: str):
    return OUTCOMES[Outcome(value)]


bp.add_app_template_global(status_words, "status_words")
