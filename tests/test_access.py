"""Deny by default: the role × route matrix (tests/access_matrix.py), and other people's data answers 404.

Every endpoint must be listed in MATRIX; a new route that is not fails the first test, so
nobody adds a page without deciding who may open it.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from tests.access_matrix import (
    COACH,
    LEADER,
    MATRIX,
    PARTICIPANT,
    PUBLIC,
    _args,
    _url,
    role_may_open,
)
from webapp.extensions import db
from webapp.models import Activity, Goal, Step


def _routes(app):
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        yield rule, methods


def test_every_endpoint_is_in_the_access_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - MATRIX.keys()
    assert not missing, f"add these endpoints to MATRIX in tests/test_access.py: {sorted(missing)}"
    assert not MATRIX.keys() - endpoints, "MATRIX lists endpoints that no longer exist"


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
        url = _url(app, rule, _args(rule.endpoint, set(rule.arguments), objects, world, role))
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
            elif role_may_open(allowed, role):
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
        ("comments.write", "POST"),
        ("surveys.question", "GET"), ("surveys.question", "POST"), ("surveys.review", "GET"), ("surveys.send", "POST"),
    ]
]
COACH_OBJECT_ROUTES = [
    ("coach.participant", "GET"), ("coach.activation_code", "GET"), ("coach.activation_code", "POST"),
    ("coach.suggest_step", "GET"), ("coach.suggest_step", "POST"),
    ("exits.end", "GET"), ("exits.end", "POST"), ("exits.reopen", "GET"), ("exits.reopen", "POST"),
    ("exits.follow_up", "GET"), ("exits.follow_up", "POST"),
    ("coach.mark_reviewed", "POST"), ("coach.thread", "GET"), ("coach.write_comment", "POST"),
    ("coach.deactivate", "POST"), ("coach.reactivate", "POST"),
    ("survey_review.response", "GET"), ("survey_review.reopen", "POST"),
]


def _fingerprint(read):
    """Every row a participant's or coach's request could change, to prove a refused one changed nothing."""
    from webapp.models import (
        AccessLog,
        ActivationCode,
        Capacity,
        CaseloadShare,
        Comment,
        FollowUp,
        Helper,
        Municipality,
        Participation,
        ParticipationEvent,
        Review,
        SurveyAnswer,
        SurveyResponse,
        User,
    )

    def snapshot():
        return sorted(
            (model.__name__, tuple(str(getattr(row, column.key)) for column in model.__table__.columns))
            for model in (Goal, Step, Activity, ActivationCode, Capacity, Participation, Comment, Review,
                          AccessLog, User, ParticipationEvent, FollowUp, CaseloadShare, Helper, Municipality,
                          SurveyResponse, SurveyAnswer)
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
    url = _url(app, rule, _args(endpoint, set(rule.arguments), objects, world))
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


def _declared_roles(app, endpoint: str) -> frozenset | None:
    """The roles a route declares: its view's own mark (`only`, `signed_in`), else its
    blueprint's one guard. None: it declares nothing."""
    view = app.view_functions[endpoint]
    guards = [f for f in app.before_request_funcs.get(endpoint.rpartition(".")[0], []) if hasattr(f, "roles")]
    assert len(guards) <= 1, f"{endpoint}: its blueprint declares {len(guards)} guards"
    declared = [set(marked.roles) for marked in (*guards, view) if hasattr(marked, "roles")]
    return frozenset(set.intersection(*declared)) if declared else None


def test_every_route_declares_who_may_use_it_and_it_matches_the_matrix(app):
    """AUTH-02: no route relies on the login gate alone. A route is public by name (PUBLIC_ENDPOINTS),
    or it declares its roles in code, and those are exactly the roles the matrix lets in."""
    from webapp.models import Role
    from webapp.security import PUBLIC_ENDPOINTS

    names = {Role.PARTICIPANT: PARTICIPANT, Role.COACH: COACH, Role.LEADER: LEADER}
    for endpoint in {rule.endpoint for rule in app.url_map.iter_rules()}:
        declared = _declared_roles(app, endpoint)
        if MATRIX[endpoint] == PUBLIC:
            assert endpoint in PUBLIC_ENDPOINTS and declared is None, endpoint
            continue
        assert endpoint not in PUBLIC_ENDPOINTS, endpoint
        assert declared, f"{endpoint} declares no guard: put it in a guarded blueprint or mark the view"
        expected = {role for role in names.values() if role_may_open(MATRIX[endpoint], role)}
        assert {names[role] for role in declared} == expected, endpoint


def test_no_route_takes_a_sequential_id(app):
    """AUTH-02: ids in URLs are opaque (uuid), so nobody can count their way to other rows."""
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if name.endswith("_id"):
                assert type(converter).__name__ == "UUIDConverter", f"{rule.rule}: <{name}> is not a uuid"
