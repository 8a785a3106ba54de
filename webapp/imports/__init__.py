"""Importing the project's participant list from the spreadsheet the project already keeps
(CSV or XLSX): map the columns, see every problem row, confirm, print the activation codes."""

from flask import Blueprint

from webapp.models import Role
from webapp.security import require_role

bp = Blueprint("imports", __name__, url_prefix="/project")
bp.before_request(require_role(Role.LEADER))

from webapp.imports import views  # noqa: E402,F401  (routes register on import)
