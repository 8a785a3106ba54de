"""The participant's start page and their stated capacity."""

from flask import Blueprint

from webapp.participant.context import participant_guard

bp = Blueprint("participant", __name__)
bp.before_request(participant_guard)

from webapp.participant import views  # noqa: E402,F401
