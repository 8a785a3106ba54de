"""The project leader's pages: the projects' figures, and the administration of each project
(coaches, who coaches whom, shared caseloads, the project's lists)."""

from flask import Blueprint

from webapp.models import Role
from webapp.security import require_role

bp = Blueprint("leader", __name__, url_prefix="/project")
bp.before_request(require_role(Role.LEADER))

from webapp.leader import audit_views, caseload_views, coach_views, list_views, views  # noqa: E402,F401
