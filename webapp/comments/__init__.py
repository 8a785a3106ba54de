"""The participant's messages with the coaches: threads about steps, activities, or general."""

from flask import Blueprint

from webapp.participant.context import participant_guard

bp = Blueprint("comments", __name__, url_prefix="/messages")
bp.before_request(participant_guard)

from webapp.comments import views  # noqa: E402,F401
