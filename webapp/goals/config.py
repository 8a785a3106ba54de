"""The project's goals as the leader configures them: list, add, change, remove. No request objects."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from webapp.exits.labels import OUTCOMES
from webapp.extensions import db
from webapp.goals import rules
from webapp.models import GoalKind, Outcome, Project, ProjectGoal


@dataclass(frozen=True)
class GoalData:
    """What the form gives: a combination rules.problems() accepts."""

    code: str
    title: str
    kind: GoalKind
    population: str
    condition: str
    item_key: str | None
    outcomes: tuple[str, ...]
    target: int

    def cleaned(self) -> GoalData:
        """Drop an item or outcomes the chosen rules do not use, so the stored goal says only what counts."""
        pop, cond = rules.POPULATIONS[self.population], rules.CONDITIONS[self.condition]
        item = self.item_key if pop.needs_item or cond.needs_item else None
        outcomes = self.outcomes if cond.needs_outcomes else ()
        return GoalData(self.code, self.title, self.kind, self.population, self.condition, item, outcomes,
                        self.target)


@dataclass(frozen=True)
class DescribedGoal:
    """A goal with its rule in words, for the configuration page."""

    goal: ProjectGoal
    population: object
    condition: object
    item: object | None
    outcomes: list[object]
    known: bool  # False when the stored rule is no longer in the catalogue


def described(project: Project) -> list[DescribedGoal]:
    """The project's goals in the order they are reported, each with its rule in plain words."""
    found = []
    for goal in db.session.scalars(
        select(ProjectGoal).where(ProjectGoal.project_id == project.id).order_by(ProjectGoal.position, ProjectGoal.id)
    ):
        pop, cond = rules.POPULATIONS.get(goal.population), rules.CONDITIONS.get(goal.condition)
        if pop is None or cond is None:
            found.append(DescribedGoal(goal, goal.population, goal.condition, None, [], False))
            continue
        item = rules.EXIT_ITEMS.get(goal.item_key) if pop.needs_item or cond.needs_item else None
        outcomes = [OUTCOMES[Outcome(v)] for v in rules.outcome_values(goal.outcomes)] if cond.needs_outcomes else []
        found.append(DescribedGoal(goal, pop.label, cond.label, item, outcomes, True))
    return found


def get_goal(project: Project, goal_id: uuid.UUID) -> ProjectGoal | None:
    """The goal, if it belongs to this project (another project's answers like a missing one)."""
    return db.session.scalar(
        select(ProjectGoal).where(ProjectGoal.public_id == goal_id, ProjectGoal.project_id == project.id)
    )


def code_taken(project: Project, code: str, keep: ProjectGoal | None = None) -> bool:
    query = select(ProjectGoal.code).where(ProjectGoal.project_id == project.id)
    if keep is not None:
        query = query.where(ProjectGoal.id != keep.id)
    return any(existing.casefold() == code.casefold() for existing in db.session.scalars(query))


def _apply(goal: ProjectGoal, data: GoalData) -> None:
    data = data.cleaned()
    goal.code, goal.title, goal.kind, goal.target = data.code, data.title, data.kind, data.target
    goal.population, goal.condition, goal.item_key = data.population, data.condition, data.item_key
    goal.outcomes = ",".join(data.outcomes) or None


def add_goal(project: Project, data: GoalData) -> ProjectGoal:
    """A new goal, last in the list."""
    last = db.session.scalar(select(func.max(ProjectGoal.position)).where(ProjectGoal.project_id == project.id))
    goal = ProjectGoal(project_id=project.id, position=(last or 0) + 1)
    _apply(goal, data)
    db.session.add(goal)
    db.session.flush()
    return goal


def update_goal(goal: ProjectGoal, data: GoalData) -> None:
    _apply(goal, data)


def remove_goal(goal: ProjectGoal) -> None:
    """Goals hold no data of their own: removing one only stops it being reported."""
    db.session.delete(goal)
