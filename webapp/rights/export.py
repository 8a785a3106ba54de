"""Everything Stegvis holds about one participant (GDPR Art. 15), as one dictionary: the JSON file
and the readable page are both made from it.

Every table that points at a participation or at a user (directly or through other tables) is
either a PART here, with each of its columns exported or left out for a stated reason, or in
EXCLUDED with the reason. tests/rights/test_export_complete.py checks this against the schema, so
a new table or column cannot be forgotten.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from webapp import clock
from webapp.extensions import db
from webapp.models import (
    Activity,
    AuditRecord,
    Capacity,
    Comment,
    Consent,
    ConsentShare,
    Device,
    ErasureRequest,
    FollowUp,
    Goal,
    Helper,
    Municipality,
    Organisation,
    Participation,
    ParticipationEvent,
    Passkey,
    Project,
    PurgeRecord,
    Review,
    Step,
    SurveyAnswer,
    SurveyResponse,
    User,
)

FORMAT = "stegvis-participant-export"
VERSION = 1

WEB_ID = "technical: a random number for this row in web addresses; it says nothing about the person"
CHANGE_COUNT = "technical: counts the changes, so that two phones cannot overwrite each other's change"
SECRET = "a secret (a hash used to check a password, PIN, code or sign-in); it says nothing about the person"  # noqa: S105


@dataclass(frozen=True)
class Part:
    """A table in the export: where its rows go (a path such as "participations[].goals[]"),
    the columns exported under their own names, and the columns left out, each with why."""

    table: str
    path: str
    columns: tuple[str, ...]
    omit: dict[str, str] = field(default_factory=dict)


PARTS: tuple[Part, ...] = (
    Part("users", "user",
         ("id", "role", "name", "login_name", "locale", "show_swedish", "is_active", "pin_failures", "locked_at",
          "organisation_id", "created_at"),
         omit={"password_hash": SECRET, "pin_hash": SECRET, "totp_secret": SECRET,
               "totp_last_step": "staff only: a counter that stops a sign-in code being used twice"}),
    Part("passkeys", "user.passkeys[]", ("id", "user_id", "label", "created_at", "last_used_at"),
         omit={"public_id": WEB_ID,
               "credential_id": "the passkey's technical id on the phone; it says nothing about the person",
               "public_key": "technical: checks a signature from the phone; it says nothing about the person",
               "sign_count": "technical: a counter the phone keeps; it says nothing about the person"}),
    Part("devices", "user.devices[]", ("id", "user_id", "label", "created_at", "last_used_at", "forgotten_at"),
         omit={"token_hash": SECRET, "public_id": WEB_ID}),
    Part("participations", "participations[]",
         ("id", "participant_id", "project_id", "coach_id", "enrolled_on", "gender", "birth_year", "municipality_id",
          "plan_ready_on", "plan_completed_on", "ended_on", "end_reason", "interruption_cause", "exit_outcome",
          "comments_read_at", "created_at")),
    Part("goals", "participations[].goals[]",
         ("id", "participation_id", "text", "position", "created_at", "updated_at", "deleted_at"),
         omit={"version": CHANGE_COUNT}),
    Part("steps", "participations[].steps[]",
         ("id", "participation_id", "goal_id", "text", "helper_id", "helper_other", "due_on", "status", "note",
          "position", "state", "suggested_by_id", "created_at", "updated_at", "deleted_at"),
         omit={"version": CHANGE_COUNT}),
    Part("activities", "participations[].activities[]",
         ("id", "participation_id", "client_id", "occurred_on", "kind", "minutes", "feeling", "note", "step_id",
          "created_at", "updated_at", "deleted_at"),
         omit={"payload_hash": "technical: a checksum that stops an entry being saved twice"}),
    Part("capacities", "participations[].capacities[]", ("id", "participation_id", "level", "starts_on", "created_at")),
    Part("comments", "participations[].comments[]",
         ("id", "participation_id", "author_id", "by_staff", "step_id", "activity_id", "text", "created_at")),
    Part("reviews", "participations[].reviews[]", ("id", "participation_id", "coach_id", "reviewed_at")),
    Part("survey_responses", "participations[].survey_responses[]",
         ("id", "participation_id", "occasion", "round", "questionnaire_key", "questionnaire_version", "due_on",
          "started_at", "submitted_at", "reopened_at", "reopened_by_id")),
    Part("survey_answers", "participations[].survey_responses[].answers[]",
         ("id", "response_id", "item_key", "value_int", "value_text", "skipped", "answered_at")),
    Part("follow_ups", "participations[].follow_ups[]",
         ("id", "participation_id", "kind", "outcome", "recorded_on", "by_id", "created_at")),
    Part("participation_events", "participations[].events[]",
         ("id", "participation_id", "kind", "on_date", "end_reason", "interruption_cause", "outcome", "reason",
          "by_id", "created_at")),
    # The audit log: who opened the participant's data ("read") and the events about it (sign-ins,
    # exports, requests …). Events with no participation, where the participant acted, go to
    # "user.events[]".
    Part("access_log", "participations[].access_log[]",
         ("id", "at", "kind", "event", "actor_id", "actor_role", "participation_id", "project_id", "action",
          "detail"),
         omit={"request_id": "technical: ties the rows of one request together",
               "prev_hash": "technical: links each row to the one before, so a change would show",
               "hash": "technical: links each row to the one before, so a change would show"}),
    Part("consents", "participations[].consents[]",
         ("id", "participation_id", "recipient", "share_plan", "share_activity_summary", "purpose", "valid_until",
          "on_paper", "given_at", "given_by_id", "withdrawn_at", "withdrawn_by_id")),
    Part("consent_shares", "participations[].consent_shares[]",
         ("id", "consent_id", "participation_id", "share_plan", "share_activity_summary", "shared_by_id",
          "shared_at")),
    Part("erasure_requests", "participations[].erasure_requests[]",
         ("id", "participation_id", "requested_by_id", "requested_at", "status", "decided_at", "decided_by_id",
          "kept_until"),
         omit={"public_id": WEB_ID}),
    Part("purge_register", "participations[].purges[]",
         ("id", "participation_id", "project_id", "purged_at", "reason", "reference")),
)

# Tables that point at a participant but are not in the export, with the reviewed reason.
EXCLUDED: dict[str, str] = {
    "activation_codes": "secrets: the hash of a one-time code to set a password (the code itself is never stored)",
    "auth_sessions": "secrets: the hashes of sign-in session tokens",
    "passkey_challenges": "a sign-in in progress: a one-time challenge, deleted within minutes",
    "form_submissions": "a hash of a form just sent and the page its answer led to, kept a day so that a repeat "
                        "is not saved twice; what the form saved is in the export",
    "project_staff": "staff only: which coaches and project leaders work in a project; never a participant",
    "caseload_shares": "staff only: a coach covering a colleague's caseload; never a participant",
    "imported_questionnaires": "staff only: a questionnaire a project leader imported; never a participant",
    "participant_imports": "staff only: a participant list a project leader uploaded, kept a day; never a participant",
}

PARTS_BY_TABLE = {part.table: part for part in PARTS}


def _values(row, table: str) -> dict:
    return {name: getattr(row, name) for name in PARTS_BY_TABLE[table].columns}


def _by_participation(model, ids: list[uuid.UUID], *order) -> dict[uuid.UUID, list]:
    found: dict[uuid.UUID, list] = {i: [] for i in ids}
    # The key last: rows that tie (made in one go) always come in the same order.
    ordered = select(model).where(model.participation_id.in_(ids)).order_by(*order, *model.__table__.primary_key)
    for row in db.session.scalars(ordered):
        found[row.participation_id].append(row)
    return found


class _Names:
    """The names of the people, organisations and "who helps" entries the rows point at, found in
    one query per kind at the end (not one per row)."""

    def __init__(self):
        self.user_ids: set[uuid.UUID] = set()
        self.helper_ids: set[int] = set()

    def want(self, *user_ids) -> None:
        self.user_ids.update(i for i in user_ids if i is not None)

    def load(self) -> tuple[dict, dict]:
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(self.user_ids)))}
        helpers = {h.id: h for h in db.session.scalars(select(Helper).where(Helper.id.in_(self.helper_ids)))}
        return users, helpers


def _person(users: dict, user_id) -> dict | None:
    """Who did something, as the participant may see it: name and role."""
    if user_id is None or user_id not in users:
        return None
    person = users[user_id]
    return {"name": person.name, "role": person.role}


def collect(user: User) -> dict:
    """The whole export for one participant, as plain values (dates, ids and enums; see to_json)."""
    participations = list(db.session.scalars(
        select(Participation).where(Participation.participant_id == user.id)
        .order_by(Participation.enrolled_on, Participation.created_at)
    ))
    organisation = db.session.get(Organisation, user.organisation_id) if user.organisation_id else None
    own_events = list(db.session.scalars(
        select(AuditRecord).where(AuditRecord.actor_id == user.id, AuditRecord.participation_id.is_(None))
        .order_by(AuditRecord.at, AuditRecord.id)
    ))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": clock.now(),
        "user": {
            **_values(user, "users"),
            "organisation": organisation.name if organisation else None,
            "passkeys": [_values(k, "passkeys") for k in db.session.scalars(
                select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at))],
            "devices": [_values(d, "devices") for d in db.session.scalars(
                select(Device).where(Device.user_id == user.id).order_by(Device.created_at))],
            "events": [_values(e, "access_log") for e in own_events],
        },
        "participations": collect_participations(participations),
    }


def collect_participations(participations: list[Participation]) -> list[dict]:
    """Everything about these participations, one dictionary each: the personal export has them
    under "participations", and so has the project archive (webapp/archive), in the same shape."""
    ids = [p.id for p in participations]
    names = _Names()

    rows = {
        "goals": _by_participation(Goal, ids, Goal.position, Goal.created_at),
        "steps": _by_participation(Step, ids, Step.position, Step.created_at),
        "activities": _by_participation(Activity, ids, Activity.occurred_on, Activity.created_at),
        "capacities": _by_participation(Capacity, ids, Capacity.starts_on, Capacity.id),
        "comments": _by_participation(Comment, ids, Comment.created_at),
        "reviews": _by_participation(Review, ids, Review.reviewed_at),
        "survey_responses": _by_participation(SurveyResponse, ids, SurveyResponse.started_at),
        "follow_ups": _by_participation(FollowUp, ids, FollowUp.recorded_on),
        "participation_events": _by_participation(ParticipationEvent, ids, ParticipationEvent.id),
        "access_log": _by_participation(AuditRecord, ids, AuditRecord.at, AuditRecord.id),
        "consents": _by_participation(Consent, ids, Consent.given_at),
        "consent_shares": _by_participation(ConsentShare, ids, ConsentShare.shared_at, ConsentShare.id),
        "erasure_requests": _by_participation(ErasureRequest, ids, ErasureRequest.requested_at),
        "purge_register": _by_participation(PurgeRecord, ids, PurgeRecord.purged_at),
    }
    response_ids = [r.id for by_p in rows["survey_responses"].values() for r in by_p]
    answers: dict[uuid.UUID, list[SurveyAnswer]] = {i: [] for i in response_ids}
    for answer in db.session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.response_id.in_(response_ids)).order_by(SurveyAnswer.id)
    ):
        answers[answer.response_id].append(answer)

    for p in participations:
        names.want(p.coach_id)
        names.helper_ids.update(s.helper_id for s in rows["steps"][p.id] if s.helper_id)
        names.want(*(s.suggested_by_id for s in rows["steps"][p.id]))
        names.want(*(c.author_id for c in rows["comments"][p.id]))
        names.want(*(r.coach_id for r in rows["reviews"][p.id]))
        names.want(*(r.reopened_by_id for r in rows["survey_responses"][p.id]))
        names.want(*(f.by_id for f in rows["follow_ups"][p.id]))
        names.want(*(e.by_id for e in rows["participation_events"][p.id]))
        names.want(*(a.actor_id for a in rows["access_log"][p.id]))
        names.want(*(c.given_by_id for c in rows["consents"][p.id]))
        names.want(*(c.withdrawn_by_id for c in rows["consents"][p.id]))
        names.want(*(s.shared_by_id for s in rows["consent_shares"][p.id]))
        names.want(*(e.decided_by_id for e in rows["erasure_requests"][p.id]))
    users, helpers = names.load()
    projects = {p.id: p for p in db.session.scalars(
        select(Project).where(Project.id.in_({p.project_id for p in participations})))}
    municipalities = {m.id: m for m in db.session.scalars(
        select(Municipality).where(Municipality.id.in_({p.municipality_id for p in participations})))}
    from webapp.rights.services import retention_for_projects  # noqa: PLC0415 - services imports this module

    retentions = retention_for_projects(list(projects))

    def step(s: Step) -> dict:
        helper = helpers.get(s.helper_id)
        # Who helps, as the participant wrote or chose it (see Step.helper_label).
        label = (s.helper_other if helper.is_other and s.helper_other else helper.name) if helper else None
        return {**_values(s, "steps"), "deleted": s.deleted_at is not None, "helper": label,
                "suggested_by": _person(users, s.suggested_by_id)}

    def response(r: SurveyResponse) -> dict:
        return {**_values(r, "survey_responses"), "reopened_by": _person(users, r.reopened_by_id),
                "answers": [_values(a, "survey_answers") for a in answers[r.id]]}

    def participation(p: Participation) -> dict:
        retention = retentions.get(p.project_id)
        of = {table: by_p[p.id] for table, by_p in rows.items()}
        return {
            **_values(p, "participations"),
            "project": projects[p.project_id].name,
            "coach": _person(users, p.coach_id),
            "municipality": municipalities[p.municipality_id].name,
            "kept_until": retention.retention_until if retention else None,
            "retention_decision": retention.decision_reference if retention else None,
            "goals": [{**_values(g, "goals"), "deleted": g.deleted_at is not None} for g in of["goals"]],
            "steps": [step(s) for s in of["steps"]],
            "activities": [{**_values(a, "activities"), "deleted": a.deleted_at is not None} for a in of["activities"]],
            "capacities": [_values(c, "capacities") for c in of["capacities"]],
            "comments": [{**_values(c, "comments"), "author": _person(users, c.author_id)} for c in of["comments"]],
            "reviews": [{**_values(r, "reviews"), "coach": _person(users, r.coach_id)} for r in of["reviews"]],
            "survey_responses": [response(r) for r in of["survey_responses"]],
            "follow_ups": [{**_values(f, "follow_ups"), "by": _person(users, f.by_id)} for f in of["follow_ups"]],
            "events": [{**_values(e, "participation_events"), "by": _person(users, e.by_id)}
                       for e in of["participation_events"]],
            "access_log": [{**_values(a, "access_log"), "actor": _person(users, a.actor_id)} for a in of["access_log"]],
            "access_summary": access_summary([a for a in of["access_log"] if a.kind == "read"], users),
            "consents": [{**_values(c, "consents"), "given_by": _person(users, c.given_by_id),
                          "withdrawn_by": _person(users, c.withdrawn_by_id)} for c in of["consents"]],
            "consent_shares": [{**_values(s, "consent_shares"), "shared_by": _person(users, s.shared_by_id)}
                               for s in of["consent_shares"]],
            "erasure_requests": [{**_values(e, "erasure_requests"), "decided_by": _person(users, e.decided_by_id)}
                                 for e in of["erasure_requests"]],
            "purges": [_values(r, "purge_register") for r in of["purge_register"]],
        }

    return [participation(p) for p in participations]


def access_summary(entries: Iterable[AuditRecord], users: dict) -> list[dict]:
    """Who looked, how many times, first and last: one line per person, most recent first."""
    people: dict[uuid.UUID, dict] = {}
    for entry in entries:
        person = _person(users, entry.actor_id) or {"name": None, "role": entry.actor_role}
        line = people.setdefault(entry.actor_id, {**person, "role": entry.actor_role, "times": 0,
                                                  "first_at": entry.at, "last_at": entry.at})
        line["times"] += 1
        line["first_at"], line["last_at"] = min(line["first_at"], entry.at), max(line["last_at"], entry.at)
    return sorted(people.values(), key=lambda line: line["last_at"], reverse=True)


def plain(value, timespec: str = "seconds"):
    """A value json cannot write, as text: times in UTC (to the second here; the project archive
    keeps microseconds), dates ISO 8601, ids as strings, enums by value."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec=timespec)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot put {type(value).__name__} in the export")


def to_json(data: dict) -> str:
    """Stable English keys; dates as ISO 8601 (times in UTC); ids as strings; readable UTF-8."""
    return json.dumps(data, default=plain, ensure_ascii=False, indent=2)


def rows_at(data: dict, path: str) -> list[dict]:
    """The rows a Part's path names, e.g. "participations[].survey_responses[].answers[]"."""
    found: list = [data]
    for step in path.split("."):
        many = step.endswith("[]")
        key = step.removesuffix("[]")
        found = [item[key] for item in found if item.get(key) is not None]
        if many:
            found = [row for rows in found for row in rows]
    return found
