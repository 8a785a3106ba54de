"""A coach's copy of a participant's data, for someone without a device of their own: the same
page and file the participant gets. Only for the coach's own caseload (404 otherwise), and the
opening is written to the access log like every other look at the participant's data."""

from __future__ import annotations

import uuid

from webapp.coach.views import own_participation
from webapp.extensions import limiter
from webapp.rights import coach_bp, readable


@coach_bp.get("/<uuid:participation_id>/data")
@limiter.limit(readable.export_limit, key_func=readable.per_user)
def readable_page(participation_id: uuid.UUID):
    participation = own_participation(participation_id)
    return readable.readable_page(participation.participant, participation, "rights/readable.html", for_coach=True)


@coach_bp.get("/<uuid:participation_id>/data.json")
@limiter.limit(readable.export_limit, key_func=readable.per_user)
def download(participation_id: uuid.UUID):
    participation = own_participation(participation_id)
    return readable.json_response(participation.participant, participation)
