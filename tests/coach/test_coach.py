"""The coach creates participants with a code, sees their picture and suggests steps."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.html import parse
from webapp import clock
from webapp.extensions import db
from webapp.models import ActivationCode, Capacity, CapacityLevel, Participation, Step, StepState, User


@pytest.fixture
def coach(client, world):
    client.sign_in(world.coach.email)
    return client


def _new(**extra):
    return {
        "name": "Fatima Ali", "gender": "woman", "birth_year": "1988", "municipality": "",
        "enrolled_on": clock.today().isoformat(), "capacity": "50", **extra,
    }


def test_coach_creates_a_participant_and_gets_a_code_a_link_and_a_qr_code(coach, read, world):
    response = coach.post_form("/coach/participants/new", _new(municipality=str(world.project.municipality_id)))
    assert response.status_code == 303
    participation = read(lambda: db.session.scalar(select(Participation).where(Participation.coach_id == world.coach.id).order_by(Participation.created_at.desc())))
    assert response.headers["Location"] == f"/coach/participants/{participation.id}/code"
    page = parse(coach.get(response.headers["Location"]).get_data(as_text=True))
    code = page.select_one(".code").get_text(strip=True)
    assert len(code) == 9
    assert page.select_one("svg.qr") is not None
    link = page.select_one(".link a")["href"]
    assert link.endswith(f"/activate?code={code.replace('-', '')}")
    user = read(lambda: db.session.get(User, participation.participant_id))
    assert user.password_hash is None and user.login_name.startswith("fatima")
    assert read(lambda: db.session.scalar(select(Capacity.level))) == CapacityLevel.P50


def test_the_code_is_shown_only_once(coach, world):
    response = coach.post_form("/coach/participants/new", _new(municipality=str(world.project.municipality_id)))
    url = response.headers["Location"]
    assert parse(coach.get(url).get_data(as_text=True)).select_one(".code") is not None
    assert parse(coach.get(url).get_data(as_text=True)).select_one(".code") is None


def test_the_same_name_and_year_of_birth_again_asks_if_it_is_another_person(coach, read, world):
    """As the import does: a second "Amina Hassan, 1990" in the project is probably the same person
    made twice (counted twice in the ESF report). The coach may say it is another person."""
    coach.set_cookie("lang", "en")
    existing = read(lambda: db.session.get(Participation, world.p.participation_id))
    form = _new(name="  amina  HASSAN ", birth_year=str(existing.birth_year),
                municipality=str(world.project.municipality_id))
    response = coach.post_form("/coach/participants/new", form)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert "already a participant in the project with this name and year of birth" in page.select_one("#name-error").get_text()
    assert page.select_one("#name")["value"] == "amina  HASSAN"
    assert page.select_one("input[name=another_person]") is not None
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Participation))) == 3

    assert coach.post_form("/coach/participants/new", {**form, "another_person": "y"}).status_code == 303
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Participation))) == 4
    other_year = coach.post_form("/coach/participants/new", {**form, "birth_year": str(existing.birth_year + 1)})
    assert other_year.status_code == 303, "another year of birth: no question"


def test_the_code_from_the_coach_page_activates_the_account(coach, new_client, world):
    url = coach.post_form("/coach/participants/new", _new(municipality=str(world.project.municipality_id))).headers["Location"]
    code = parse(coach.get(url).get_data(as_text=True)).select_one(".code").get_text(strip=True)
    phone = new_client()
    assert phone.get(f"/activate?code={code}").status_code == 200


def test_a_new_code_can_be_made_and_stops_the_old_one(coach, build, world, read):
    old = build(factories.activation_code, world.p)
    response = coach.post_form(f"/coach/participants/{world.p.participation_id}/code")
    assert response.status_code == 303
    new = parse(coach.get(response.headers["Location"]).get_data(as_text=True)).select_one(".code").get_text(strip=True)
    assert new != old
    rows = read(lambda: list(db.session.scalars(select(ActivationCode))))
    assert sum(1 for r in rows if r.used_at is None) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"name": ""}, "name"),
    ({"name": "n" * 101}, "name"),
    ({"gender": ""}, "gender"),
    ({"gender": "other"}, "gender"),
    ({"birth_year": "88"}, "birth_year"),
    ({"birth_year": "1930"}, "birth_year"),
    ({"birth_year": str(clock.today().year - 10)}, "birth_year"),
    ({"municipality": ""}, "municipality"),
    ({"enrolled_on": "2020-01-01"}, "enrolled_on"),
    ({"capacity": "30"}, "capacity"),
])
def test_bad_participant_input_is_refused_and_nothing_is_created(coach, read, world, change, field):
    data = {**_new(municipality=str(world.project.municipality_id)), **change}
    response = coach.post_form("/coach/participants/new", data)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert page.find(id=f"{field}-error") is not None
    if field != "name":
        assert page.find(id="name")["value"] == "Fatima Ali"
    assert read(lambda: db.session.scalar(select(User).where(User.name == "Fatima Ali"))) is None


def test_a_coach_cannot_use_a_municipality_of_another_project(coach, read, world):
    other = read(lambda: db.session.scalar(
        select(Participation.municipality_id).where(Participation.id == world.r.participation_id)))
    response = coach.post_form("/coach/participants/new", _new(municipality=str(other)))
    assert response.status_code == 422


def test_coach_suggests_a_step_that_waits_for_the_participant(coach, build, read, world, new_client):
    goal = build(factories.goal, world.p)
    response = coach.post_form(f"/coach/participants/{world.p.participation_id}/suggest", {
        "text": "Besök jobbmässan på torsdag", "goal": str(goal), "helper": str(world.project.helper_id),
    })
    assert response.status_code == 303
    step = read(lambda: db.session.scalar(select(Step)))
    assert (step.state, step.suggested_by_id, step.goal_id) == (StepState.SUGGESTED, world.coach.id, goal)
    participant = new_client()
    participant.sign_in(world.p.login)
    home = participant.get("/home").get_data(as_text=True)
    assert 'id="suggestions-heading"' in home


def test_the_messages_of_a_suggestion_and_a_new_participant_speak_to_the_coach(coach, world):
    """Not "Write what you will do": the coach writes about someone else. A gender not chosen says
    so, not "choose one of the options in the list"."""
    coach.set_cookie("lang", "en")
    url = f"/coach/participants/{world.p.participation_id}/suggest"
    page = parse(coach.post_form(url, {"text": ""}).get_data(as_text=True))
    assert "Write the step you suggest." in page.select_one("#text-error").get_text()
    other = str(world.project.other_helper_id)
    page = parse(coach.post_form(url, {"text": "Ring AF", "helper": other}).get_data(as_text=True))
    assert "Write who helps." in page.select_one("#helper_other-error").get_text()
    response = coach.post_form("/coach/participants/new", _new(gender="", municipality=str(world.project.municipality_id)))
    assert response.status_code == 422
    assert 'Choose a gender, or "Does not want to say".' in parse(response.get_data(as_text=True)).get_text()
    # The participant may choose a PIN instead of a password: the coach should know before saying so.
    intro = parse(coach.get("/coach/participants/new").get_data(as_text=True)).select_one("main p").get_text()
    assert "chooses a password or a PIN" in intro


def test_a_suggestion_cannot_target_another_participants_goal(coach, build, read, world):
    theirs = build(factories.goal, world.q)
    response = coach.post_form(f"/coach/participants/{world.p.participation_id}/suggest", {"text": "X", "goal": str(theirs)})
    assert response.status_code == 422
    assert read(lambda: db.session.scalar(select(Step))) is None


def test_coach_sees_the_participants_plan_and_log(coach, build, world):
    goal = build(factories.goal, world.p, "Bli undersköterska")
    build(factories.step, world.p, goal, "Läsa vårdkursen")
    build(factories.activity, world.p, note="Första dagen på praktiken")
    page = coach.get(f"/coach/participants/{world.p.participation_id}").get_data(as_text=True)
    for text in ("Bli undersköterska", "Läsa vårdkursen", "Första dagen på praktiken"):
        assert text in page


def test_caseload_lists_only_the_coachs_own_participants(coach, world):
    page = coach.get("/coach").get_data(as_text=True)
    assert "Amina Hassan" in page and "Erik Lind" in page
    assert "Sara Nilsson" not in page


def test_caseload_query_count_does_not_grow_with_the_caseload(coach, build, world, count_queries):
    build(factories.activity, world.p)
    with count_queries() as few:
        assert coach.get("/coach").status_code == 200
    for _ in range(30):
        person = build(factories.participant, world.project, world.coach)
        build(factories.activity, person)
        build(factories.step, person, None, state=StepState.SUGGESTED, suggested_by=world.coach)
    with count_queries() as many:
        assert coach.get("/coach").status_code == 200
    assert many() == few()


def test_leader_sees_project_counts(client, build, world):
    build(lambda: setattr(db.session.get(Participation, world.p.participation_id), "plan_ready_on", clock.today()))
    client.sign_in(world.leader.email)
    page = parse(client.get("/project").get_data(as_text=True))
    section = page.find("h2", string="Norrskan").find_parent("section")
    values = [dd.get_text(strip=True) for dd in section.find_all("dd")]
    assert values == ["2", "1", "0", "2"]
    assert "Amina" not in page.get_text(), "the leader sees figures, not people"


def test_dates_in_the_future_for_enrolment_are_allowed_a_little(coach, world):
    soon = (clock.today() + dt.timedelta(days=7)).isoformat()
    response = coach.post_form("/coach/participants/new", _new(municipality=str(world.project.municipality_id), enrolled_on=soon))
    assert response.status_code == 303
