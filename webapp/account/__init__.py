"""The signed-in person's own sign-in settings: passkeys, PIN and devices, the authenticator
app, and signing out elsewhere. Every role has it."""

from flask import Blueprint

from webapp.models import Role
from webapp.security import require_role

bp = Blueprint("account", __name__, url_prefix="/account")
bp.before_request(require_role(*Role))

from webapp.account import views  # noqa: E402,F401  (routes register on import)
