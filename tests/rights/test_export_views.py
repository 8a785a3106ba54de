"""Download all my data: the participant's own pages, and the coach's copy for someone without a device."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests import factories
from webapp import clock
from webapp.extensions import db
from webapp.models import AccessLog, Comment, Role, Step, User


def _p_with_a_plan(world):
    goal = factories.goal(world.p, "Bli snickare")
    factories.step(world.p, goal, "Ringa byggfirman")
    gone = factories.step(world.p, goal, "Ett steg jag tog bort", position=2)
    db.session.get(Step, gone).deleted_at = clock.now()
    factories.activity(world.p, note="Praktik på snickeriet")
    db.session.add(Comment(participation_id=world.p.participation_id, author_id=world.coach.id, by_staff=True,
                           text="Bra jobbat!"))
    for _ in range(2):
        db.session.add(AccessLog(actor_id=world.coach.id, actor_role=Role.COACH,
                                 participation_id=world.p.participation_id, action="coach.participant"))
    return gone


def test_my_data_is_reachable_from_the_participants_start_page(participant):
    home = participant.get("/home").get_data(as_text=True)
    assert 'href="/my-data"' in home
    page = participant.get("/my-data")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "See all my data" in text
    assert 'href="/my-data/all"' in text and 'href="/my-data/stegvis-data.json"' in text
    assert 'href="/my-data/erase"' in text


def test_the_participant_downloads_all_their_data_as_a_json_file(participant, build, world, events):
    gone = build(_p_with_a_plan, world)
    response = participant.get("/my-data/stegvis-data.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="stegvis-data-')
    data = response.get_json()
    assert data["format"] == "stegvis-participant-export"
    assert data["user"]["name"] == "Amina Hassan" and data["user"]["login_name"] == world.p.login
    assert "password_hash" not in data["user"]
    [mine] = data["participations"]
    assert mine["project"] == "Norrskan" and mine["coach"]["name"] == world.coach.name
    steps = {s["text"]: s for s in mine["steps"]}
    assert steps["Ringa byggfirman"]["deleted"] is False
    assert steps["Ett steg jag tog bort"]["deleted"] is True and steps["Ett steg jag tog bort"]["id"] == str(gone)
    assert mine["activities"][0]["note"] == "Praktik på snickeriet"
    assert mine["comments"][0]["author"] == {"name": world.coach.name, "role": "coach"}
    assert mine["access_summary"][0]["name"] == world.coach.name and mine["access_summary"][0]["times"] == 2
    assert ("export", world.p.user_id, world.p.participation_id, "participant-json") in events


def test_the_readable_page_has_a_plain_heading_for_each_part(participant, build, world, events):
    build(_p_with_a_plan, world)
    response = participant.get("/my-data/all")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for heading in ("All your data", "About you", "Your time in Norrskan", "Your plan", "Your log",
                    "How much you can do", "Messages", "Surveys", "The end of your time, and after",
                    "Consents to share", "Who has looked at your information", "Requests to delete your information"):
        assert f">{heading}</h" in page, heading
    assert "Goal: Bli snickare" in page and "Ringa byggfirman" in page
    assert "Deleted " in page  # the deleted step is there, marked
    assert "Bra jobbat!" in page and "Praktik på snickeriet" in page
    assert f"{world.coach.name}</bdi> (coach): 2 times" in page
    assert ("export", world.p.user_id, world.p.participation_id, "participant-html") in events


def test_the_readable_page_speaks_the_participants_language(client, world):
    client.sign_in(world.p.login)
    client.set_cookie("lang", "sv")
    page = client.get("/my-data/all").get_data(as_text=True)
    assert '<html lang="sv"' in page
    assert "Inloggningsnamn" in page and "Ingen har tittat på dina uppgifter än." in page


def test_a_coach_makes_the_export_for_a_participant_in_their_caseload(coach, build, world, read, events):
    build(_p_with_a_plan, world)
    page = coach.get(f"/coach/participants/{world.p.participation_id}")
    assert f'href="/coach/participants/{world.p.participation_id}/data"' in page.get_data(as_text=True)
    readable = coach.get(f"/coach/participants/{world.p.participation_id}/data")
    assert readable.status_code == 200
    assert "All data about Amina Hassan" in readable.get_data(as_text=True)
    response = coach.get(f"/coach/participants/{world.p.participation_id}/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.get_json()["user"]["name"] == "Amina Hassan"
    assert ("export", world.coach.id, world.p.participation_id, "participant-json") in events
    # The participant sees that the coach opened all of it.
    actions = read(lambda: set(db.session.scalars(select(AccessLog.action).where(
        AccessLog.actor_id == world.coach.id, AccessLog.participation_id == world.p.participation_id))))
    assert {"coach_rights.readable_page", "coach_rights.download"} <= actions


def test_a_coach_gets_404_for_someone_outside_their_caseload(new_client, build, world):
    coach_b = new_client()
    coach_b.sign_in(world.coach_b.email)
    other = new_client()
    other.sign_in(world.other_coach.email)
    for client in (coach_b, other):
        for suffix in ("data", "data.json"):
            assert client.get(f"/coach/participants/{world.p.participation_id}/{suffix}").status_code == 404


def test_exports_are_limited_per_person(participant, new_client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_EXPORT", "3 per hour")
    for _ in range(3):
        assert participant.get("/my-data/stegvis-data.json").status_code == 200
    assert participant.get("/my-data/stegvis-data.json").status_code == 429
    someone_else = new_client()
    someone_else.sign_in(world.q.login)
    assert someone_else.get("/my-data/stegvis-data.json").status_code == 200


def test_the_export_holds_every_participation_of_the_person(participant, build, world):
    def second():
        from webapp.models import Participation

        earlier = db.session.get(Participation, world.p.participation_id)
        again = Participation(participant_id=world.p.user_id, project_id=world.project.id, coach_id=world.coach.id,
                              enrolled_on=earlier.enrolled_on - dt.timedelta(days=400), gender=earlier.gender,
                              birth_year=1990, municipality_id=world.project.municipality_id)
        db.session.add(again)
        db.session.flush()
        return again.id

    old = build(second)
    data = participant.get("/my-data/stegvis-data.json").get_json()
    assert [p["id"] for p in data["participations"]] == [str(old), str(world.p.participation_id)]
    assert data["user"]["id"] == str(world.p.user_id)
    assert build(lambda: db.session.get(User, world.p.user_id).name) == "Amina Hassan"
