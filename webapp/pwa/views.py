from __future__ import annotations

from flask import Response, current_app, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.activities.forms import ActivityForm
from webapp.assets import CORE_FILES
from webapp.i18n import current_language
from webapp.models import Role
from webapp.pwa import bp
from webapp.pwa.outbox import outbox_key

THEME = "#073f7a"
DRAFTS_DONE = "drafts_done"


@bp.app_context_processor
def inject_pwa() -> dict:
    if not current_user.is_authenticated:
        return {"user_key": None, "outbox_user": None, "drafts_done": None}
    key = outbox_key(current_user)
    return {
        "user_key": key,  # whose drafts these are (app.js keeps drafts per person)
        "outbox_user": key if current_user.role == Role.PARTICIPANT else None,
        "drafts_done": session.pop(DRAFTS_DONE, None),
    }


@bp.after_app_request
def acknowledge_draft(response: Response) -> Response:
    """A form sent with a draft id (added by app.js) was saved: tell the phone to forget the draft.

    Only when the person is still signed in and the answer is a success; a form that comes back with
    errors, or a sign-in page after the session ran out, keeps the draft on the phone."""
    # A refused request's form is not read again: a body that was too big would raise its 413
    # once more here, after the error page, and become a 500.
    if request.method != "POST" or response.status_code >= 400:
        return response
    draft = request.form.get("_draft", "")
    if draft and current_user.is_authenticated and len(draft) <= 64:
        if response.status_code in (301, 302, 303):
            session[DRAFTS_DONE] = " ".join([*session.get(DRAFTS_DONE, "").split(), draft][-5:])
        else:
            response.headers["Stegvis-Draft-Saved"] = draft
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    language = current_language()
    icon = lambda name, size, purpose: {  # noqa: E731
        "src": url_for("static", filename=f"icons/{name}"), "sizes": size, "type": "image/png", "purpose": purpose,
    }
    body = {
        "id": "/",
        "name": "Stegvis",
        "short_name": "Stegvis",
        "description": _("Stegvis – step by step towards work or studies."),
        "lang": language.tag,
        "dir": language.direction,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            icon("icon-192.png", "192x192", "any"),
            icon("icon-512.png", "512x512", "any"),
            icon("icon-maskable-512.png", "512x512", "maskable"),
        ],
    }
    response = current_app.json.response(body)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/sw.js")
def service_worker():
    fingerprints = current_app.extensions["fingerprints"]
    body = render_template(
        "pwa/sw.js",
        version=fingerprints.version(),
        core=[url_for("static", filename=name) for name in CORE_FILES],
        outbox_script=url_for("static", filename="js/outbox.js"),
    )
    # Checked on every visit, so a new version reaches phones at once.
    return Response(body, mimetype="text/javascript", headers={"Cache-Control": "no-cache"})


@bp.get("/offline")
def offline():
    """What a phone shows without a connection: the log form, and what waits to be sent. The same
    for everyone (it is kept on the phone); app.js fills in whose entries they are."""
    form = ActivityForm(formdata=None, steps=[], meta={"csrf": False})
    response = Response(render_template("pwa/offline.html", form=form))
    response.headers["Cache-Control"] = "no-cache"
    # Which language and version the phone keeps (app.js fetches a new one when either changes).
    fingerprints = current_app.extensions["fingerprints"]
    response.headers["Stegvis-Offline"] = f"{current_language().tag}:{fingerprints.version()}"
    return response
