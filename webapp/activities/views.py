from __future__ import annotations

import datetime as dt
import uuid

from flask import Response, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from webapp import clock
from webapp.activities import bp, services
from webapp.activities.forms import ActivityForm
from webapp.extensions import db
from webapp.htmx import render_page_or_fragment, respond_after_change, wants_fragment
from webapp.i18n.formatting import week_start
from webapp.models import Activity
from webapp.participant.context import current_participation
from webapp.plan.forms import ActionForm
from webapp.plan.services import plan_steps
from webapp.pwa.outbox import outbox_key

WEEKS_PER_PAGE = 4


def _new_form(formdata=None) -> ActivityForm:
    participation = current_participation()
    form = ActivityForm(formdata=formdata, steps=plan_steps(participation))
    if formdata is None:
        form.client_id.data = str(uuid.uuid4())
        form.occurred_on.data = clock.today()
        last = services.last_kind(participation)
        form.kind.data = last.value if last else ""
    return form


# No log goes back further than this; an older ?before= (a hand-made link) shows these weeks.
FIRST_DAY = dt.date(2000, 1, 1)


def _before() -> dt.date:
    """The last day shown: today, or the day before the week in ?before=YYYY-MM-DD."""
    try:
        before = dt.date.fromisoformat(request.args.get("before", ""))
    except ValueError:
        return clock.today()
    return min(max(before, FIRST_DAY) - dt.timedelta(days=1), clock.today())


def _log_context(form: ActivityForm, last_day: dt.date | None = None, **extra) -> dict:
    participation = current_participation()
    last_day = last_day or clock.today()
    history = services.capacities(participation)
    weeks = [w for w in services.weeks(participation, last_day, WEEKS_PER_PAGE, history)
             if w.end >= week_start(participation.enrolled_on) or w.activities]
    oldest = weeks[-1].start if weeks else week_start(last_day)
    return {
        "form": form,
        "weeks": weeks,
        "older": oldest if services.has_older_entries(participation, oldest) else None,
        "newer": last_day < clock.today(),
        "capacity": services.capacity_on(history, clock.today()),
        "action_form": ActionForm(formdata=None),
        **extra,
    }


@bp.get("")
def index():
    return render_template("activities/index.html", **_log_context(_new_form(), _before()))


@bp.post("")
def create():
    form = _new_form(request.form)
    if form.validate_on_submit():
        try:
            entry, _created = services.log_activity(
                current_participation(), form.client_id.uuid, form.activity_data()
            )
        except services.ClientIdConflict:
            db.session.rollback()
            form.client_id.data = str(uuid.uuid4())
            form.form_errors.append(_("This entry was already sent with other content. Check it and save again."))
            return render_page_or_fragment("activities/index.html", "activities/_activity_form.html", 422,
                                           **_log_context(form))
        db.session.commit()
        # A replay of an entry that was already stored answers exactly like the first time. Without
        # htmx the answer is a redirect, and the GET that follows shows the log: not built here.
        context = _log_context(_new_form(), focus_id=f"activity-{entry.id}") if wants_fragment() else {}
        return respond_after_change(
            _("Saved. Good work!"), url_for("activities.index") + f"#activity-{entry.id}",
            "activities/_log.html", retarget="#log", **context,
        )
    # With htmx the form replaces itself: only the form comes back, with its messages.
    return render_page_or_fragment("activities/index.html", "activities/_activity_form.html", 422,
                                   **_log_context(form))


@bp.get("/outbox")
def outbox_who():
    """For a phone about to send its outbox: who is signed in here, and a token to send with."""
    return jsonify(user=outbox_key(current_user), csrf=generate_csrf())


@bp.post("/outbox")
def outbox_send():
    """One entry from a phone's outbox (JSON). Stored exactly once by its client id: sent again,
    it answers 200 with the stored entry; the same id with other content answers 422."""
    sent = request.get_json(silent=True)
    if not isinstance(sent, dict) or not isinstance(sent.get("fields"), dict):
        return jsonify(message=_("Something is wrong with the form. Reload the page and try again.")), 400
    if sent.get("owner") != outbox_key(current_user):
        # Written by someone else on this phone: never stored as this person's.
        return jsonify(message=_("This entry was written by someone else.")), 409
    fields = MultiDict({name: str(value) for name, value in sent["fields"].items() if isinstance(value, str | int)})
    participation = current_participation()
    form = ActivityForm(formdata=fields, steps=plan_steps(participation), meta={"csrf": False})
    if not form.validate():
        errors = {name: str(messages[0]) for name, messages in form.errors.items()}
        return jsonify(message=" ".join(errors.values()), errors=errors), 422
    try:
        entry, created = services.log_activity(participation, form.client_id.uuid, form.activity_data())
    except services.ClientIdConflict:
        db.session.rollback()
        return jsonify(message=_("This entry was already sent with other content. Check it and save again.")), 422
    db.session.commit()
    return jsonify(id=str(entry.id), created=created), 201 if created else 200


def _own(activity_id: uuid.UUID, deleted: bool = False) -> Activity:
    entry = services.get_activity(current_participation(), activity_id, deleted=deleted)
    if entry is None:
        abort(404)
    return entry


@bp.get("/<uuid:activity_id>")
def show(activity_id: uuid.UUID):
    entry = _own(activity_id)
    # After "Cancel" in the edit form, focus returns to the entry (not to the page's start).
    return render_page_or_fragment("activities/show.html", "activities/_entry.html", activity=entry,
                                   action_form=ActionForm(formdata=None), focus_id=f"activity-{entry.id}")


@bp.route("/<uuid:activity_id>/edit", methods=["GET", "POST"])
def edit(activity_id: uuid.UUID):
    entry = _own(activity_id)
    form = ActivityForm(obj=entry, steps=plan_steps(current_participation()), prefix=f"edit-{entry.id.hex[:8]}")
    if request.method == "GET":
        form.client_id.data = str(entry.client_id)
        form.kind.data = entry.kind.value
        form.minutes.data = str(entry.minutes)
        form.feeling.data = str(entry.feeling)
        form.step.data = str(entry.step_id) if entry.step_id else ""
    if form.validate_on_submit():
        services.update_activity(entry, form.activity_data())
        db.session.commit()
        return _changed_week(_("The change is saved."), entry)
    status = 422 if form.errors else 200
    return render_page_or_fragment("activities/edit.html", "activities/_activity_form.html", status,
                                   form=form, activity=entry)


def _week_end(entry: Activity) -> dt.date:
    return min(week_start(entry.occurred_on) + dt.timedelta(days=6), clock.today())


def _after_week(entry: Activity) -> str | None:
    """?before= that shows the entry's week, or None when that is the newest page anyway."""
    end = _week_end(entry)
    if week_start(clock.today()) - week_start(end) < dt.timedelta(weeks=WEEKS_PER_PAGE):
        return None
    return (end + dt.timedelta(days=1)).isoformat()


@bp.post("/<uuid:activity_id>/delete")
def delete(activity_id: uuid.UUID):
    entry = _own(activity_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.delete_activity(entry)
    db.session.commit()
    return respond_after_change(
        _("The entry is deleted."), url_for("activities.deleted", activity_id=entry.id), "activities/_log.html",
        retarget="#log", **_log_context(_new_form(), _week_end(entry), undo=entry, focus_id="undo"),
    )


@bp.get("/<uuid:activity_id>/deleted")
def deleted(activity_id: uuid.UUID):
    """Where a deleted entry can be brought back. Once it is back (Back after "Undo"): the log
    at its week, as the plan does, not "page not found"."""
    back = services.get_activity(current_participation(), activity_id)
    if back is not None:
        return redirect(url_for("activities.index", before=_after_week(back)) + f"#activity-{back.id}", code=303)
    entry = _own(activity_id, deleted=True)
    return render_template("activities/index.html", **_log_context(_new_form(), _week_end(entry), undo=entry))


@bp.post("/<uuid:activity_id>/restore")
def restore(activity_id: uuid.UUID) -> Response:
    entry = _own(activity_id, deleted=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.restore_activity(entry)
    db.session.commit()
    return _changed_week(_("The entry is back."), entry)


def _changed_week(message: str, entry: Activity) -> Response:
    """After a change to an entry: the log around the entry's week, with focus on the entry."""
    anchor = f"activity-{entry.id}"
    return respond_after_change(
        message, url_for("activities.index", before=_after_week(entry)) + f"#{anchor}", "activities/_log.html",
        retarget="#log", **_log_context(_new_form(), _week_end(entry), focus_id=anchor),
    )
