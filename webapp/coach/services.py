"""The coach's queries and commands. A coach sees only the participations they coach."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from webapp import clock
from webapp.audit import record_access
from webapp.auth import services as auth
from webapp.extensions import db
from webapp.models import (
    Activity,
    Capacity,
    CaseloadShare,
    CapacityLevel,
    Gender,
    Municipality,
    Participation,
    Project,
    ProjectStaff,
    Role,
    Step,
    StepState,
    User,
)


@dataclass
class CaseloadRow:
    participation: Participation
    last_activity_on: dt.date | None
    suggestion_count: int


def caseload(coach: User) -> list[CaseloadRow]:
    """The coach's participants with their latest activity, in three queries whatever the size."""
    last_activity = (
        select(Activity.participation_id, func.max(Activity.occurred_on).label("last_on"))
        .where(Activity.deleted_at.is_(None))
        .group_by(Activity.participation_id)
        .subquery()
    )
    suggestions = (
        select(Step.participation_id, func.count().label("open"))
        .where(Step.state == StepState.SUGGESTED, Step.deleted_at.is_(None))
        .group_by(Step.participation_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Participation, last_activity.c.last_on, func.coalesce(suggestions.c.open, 0))
        .join(User, User.id == Participation.participant_id)
        .outerjoin(last_activity, last_activity.c.participation_id == Participation.id)
        .outerjoin(suggestions, suggestions.c.participation_id == Participation.id)
        .where(Participation.coach_id == coach.id)
        .options(joinedload(Participation.participant), joinedload(Participation.municipality))
        .order_by(User.name)
    )
    return [CaseloadRow(p, last_on, count) for p, last_on, count in rows]


def covered_coaches(coach: User):
    """The coaches whose caseloads this coach may open: their own, and colleagues' shared with
    them by the project leader (until the share's end date)."""
    shared = select(CaseloadShare.owner_id).where(
        CaseloadShare.colleague_id == coach.id,
        CaseloadShare.ended_at.is_(None),
        or_(CaseloadShare.until.is_(None), CaseloadShare.until >= clock.today()),
    )
    return select(User.id).where(or_(User.id == coach.id, User.id.in_(shared)))


def get_participation(coach: User, participation_id: uuid.UUID) -> Participation | None:
    """A participation the coach may open, or None: someone else's answers like a missing one.

    Every participation found is written to the access log: loading it is how a coach's
    request opens a participant's data.
    """
    participation = db.session.scalar(
        select(Participation)
        .where(Participation.id == participation_id, Participation.coach_id.in_(covered_coaches(coach)))
        .options(joinedload(Participation.participant), joinedload(Participation.municipality))
    )
    if participation is not None:
        record_access(coach, participation)
    return participation


def municipalities(staff: User) -> list[Municipality]:
    """The municipalities of the projects the staff member works in."""
    return list(
        db.session.scalars(
            select(Municipality)
            .join(Project, Project.id == Municipality.project_id)
            .join(ProjectStaff, ProjectStaff.project_id == Project.id)
            .where(ProjectStaff.user_id == staff.id, Municipality.is_active.is_(True))
            .options(joinedload(Municipality.project))
            .order_by(Project.name, Municipality.name)
        )
    )


@dataclass
class NewParticipant:
    name: str
    gender: Gender
    birth_year: int
    municipality: Municipality
    enrolled_on: dt.date
    capacity: CapacityLevel | None = None


def create_participant(coach: User, data: NewParticipant) -> tuple[Participation, str]:
    """Create the participant's account and participation; returns it and the activation code."""
    user = User(
        role=Role.PARTICIPANT,
        name=data.name,
        login_name=auth.new_participant_login_name(data.name),
        organisation_id=coach.organisation_id,
    )
    db.session.add(user)
    db.session.flush()
    participation = Participation(
        participant_id=user.id,
        project_id=data.municipality.project_id,
        coach_id=coach.id,
        enrolled_on=data.enrolled_on,
        gender=data.gender,
        birth_year=data.birth_year,
        municipality_id=data.municipality.id,
    )
    db.session.add(participation)
    db.session.flush()
    if data.capacity is not None:
        db.session.add(Capacity(participation_id=participation.id, level=data.capacity, starts_on=data.enrolled_on))
    code = auth.issue_activation_code(user, created_by=coach)
    return participation, code


def new_code(coach: User, participation: Participation) -> str:
    """A new activation code, e.g. when the participant forgot the password."""
    return auth.issue_activation_code(participation.participant, created_by=coach)
