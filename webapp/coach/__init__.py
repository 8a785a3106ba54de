"""The coach's workspace: their participants, new participants and codes, suggested steps."""

from flask import Blueprint

from webapp.models import Role
from webapp.security import require_role

bp = Blueprint("coach", __name__, url_prefix="/coach")
bp.before_request(require_role(Role.COACH))

from webapp.coach import views  # noqa: E402,F401
