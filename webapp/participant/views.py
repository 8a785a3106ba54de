from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp import clock
from webapp.activities import services as activities
from webapp.activities.forms import CapacityForm
from webapp.extensions import db
from webapp.participant import bp
from webapp.participant.context import current_participation
from webapp.participant.looked import visits
from webapp.participant.services import home_view
from webapp.plan.forms import ActionForm


@bp.get("/home")
def home():
    return render_template(
        "participant/home.html", home=home_view(current_participation()), action_form=ActionForm(formdata=None)
    )


@bp.get("/who-has-looked")
def who_has_looked():
    """Everyone other than the participant who opened their information, newest first, by visit."""
    return render_template("participant/who_has_looked.html", visits=visits(current_participation()))


@bp.route("/capacity", methods=["GET", "POST"])
def capacity():
    participation = current_participation()
    history = activities.capacities(participation)
    form = CapacityForm()
    if request.method == "GET":
        form.starts_on.data = clock.today()
        if current := activities.capacity_on(history, clock.today()):
            form.level.data = current.level.value
    if form.validate_on_submit():
        activities.set_capacity(participation, form.chosen_level(), form.starts_on.data)
        db.session.commit()
        flash(_("Your capacity is saved."))
        return redirect(url_for("activities.index"), code=303)
    status = 422 if form.errors else 200
    return render_template("participant/capacity.html", form=form, history=history[:5]), status
