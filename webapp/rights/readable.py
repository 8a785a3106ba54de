"""What the readable page and the JSON download share: the export with a response, the words for
survey answers, the rate limit and the audit record. Used by the participant's and the coach's views."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Response, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user

from webapp import audit, clock
from webapp.exits.labels import exit_labels
from webapp.extensions import db
from webapp.models import Participation, User
from webapp.rights import export
from webapp.surveys.catalogue import Library
from webapp.surveys.forms import answer_words

# An export reads everything about a person: enough for a real need, not for hammering the database.
DEFAULT_EXPORT_LIMIT = "10 per hour"


# The audit log's events in the participant's words; an event not listed gets the general words.
EVENT_WORDS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("A sign-in failed"),
    "sign_out": _l("Signed out"),
    "rate_limited": _l("Too many tries in a short time: had to wait"),
    "csrf_failed": _l("A form was not sent: the page was open too long"),
    "passkey_failed": _l("A sign-in with a passkey failed"),
    "locked_out": _l("The sign-in was locked after too many wrong tries"),
    "unlocked": _l("The sign-in was unlocked"),
    "sessions_ended": _l("Signed out everywhere"),
    "sign_in_factor_changed": _l("A way to sign in was changed"),
    "export": _l("A copy of all the information was made"),
    "erasure_requested": _l("Asked for the information to be deleted"),
    "erasure_decided": _l("The request to delete was answered"),
    "purge": _l("The information was deleted"),
    "consent_given": _l("A consent to share was given"),
    "share": _l("Information was shown under a consent"),
    "share_refused": _l("Information was not shown: no valid consent"),
    "access_denied": _l("Someone who may not see your information tried to open it"),
}


def event_words(event: str | None):
    return EVENT_WORDS.get(event or "") or _l("Other event (%(code)s)", code=event or "")


def export_limit() -> str:
    return current_app.config.get("RATELIMIT_EXPORT", DEFAULT_EXPORT_LIMIT)


def per_user() -> str:
    """Counted per signed-in person, whatever address they come from."""
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def _recorded(participation: Participation, detail: str) -> None:
    audit.record_event("export", actor=current_user, participation=participation, detail=detail)
    db.session.commit()


def json_response(person: User, participation: Participation) -> Response:
    body = export.to_json(export.collect(person))
    _recorded(participation, "participant-json")
    response = Response(body, content_type="application/json; charset=utf-8")
    name = f"stegvis-data-{clock.today().isoformat()}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _surveys(data: dict) -> dict:
    """For each response id: the questionnaire's title and, per answer id, (number, question, answer words)."""
    found = {}
    for participation in data["participations"]:
        responses = participation["survey_responses"]
        library = Library.for_keys(participation["project_id"], {r["questionnaire_key"] for r in responses})
        for response in responses:
            questionnaire = library.get(response["questionnaire_key"], response["questionnaire_version"])
            answers = {}
            for answer in response["answers"]:
                item = questionnaire.item(answer["item_key"]) if questionnaire else None
                if item is None:
                    answers[answer["id"]] = (None, answer["item_key"], answer["value_text"] or answer["value_int"])
                else:
                    words = "" if answer["skipped"] else answer_words(item, SimpleNamespace(**answer))
                    answers[answer["id"]] = (item.number, item.text, words)
            title = (questionnaire.title if questionnaire else None) or response["questionnaire_key"]
            found[response["id"]] = SimpleNamespace(title=title, answers=answers)
    return found


def readable_page(person: User, participation: Participation, template: str, **context) -> str:
    data = export.collect(person)
    page = render_template(template, data=data, person=person, participation=participation, surveys=_surveys(data),
                           event_words=event_words, **exit_labels(), **context)
    _recorded(participation, "participant-html")
    return page
