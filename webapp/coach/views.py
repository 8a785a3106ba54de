from __future__ import annotations

import uuid

import segno
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import clock
from webapp.activities import services as activities
from webapp.coach import bp, services
from webapp.coach.forms import ParticipantForm
from webapp.extensions import db
from webapp.models import CapacityLevel, Gender, Participation
from webapp.plan import services as plan
from webapp.plan.forms import ActionForm, SuggestionForm

# The plain code lives only in the coach's session, between the POST that made it and the
# one page that shows it; the database keeps a hash.
SHOWN_CODE_KEY = "new_activation_code"


def own_participation(participation_id: uuid.UUID) -> Participation:
    """The participation, if this coach may open it (404 otherwise), with the access logged.

    The log entry is committed at once: opening the data is what is logged, whatever the
    request does next.
    """
    participation = services.get_participation(current_user, participation_id)
    if participation is None:
        abort(404)
    db.session.commit()
    return participation


@bp.get("")
def caseload():
    return render_template("coach/caseload.html", rows=services.caseload(current_user), today=clock.today())


@bp.route("/participants/new", methods=["GET", "POST"])
def new_participant():
    form = ParticipantForm(municipalities=services.municipalities(current_user))
    if request.method == "GET":
        form.enrolled_on.data = clock.today()
        if len(form.municipalities) == 1:
            form.municipality.data = next(iter(form.municipalities))
    if form.validate_on_submit():
        participation, code = services.create_participant(
            current_user,
            services.NewParticipant(
                name=form.name.data,
                gender=Gender(form.gender.data),
                birth_year=form.birth_year.year,
                municipality=form.chosen_municipality(),
                enrolled_on=form.enrolled_on.data,
                capacity=CapacityLevel(form.capacity.data) if form.capacity.data else None,
            ),
        )
        db.session.commit()
        session[SHOWN_CODE_KEY] = {"participation": str(participation.id), "code": code}
        return redirect(url_for("coach.activation_code", participation_id=participation.id), code=303)
    status = 422 if form.errors else 200
    return render_template("coach/new_participant.html", form=form), status


@bp.get("/participants/<uuid:participation_id>")
def participant(participation_id: uuid.UUID):
    participation = own_participation(participation_id)
    history = activities.capacities(participation)
    return render_template(
        "coach/participant.html",
        participation=participation,
        plan=plan.plan_view(participation),
        declined=plan.declined_suggestions(participation),
        weeks=activities.weeks(participation, clock.today(), count=4, history=history),
        capacity=activities.capacity_on(history, clock.today()),
        action_form=ActionForm(formdata=None),
    )


@bp.route("/participants/<uuid:participation_id>/code", methods=["GET", "POST"])
def activation_code(participation_id: uuid.UUID):
    participation = own_participation(participation_id)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        code = services.new_code(current_user, participation)
        db.session.commit()
        session[SHOWN_CODE_KEY] = {"participation": str(participation.id), "code": code}
        return redirect(url_for("coach.activation_code", participation_id=participation.id), code=303)
    shown = session.pop(SHOWN_CODE_KEY, None)
    code = shown["code"] if shown and shown.get("participation") == str(participation.id) else None
    link = qr = None
    if code:
        link = url_for("auth.activate", code=code.replace("-", ""), _external=True)
        qr = segno.make(link, error="m").svg_inline(
            scale=1, border=2, omitsize=True, svgclass="qr", title=_("QR code with the activation link")
        )
    return render_template(
        "coach/activation_code.html", participation=participation, code=code, link=link, qr=qr,
        action_form=ActionForm(formdata=None),
    )


@bp.route("/participants/<uuid:participation_id>/suggest", methods=["GET", "POST"])
def suggest_step(participation_id: uuid.UUID):
    participation = own_participation(participation_id)
    form = SuggestionForm(helpers=plan.helpers_for(participation.project_id), goals=plan.goals(participation))
    if form.validate_on_submit():
        plan.suggest_step(participation, current_user, form.chosen_goal(), form.step_data())
        db.session.commit()
        flash(_("The suggestion is sent. The participant decides if it goes into the plan."))
        return redirect(url_for("coach.participant", participation_id=participation.id), code=303)
    status = 422 if form.errors else 200
    return render_template("coach/suggest_step.html", form=form, participation=participation), status
