"""List pages run the same number of SQL statements for 1 row as for 11 (no N+1).

Every GET route is declared here: either a list page (it shows rows that grow with the data),
with the test that counts its queries, or not a list, with why. A new GET route fails
`test_every_get_route_is_declared` until it is sorted into one of the two.
"""

from __future__ import annotations

import datetime as dt
import inspect
from importlib import import_module

import pytest

from tests import factories
from tests.surveys.support import sent_response, use_shipped_questionnaires
from webapp import clock
from webapp.extensions import db
from webapp.models import (
    AccessLog,
    CapacityLevel,
    Comment,
    ErasureRequest,
    Occasion,
    Role,
    StepState,
)

HERE = "tests/test_queries.py::test_list_pages_do_not_grow_in_queries"

# endpoint -> the test that shows its query count is the same for 1 row and 11.
LIST_PAGES = {
    # The participant's pages
    "participant.home": "tests/test_queries.py::test_participant_pages_do_not_grow_in_queries_with_the_plan_and_log",
    "plan.index": "tests/test_queries.py::test_participant_pages_do_not_grow_in_queries_with_the_plan_and_log",
    "activities.index": "tests/test_queries.py::test_participant_pages_do_not_grow_in_queries_with_the_plan_and_log",
    "comments.index": HERE,
    "participant.capacity": HERE,
    "participant.who_has_looked": HERE,
    "rights.index": HERE,
    "rights.readable_page": HERE,
    "rights.download": HERE,
    "account.settings": HERE,
    "consent.index": "tests/consent/test_views.py::test_the_sharing_page_does_not_grow_in_queries_with_consents_and_shares",
    "surveys.progress": "tests/surveys/test_progress.py::test_pages_with_surveys_do_not_grow_in_queries",
    # The coach's pages
    "coach.caseload": "tests/coach/test_caseload.py::"
                      "test_caseload_query_count_is_the_same_for_1_and_30_participants_with_everything_flagged",
    "coach.participant": "tests/test_queries.py::test_the_coachs_participant_page_does_not_grow_in_queries",
    "coach.thread": HERE,
    "coach_rights.readable_page": HERE,
    "coach_rights.download": HERE,
    "coach_goals.report": HERE,
    # The leader's pages
    "leader.home": HERE,
    "leader.coaches": "tests/leader/test_project_access.py::test_list_pages_do_not_grow_in_queries_with_their_rows",
    "leader.participants": "tests/leader/test_project_access.py::test_list_pages_do_not_grow_in_queries_with_their_rows",
    "leader.shares": "tests/leader/test_project_access.py::test_list_pages_do_not_grow_in_queries_with_their_rows",
    "leader.helpers": "tests/leader/test_project_access.py::test_list_pages_do_not_grow_in_queries_with_their_rows",
    "leader.municipalities": "tests/leader/test_project_access.py::test_list_pages_do_not_grow_in_queries_with_their_rows",
    "leader.logs": HERE,
    "leader_rights.requests": HERE,
    "goals.report": "tests/goals/test_pages.py::test_the_report_page_runs_as_many_queries_for_1_as_for_11_participations",
    "goals.report_csv": HERE,
    "goals.report_xlsx": HERE,
    "goals.anonymised_csv": HERE,
    "archive.download": HERE,
    "imports.preview": "tests/imports/test_access_and_queries.py::"
                       "test_the_preview_of_a_long_list_costs_the_same_queries_as_a_short_one",
}

# endpoint -> why it is not a list that grows with the data.
NOT_LISTS = {
    "auth.start": "sends each role to its own start page",
    "auth.activate": "a form", "auth.sign_in": "a form", "auth.sign_in_pin": "a form",
    "auth.second_factor": "a form", "auth.set_up_second_factor": "a form with a QR code",
    "account.authenticator": "a form with a QR code",
    "about.easy": "fixed text", "about.accessibility": "fixed text", "about.translations": "fixed text",
    "pwa.manifest": "a fixed file", "pwa.offline": "a fixed page", "pwa.service_worker": "a fixed file",
    "static": "files", "ops.healthz": "the service's health: one answer, no rows",
    "activities.outbox_who": "who is signed in: one JSON object",
    "activities.show": "one activity", "activities.edit": "a form for one activity",
    "activities.deleted": "one deleted activity",
    "plan.new_goal": "a form", "plan.edit_goal": "a form for one goal", "plan.new_step": "a form (the goals to choose)",
    "plan.edit_step": "a form for one step", "plan.step": "one step and its thread",
    "consent.withdraw": "one consent", "rights.request_erasure": "a form",
    "surveys.question": "one question", "surveys.review": "one survey: its questionnaire's items, a fixed number",
    "survey_review.response": "one survey: its questionnaire's items, a fixed number",
    "coach.new_participant": "a form (the project's municipalities)", "coach.activation_code": "one code",
    "coach.suggest_step": "a form (the participant's goals)",
    "consent_coach.share": "a form for one consent", "consent_coach.withdraw_for": "one consent",
    "consent_coach.record": "a form",
    "exits.end": "a form", "exits.reopen": "a form", "exits.follow_up": "a form",
    "leader.new_coach": "a form", "leader.coach_code": "one code", "leader.edit_helper": "a form",
    "leader.edit_municipality": "a form",
    "leader_rights.decide": "one request", "leader_rights.retention": "the project's settings",
    "goals.goals": "the project's goals: a handful that the leader keeps (G1–G5)",
    "goals.edit_goal": "a form for one goal",
    "goals.remove_goal": "asks before one goal is removed",
    "questionnaires.settings": "the project's questionnaires: a handful, chosen by the leader",
    "archive.index": "a form to import an archive",
    "imports.upload": "a form", "imports.columns": "one file's columns (at most the file's width)",
    "imports.result": "one import's result",
}


def _fill(build, person, coach, n):
    for i in range(n):
        goal = build(factories.goal, person, f"Mål {i}", i + 1)
        build(factories.step, person, goal, f"Steg {i}", 1, helper_id=None)
        build(factories.step, person, goal, f"Förslag {i}", 2, state=StepState.SUGGESTED, suggested_by=coach)
        build(factories.activity, person, clock.today() - dt.timedelta(days=i % 20), note=f"Anteckning {i}")


@pytest.mark.parametrize("url", ["/home", "/plan", "/log"])
def test_participant_pages_do_not_grow_in_queries_with_the_plan_and_log(client, build, world, count_queries, url):
    client.sign_in(world.p.login)
    _fill(build, world.p, world.coach, 1)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _fill(build, world.p, world.coach, 10)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert few() > 3, "the counter sees the page's queries"
    assert many() == few(), url


def test_the_coachs_participant_page_does_not_grow_in_queries(client, build, world, count_queries):
    client.sign_in(world.coach.email)
    url = f"/coach/participants/{world.p.participation_id}"
    _fill(build, world.p, world.coach, 1)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _fill(build, world.p, world.coach, 10)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many() == few()


# -- every other list page: 1 of everything, then 11 ------------------------------------------------


def _more_of_everything(world, start: int, n: int) -> None:
    """n more of each thing a list shows (run inside `build`): for P a plan, log, capacity, messages
    both ways, surveys, access-log rows and phones; for the project participants, each with an
    erasure request and an access-log row."""
    p, coach = world.p, world.coach
    today, now = clock.today(), clock.now()
    use_shipped_questionnaires(world.project.id)
    for i in range(start, start + n):
        goal = factories.goal(p, f"Mål {i}", i + 1)
        step = factories.step(p, goal, f"Steg {i}", 1)
        factories.step(p, goal, f"Förslag {i}", 2, state=StepState.SUGGESTED, suggested_by=coach)
        factories.activity(p, today - dt.timedelta(days=i % 20), note=f"Anteckning {i}")
        factories.capacity(p, list(CapacityLevel)[i % 4], today - dt.timedelta(days=100 - i))
        for by_staff, author, step_id in ((False, p.user_id, None), (True, coach.id, None), (True, coach.id, step)):
            db.session.add(Comment(participation_id=p.participation_id, author_id=author, by_staff=by_staff,
                                   step_id=step_id, text=f"Meddelande {i}", created_at=now))
        sent_response(p.participation_id, Occasion.FOLLOW_UP, i + 1, values={"life_work": i % 10}, days_ago=i)
        factories.device(p.user_id)
        db.session.add(AccessLog(actor_id=coach.id, actor_role=Role.COACH, participation_id=p.participation_id,
                                 project_id=world.project.id, action="coach.participant"))
        other = factories.participant(world.project, coach, name=f"Deltagare {i}")
        db.session.add(ErasureRequest(participation_id=other.participation_id, requested_by_id=other.user_id))
        db.session.add(AccessLog(actor_id=world.leader.id, actor_role=Role.LEADER,
                                 participation_id=other.participation_id, project_id=world.project.id,
                                 action="leader.move_participant"))


PAGES = {  # endpoint -> (who, url)
    "comments.index": ("p", "/messages"),
    "participant.capacity": ("p", "/capacity"),
    "participant.who_has_looked": ("p", "/who-has-looked"),
    "rights.index": ("p", "/my-data"),
    "rights.readable_page": ("p", "/my-data/all"),
    "rights.download": ("p", "/my-data/stegvis-data.json"),
    "account.settings": ("p", "/account/sign-in"),
    "coach.thread": ("coach", "/coach/participants/{p}/messages/general"),
    "coach_rights.readable_page": ("coach", "/coach/participants/{p}/data"),
    "coach_rights.download": ("coach", "/coach/participants/{p}/data.json"),
    "coach_goals.report": ("coach", "/coach/report"),
    "leader.home": ("leader", "/project"),
    "leader.logs": ("leader", "/project/{project}/logs"),
    "leader_rights.requests": ("leader", "/project/{project}/erasure-requests"),
    "goals.report_csv": ("leader", "/project/{project}/report.csv"),
    "goals.report_xlsx": ("leader", "/project/{project}/report.xlsx"),
    "goals.anonymised_csv": ("leader", "/project/{project}/report/anonymised.csv"),
    "archive.download": ("leader", "/project/{project}/archive/download"),
}


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_list_pages_do_not_grow_in_queries(client, build, world, count_queries, endpoint):
    who, path = PAGES[endpoint]
    url = path.format(p=world.p.participation_id, project=world.project.public_id)
    client.sign_in({"p": world.p.login, "coach": world.coach.email, "leader": world.leader.email}[who])
    build(_more_of_everything, world, 0, 1)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    build(_more_of_everything, world, 1, 10)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert few() >= 3, "the counter sees the page's queries (the session, the person, the rows)"
    assert many() == few(), url


def test_every_get_route_is_declared(app):
    """Each GET route is a list page with a query-count test, or not a list, with why."""
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert not LIST_PAGES.keys() & NOT_LISTS.keys()
    unknown = sorted(routes - LIST_PAGES.keys() - NOT_LISTS.keys())
    assert not unknown, f"a new GET route: add it to LIST_PAGES (with its query-count test) or NOT_LISTS: {unknown}"
    assert not (LIST_PAGES.keys() | NOT_LISTS.keys()) - routes, "declared routes that no longer exist"
    assert {e for e, where in LIST_PAGES.items() if where == HERE} == PAGES.keys()


@pytest.mark.parametrize("where", sorted(set(LIST_PAGES.values())))
def test_each_declared_query_count_test_exists_and_counts_queries(where):
    path, name = where.split("::")
    module = import_module(path.removesuffix(".py").replace("/", "."))
    function = getattr(module, name, None)
    assert function is not None, f"{where} does not exist"
    assert "count_queries" in inspect.signature(function).parameters, f"{where} does not count queries"
