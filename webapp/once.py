"""A form that makes something new is done once, however often it is sent.

A double tap on a slow connection, a retry after an answer that never came, "send again" after a
reload: each sends the same form again, and without this a coach got the same participant twice
and a thread the same message twice. Such a form carries a random token (`{{ once_field() }}` in
its template) and its view is wrapped in `@once`:

- The first sending is claimed in `form_submissions` (a hash of the person, token, URL and fields)
  before the view runs, in the same transaction as the view's own writes: kept if they are kept.
- A repeat is not done again. It is answered with the page the first answer led to (303; for
  htmx, HX-Redirect), where the first answer's message and code, if it never arrived, still wait.
  (An htmx answer is not a redirect: `respond_after_change` leaves its page in `g.once_result`.)
- The same token with other fields (Back, change the text, send) is a new sending, not a repeat.
- Two sendings at the same moment: on PostgreSQL the second INSERT waits for the first transaction
  and then fails on the unique key; on SQLite writing requests run one at a time.
- An answer with errors (4xx) keeps no claim: the corrected form goes through.

With JavaScript, static/js/app.js also does not send a form again while its answer is on its way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid
from functools import wraps

from flask import Response, g, make_response, redirect, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from webapp import clock
from webapp.extensions import db
from webapp.htmx import wants_fragment
from webapp.models import FormSubmission

FIELD = "once"
KEEP = dt.timedelta(days=1)
# How long a repeat waits for the first sending's answer to be written (it is written just after
# the first one's own commit).
WAIT_S, POLL_S = 3.0, 0.05
NOT_SENT = ("csrf_token", FIELD)


def once_field() -> Markup:
    """The hidden token of one form as shown; a new one each time the form is shown."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, uuid.uuid4().hex)


def _token() -> str | None:
    try:
        return uuid.UUID(request.form.get(FIELD, "")).hex
    except ValueError:
        return None


def _key(token: str) -> str:
    fields = sorted((name, values) for name, values in request.form.lists() if name not in NOT_SENT)
    content = json.dumps([str(current_user.id), token, request.path, fields], ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()


def _find(key: str) -> FormSubmission | None:
    return db.session.scalar(
        select(FormSubmission).where(FormSubmission.user_id == current_user.id, FormSubmission.key == key)
    )


def _answer_again(key: str) -> Response:
    """The first sending's page. Its answer is written just after its commit: wait for it a little."""
    deadline = time.monotonic() + WAIT_S
    url = None
    while True:
        found = _find(key)
        url = found.result_url if found else None
        if url or time.monotonic() >= deadline:
            break
        db.session.rollback()  # end the read, so that the next one sees the other's commit
        time.sleep(POLL_S)
    db.session.rollback()
    url = url or "/"
    if wants_fragment():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def once(view):
    """Do the view once per sending of its form (see the module's docstring)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = _token() if request.method == "POST" and current_user.is_authenticated else None
        if token is None:  # no token (a page from before this, or a hand-made request): as always
            return view(*args, **kwargs)
        key = _key(token)
        if _find(key) is not None:
            return _answer_again(key)
        db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < clock.now() - KEEP))
        db.session.add(FormSubmission(user_id=current_user.id, key=key))
        try:
            db.session.flush()
        except IntegrityError:  # the same sending, at the same moment, was first
            db.session.rollback()
            return _answer_again(key)
        try:
            response = make_response(view(*args, **kwargs))
        except Exception:
            db.session.rollback()  # an abort() or a fault: the claim goes with the rest
            raise
        if response.status_code >= 400:
            db.session.rollback()  # what the view did not commit, the claim with it
            db.session.execute(delete(FormSubmission).where(
                FormSubmission.user_id == current_user.id, FormSubmission.key == key))  # if it committed
        else:
            url = g.pop("once_result", None) or response.location or "/"
            _find(key).result_url = url if len(url) <= 2000 else "/"
        db.session.commit()
        return response

    return wrapper
