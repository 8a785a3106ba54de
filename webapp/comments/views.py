from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.comments import bp, services
from webapp.comments.forms import CommentForm
from webapp.extensions import db
from webapp.htmx import respond_after_change
from webapp.once import once
from webapp.participant.context import current_participation
from webapp.plan.forms import ActionForm
from webapp.security import safe_next


def thread_forms(threads, formdata=None, failed: str | None = None, failed_form=None) -> dict:
    """One reply form per thread, plus the general one; ids stay unique through the prefix."""
    forms = {t.key: CommentForm(formdata=None, prefix=t.key, thread=t.form_value) for t in threads}
    forms.setdefault("general", CommentForm(formdata=None, prefix="general", thread="general"))
    if failed and failed_form is not None:
        forms[failed] = failed_form
    return forms


def _page(status: int = 200, **extra):
    participation = current_participation()
    threads = services.threads(participation)
    return render_template(
        "comments/index.html", threads=threads, forms=thread_forms(threads, **extra),
        new_ids={c.id for c in services.new_for_participant(participation)},
        action_form=ActionForm(formdata=None),
    ), status


@bp.get("")
def index():
    return _page()


@bp.post("/<thread>")
@once
def write(thread: str):
    participation = current_participation()
    try:
        step, activity = services.resolve_thread(participation, thread.replace("-", ":", 1))
    except services.CommentError:
        abort(404)
    form = CommentForm(prefix=thread)
    if not form.validate_on_submit():
        return _page(422, failed=thread, failed_form=form)
    services.add_comment(participation, current_user, form.text.data, step, activity)
    db.session.commit()
    return respond_after_change(
        _("Your message is sent."), url_for("comments.index") + f"#thread-{thread}", "comments/_threads.html",
        retarget="#threads", **_threads_context(),
    )


def _threads_context() -> dict:
    participation = current_participation()
    threads = services.threads(participation)
    return {"threads": threads, "forms": thread_forms(threads), "new_ids": set()}


@bp.post("/read")
def mark_read():
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    services.mark_read(current_participation())
    db.session.commit()
    return respond_after_change(
        _("Marked as read."), safe_next(form.next.data, url_for("participant.home")),
        "comments/_new_on_home.html", retarget="#new-messages", new_comments=[], marked_read=True,
    )
