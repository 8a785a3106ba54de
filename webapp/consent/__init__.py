"""Consent to share (samtycke): the participant gives and withdraws consent to share chosen parts
with a named organisation; a coach shares under a valid consent, records a consent signed on
paper, or a withdrawal the participant asked for. Nothing is shared without a valid consent.

Two blueprints, one per role, each guarding its role like the rest of the app: `consent` for the
participant (/sharing) and `consent_coach` on the coach's participant pages.
"""

from flask import Blueprint
from flask_babel import format_date

from webapp.models import Role
from webapp.participant.context import participant_guard
from webapp.security import require_role

bp = Blueprint("consent", __name__, url_prefix="/sharing")
bp.before_request(participant_guard)

coach_bp = Blueprint("consent_coach", __name__, url_prefix="/coach/participants")
coach_bp.before_request(require_role(Role.COACH))


def format_month(day) -> str:
    """A month and its year, e.g. "november 2026" (the stand-alone month name)."""
    return format_date(day, "LLLL y")


@bp.record_once
def _template_globals(state) -> None:
    # Globals, not a context processor: the coach's participant page (another blueprint)
    # includes consent/_coach_section.html, and imported macros see only globals.
    from webapp import clock
    from webapp.consent.labels import PART_CONTENTS, PART_CONTENTS_FOR_STAFF, PART_NAMES
    from webapp.consent.services import coach_overview

    state.app.jinja_env.globals.update(
        SHARE_PARTS=PART_NAMES, SHARE_PART_CONTENTS=PART_CONTENTS, STAFF_PART_CONTENTS=PART_CONTENTS_FOR_STAFF,
        consent_overview=lambda participation: coach_overview(participation, clock.today()),
    )
    state.app.jinja_env.filters["month_year"] = format_month


from webapp.consent import views  # noqa: E402,F401
