"""Goal follow-up (måluppföljning): the project's goals, the goal report and its exports.

Two blueprints: `goals` for the project leader (the report, the exports and the goals'
configuration, under /project/<id>/) and `coach_goals` for a coach's report over their own
participants (/coach/report). Both compute through webapp/goals/report.py.
"""

from flask import Blueprint

from webapp.models import Role
from webapp.security import require_role

bp = Blueprint("goals", __name__, url_prefix="/project")
bp.before_request(require_role(Role.LEADER))

coach_bp = Blueprint("coach_goals", __name__, url_prefix="/coach")
coach_bp.before_request(require_role(Role.COACH))

from webapp.goals import coach_views, views  # noqa: E402,F401
