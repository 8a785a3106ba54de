"""The participant's action plan: goals, steps, suggestions, "this is my plan"."""

from flask import Blueprint

from webapp.participant.context import participant_guard

bp = Blueprint("plan", __name__, url_prefix="/plan")
bp.before_request(participant_guard)

from webapp.plan import views  # noqa: E402,F401
