"""The participant answers a survey on the phone: one question per page, each answer saved as
it is given (POST → save → 303 to the next), a review page, then "Send". Plain forms only, so
it works without JavaScript and loses nothing when the connection drops between questions."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp import clock
from webapp.extensions import db
from webapp.participant.context import current_participation
from webapp.surveys import bp, services
from webapp.surveys.forms import StartForm, answer_form, form_value, value_of
from webapp.surveys.progress import overview


def _opened(response_id: uuid.UUID) -> services.Opened:
    opened = services.open_response(current_participation().id, response_id)
    if opened is None:
        abort(404)
    return opened


def _closed(title: str, message: str, status: int, opened: services.Opened | None = None):
    """A survey that cannot be answered now: say why, change nothing."""
    db.session.rollback()
    return render_template("surveys/closed.html", title=title, message=message, opened=opened), status


def _sent(opened: services.Opened, status: int):
    return _closed(_("You have sent this survey"),
                   _("The answers cannot be changed now. Ask your coach if something is wrong."), status, opened)


def _where_to_continue(opened: services.Opened) -> str:
    number = opened.first_open_number()
    if number is None:
        return url_for(".review", response_id=opened.response.id)
    return url_for(".question", response_id=opened.response.id, number=number)


@bp.post("/start")
def start():
    """Start a due survey, or continue the one already started."""
    form = StartForm()
    chosen = form.chosen() if form.validate_on_submit() else None
    if chosen is None:
        return _closed(_("The survey cannot start"), _("We could not read which survey to start. Go back and "
                                                       "try again."), 422)
    try:
        response = services.start(current_participation(), *chosen, clock.today())
    except services.SurveyError as error:
        return _closed(_("The survey cannot start"), str(error.message), 409)
    db.session.commit()
    return redirect(_where_to_continue(_opened(response.id)), code=303)


@bp.route("/<uuid:response_id>/questions/<int:number>", methods=["GET", "POST"])
def question(response_id: uuid.UUID, number: int):
    opened = _opened(response_id)
    item = opened.item(number)
    if item is None:
        abort(404)
    if opened.is_sent:
        return _sent(opened, 409 if request.method == "POST" else 200)
    back_to_review = request.args.get("then") == "review"
    form = answer_form(item)
    if request.method == "GET":
        form.answer.data = form_value(item, opened.answers.get(item.key))
        return _question_page(opened, number, form, back_to_review)

    action = request.form.get("action", "save")
    if action == "later" and not form.answer.data:
        # Nothing chosen on this page: the earlier answers are saved already.
        return _later()
    if action == "skip":
        services.save_answer(opened, item, services.SKIPPED, clock.now())
    elif form.validate():
        services.save_answer(opened, item, value_of(item, form.answer.data), clock.now())
    else:
        return _question_page(opened, number, form, back_to_review, 422)
    db.session.commit()
    if action == "later":
        return _later()
    if back_to_review or number == len(opened.items):
        return redirect(url_for(".review", response_id=response_id), code=303)
    return redirect(url_for(".question", response_id=response_id, number=number + 1), code=303)


def _later():
    flash(_("Your answers are saved. You can continue later from the start page."))
    return redirect(url_for("participant.home"), code=303)


def _question_page(opened: services.Opened, number: int, form, back_to_review: bool, status: int = 200):
    response_id = opened.response.id
    if back_to_review:
        back = url_for(".review", response_id=response_id)
    elif number > 1:
        back = url_for(".question", response_id=response_id, number=number - 1)
    else:
        back = url_for("participant.home")
    return render_template(
        "surveys/question.html", opened=opened, item=opened.item(number), form=form, back=back,
        action=url_for(".question", response_id=response_id, number=number, then="review" if back_to_review else None),
    ), status


@bp.get("/<uuid:response_id>/review")
def review(response_id: uuid.UUID):
    """Every answer, with a link to change each, and the button that sends them."""
    return render_template("surveys/review.html", opened=_opened(response_id))


@bp.post("/<uuid:response_id>/send")
def send(response_id: uuid.UUID):
    opened = _opened(response_id)
    if opened.is_sent:
        return _sent(opened, 409)
    services.submit(opened, clock.now())
    db.session.commit()
    flash(_("Thank you! Your answers are sent."))
    return redirect(url_for("participant.home"), code=303)


@bp.get("/progress")
def progress():
    """The participant's life-area ratings over time, and the surveys they have sent."""
    return render_template("surveys/progress.html", overview=overview(current_participation()))
