"""The access log: who opened a participant's information. Written for every request by
someone other than the participant that loads that participant's data."""

from __future__ import annotations

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import AccessLog, Participation, User


def record_access(actor: User, participation: Participation, action: str | None = None) -> None:
    """One row per request that opens the participant's data; committed with the request's work,
    or on its own when the request only reads."""
    if actor.id == participation.participant_id:
        return
    db.session.add(
        AccessLog(
            actor_id=actor.id,
            actor_role=actor.role,
            participation_id=participation.id,
            action=action or request.endpoint or "unknown",
        )
    )


def accesses(participation: Participation, limit: int = 100) -> list[AccessLog]:
    """The newest entries first, with the person who looked."""
    return list(
        db.session.scalars(
            select(AccessLog)
            .where(AccessLog.participation_id == participation.id)
            .options(joinedload(AccessLog.actor))
            .order_by(AccessLog.at.desc(), AccessLog.id.desc())
            .limit(limit)
        )
    )
