"""Reading and changing the action plan. Every query is scoped to one participation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from webapp import clock
from webapp.extensions import db
from webapp.models import Goal, Helper, Participation, Step, StepState, StepStatus, User


class PlanError(Exception):
    """A change the plan does not allow; the message is for the participant."""


class Conflict(Exception):
    """The goal or step changed after the person's form was loaded (another phone, another tab):
    nothing was written. The caller rolls back and shows what is saved now next to what the
    person wrote."""


def _write_if_unchanged(item: Goal | Step, base_version: int | None, change) -> None:
    """Make `change` to `item` and write it, only if the item is still at the version the form was
    loaded with; else Conflict, with nothing changed.

    Two checks, one guarantee: the version in the form against the row read now (the usual case:
    the other save came earlier), and the database's own UPDATE … WHERE version = <read> (two saves
    at the same moment, both having read the same version: SQLAlchemy's version_id_col raises
    StaleDataError for the one that finds the row changed)."""
    if base_version != item.version:
        raise Conflict
    try:
        change()
        db.session.flush()
    except StaleDataError as error:
        raise Conflict from error


@dataclass
class StepData:
    text: str
    helper_id: int | None = None
    helper_other: str | None = None
    due_on: object = None
    status: StepStatus = StepStatus.NOT_STARTED
    note: str | None = None


@dataclass
class GoalView:
    goal: Goal
    steps: list[Step] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.status == StepStatus.DONE)


@dataclass
class PlanView:
    goals: list[GoalView]
    loose_steps: list[Step]
    suggestions: list[Step]

    @property
    def step_count(self) -> int:
        return len(self.loose_steps) + sum(len(g.steps) for g in self.goals)

    @property
    def all_steps(self) -> list[Step]:
        return [s for g in self.goals for s in g.steps] + self.loose_steps


def helpers_for(project_id: int, keep: int | None = None) -> list[Helper]:
    """The project's "who helps" list, in its order: the entries in use, plus `keep` (the one a
    step already has, even if the project has hidden it since)."""
    shown = Helper.is_active.is_(True) if keep is None else or_(Helper.is_active.is_(True), Helper.id == keep)
    return list(
        db.session.scalars(
            select(Helper).where(Helper.project_id == project_id, shown).order_by(Helper.position, Helper.name)
        )
    )


def _live_goals(participation: Participation):
    return select(Goal).where(Goal.participation_id == participation.id, Goal.deleted_at.is_(None))


def _steps(participation: Participation, *states: StepState):
    return (
        select(Step)
        .outerjoin(Goal, Goal.id == Step.goal_id)
        .where(
            Step.participation_id == participation.id,
            Step.deleted_at.is_(None),
            Step.state.in_(states),
            # A step under a deleted goal is gone with it (and back if the goal is restored).
            Goal.deleted_at.is_(None),
        )
        .options(joinedload(Step.helper), joinedload(Step.suggested_by))
    )


def plan_view(participation: Participation) -> PlanView:
    """The whole plan in three queries, whatever its size."""
    live_goals = goals(participation)
    steps = list(
        db.session.scalars(
            _steps(participation, StepState.IN_PLAN, StepState.SUGGESTED).order_by(
                Step.position, Step.created_at
            )
        )
    )
    by_goal = {goal.id: GoalView(goal) for goal in live_goals}
    loose, suggestions = [], []
    for step in steps:
        if step.state == StepState.SUGGESTED:
            suggestions.append(step)
        elif step.goal_id in by_goal:
            by_goal[step.goal_id].steps.append(step)
        else:
            loose.append(step)
    return PlanView(goals=list(by_goal.values()), loose_steps=loose, suggestions=suggestions)


def goals(participation: Participation) -> list[Goal]:
    return list(db.session.scalars(_live_goals(participation).order_by(Goal.position, Goal.created_at)))


def plan_steps(participation: Participation) -> list[Step]:
    """The steps in the plan, for choosing one to link an activity to."""
    return list(
        db.session.scalars(
            _steps(participation, StepState.IN_PLAN).order_by(Goal.position, Step.position, Step.created_at)
        )
    )


def get_goal(participation: Participation, goal_id: uuid.UUID, *, deleted: bool = False) -> Goal | None:
    """The participant's own goal, or None for someone else's or a missing one."""
    query = select(Goal).where(Goal.id == goal_id, Goal.participation_id == participation.id)
    query = query.where(Goal.deleted_at.is_not(None) if deleted else Goal.deleted_at.is_(None))
    return db.session.scalar(query)


def get_step(
    participation: Participation, step_id: uuid.UUID, *states: StepState, deleted: bool = False
) -> Step | None:
    """The participant's own step in one of these states, or None."""
    query = (
        select(Step)
        .where(Step.id == step_id, Step.participation_id == participation.id)
        .where(Step.state.in_(states or (StepState.IN_PLAN,)))
        .where(Step.deleted_at.is_not(None) if deleted else Step.deleted_at.is_(None))
        .options(joinedload(Step.helper))
    )
    return db.session.scalar(query)


def _next_position(model, *criteria) -> int:
    return (db.session.scalar(select(func.max(model.position)).where(*criteria)) or 0) + 1


def add_goal(participation: Participation, text: str) -> Goal:
    goal = Goal(
        participation_id=participation.id,
        text=text,
        position=_next_position(Goal, Goal.participation_id == participation.id),
    )
    db.session.add(goal)
    db.session.flush()
    return goal


def update_goal(goal: Goal, text: str, base_version: int | None) -> None:
    """Change a goal's text if nobody changed the goal since `base_version` (else Conflict).
    Saving what is already saved is not a conflict. A deleted goal saved at its version (after the
    conflict page said it was deleted) comes back, with its steps, as after "Undo"."""
    if text == goal.text and goal.deleted_at is None:
        return  # nothing to write, whatever happened in between

    def change() -> None:
        goal.deleted_at = None
        goal.text = text

    _write_if_unchanged(goal, base_version, change)


def delete_goal(goal: Goal) -> None:
    goal.deleted_at = clock.now()


def restore_goal(goal: Goal) -> None:
    goal.deleted_at = None


def _values(data: StepData) -> dict:
    """The step's columns that a StepData sets."""
    return {
        "text": data.text,
        "helper_id": data.helper_id,
        "helper_other": data.helper_other if data.helper_id else None,
        "due_on": data.due_on,
        "status": data.status,
        "note": data.note or None,
    }


def _apply(step: Step, data: StepData) -> None:
    for name, value in _values(data).items():
        setattr(step, name, value)


def add_step(participation: Participation, goal: Goal | None, data: StepData) -> Step:
    step = Step(
        participation_id=participation.id,
        goal_id=goal.id if goal else None,
        position=_next_position(
            Step, Step.participation_id == participation.id, Step.goal_id == (goal.id if goal else None)
        ),
    )
    _apply(step, data)
    db.session.add(step)
    db.session.flush()
    return step


def update_step(step: Step, data: StepData, goal: Goal | None, base_version: int | None) -> None:
    """Change a step if nobody changed it since `base_version` (else Conflict, nothing written).
    A step moved to another goal (or to none) goes last there. Saving what is already saved is
    not a conflict: there is nothing to overwrite. A deleted step saved at its version (after the
    conflict page said it was deleted) comes back."""
    goal_id = goal.id if goal else None
    values = _values(data)
    unchanged = goal_id == step.goal_id and all(getattr(step, name) == value for name, value in values.items())
    if unchanged and step.deleted_at is None:
        return

    def change() -> None:
        step.deleted_at = None
        if goal_id != step.goal_id:
            step.position = _next_position(
                Step, Step.participation_id == step.participation_id, Step.goal_id == goal_id
            )
            step.goal_id = goal_id
        _apply(step, data)

    _write_if_unchanged(step, base_version, change)


# What the one-tap button on a step does, from each status.
NEXT_STATUS = {
    StepStatus.NOT_STARTED: StepStatus.DOING,
    StepStatus.DOING: StepStatus.DONE,
    StepStatus.PAUSED: StepStatus.DOING,
    StepStatus.DONE: StepStatus.DOING,
}


def set_status(step: Step, status: StepStatus) -> None:
    step.status = status


def _move(item, siblings_query, direction: str) -> bool:
    """Swap places with the neighbour above or below; False when already at the end."""
    siblings = list(db.session.scalars(siblings_query))
    index = next(i for i, s in enumerate(siblings) if s.id == item.id)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(siblings):
        return False
    # Renumber the whole list so equal or missing positions cannot make a move a no-op.
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    return True


def move_step(participation: Participation, step: Step, direction: str) -> bool:
    siblings = (
        _steps(participation, StepState.IN_PLAN)
        .where(Step.goal_id.is_(None) if step.goal_id is None else Step.goal_id == step.goal_id)
        .order_by(Step.position, Step.created_at)
    )
    return _move(step, siblings, direction)


def move_goal(participation: Participation, goal: Goal, direction: str) -> bool:
    return _move(goal, _live_goals(participation).order_by(Goal.position, Goal.created_at), direction)


def delete_step(step: Step) -> None:
    step.deleted_at = clock.now()


def restore_step(step: Step) -> None:
    step.deleted_at = None


def mark_ready(participation: Participation) -> None:
    """"This is my plan". It needs at least one step, so that there is a plan to stand behind."""
    if not plan_steps(participation):
        raise PlanError("no-steps")
    participation.plan_ready_on = clock.today()


def unmark_ready(participation: Participation) -> None:
    participation.plan_ready_on = None
    participation.plan_completed_on = None


def mark_completed(participation: Participation) -> None:
    if participation.plan_ready_on is None:
        raise PlanError("not-ready")
    participation.plan_completed_on = clock.today()


def unmark_completed(participation: Participation) -> None:
    participation.plan_completed_on = None


def suggest_step(participation: Participation, coach: User, goal: Goal | None, data: StepData) -> Step:
    """A coach's suggestion. It is not part of the plan until the participant accepts it."""
    step = Step(
        participation_id=participation.id,
        goal_id=goal.id if goal else None,
        state=StepState.SUGGESTED,
        suggested_by_id=coach.id,
        position=0,
    )
    _apply(step, data)
    db.session.add(step)
    db.session.flush()
    return step


def accept_suggestion(participation: Participation, step: Step) -> None:
    # The position first: its query would write the new state at once, and the step would count
    # two versions for one change.
    position = _next_position(Step, Step.participation_id == participation.id, Step.goal_id == step.goal_id)
    step.state = StepState.IN_PLAN
    step.position = position


def decline_suggestion(step: Step) -> None:
    step.state = StepState.DECLINED


def declined_suggestions(participation: Participation) -> list[Step]:
    """Suggestions the participant said no to, for the coach to see."""
    return list(db.session.scalars(_steps(participation, StepState.DECLINED).order_by(Step.updated_at.desc())))
