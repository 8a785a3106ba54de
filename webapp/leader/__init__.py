"""The project leader's view of their projects."""

from flask import Blueprint

from webapp.models import Role
from webapp.security import require_role

bp = Blueprint("leader", __name__, url_prefix="/project")
bp.before_request(require_role(Role.LEADER))

from webapp.leader import views  # noqa: E402,F401
