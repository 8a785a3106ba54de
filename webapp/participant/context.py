"""The signed-in participant's current participation, loaded once per request."""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Participation, Role
from webapp.security import require_role

_participant_only = require_role(Role.PARTICIPANT)


def load_participation(participant_id) -> Participation | None:
    """The participant's newest participation."""
    return db.session.scalar(
        select(Participation)
        .where(Participation.participant_id == participant_id)
        .order_by(Participation.enrolled_on.desc(), Participation.created_at.desc())
        .limit(1)
    )


def participant_guard() -> None:
    """before_request for every participant blueprint: the role, then the participation."""
    _participant_only()
    participation = load_participation(current_user.id)
    if participation is None:
        abort(404)
    g.participation = participation


participant_guard.roles = _participant_only.roles


def current_participation() -> Participation:
    return g.participation
