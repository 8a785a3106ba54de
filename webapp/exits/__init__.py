"""The end of a participation: the coach ends it, reopens it, and records the follow-ups."""

from flask import Blueprint

from webapp.exits import services
from webapp.exits.labels import exit_labels
from webapp.models import Role
from webapp.security import require_role

bp = Blueprint("exits", __name__, url_prefix="/coach/participants")
bp.before_request(require_role(Role.COACH))


@bp.record_once
def _template_globals(state) -> None:
    # Globals, not a context processor: the coach's participant page (another blueprint)
    # includes exits/_summary.html, and imported macros see only globals.
    state.app.jinja_env.globals.update(exit_labels(), exit_summary=services.summary)


from webapp.exits import views  # noqa: E402,F401
