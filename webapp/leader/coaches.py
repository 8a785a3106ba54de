"""The project's coaches: who they are, adding one with an activation code, and switching an
account off and on. No request objects here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from webapp.auth import services as auth
from webapp.extensions import db
from webapp.models import Participation, Project, ProjectStaff, Role, User


@dataclass
class CoachRow:
    coach: User
    participations: int


def _project_coaches(project: Project):
    return (
        select(User)
        .join(ProjectStaff, ProjectStaff.user_id == User.id)
        .where(ProjectStaff.project_id == project.id, User.role == Role.COACH)
    )


def coaches(project: Project) -> list[CoachRow]:
    """Every coach of the project with the number of its participations they coach, in one query."""
    counts = (
        select(Participation.coach_id, func.count().label("n"))
        .where(Participation.project_id == project.id)
        .group_by(Participation.coach_id)
        .subquery()
    )
    rows = db.session.execute(
        _project_coaches(project)
        .add_columns(func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.coach_id == User.id)
        .order_by(User.name, User.login_name)
    )
    return [CoachRow(coach, count) for coach, count in rows]


def active_coaches(project: Project) -> list[User]:
    """The coaches who can take participants: in the project and able to sign in."""
    return list(db.session.scalars(_project_coaches(project).where(User.is_active.is_(True)).order_by(User.name)))


def get_coach(project: Project, coach_id: uuid.UUID) -> User | None:
    """A coach of this project, or None (a coach of another project answers like a missing one)."""
    return db.session.scalar(_project_coaches(project).where(User.id == coach_id))


def login_taken(email: str) -> bool:
    """Whether someone (in any role) already signs in with this email."""
    login = auth.normalise_login(email)
    return db.session.scalar(select(User.id).where(User.login_name == login)) is not None


def add_coach(project: Project, leader: User, name: str, email: str) -> tuple[User, str]:
    """A coach account without a password, in the project; returns it and its activation code."""
    coach = User(
        role=Role.COACH, name=name, login_name=auth.normalise_login(email),
        organisation_id=project.organisation_id,
    )
    db.session.add(coach)
    db.session.flush()
    db.session.add(ProjectStaff(project_id=project.id, user_id=coach.id))
    return coach, auth.issue_activation_code(coach, created_by=leader)


def new_code(leader: User, coach: User) -> str:
    """A new activation code, e.g. when the coach forgot the password; the old code stops working."""
    return auth.issue_activation_code(coach, created_by=leader)


def set_active(coach: User, active: bool) -> None:
    """Switch the account on or off. Switching it off signs the coach out everywhere at once."""
    coach.is_active = active
    if not active:
        auth.end_all_sessions(coach)
