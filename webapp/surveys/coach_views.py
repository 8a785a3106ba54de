"""The coach reads a participant's survey answers and can reopen a sent survey. Every route
opens the participation through own_participation(), which writes the access log."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import clock

# The module, not the function: the participant's start page imports our services, and the
# coach's views import the participant's, so webapp.coach.views may still be loading here.
from webapp.coach import views as coach
from webapp.extensions import db
from webapp.models import Participation
from webapp.plan.forms import ActionForm
from webapp.surveys import review_bp, services


def _own_response(participation_id: uuid.UUID, response_id: uuid.UUID) -> tuple[Participation, services.Opened]:
    """The participation (logged) and one of its responses; another participant's answers 404."""
    participation = coach.own_participation(participation_id)
    opened = services.open_response(participation.id, response_id)
    if opened is None:
        abort(404)
    return participation, opened


def _page(participation: Participation, opened: services.Opened, error: str | None = None, status: int = 200):
    return render_template("surveys/coach_response.html", participation=participation, opened=opened,
                           error=error, action_form=ActionForm(formdata=None)), status


@review_bp.get("/<uuid:participation_id>/surveys/<uuid:response_id>")
def response(participation_id: uuid.UUID, response_id: uuid.UUID):
    return _page(*_own_response(participation_id, response_id))


@review_bp.post("/<uuid:participation_id>/surveys/<uuid:response_id>/reopen")
def reopen(participation_id: uuid.UUID, response_id: uuid.UUID):
    participation, opened = _own_response(participation_id, response_id)
    try:
        services.reopen(opened, current_user, clock.now())
    except services.SurveyError as error:
        db.session.rollback()
        return _page(participation, opened, str(error.message), 409)
    db.session.commit()
    flash(_("The survey is open again. The participant can change the answers and must send them again."))
    return redirect(url_for("coach.participant", participation_id=participation.id) + "#surveys-heading", code=303)
