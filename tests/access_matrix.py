"""Who may open which route (the role × route matrix), and real ids of participant P's things
for building every route's URL. Used by the access tests and the access-log tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from tests import factories
from webapp import clock
from webapp.extensions import db
from webapp.models import Activity, Goal, Helper, Municipality, Step, StepState

PUBLIC = "public"
SIGNED_IN = "signed-in"
PARTICIPANT = "participant"
COACH = "coach"
LEADER = "leader"
STAFF = "staff"  # coaches and leaders


def role_may_open(allowed: str, role: str | None) -> bool:
    """Whether a signed-in role may open a route the matrix marks `allowed` (not for PUBLIC)."""
    return role is not None and (allowed in (SIGNED_IN, role) or (allowed == STAFF and role in (COACH, LEADER)))

MATRIX = {
    "static": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.activate": PUBLIC,
    "auth.sign_in_pin": PUBLIC,
    "auth.second_factor": PUBLIC,
    "auth.set_up_second_factor": PUBLIC,
    "auth.passkey_options": PUBLIC,
    "auth.passkey_sign_in": PUBLIC,
    "account.settings": SIGNED_IN,
    "account.set_pin": PARTICIPANT,
    "account.forget_device": SIGNED_IN,
    "account.passkey_options": SIGNED_IN,
    "account.add_passkey": SIGNED_IN,
    "account.remove_passkey": SIGNED_IN,
    "account.sign_out_elsewhere": SIGNED_IN,
    "account.authenticator": STAFF,
    "auth.set_language": PUBLIC,
    "auth.set_swedish_words": PUBLIC,
    "about.translations": PUBLIC,
    "about.easy": PUBLIC,
    "about.accessibility": PUBLIC,
    "pwa.manifest": PUBLIC,
    "pwa.service_worker": PUBLIC,
    "pwa.offline": PUBLIC,
    "ops.healthz": PUBLIC,
    "auth.start": SIGNED_IN,
    "auth.sign_out": SIGNED_IN,
    "participant.home": PARTICIPANT,
    "participant.capacity": PARTICIPANT,
    "plan.index": PARTICIPANT,
    "plan.new_goal": PARTICIPANT,
    "plan.edit_goal": PARTICIPANT,
    "plan.move_goal": PARTICIPANT,
    "plan.delete_goal": PARTICIPANT,
    "plan.restore_goal": PARTICIPANT,
    "plan.new_step": PARTICIPANT,
    "plan.step": PARTICIPANT,
    "plan.edit_step": PARTICIPANT,
    "plan.set_status": PARTICIPANT,
    "plan.move_step": PARTICIPANT,
    "plan.delete_step": PARTICIPANT,
    "plan.restore_step": PARTICIPANT,
    "plan.accept_suggestion": PARTICIPANT,
    "plan.decline_suggestion": PARTICIPANT,
    "plan.mark_ready": PARTICIPANT,
    "plan.unmark_ready": PARTICIPANT,
    "plan.mark_completed": PARTICIPANT,
    "plan.unmark_completed": PARTICIPANT,
    "activities.index": PARTICIPANT,
    "activities.create": PARTICIPANT,
    "activities.show": PARTICIPANT,
    "activities.edit": PARTICIPANT,
    "activities.delete": PARTICIPANT,
    "activities.deleted": PARTICIPANT,
    "activities.restore": PARTICIPANT,
    "activities.outbox_who": PARTICIPANT,
    "activities.outbox_send": PARTICIPANT,
    "participant.who_has_looked": PARTICIPANT,
    "comments.index": PARTICIPANT,
    "comments.write": PARTICIPANT,
    "comments.mark_read": PARTICIPANT,
    "coach.caseload": COACH,
    "coach.new_participant": COACH,
    "coach.participant": COACH,
    "coach.activation_code": COACH,
    "coach.suggest_step": COACH,
    "exits.end": COACH,
    "exits.reopen": COACH,
    "exits.follow_up": COACH,
    "coach.mark_reviewed": COACH,
    "coach.thread": COACH,
    "coach.write_comment": COACH,
    "coach.deactivate": COACH,
    "coach.reactivate": COACH,
    "coach.unlock": COACH,
    "leader.home": LEADER,
    "leader.coaches": LEADER,
    "leader.new_coach": LEADER,
    "leader.coach_code": LEADER,
    "leader.deactivate_coach": LEADER,
    "leader.reactivate_coach": LEADER,
    "leader.participants": LEADER,
    "leader.move_participant": LEADER,
    "leader.shares": LEADER,
    "leader.end_share": LEADER,
    "leader.helpers": LEADER,
    "leader.edit_helper": LEADER,
    "leader.hide_helper": LEADER,
    "leader.show_helper": LEADER,
    "leader.municipalities": LEADER,
    "leader.edit_municipality": LEADER,
    "leader.hide_municipality": LEADER,
    "leader.show_municipality": LEADER,
    "leader.logs": LEADER,
    "leader.logs_checked": LEADER,
    # Goals and the goal report
    "goals.report": LEADER,
    "goals.report_csv": LEADER,
    "goals.report_xlsx": LEADER,
    "goals.anonymised_csv": LEADER,
    "goals.goals": LEADER,
    "goals.edit_goal": LEADER,
    "goals.remove_goal": LEADER,
    "coach_goals.report": COACH,
    # Surveys
    "surveys.start": PARTICIPANT,
    "surveys.question": PARTICIPANT,
    "surveys.review": PARTICIPANT,
    "surveys.send": PARTICIPANT,
    "surveys.progress": PARTICIPANT,
    "survey_review.response": COACH,
    "survey_review.reopen": COACH,
    "questionnaires.settings": LEADER,
    "questionnaires.import_file": LEADER,
    # The participant's rights: their data, erasure requests, retention
    "rights.index": PARTICIPANT,
    "rights.readable_page": PARTICIPANT,
    "rights.download": PARTICIPANT,
    "rights.request_erasure": PARTICIPANT,
    "coach_rights.readable_page": COACH,
    "coach_rights.download": COACH,
    "leader_rights.retention": LEADER,
    "leader_rights.requests": LEADER,
    "leader_rights.decide": LEADER,
    # Consent to share
    "consent.index": PARTICIPANT,
    "consent.withdraw": PARTICIPANT,
    "consent_coach.record": COACH,
    "consent_coach.share": COACH,
    "consent_coach.withdraw_for": COACH,
}


@dataclass
class Objects:
    """P's things, in every state a route may ask for."""

    goal: uuid.UUID
    step: uuid.UUID
    suggestion: uuid.UUID
    other_suggestion: uuid.UUID
    deleted_goal: uuid.UUID
    deleted_step: uuid.UUID
    activity: uuid.UUID
    deleted_activity: uuid.UUID
    talked_about: uuid.UUID  # a step with a message thread, that no other route deletes
    survey_response: uuid.UUID | None = None  # P's start survey, begun and not sent (see _survey_args)
    # Each role's own phone and passkey, for the sign-in settings: {role: (device id, passkey id)}.
    own: dict | None = None
    consent: uuid.UUID | None = None  # P's consent to share both parts, valid: every consent_id route


@pytest.fixture
def objects(build, world) -> Objects:
    def make():
        goal = factories.goal(world.p)
        step = factories.step(world.p, goal)
        suggestion = factories.step(world.p, goal, "Förslag", state=StepState.SUGGESTED, suggested_by=world.coach)
        other = factories.step(world.p, goal, "Förslag två", state=StepState.SUGGESTED, suggested_by=world.coach)
        deleted_goal = factories.goal(world.p, "Gammalt mål", position=2)
        db.session.get(Goal, deleted_goal).deleted_at = clock.now()
        deleted_step = factories.step(world.p, goal, "Borttaget steg", position=2)
        db.session.get(Step, deleted_step).deleted_at = clock.now()
        activity = factories.activity(world.p)
        deleted_activity = factories.activity(world.p)
        db.session.get(Activity, deleted_activity).deleted_at = clock.now()
        talked_about = factories.step(world.p, None, "Ett steg att prata om")
        found = Objects(goal, step, suggestion, other, deleted_goal, deleted_step, activity, deleted_activity,
                        talked_about)
        found.survey_response = _survey_response(world)
        found.consent = factories.consent(world.p)
        found.own = {
            role: (factories.device(user_id), factories.passkey(user_id))
            for role, user_id in ((PARTICIPANT, world.p.user_id), (COACH, world.coach.id), (LEADER, world.leader.id))
        }
        return found

    return build(make)


def _own_args(rule_args: set[str], objects: Objects, role: str | None) -> dict:
    device, passkey = (objects.own or {}).get(role or PARTICIPANT, (None, None))
    ids = {"device_id": device, "passkey_id": passkey}
    return {name: value for name, value in ids.items() if name in rule_args}


class _public_id:  # noqa: N801 - reads like the function it stands for
    """The public id of a row, read when the URL is built (url_for runs in an app context)."""

    def __init__(self, model, row_id: int):
        self.model, self.row_id = model, row_id

    def __str__(self) -> str:
        return str(db.session.get(self.model, self.row_id).public_id)


def _leader_args(rule_args: set[str], world) -> dict:
    """The leader's project pages: real ids in world.project (tests/leader/ covers the rest)."""
    ids = {
        "project_id": world.project.public_id,
        "coach_id": world.other_coach.id,
        "helper_id": _public_id(Helper, world.project.helper_id),
        "municipality_id": _public_id(Municipality, world.project.municipality_id),
    }
    return {name: value for name, value in ids.items() if name in rule_args}


def _args(endpoint: str, rule_args: set[str], objects: Objects, world, role: str | None = None) -> dict:
    """Real ids of P's objects, in the state the endpoint expects; for the sign-in settings, the
    ids of the role's own phone and passkey (P's when no role is given)."""
    args = _own_args(rule_args, objects, role)
    if "goal_id" in rule_args:
        args["goal_id"] = objects.deleted_goal if endpoint.endswith("restore_goal") else objects.goal
    if "step_id" in rule_args:
        if endpoint.endswith("accept_suggestion"):
            args["step_id"] = objects.suggestion
        elif endpoint.endswith("decline_suggestion"):
            args["step_id"] = objects.other_suggestion
        elif endpoint.endswith("restore_step"):
            args["step_id"] = objects.deleted_step
        else:
            args["step_id"] = objects.step
    if "activity_id" in rule_args:
        deleted = endpoint in ("activities.restore", "activities.deleted")
        args["activity_id"] = objects.deleted_activity if deleted else objects.activity
    if "participation_id" in rule_args:
        args["participation_id"] = world.p.participation_id
    if "filename" in rule_args:
        args["filename"] = "css/app.css"
    if "page" in rule_args:
        args["page"] = "help"
    args.update(_leader_args(rule_args, world))
    args.update(_project_goal_args(rule_args, world))
    if "thread" in rule_args:
        args["thread"] = f"step-{objects.talked_about}"
    args.update(_survey_args(rule_args, objects))
    args.update(_rights_args(rule_args, world))
    if "consent_id" in rule_args:
        args["consent_id"] = objects.consent
    args.update(archive_routes.args(rule_args, world))
    args.update(import_routes.args(rule_args, world))
    return args


# --- surveys ---------------------------------------------------------------------------------


def _survey_response(world) -> uuid.UUID:
    """P's start survey, begun and not sent: its pages answer 200, sending it works, and a
    coach's "reopen" answers 409 (it is not sent)."""
    from webapp.models import Occasion, SurveyResponse

    response = SurveyResponse(participation_id=world.p.participation_id, occasion=Occasion.START, round=0,
                              questionnaire_key="stegvis-start", questionnaire_version=1, due_on=clock.today())
    db.session.add(response)
    db.session.flush()
    return response.id


def _survey_args(rule_args: set[str], objects: Objects) -> dict:
    args = {"response_id": objects.survey_response, "number": 1}
    return {name: value for name, value in args.items() if name in rule_args}


# --- the participant's rights ----------------------------------------------------------------


class _ErasureRequestId:
    """P's request to erase, open, made when the URL is built (like _ProjectGoalId); the same
    request for every URL of one world."""

    def __init__(self, world):
        self.world = world

    def __str__(self) -> str:
        made = self.world.__dict__.get("_erasure_request_id")
        if made is None:
            from webapp.models import ErasureRequest

            request = ErasureRequest(participation_id=self.world.p.participation_id, requested_by_id=self.world.p.user_id)
            db.session.add(request)
            db.session.commit()
            made = self.world.__dict__["_erasure_request_id"] = str(request.public_id)
        return made


def _rights_args(rule_args: set[str], world) -> dict:
    return {"request_id": _ErasureRequestId(world)} if "request_id" in rule_args else {}


# --- goals ------------------------------------------------------------------------------------


class _ProjectGoalId:
    """A goal of world.project, made when the URL is built (url_for runs in an app context, the
    caller of _args does not); the same goal for every URL of one world."""

    def __init__(self, world):
        self.world = world

    def __str__(self) -> str:
        made = self.world.__dict__.get("_project_goal_id")
        if made is None:
            from webapp.models import GoalKind, ProjectGoal

            goal = ProjectGoal(project_id=self.world.project.id, code="G1", title="Alla har en plan",
                               kind=GoalKind.SHARE, population="all", condition="plan_ready", target=100)
            db.session.add(goal)
            db.session.commit()
            made = self.world.__dict__["_project_goal_id"] = str(goal.public_id)
        return made


def _project_goal_args(rule_args: set[str], world) -> dict:
    return {"project_goal_id": _ProjectGoalId(world)} if "project_goal_id" in rule_args else {}


def _url(app, rule, args):
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **args)


# --- features that keep their routes' rows next to their tests --------------------------------

from tests.archive import routes as archive_routes  # noqa: E402
from tests.imports import routes as import_routes  # noqa: E402

MATRIX.update(archive_routes.MATRIX)
MATRIX.update(import_routes.MATRIX)
