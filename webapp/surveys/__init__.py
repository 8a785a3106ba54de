"""Surveys: participants answer questionnaires one question per screen, coaches read and reopen
the answers, project leaders choose and import questionnaires. The progress picture draws the
life-area ratings over time.

Three blueprints, one per role, each guarding its role like the rest of the app.
"""

from flask import Blueprint

from webapp.models import Role
from webapp.participant.context import participant_guard
from webapp.security import require_role

bp = Blueprint("surveys", __name__, url_prefix="/surveys")
bp.before_request(participant_guard)

review_bp = Blueprint("survey_review", __name__, url_prefix="/coach/participants")
review_bp.before_request(require_role(Role.COACH))

questionnaires_bp = Blueprint("questionnaires", __name__, url_prefix="/project")
questionnaires_bp.before_request(require_role(Role.LEADER))


@bp.record_once
def _template_globals(state) -> None:
    # Globals, not a context processor: the participant's start page and the coach's page
    # (other blueprints) include our fragments, and imported macros see only globals.
    from webapp.surveys import labels
    from webapp.surveys.forms import answer_words
    from webapp.surveys.progress import overview

    labels.init_labels(state.app)
    state.app.jinja_env.globals.update(survey_overview=overview, answer_words=answer_words)


from webapp.surveys import coach_views, leader_views, views  # noqa: E402,F401
