"""The installable app: the web app manifest, the service worker and the offline page.

All three are public and hold nothing personal, so a phone may keep them. Pages with a person's
information are never kept by the service worker (see templates/pwa/sw.js).
"""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from webapp.pwa import views  # noqa: E402,F401
