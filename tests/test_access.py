"""Deny by default: the role × route matrix, and other people's data answers 404.

Every endpoint must be listed in MATRIX; a new route that is not fails the first test, so
nobody adds a page without deciding who may open it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests import factories
from webapp import clock
from webapp.extensions import db
from webapp.models import Activity, Goal, Step, StepState

PUBLIC = "public"
SIGNED_IN = "signed-in"
PARTICIPANT = "participant"
COACH = "coach"
LEADER = "leader"

MATRIX = {
    "static": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.activate": PUBLIC,
    "auth.set_language": PUBLIC,
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
    "coach.caseload": COACH,
    "coach.new_participant": COACH,
    "coach.participant": COACH,
    "coach.activation_code": COACH,
    "coach.suggest_step": COACH,
    "leader.home": LEADER,
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
        return Objects(goal, step, suggestion, other, deleted_goal, deleted_step, activity, deleted_activity)

    return build(make)


def _args(endpoint: str, rule_args: set[str], objects: Objects, world) -> dict:
    """Real ids of P's objects, in the state the endpoint expects."""
    args = {}
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
    return args


def _routes(app):
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        yield rule, methods


def test_every_endpoint_is_in_the_access_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - MATRIX.keys()
    assert not missing, f"add these endpoints to MATRIX in tests/test_access.py: {sorted(missing)}"
    assert not MATRIX.keys() - endpoints, "MATRIX lists endpoints that no longer exist"


def _url(app, rule, args):
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **args)


def _sign_in_as(client, world, role):
    if role == PARTICIPANT:
        client.sign_in(world.p.login)
    elif role == COACH:
        client.sign_in(world.coach.email)
    elif role == LEADER:
        client.sign_in(world.leader.email)


@pytest.mark.parametrize("role", [None, PARTICIPANT, COACH, LEADER])
def test_each_role_reaches_exactly_its_own_pages(app, client, world, objects, role):
    _sign_in_as(client, world, role)
    token = client.csrf_token()
    for rule, methods in _routes(app):
        allowed = MATRIX[rule.endpoint]
        url = _url(app, rule, _args(rule.endpoint, set(rule.arguments), objects, world))
        for method in methods:
            if method == "POST":
                response = client.post(url, data={"csrf_token": token})
            else:
                response = client.get(url)
            response.close()  # static files are streamed from an open file
            where = f"{role or 'anonymous'} {method} {url}"
            if allowed == PUBLIC:
                assert response.status_code < 500, where
            elif role is None:
                assert response.status_code == 302 and "/sign-in" in response.headers["Location"], where
            elif allowed in (SIGNED_IN, role):
                assert response.status_code not in (401, 403, 404, 500), where
                if method == "GET" and rule.endpoint not in ("auth.start",):
                    assert response.status_code == 200, where
            else:
                assert response.status_code == 403, where
            token = client.csrf_token() if rule.endpoint == "auth.sign_out" else token
        if rule.endpoint == "auth.sign_out":
            _sign_in_as(client, world, role)
            token = client.csrf_token()


OBJECT_ROUTES = [
    (endpoint, method)
    for endpoint, method in [
        ("plan.edit_goal", "GET"), ("plan.edit_goal", "POST"), ("plan.move_goal", "POST"),
        ("plan.delete_goal", "POST"), ("plan.restore_goal", "POST"),
        ("plan.step", "GET"), ("plan.edit_step", "GET"), ("plan.edit_step", "POST"),
        ("plan.set_status", "POST"), ("plan.move_step", "POST"), ("plan.delete_step", "POST"),
        ("plan.restore_step", "POST"), ("plan.accept_suggestion", "POST"), ("plan.decline_suggestion", "POST"),
        ("activities.show", "GET"), ("activities.edit", "GET"), ("activities.edit", "POST"),
        ("activities.delete", "POST"), ("activities.deleted", "GET"), ("activities.restore", "POST"),
    ]
]
COACH_OBJECT_ROUTES = [
    ("coach.participant", "GET"), ("coach.activation_code", "GET"), ("coach.activation_code", "POST"),
    ("coach.suggest_step", "GET"), ("coach.suggest_step", "POST"),
]


def _fingerprint(read):
    """Every row a participant's or coach's request could change, to prove a refused one changed nothing."""
    from webapp.models import ActivationCode, Capacity, Participation

    def snapshot():
        return sorted(
            (model.__name__, tuple(str(getattr(row, column.key)) for column in model.__table__.columns))
            for model in (Goal, Step, Activity, ActivationCode, Capacity, Participation)
            for row in db.session.scalars(select(model))
        )

    return read(snapshot)


@pytest.mark.parametrize(("endpoint", "method"), OBJECT_ROUTES)
def test_another_participants_things_answer_404_like_things_that_do_not_exist(
    app, client, world, objects, read, endpoint, method
):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    theirs = _url(app, rule, _args(endpoint, set(rule.arguments), objects, world))
    missing = _url(app, rule, {k: uuid.uuid4() for k in rule.arguments})
    client.sign_in(world.q.login)  # same project, same coach, another person
    before = _fingerprint(read)
    for url in (theirs, missing):
        for hx in (False, True):
            headers = {"HX-Request": "true"} if hx else {}
            if method == "POST":
                response = client.post_form(url, {"text": "Hacked", "direction": "up", "status": "done"}, hx=hx)
            else:
                response = client.get(url, headers=headers)
            assert response.status_code == 404, f"{method} {url} hx={hx}"
    assert _fingerprint(read) == before


@pytest.mark.parametrize(("endpoint", "method"), COACH_OBJECT_ROUTES)
@pytest.mark.parametrize("who", ["coach of another project", "another coach in the same project"])
def test_a_coach_cannot_reach_participants_they_do_not_coach(app, client, world, objects, read, endpoint, method, who):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    url = _url(app, rule, {"participation_id": world.p.participation_id})
    client.sign_in(world.coach_b.email if who.startswith("coach of another") else world.other_coach.email)
    before = _fingerprint(read)
    if method == "POST":
        response = client.post_form(url, {"text": "Ett förslag"})
    else:
        response = client.get(url)
    assert response.status_code == 404
    assert _fingerprint(read) == before


@pytest.mark.parametrize(("endpoint", "method"), OBJECT_ROUTES)
@pytest.mark.parametrize("who", ["the participant's own coach", "coach of another project"])
def test_coaches_cannot_use_participant_routes(app, client, world, objects, read, endpoint, method, who):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    url = _url(app, rule, _args(endpoint, set(rule.arguments), objects, world))
    client.sign_in(world.coach.email if who.startswith("the participant") else world.coach_b.email)
    before = _fingerprint(read)
    response = client.post_form(url, {"text": "x"}) if method == "POST" else client.get(url)
    assert response.status_code == 403
    assert _fingerprint(read) == before
