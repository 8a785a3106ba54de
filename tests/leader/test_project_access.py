"""A leader reaches only the projects they lead; coaches and participants reach none of it.
List pages run the same number of queries for 1 row as for 11."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.html import parse
from tests.leader.support import fingerprint, ids_in_project_a, project_routes, share
from webapp.extensions import db
from webapp.models import Helper, Municipality, Participation


def test_a_leader_of_another_project_gets_404_on_every_page_of_this_project_and_changes_nothing(
    app, client, build, world, read
):
    other_leader = build(factories.staff, world.project_b, "leader")
    share_id = build(share, world)
    client.sign_in(other_leader.email)
    before = fingerprint(read)
    routes = project_routes(app, ids_in_project_a(world), share_id)
    assert len(routes) > 20
    for route in routes:
        for hx in (False, True):
            if route.method == "POST":
                response = client.post_form(route.url, route.data, hx=hx)
            else:
                response = client.get(route.url, headers={"HX-Request": "true"} if hx else {})
            assert response.status_code == 404, f"{route} hx={hx}"
    assert fingerprint(read) == before


def test_a_leader_gets_404_for_another_projects_things_under_their_own_project(app, client, build, world, read):
    other = build(factories.project, "Tredje projektet")
    client.sign_in(world.leader.email)
    before = fingerprint(read)
    ids = {
        "project_id": world.project.public_id, "coach_id": world.coach_b.id, "participation_id": world.r.participation_id,
        "helper_id": read(lambda: db.session.get(Helper, other.helper_id).public_id),
        "municipality_id": read(lambda: db.session.get(Municipality, other.municipality_id).public_id),
    }
    routes = [route for route in project_routes(app, ids) if route.arguments - {"project_id"}]
    assert len(routes) > 10
    for route in routes:
        response = client.post_form(route.url, route.data) if route.method == "POST" else client.get(route.url)
        assert response.status_code == 404, str(route)
    assert fingerprint(read) == before


def test_a_project_that_does_not_exist_answers_404(leader, world):
    assert leader.get(f"/project/{uuid.uuid4()}/coaches").status_code == 404


@pytest.mark.parametrize("who", ["coach", "participant"])
def test_coaches_and_participants_get_403_and_change_nothing(app, client, world, build, read, who):
    client.sign_in(world.coach.email if who == "coach" else world.p.login)
    share_id = build(share, world)
    before = fingerprint(read)
    for route in project_routes(app, ids_in_project_a(world), share_id):
        response = client.post_form(route.url, route.data) if route.method == "POST" else client.get(route.url)
        assert response.status_code == 403, str(route)
    assert client.get("/project").status_code == 403
    assert fingerprint(read) == before


def test_the_projects_page_links_to_the_administration_of_each_project(leader, world):
    page = parse(leader.get("/project").get_data(as_text=True))
    section = page.find(id=f"project-{world.project.id}").find_parent("section")
    links = {a["href"] for a in section.select("nav a")}
    base = f"/project/{world.project.public_id}"
    assert links == {f"{base}/coaches", f"{base}/participants", f"{base}/shares", f"{base}/helpers",
                     f"{base}/municipalities", f"{base}/questionnaires", f"{base}/goals", f"{base}/report",
                     f"{base}/logs", f"{base}/retention", f"{base}/erasure-requests", f"{base}/archive"}
    for link in links:
        assert leader.get(link).status_code == 200


# --- no N+1 -------------------------------------------------------------------------------


def _more_coaches(build, world, n):
    for _ in range(n):
        coach = build(factories.staff, world.project, "coach")
        build(factories.participant, world.project, coach)


def _more_participants(build, world, n):
    for i in range(n):
        coach = build(factories.staff, world.project, "coach")
        build(factories.participant, world.project, coach if i % 2 else world.coach)


def _more_shares(build, world, n):
    for _ in range(n):
        build(share, world, colleague=build(factories.staff, world.project, "coach"))


def _more_entries(model):
    def more(build, world, n):
        build(lambda: db.session.add_all(model(project_id=world.project.id, name=f"Namn {i}") for i in range(n)))

    return more


@pytest.mark.parametrize(("path", "more"), [
    ("coaches", _more_coaches),
    ("participants", _more_participants),
    ("shares", _more_shares),
    ("helpers", _more_entries(Helper)),
    ("municipalities", _more_entries(Municipality)),
])
def test_list_pages_do_not_grow_in_queries_with_their_rows(leader, build, world, count_queries, path, more):
    url = f"/project/{world.project.public_id}/{path}"
    with count_queries() as few:
        assert leader.get(url).status_code == 200
    more(build, world, 10)
    with count_queries() as many:
        assert leader.get(url).status_code == 200
    assert few() >= 3, "the counter sees the page's queries"
    assert many() == few(), url


def test_the_participant_counts_per_coach_are_right_with_many_rows(leader, build, world, read):
    _more_participants(build, world, 4)
    page = parse(leader.get(f"/project/{world.project.public_id}/coaches").get_data(as_text=True))
    counts = {li["id"]: li.find_all("dd")[1].get_text(strip=True) for li in page.select("li[id^=coach-]")}
    assert counts[f"coach-{world.coach.id}"] == "4"
    total = read(lambda: db.session.scalar(
        select(func.count()).select_from(Participation).where(Participation.project_id == world.project.id)))
    assert sum(int(c) for c in counts.values()) == total
