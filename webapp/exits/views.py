"""Ending, reopening and following up a participation. Plain forms: POST → 303 → the coach's
page of the participant, with the message flashed. A refused change answers 422 with the form
as it was typed; a page asked for in the wrong state explains why (200), so links never break."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import clock
from webapp.coach.views import own_participation
from webapp.exits import bp, services
from webapp.exits.forms import EndForm, FollowUpForm, ReopenForm
from webapp.extensions import db
from webapp.models import Participation


def _form_page(
    participation: Participation, form, template: str, possible: bool, save: Callable[[], object], done: str,
    **context,
) -> Response | tuple[str, int] | str:
    """The steps every page here shares: explain a wrong state, check, save once, go back."""
    if request.method == "GET" and not possible:
        return render_template("exits/unavailable.html", participation=participation)
    if form.validate_on_submit():
        try:
            save()
        except services.ExitError as error:
            # Someone else changed the participation after the form was checked.
            db.session.rollback()
            form.form_errors.extend(error.problems.values())
        else:
            db.session.commit()
            flash(done)
            return redirect(url_for("coach.participant", participation_id=participation.id), code=303)
    status = 422 if form.errors else 200
    return render_template(template, form=form, participation=participation, **context), status


@bp.route("/<uuid:participation_id>/end", methods=["GET", "POST"])
def end(participation_id: uuid.UUID):
    participation = own_participation(participation_id)
    form = EndForm(participation=participation)
    return _form_page(
        participation, form, "exits/end.html", not participation.is_ended,
        lambda: services.end_participation(participation, current_user, form.end_data(), clock.today()),
        _("The participation is ended."),
    )


@bp.route("/<uuid:participation_id>/reopen", methods=["GET", "POST"])
def reopen(participation_id: uuid.UUID):
    participation = own_participation(participation_id)
    form = ReopenForm(participation=participation)
    return _form_page(
        participation, form, "exits/reopen.html", participation.is_ended,
        lambda: services.reopen_participation(participation, current_user, form.reason.data, clock.today()),
        _("The participation is active again."),
        follow_ups=services.follow_ups(participation.id),
    )


@bp.route("/<uuid:participation_id>/follow-up", methods=["GET", "POST"])
def follow_up(participation_id: uuid.UUID):
    participation = own_participation(participation_id)
    summary = services.summary(participation)
    form = FollowUpForm(participation=participation, recorded=summary.follow_ups.keys())
    return _form_page(
        participation, form, "exits/follow_up.html", participation.is_ended,
        lambda: services.record_follow_up(participation, current_user, form.follow_up_data(), clock.today()),
        _("The follow-up is saved."),
        summary=summary,
    )
