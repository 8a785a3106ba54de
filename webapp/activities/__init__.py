"""The participant's activity log: what they did, week by week, against their capacity."""

from flask import Blueprint

from webapp.participant.context import participant_guard

bp = Blueprint("activities", __name__, url_prefix="/log")
bp.before_request(participant_guard)

from webapp.activities import views  # noqa: E402,F401
