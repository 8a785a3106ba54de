"""The project archive: one versioned JSON file with everything about a project (docs/ARCHIVE.md),
written and read by `flask export-project` / `flask import-project` and by the project leader."""

from flask import Blueprint

from webapp.models import Role
from webapp.security import require_role

bp = Blueprint("archive", __name__, url_prefix="/project")
bp.before_request(require_role(Role.LEADER))

from webapp.archive import views  # noqa: E402,F401  (routes register on import)
