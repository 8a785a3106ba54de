"""Helpers for the leader's tests: a shared-caseload factory, a fingerprint of what a leader's
request could change, and every project route with real ids."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from webapp import clock
from webapp.extensions import db
from webapp.models import (
    AccessLog,
    ActivationCode,
    CaseloadShare,
    Helper,
    Municipality,
    Participation,
    ProjectStaff,
    User,
)


def share(world, owner=None, colleague=None, until: dt.date | None = None, ended: bool = False,
          project=None) -> int:
    """A factory (run it with `build`): a shared caseload, by default in world.project with the
    coach's caseload covered by the other coach."""
    item = CaseloadShare(
        project_id=(project or world.project).id, owner_id=(owner or world.coach).id,
        colleague_id=(colleague or world.other_coach).id, until=until, created_by_id=world.leader.id,
        ended_at=clock.now() if ended else None,
    )
    db.session.add(item)
    db.session.flush()
    return item.id


def fingerprint(read):
    """Every row a leader's request could change, to prove a refused one changed nothing."""

    def snapshot():
        return sorted(
            (model.__name__, tuple(str(getattr(row, column.key)) for column in model.__table__.columns))
            for model in (User, ProjectStaff, ActivationCode, Participation, CaseloadShare, Helper, Municipality,
                          AccessLog)
            for row in db.session.scalars(select(model))
        )

    return read(snapshot)


@dataclass
class Route:
    endpoint: str
    method: str
    url: str
    data: dict
    arguments: frozenset[str]

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


def project_routes(app, ids: dict, share_id: int | None = None) -> list[Route]:
    """Every leader route that belongs to a project, with the ids given (by URL argument name),
    and for POST the form a browser would send."""
    routes = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("leader.") or "project_id" not in rule.arguments:
                continue
            url = url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                data = {"name": "Nytt namn", "email": "ny@example.se", "owner": "", "colleague": ""}
                if "participation_id" in rule.arguments:
                    data[f"move-{uuid.UUID(str(ids['participation_id'])).hex}-coach"] = str(ids["coach_id"])
                if share_id is not None:
                    data["share"] = str(share_id)
                routes.append(Route(rule.endpoint, method, url, data, frozenset(rule.arguments)))
    return routes


from tests.access_matrix import _public_id  # noqa: E402


def ids_in_project_a(world) -> dict:
    return {
        "project_id": world.project.public_id, "coach_id": world.other_coach.id,
        "participation_id": world.p.participation_id, "helper_id": _public_id(Helper, world.project.helper_id),
        "municipality_id": _public_id(Municipality, world.project.municipality_id),
    }
