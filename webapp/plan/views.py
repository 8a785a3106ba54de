"""Plan pages. Each change is a plain form POST → 303 → GET; with htmx the same POST returns
the updated plan fragment and a message for the status region."""

from __future__ import annotations

import uuid

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from webapp.extensions import db
from webapp.htmx import render_page_or_fragment, respond_after_change, wants_fragment
from webapp.labels import STEP_STATUSES
from webapp.models import Goal, Step, StepState, StepStatus
from webapp.once import once
from webapp.participant.context import current_participation
from webapp.plan import bp, services
from webapp.plan.forms import ActionForm, GoalForm, MoveForm, StatusForm, StepForm


def _plan_context(**extra) -> dict:
    participation = current_participation()
    return {
        "participation": participation,
        "plan": services.plan_view(participation),
        "action_form": ActionForm(formdata=None),
        **extra,
    }


def _changed(message: str, focus_id: str, anchor: str | None = None, **extra) -> Response:
    """The response to a successful change of the plan."""
    try:
        db.session.commit()
    except StaleDataError:
        return _changed_meanwhile()
    url = url_for("plan.index", **extra.pop("query", {})) + (f"#{anchor or focus_id}" if focus_id else "")
    return respond_after_change(
        message, url, "plan/_plan.html", retarget="#plan", **_plan_context(focus_id=focus_id, **extra)
    )


def _own_goal(goal_id: uuid.UUID, deleted: bool = False) -> Goal:
    goal = services.get_goal(current_participation(), goal_id, deleted=deleted)
    if goal is None:
        abort(404)
    return goal


def _own_step(step_id: uuid.UUID, *states: StepState, deleted: bool = False) -> Step:
    step = services.get_step(current_participation(), step_id, *states, deleted=deleted)
    if step is None:
        abort(404)
    return step


def _being_saved(get, item_id: uuid.UUID):
    """The goal or step an edit form is saved to (`get` is services.get_goal or get_step): also one
    deleted (on another device) while the person wrote, so that what they wrote is not lost: they
    get a conflict, and may bring it back."""
    participation = current_participation()
    item = get(participation, item_id) or get(participation, item_id, deleted=True)
    if item is None:
        abort(404)
    return item


def _step_form(keep_helper: int | None = None, goals: list[Goal] | None = None, **kwargs) -> StepForm:
    participation = current_participation()
    return StepForm(
        helpers=services.helpers_for(participation.project_id, keep=keep_helper),
        goals=services.goals(participation) if goals is None else goals, **kwargs,
    )


@bp.get("")
def index():
    undo = None
    if deleted := request.args.get("deleted"):
        undo = _undo_item(deleted)
    goal_form = GoalForm(formdata=None)
    return render_template("plan/index.html", goal_form=goal_form, undo=undo, **_plan_context())


def _undo_item(token: str):
    """The goal or step named in ?deleted=goal:<id> / step:<id>, if it is the participant's and deleted."""
    kind, _sep, raw_id = token.partition(":")
    try:
        item_id = uuid.UUID(raw_id)
    except ValueError:
        return None
    participation = current_participation()
    if kind == "goal":
        goal = services.get_goal(participation, item_id, deleted=True)
        return {"kind": "goal", "item": goal} if goal else None
    if kind == "step":
        step = services.get_step(participation, item_id, deleted=True)
        return {"kind": "step", "item": step} if step else None
    return None


# --- goals ------------------------------------------------------------------------------


@bp.route("/goals/new", methods=["GET", "POST"])
@once
def new_goal():
    form = GoalForm()
    if form.validate_on_submit():
        goal = services.add_goal(current_participation(), form.text.data)
        return _changed(_("The goal is saved."), f"goal-{goal.id}")
    status = 422 if form.errors else 200
    return render_page_or_fragment("plan/new_goal.html", "plan/_goal_form.html", status, form=form)


@bp.route("/goals/<uuid:goal_id>/edit", methods=["GET", "POST"])
def edit_goal(goal_id: uuid.UUID):
    goal = _own_goal(goal_id) if request.method == "GET" else _being_saved(services.get_goal, goal_id)
    # A prefix per goal keeps ids unique when several edit forms are open on the plan page.
    form = GoalForm(obj=goal, prefix=f"edit-goal-{goal.id.hex[:8]}")
    if request.method == "GET":
        form.base_version.data = goal.version
    if form.validate_on_submit():
        try:
            services.update_goal(goal, form.text.data, form.base())
        except services.Conflict:
            return _conflict("plan/edit_goal.html", "plan/_goal_form.html", form, "goal",
                             lambda: _being_saved(services.get_goal, goal_id))
        return _changed(_("The goal is saved."), f"goal-{goal.id}")
    status = 422 if form.errors else 200
    return render_page_or_fragment("plan/edit_goal.html", "plan/_goal_form.html", status, form=form, goal=goal)


@bp.post("/goals/<uuid:goal_id>/move")
def move_goal(goal_id: uuid.UUID):
    goal = _own_goal(goal_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    services.move_goal(current_participation(), goal, form.direction.data)
    message = _("The goal moved up.") if form.direction.data == "up" else _("The goal moved down.")
    return _changed(message, f"goal-{goal.id}")


@bp.post("/goals/<uuid:goal_id>/delete")
def delete_goal(goal_id: uuid.UUID):
    goal = _own_goal(goal_id)
    _check_action()
    services.delete_goal(goal)
    return _changed(
        _("The goal and its steps are deleted."), "undo", query={"deleted": f"goal:{goal.id}"},
        undo={"kind": "goal", "item": goal},
    )


@bp.post("/goals/<uuid:goal_id>/restore")
def restore_goal(goal_id: uuid.UUID):
    goal = _own_goal(goal_id, deleted=True)
    _check_action()
    services.restore_goal(goal)
    return _changed(_("The goal is back."), f"goal-{goal.id}")


# --- steps ------------------------------------------------------------------------------


@bp.route("/steps/new", methods=["GET", "POST"])
@once
def new_step():
    # Opened under a goal (?goal=…, also in the form's address): its fields are named after the
    # goal, so that two goals' "Add a step" forms open on the plan at once have ids of their own.
    goal = request.args.get("goal", "")
    goals = services.goals(current_participation())
    under_goal = goal in {str(g.id) for g in goals}
    form = _step_form(prefix=f"new-step-{goal[:8]}" if under_goal else "", goals=goals)
    if under_goal and request.method == "GET":
        form.goal.data = goal
    if form.validate_on_submit():
        step = services.add_step(current_participation(), form.chosen_goal(), form.step_data())
        return _changed(_("The step is saved."), f"step-{step.id}")
    status = 422 if form.errors else 200
    return render_page_or_fragment("plan/new_step.html", "plan/_step_form.html", status, form=form)


@bp.get("/steps/<uuid:step_id>")
def step(step_id: uuid.UUID):
    item = _own_step(step_id)
    # "Cancel" in a step's form swaps the step back in: focus goes to it, not to <body>.
    return render_page_or_fragment("plan/step.html", "plan/_step.html", step=item,
                                   **_plan_context(focus_id=f"step-{item.id}"))


@bp.route("/steps/<uuid:step_id>/edit", methods=["GET", "POST"])
def edit_step(step_id: uuid.UUID):
    item = _own_step(step_id) if request.method == "GET" else _being_saved(services.get_step, step_id)
    form = _step_form(obj=item, prefix=f"edit-step-{item.id.hex[:8]}", keep_helper=item.helper_id)
    if request.method == "GET":
        form.helper.data = str(item.helper_id) if item.helper_id else ""
        form.goal.data = str(item.goal_id) if item.goal_id else ""
        form.status.data = item.status.value
        form.base_version.data = item.version
    if form.validate_on_submit():
        data = form.step_data(StepStatus(form.status.data))
        try:
            services.update_step(item, data, form.chosen_goal(), form.base())
        except services.Conflict:
            return _conflict("plan/edit_step.html", "plan/_step_form.html", form, "step",
                             lambda: _being_saved(services.get_step, step_id))
        return _changed(_("The step is saved."), f"step-{item.id}")
    status = 422 if form.errors else 200
    return render_page_or_fragment("plan/edit_step.html", "plan/_step_form.html", status, form=form, step=item)


@bp.post("/steps/<uuid:step_id>/status")
def set_status(step_id: uuid.UUID):
    item = _own_step(step_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    new_status = StepStatus(form.status.data)
    services.set_status(item, new_status)
    message = _("%(step)s: %(status)s.", step=_short(item.text), status=STEP_STATUSES[new_status])
    return _changed(message, f"step-{item.id}")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@bp.post("/steps/<uuid:step_id>/move")
def move_step(step_id: uuid.UUID):
    item = _own_step(step_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    services.move_step(current_participation(), item, form.direction.data)
    message = _("The step moved up.") if form.direction.data == "up" else _("The step moved down.")
    return _changed(message, f"step-{item.id}")


@bp.post("/steps/<uuid:step_id>/delete")
def delete_step(step_id: uuid.UUID):
    item = _own_step(step_id)
    _check_action()
    services.delete_step(item)
    return _changed(
        _("The step is deleted."), "undo", query={"deleted": f"step:{item.id}"},
        undo={"kind": "step", "item": item},
    )


@bp.post("/steps/<uuid:step_id>/restore")
def restore_step(step_id: uuid.UUID):
    item = _own_step(step_id, deleted=True)
    _check_action()
    services.restore_step(item)
    return _changed(_("The step is back."), f"step-{item.id}")


# --- suggestions from the coach ------------------------------------------------------------


@bp.post("/suggestions/<uuid:step_id>/accept")
def accept_suggestion(step_id: uuid.UUID):
    item = _own_step(step_id, StepState.SUGGESTED)
    _check_action()
    services.accept_suggestion(current_participation(), item)
    return _changed(_("The step is now in your plan."), f"step-{item.id}")


@bp.post("/suggestions/<uuid:step_id>/decline")
def decline_suggestion(step_id: uuid.UUID):
    item = _own_step(step_id, StepState.SUGGESTED)
    _check_action()
    services.decline_suggestion(item)
    return _changed(_("You said no thanks to the suggestion."), "suggestions")


# --- "this is my plan" ----------------------------------------------------------------------


@bp.post("/ready")
def mark_ready():
    _check_action()
    try:
        services.mark_ready(current_participation())
    except services.PlanError:
        return _plan_error(_('Add at least one step before you press "This is my plan".'))
    return _changed(_("Your plan is marked as ready. Well done!"), "plan-status")


@bp.post("/not-ready")
def unmark_ready():
    _check_action()
    services.unmark_ready(current_participation())
    return _changed(_("The plan is no longer marked as ready."), "plan-status")


@bp.post("/completed")
def mark_completed():
    _check_action()
    try:
        services.mark_completed(current_participation())
    except services.PlanError:
        return _plan_error(_('First press "This is my plan".'))
    return _changed(_("Your plan is marked as completed. Well done!"), "plan-status")


@bp.post("/not-completed")
def unmark_completed():
    _check_action()
    services.unmark_completed(current_participation())
    return _changed(_("The plan is no longer marked as completed."), "plan-status")


def _conflict(page: str, fragment: str, form, kind: str, saved_now) -> Response:
    """Someone changed the goal or step after this form was loaded: nothing is written (409).

    The form comes back with the person's own text in it, what is saved now beside it (read
    again after the rollback), and the version saved now: saving once more is a choice made
    with both in view, and it goes through."""
    db.session.rollback()
    item = saved_now()
    form.base_version.data = item.version
    return render_page_or_fragment(page, fragment, 409, form=form, conflict=True, **{kind: item})


def _changed_meanwhile() -> Response:
    """Two changes to the same goal or step at the same moment (a tap here, a save on another
    phone): the database kept the first. Nothing of this one is written; the plan as it is now."""
    db.session.rollback()
    response = render_page_or_fragment(
        "plan/index.html", "plan/_plan.html", 409, goal_form=GoalForm(formdata=None),
        plan_error=_("This was changed on another device at the same moment. Nothing was changed here. "
                     "Here is your plan as it is now: try again."),
        focus_id="plan-status", **_plan_context(),
    )
    if wants_fragment():
        response.headers["HX-Retarget"] = "#plan"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


def _plan_error(message: str) -> Response:
    """A refused change: the plan page with the message by the plan status, and a 422."""
    db.session.rollback()
    return render_page_or_fragment(
        "plan/index.html", "plan/_plan.html", 422,
        goal_form=GoalForm(formdata=None), plan_error=message, focus_id="plan-status", **_plan_context(),
    )


def _check_action() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)
