"""Every page, for every role: the list the accessibility, layout and HTML-validity checks walk.

The list is derived, not written by hand: each GET route in app.url_map that a role may open
(tests/access_matrix.py) is fetched with real ids, and each answer that is an HTML page is a page
to check. A new page is therefore checked the day it is added; a GET route missing from MATRIX
fails here, with what to do. A few routes show another state for other data (a participation that
has ended, each kind of survey question, the general message thread): `_variants` adds those.

The data is realistic: a plan with goals, done and suggested steps, log entries with notes,
capacity, messages both ways, surveys begun and sent, an ended participation with a follow-up, the
demo project's goals G1–G5, a colleague's cover and access-log rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from werkzeug.routing import AnyConverter, Rule

from tests import factories
from tests.access_matrix import COACH, LEADER, MATRIX, PARTICIPANT, PUBLIC, Objects, _args, role_may_open
from tests.html import parse
from tests.surveys.support import end_participation, sent_response, use_shipped_questionnaires
from webapp import clock
from webapp.extensions import db
from webapp.models import (
    AccessLog,
    ActivityKind,
    CapacityLevel,
    CaseloadShare,
    Comment,
    FollowUp,
    FollowUpKind,
    Occasion,
    Outcome,
    Participation,
    Project,
    StepStatus,
    SurveyResponse,
    User,
)

ROLES = (None, PARTICIPANT, COACH, LEADER)  # None: not signed in
# GET routes that send a person on instead of showing a page (anything else that redirects fails).
REDIRECTS = {
    "auth.start": "the start page sends each role to its own",
    "auth.sign_in": "a signed-in person does not need to sign in",
    # Steps of a sign-in in progress: without it (a phone's token, a right password) they send the
    # person back to the sign-in page. tests/e2e/test_sign_in_steps.py checks these pages.
    "auth.sign_in_pin": "needs a phone that knows the person",
    "auth.second_factor": "needs the password first",
    "auth.set_up_second_factor": "needs the password first",
}
ROLE_IDS = ["anonymous", PARTICIPANT, COACH, LEADER]
LANGUAGES = ("sv", "ar")


@dataclass
class Site:
    """The world of tests/conftest.py with P's things (tests/access_matrix.py), made realistic."""

    world: object  # tests.conftest.World
    objects: Objects
    project_goal: uuid.UUID  # G1 of the demo goals (its public id)
    ended: uuid.UUID  # Q's participation: ended, with a follow-up
    exit_response: uuid.UUID  # P's exit survey, begun and not sent
    sent_exit: uuid.UUID  # Q's exit survey, sent

    def login(self, role: str) -> str:
        return {PARTICIPANT: self.world.p.login, COACH: self.world.coach.email, LEADER: self.world.leader.email}[role]


def _realistic(world, objects: Objects) -> dict:
    """What a project looks like after a few months (run inside `build`)."""
    from webapp.goals.demo import load as load_goals

    p, q, coach = world.p, world.q, world.coach
    project = db.session.get(Project, world.project.id)
    use_shipped_questionnaires(project.id)
    goals = load_goals(project)
    today = clock.today()
    now = clock.now()

    # P: more of a plan, a log over four weeks, capacity, messages both ways, surveys.
    goal = factories.goal(p, "Bli undersköterska inom äldreomsorgen", position=3)
    factories.step(p, goal, "Ringa och fråga om arbetsmarknadsutbildningen", position=1, status=StepStatus.DONE,
                   helper_id=world.project.helper_id)
    factories.step(p, goal, "Skriva mitt CV tillsammans med min coach", position=2, status=StepStatus.DOING)
    factories.capacity(p, CapacityLevel.P50, today - dt.timedelta(days=40))
    for days_ago, minutes, kind, feeling, note in (
        (0, 180, ActivityKind.SFI, 4, "Vi läste en tidning tillsammans."),
        (3, 45, ActivityKind.JOB_APPLICATION, 2, "Ansökan till äldreboendet."),
        (9, 240, ActivityKind.WORK_PLACEMENT, 5, None),
        (20, 60, ActivityKind.AUTHORITY_MEETING, 3, "Möte med coachen."),
    ):
        factories.activity(p, today - dt.timedelta(days=days_ago), minutes, kind, feeling, note)
    participation = db.session.get(Participation, p.participation_id)
    participation.plan_ready_on = today - dt.timedelta(days=30)
    for hours_ago, author, by_staff, step, text in (
        (50, coach, True, None, "Hej! Hur går det med SFI?"),
        (48, p, False, None, "Det går bra. Jag läser varje dag."),
        (30, p, False, objects.talked_about, "Jag vet inte vem jag ska ringa."),
        (2, coach, True, objects.talked_about, "Ring Arbetsförmedlingen, numret står på deras sida."),
    ):
        db.session.add(Comment(participation_id=p.participation_id, author_id=_user_id(author), by_staff=by_staff,
                               step_id=step, text=text, created_at=now - dt.timedelta(hours=hours_ago)))
    participation.comments_read_at = now - dt.timedelta(hours=20)  # the coach's last message is new
    for round_, days_ago, value in ((1, 60, 4), (2, 18, 6)):
        sent_response(p.participation_id, Occasion.FOLLOW_UP, round_, days_ago=days_ago,
                      values={"life_work": value, "life_health": value + 1, "life_language": value - 1,
                              "confidence": 3, "hope": 4})
    for actor, action in ((world.coach, "coach.participant"), (world.leader, "leader.move_participant")):
        db.session.add(AccessLog(actor_id=actor.id, actor_role=db.session.get(User, actor.id).role,
                                 participation_id=p.participation_id, action=action))

    # The exit survey has the question kinds the start survey lacks (yes/no, a written answer).
    exit_response = sent_response(p.participation_id, Occasion.EXIT, values={"life_work": 7}, sent=False)

    # Q: ended two weeks ago, the exit survey sent, a four-week follow-up recorded.
    end_participation(q.participation_id, days_ago=14)
    db.session.add(FollowUp(participation_id=q.participation_id, kind=FollowUpKind.WEEKS_4,
                            outcome=Outcome.EMPLOYMENT, recorded_on=today, by_id=coach.id))
    sent_exit = sent_response(q.participation_id, Occasion.EXIT, days_ago=10,
                              values={"life_work": 8, "chances_increased": 5, "would_recommend": 1})

    # The leader's pages: the other coach covers for the coach this month.
    db.session.add(CaseloadShare(project_id=project.id, owner_id=coach.id, colleague_id=world.other_coach.id,
                                 until=today + dt.timedelta(days=30), created_by_id=world.leader.id))
    return {"project_goal": goals[0].public_id, "ended": q.participation_id, "exit_response": exit_response,
            "sent_exit": sent_exit}


def _user_id(person) -> uuid.UUID:
    return person.user_id if isinstance(person, factories.Participant) else person.id


@pytest.fixture
def site(build, world, objects) -> Site:
    made = build(_realistic, world, objects)
    return Site(world, objects, **made)


# --- the routes --------------------------------------------------------------------------------


def may_open(role: str | None, endpoint: str) -> bool:
    allowed = MATRIX[endpoint]
    return allowed == PUBLIC or role_may_open(allowed, role)


def get_rules(app) -> list[Rule]:
    return sorted((rule for rule in app.url_map.iter_rules() if "GET" in rule.methods), key=lambda r: r.rule)


def check_every_get_route_is_known(app) -> None:
    """A GET route that is not in MATRIX has no role yet, so no check would open it."""
    unknown = sorted(rule.endpoint for rule in get_rules(app) if rule.endpoint not in MATRIX)
    assert not unknown, f"add these GET endpoints to MATRIX in tests/access_matrix.py: {unknown}"


def _one_question_of_each_kind(*response_ids: uuid.UUID) -> list[dict]:
    """The first question of each kind (scale, agreement, choice, yes/no, text) in these responses."""
    from webapp.surveys.catalogue import shipped

    first: dict[str, dict] = {}
    for response_id in response_ids:
        response = db.session.get(SurveyResponse, response_id)
        items = shipped()[(response.questionnaire_key, response.questionnaire_version)].items
        for number, item in enumerate(items, start=1):
            first.setdefault(item.kind, {"response_id": response_id, "number": number})
    return list(first.values())


def _variants(endpoint: str, site: Site) -> list[dict]:
    """Other states of a route, as argument overrides; [] means only the default."""
    if endpoint in ("exits.end", "exits.reopen", "exits.follow_up", "coach.participant"):
        return [{"participation_id": site.ended}]
    if endpoint == "survey_review.response":
        return [{"participation_id": site.ended, "response_id": site.sent_exit}]
    if endpoint == "coach.thread":
        return [{"thread": "general"}]
    if endpoint == "surveys.question":
        return _one_question_of_each_kind(site.objects.survey_response, site.exit_response)
    return []


def _expand_any(rule: Rule, args: dict) -> list[dict]:
    """One URL per value of an `any(...)` part, e.g. every easy-to-read page."""
    expanded = [args]
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            expanded = [{**a, name: value} for a in expanded for value in sorted(converter.items)]
    return expanded


def urls_for(app, site: Site, role: str | None) -> list[tuple[str, str]]:
    """(endpoint, url) for every GET route the role may open, with its variants."""
    from flask import url_for

    check_every_get_route_is_known(app)
    found = []
    with app.test_request_context():
        for rule in get_rules(app):
            if not may_open(role, rule.endpoint):
                continue
            base = _args(rule.endpoint, set(rule.arguments), site.objects, site.world)
            if "project_goal_id" in base:
                base["project_goal_id"] = site.project_goal
            variants = [{**base, **override} for override in _variants(rule.endpoint, site)]
            # A survey question's variants include the default (question 1 of the start survey).
            all_args = variants if rule.endpoint == "surveys.question" else [base, *variants]
            for args in all_args:
                found += [(rule.endpoint, url_for(rule.endpoint, **a)) for a in _expand_any(rule, args)]
    return found


@dataclass(frozen=True)
class Page:
    endpoint: str
    url: str
    html: str = field(default="", compare=False, repr=False)  # as the test client got it


def pages_for(app, client, site: Site, role: str | None) -> list[Page]:
    """The HTML pages among the role's GET routes, asked with `client` (signed in as the role).

    An answer that is not HTML (a file, the CSS, a download) is not a page; nor is a redirect of a
    route in REDIRECTS. Anything else than 200 is a broken page and fails here.
    """
    found, problems = [], []
    for endpoint, url in urls_for(app, site, role):
        response = client.get(url)
        response.close()
        if 300 <= response.status_code < 400 and endpoint in REDIRECTS:
            continue
        if 300 <= response.status_code < 400:
            problems.append(f"{url} ({endpoint}) sent the {ROLE_IDS[ROLES.index(role)]} to "
                            f"{response.headers['Location']} (if it should, add it to REDIRECTS)")
        elif response.status_code != 200:
            problems.append(f"{url} ({endpoint}) answered {response.status_code}")
        elif response.mimetype == "text/html":
            found.append(Page(endpoint, url, response.get_data(as_text=True)))
    assert not problems, f"{ROLE_IDS[ROLES.index(role)]}: " + "; ".join(problems)
    return found


def error_pages_for(app, client, pages: list[Page]) -> list[Page]:
    """The same pages with their form sent empty, as a person who clears every field: the answers
    that come back 422, with the errors on screen.

    Only a page whose own URL also takes POST has such a form. Run this after the GETs: an empty
    form can be a valid change (e.g. "Make a new code").
    """
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if {"GET", "POST"} <= rule.methods}
    token = client.csrf_token()
    found = []
    for page in pages:
        if page.endpoint not in posts:
            continue
        response = client.post(page.url, data={**_cleared_fields(page), "csrf_token": token})
        if response.status_code == 422 and response.mimetype == "text/html":
            found.append(Page(page.endpoint, f"{page.url} (sent empty)", response.get_data(as_text=True)))
    return found


def _cleared_fields(page: Page) -> dict[str, str]:
    """The fields of the page's own form, each left empty; hidden fields keep their values and
    unchosen radio buttons and checkboxes are not sent, as in a browser."""
    path = page.url.split("?")[0]
    form = parse(page.html).find("form", attrs={"method": "post", "action": path})
    fields: dict[str, str] = {}
    for control in form.find_all(["input", "select", "textarea"]) if form else []:
        kind = control.get("type", "text") if control.name == "input" else control.name
        if not control.get("name") or kind in ("radio", "checkbox", "submit", "button"):
            continue
        fields[control["name"]] = control.get("value", "") if kind == "hidden" else ""
    return fields


def signed_in_client(new_client: Callable, site: Site, role: str | None, language: str = "sv"):
    client = new_client()
    client.set_cookie("lang", language)
    if role is not None:
        client.sign_in(site.login(role))
    return client

