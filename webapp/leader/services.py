"""The project leader's projects: figures (counts only) and the loader every project page uses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import case, func, select

from webapp.extensions import db
from webapp.models import Participation, Project, ProjectStaff, Role, User


@dataclass
class ProjectSummary:
    project: Project
    participants: int
    plans_ready: int
    plans_completed: int
    coaches: int


def project_summaries(leader: User) -> list[ProjectSummary]:
    """The leader's projects with a few counts, in two queries."""
    projects = list(
        db.session.scalars(
            select(Project)
            .join(ProjectStaff, ProjectStaff.project_id == Project.id)
            .where(ProjectStaff.user_id == leader.id)
            .order_by(Project.name)
        )
    )
    ids = [p.id for p in projects]
    counts = {
        row.project_id: row
        for row in db.session.execute(
            select(
                Participation.project_id,
                func.count().label("participants"),
                func.count(Participation.plan_ready_on).label("ready"),
                func.count(Participation.plan_completed_on).label("completed"),
            )
            .where(Participation.project_id.in_(ids))
            .group_by(Participation.project_id)
        )
    }
    coaches = dict(
        db.session.execute(
            select(ProjectStaff.project_id, func.sum(case((User.role == Role.COACH, 1), else_=0)))
            .join(User, User.id == ProjectStaff.user_id)
            .where(ProjectStaff.project_id.in_(ids))
            .group_by(ProjectStaff.project_id)
        ).all()
    )
    return [
        ProjectSummary(
            project=p,
            participants=counts[p.id].participants if p.id in counts else 0,
            plans_ready=counts[p.id].ready if p.id in counts else 0,
            plans_completed=counts[p.id].completed if p.id in counts else 0,
            coaches=int(coaches.get(p.id) or 0),
        )
        for p in projects
    ]


def get_project(leader: User, project_id: uuid.UUID) -> Project | None:
    """The project, if the leader works in it; another leader's project answers like a missing one."""
    return db.session.scalar(
        select(Project)
        .join(ProjectStaff, ProjectStaff.project_id == Project.id)
        .where(Project.public_id == project_id, ProjectStaff.user_id == leader.id)
    )
