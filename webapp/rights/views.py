"""The participant's "My data": see it all, download it, ask for it to be erased."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import clock
from webapp.extensions import db, limiter
from webapp.participant.context import current_participation
from webapp.plan.forms import ActionForm
from webapp.rights import bp, readable, services


@bp.get("")
def index():
    participation = current_participation()
    return render_template(
        "rights/index.html",
        retention=services.retention_for(participation.project_id),
        standing=services.standing_request(participation),
        today=clock.today(),
    )


@bp.get("/all")
@limiter.limit(readable.export_limit, key_func=readable.per_user)
def readable_page():
    """Everything, as a page to read or print."""
    return readable.readable_page(current_user, current_participation(), "rights/readable.html")


@bp.get("/stegvis-data.json")
@limiter.limit(readable.export_limit, key_func=readable.per_user)
def download():
    """Everything, as a JSON file (machine-readable; GDPR Art. 20 does not apply, we offer it anyway)."""
    return readable.json_response(current_user, current_participation())


@bp.route("/erase", methods=["GET", "POST"])
def request_erasure():
    participation = current_participation()
    standing = services.standing_request(participation)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        _request, new = services.request_erasure(participation, current_user)
        db.session.commit()
        if new:
            flash(_("Your request is sent. The project leader answers it. You see the answer on this page."))
        return redirect(url_for("rights.index", _anchor="erase"), code=303)
    return render_template("rights/request_erasure.html", form=form, standing=standing,
                           retention=services.retention_for(participation.project_id))
