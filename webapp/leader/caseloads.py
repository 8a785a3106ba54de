"""Who coaches whom: moving a participant to another coach, and sharing a caseload while a
coach is away. No request objects here."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from webapp import clock
from webapp.extensions import db
from webapp.models import CaseloadShare, Participation, Project, User


def participations(project: Project) -> list[Participation]:
    """The project's participations with participant, municipality and coach, in one query."""
    return list(
        db.session.scalars(
            select(Participation)
            .join(User, User.id == Participation.participant_id)
            .where(Participation.project_id == project.id)
            .options(
                joinedload(Participation.participant),
                joinedload(Participation.municipality),
                joinedload(Participation.coach),
            )
            .order_by(User.name, Participation.enrolled_on)
        )
    )


def get_participation(project: Project, participation_id: uuid.UUID) -> Participation | None:
    """A participation in this project, or None."""
    return db.session.scalar(
        select(Participation)
        .where(Participation.id == participation_id, Participation.project_id == project.id)
        .options(joinedload(Participation.participant), joinedload(Participation.coach))
    )


def move(participation: Participation, coach: User) -> None:
    """Give the participant another coach. The caller has checked that the coach is an active
    coach of the participation's project."""
    participation.coach_id = coach.id
    participation.coach = coach


# --- shared caseloads ---------------------------------------------------------------------


def _active_shares(project: Project):
    """Shares in force today: not ended, and the "until" day (inclusive) not passed."""
    return select(CaseloadShare).where(
        CaseloadShare.project_id == project.id,
        CaseloadShare.ended_at.is_(None),
        or_(CaseloadShare.until.is_(None), CaseloadShare.until >= clock.today()),
    )


def active_shares(project: Project) -> list[CaseloadShare]:
    """The shares in force, with both coaches, in one query."""
    return list(
        db.session.scalars(
            _active_shares(project)
            .options(joinedload(CaseloadShare.owner), joinedload(CaseloadShare.colleague))
            .order_by(CaseloadShare.created_at, CaseloadShare.id)
        )
    )


def is_shared(project: Project, owner: User, colleague: User) -> bool:
    """Whether the colleague already covers the owner's caseload."""
    return db.session.scalar(
        _active_shares(project)
        .where(CaseloadShare.owner_id == owner.id, CaseloadShare.colleague_id == colleague.id)
        .with_only_columns(CaseloadShare.id)
    ) is not None


def share(project: Project, leader: User, owner: User, colleague: User, until: dt.date | None) -> CaseloadShare:
    """Let the colleague open the owner's participants, until the day given (inclusive) or until
    the leader ends it."""
    item = CaseloadShare(
        project_id=project.id, owner_id=owner.id, colleague_id=colleague.id, until=until, created_by_id=leader.id
    )
    db.session.add(item)
    return item


def get_active_share(project: Project, share_id: int) -> CaseloadShare | None:
    """A share of this project that is still in force, or None."""
    return db.session.scalar(_active_shares(project).where(CaseloadShare.id == share_id))


def end_share(item: CaseloadShare) -> None:
    item.ended_at = clock.now()
