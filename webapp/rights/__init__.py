"""The participant's rights: see and download all their data (GDPR Art. 15), ask for it to be
erased (Art. 17, as far as archive law allows), and the project's retention and purge.

Three blueprints, one per role, each guarding its role like the rest of the app:
`rights` (the participant's "My data", /my-data), `coach_rights` (a coach's copy of the data for a
participant without a device, /coach/participants/<id>/data) and `leader_rights` (retention
settings and erasure requests, /project/<id>/...). `flask purge` is in webapp/rights/cli.py.
"""

from flask import Blueprint

from webapp.models import Role
from webapp.participant.context import participant_guard
from webapp.security import require_role

bp = Blueprint("rights", __name__, url_prefix="/my-data")
bp.before_request(participant_guard)

coach_bp = Blueprint("coach_rights", __name__, url_prefix="/coach/participants")
coach_bp.before_request(require_role(Role.COACH))

leader_bp = Blueprint("leader_rights", __name__, url_prefix="/project")
leader_bp.before_request(require_role(Role.LEADER))

from webapp.rights import coach_views, leader_views, views  # noqa: E402,F401
