from __future__ import annotations

import uuid

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import clock
from webapp.activities import services as activities
from webapp.audit import record_event
from webapp.auth import code_sheet
from webapp.coach import bp, services
from webapp.coach.forms import CaseloadFilterForm, ParticipantForm
from webapp.comments import services as comments
from webapp.comments.forms import CommentForm
from webapp.comments.views import thread_forms
from webapp.extensions import db
from webapp.htmx import render_page_or_fragment, wants_fragment
from webapp.models import CapacityLevel, Gender, Participation
from webapp.once import once
from webapp.plan import services as plan
from webapp.plan.forms import ActionForm, SuggestionForm


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
    form = CaseloadFilterForm(request.args)
    status = 200
    if not form.validate():
        if form.q.errors:
            # A search too long: said next to the field, with the text kept, and everyone shown.
            status = 422
            form.need.data = form.need.data if not form.need.errors else "all"
            form.sort.data = form.sort.data if not form.sort.errors else "attention"
        else:
            # Unknown filter values from a hand-edited URL: show everyone rather than an error page.
            form = CaseloadFilterForm(formdata=None)
    ended = request.args.get("ended") == "1"
    rows = services.caseload(current_user, clock.today(), ended=ended)
    query = (form.q.data or "") if status == 200 else ""
    shown = services.filter_and_sort(rows, query, form.need.data or "all", form.sort.data or "attention")
    if status != 200 and wants_fragment():
        # The message belongs next to the field, outside the rows htmx would replace: the whole page.
        response = make_response("", 200)
        response.headers["HX-Redirect"] = request.full_path
        return response
    return render_page_or_fragment(
        "coach/caseload.html", "coach/_caseload_rows.html", status, form=form, rows=shown, total=len(rows),
        ended=ended, as_fragment=wants_fragment(),
    )


@bp.route("/participants/new", methods=["GET", "POST"])
@once
def new_participant():
    form = ParticipantForm(municipalities=services.municipalities(current_user))
    if request.method == "GET":
        form.enrolled_on.data = clock.today()
        if len(form.municipalities) == 1:
            form.municipality.data = next(iter(form.municipalities))
    if form.validate_on_submit() and not form.same_person_unconfirmed(services.same_person_in_project(
            form.chosen_municipality().project_id, form.name.data, form.birth_year.year)):
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
        code_sheet.keep_for_showing(participation.participant_id, code)
        return redirect(url_for("coach.activation_code", participation_id=participation.id), code=303)
    status = 422 if form.errors else 200
    return render_template("coach/new_participant.html", form=form), status


@bp.get("/participants/<uuid:participation_id>")
def participant(participation_id: uuid.UUID):
    participation = own_participation(participation_id)
    return render_template("coach/participant.html", **_picture(participation))


def _picture(participation: Participation, **extra) -> dict:
    """Everything on the coach's page about one participant, with what is new since the last review."""
    history = activities.capacities(participation)
    threads = comments.threads(participation)
    return {
        "participation": participation,
        "plan": plan.plan_view(participation),
        "declined": plan.declined_suggestions(participation),
        "weeks": activities.weeks(participation, clock.today(), count=4, history=history),
        "capacity": activities.capacity_on(history, clock.today()),
        "threads": threads,
        "forms": thread_forms(threads, **extra),
        "thread_counts": comments.counts_by_thread(participation),
        "since": services.last_review(current_user, participation),
        "action_form": ActionForm(formdata=None),
    }


def _button(participation_id: uuid.UUID, change, message: str):
    """A one-button change on a participant (CSRF token only), then back to their page."""
    participation = own_participation(participation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    change(participation)
    db.session.commit()
    flash(message)
    return redirect(url_for("coach.participant", participation_id=participation.id), code=303)


@bp.post("/participants/<uuid:participation_id>/reviewed")
def mark_reviewed(participation_id: uuid.UUID):
    return _button(participation_id, lambda p: services.mark_reviewed(current_user, p),
                   _("Marked as reviewed. New things will be marked from now on."))


def _set_account(participation: Participation, active: bool) -> None:
    services.set_account_active(participation, active)
    record_event("account_enabled" if active else "account_disabled", actor=current_user,
                 participation=participation, detail="participant")


@bp.post("/participants/<uuid:participation_id>/deactivate")
def deactivate(participation_id: uuid.UUID):
    return _button(participation_id, lambda p: _set_account(p, False),
                   _("The account is closed. The participant cannot sign in. The information is kept."))


@bp.post("/participants/<uuid:participation_id>/unlock")
def unlock(participation_id: uuid.UUID):
    """After too many wrong PINs only the coach, who knows the person, can open the sign-in."""
    def change(participation):
        services.unlock_sign_in(participation)
        record_event("unlocked", actor=current_user, participation=participation, detail="pin")

    return _button(participation_id, change, _("The sign-in is unlocked. The participant can try the PIN again."))


@bp.post("/participants/<uuid:participation_id>/reactivate")
def reactivate(participation_id: uuid.UUID):
    return _button(participation_id, lambda p: _set_account(p, True),
                   _("The account is open again. Make a new code if the participant has forgotten the password."))


def _thread_or_404(participation: Participation, thread: str):
    try:
        return comments.resolve_thread(participation, thread.replace("-", ":", 1))
    except comments.CommentError:
        abort(404)


def _thread_page(participation: Participation, key: str, step, activity, form=None, status: int = 200):
    found = next((t for t in comments.threads(participation) if t.key == key), None)
    current = found or comments.Thread(key, step, activity)
    form = form or CommentForm(formdata=None, prefix=key, thread=current.form_value)
    return render_template("coach/thread.html", participation=participation, thread=current, form=form), status


@bp.get("/participants/<uuid:participation_id>/messages/<thread>")
def thread(participation_id: uuid.UUID, thread: str):
    """One thread with its form, e.g. to comment on a step or an activity for the first time."""
    participation = own_participation(participation_id)
    return _thread_page(participation, thread, *_thread_or_404(participation, thread))


@bp.post("/participants/<uuid:participation_id>/messages/<thread>")
@once
def write_comment(participation_id: uuid.UUID, thread: str):
    participation = own_participation(participation_id)
    step, activity = _thread_or_404(participation, thread)
    form = CommentForm(prefix=thread)
    if not form.validate_on_submit():
        return _thread_page(participation, thread, step, activity, form, 422)
    comments.add_comment(participation, current_user, form.text.data, step, activity)
    db.session.commit()
    flash(_("Your message is sent. The participant sees it on their start page."))
    return redirect(url_for("coach.participant", participation_id=participation.id) + f"#thread-{thread}", code=303)



@bp.route("/participants/<uuid:participation_id>/code", methods=["GET", "POST"])
def activation_code(participation_id: uuid.UUID):
    participation = own_participation(participation_id)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        code = services.new_code(current_user, participation)
        db.session.commit()
        code_sheet.keep_for_showing(participation.participant_id, code)
        return redirect(url_for("coach.activation_code", participation_id=participation.id), code=303)
    return render_template(
        "coach/activation_code.html", participation=participation,
        sheet=code_sheet.take_for_showing(participation.participant_id), action_form=ActionForm(formdata=None),
    )


@bp.route("/participants/<uuid:participation_id>/suggest", methods=["GET", "POST"])
@once
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
