"""Who may reach an import, and what it costs in queries."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories
from tests.imports.support import (
    as_leader,
    count_participations,
    csv_bytes,
    import_url,
    person,
    upload,
    upload_and_map,
    uploads,
)
from webapp.extensions import db
from webapp.imports.checking import Lookups, check_rows
from webapp.imports.reading import read_table
from webapp.models import Project


def _pages(url: str) -> list[tuple[str, str]]:
    return [("GET", url), ("POST", url), ("GET", url + "/preview"), ("POST", url + "/confirm"),
            ("GET", url + "/done"), ("POST", url + "/codes")]


def test_another_leader_gets_404_and_nothing_changes(client, new_client, build, world, read):
    as_leader(client, world)
    url = upload_and_map(client, world, csv_bytes([person(world)]))
    before = count_participations(read, world)
    # A leader of another project, and a second leader in the same project: neither sees the upload.
    leader_b = build(factories.staff, world.project_b, "leader")
    colleague = build(factories.staff, world.project, "leader")
    for someone in (leader_b, colleague):
        other = new_client()
        other.sign_in(someone.email)
        for method, page in _pages(url):
            response = other.post_form(page, {"only_valid": "yes"}) if method == "POST" else other.get(page)
            assert response.status_code == 404, (someone.email, method, page)
    other = new_client()
    other.sign_in(leader_b.email)
    assert other.get(import_url(world)).status_code == 404, "another project's import page"
    assert count_participations(read, world) == before
    assert uploads(read)[0].imported_at is None


def test_coaches_and_participants_get_403_and_nothing_changes(client, new_client, world, read):
    as_leader(client, world)
    url = upload_and_map(client, world, csv_bytes([person(world)]))
    before = count_participations(read, world)
    for login in (world.coach.email, world.coach_b.email, world.p.login, world.r.login):
        other = new_client()
        other.sign_in(login)
        for method, page in [*_pages(url), ("GET", import_url(world)), ("POST", import_url(world))]:
            response = other.post_form(page, {"only_valid": "yes"}) if method == "POST" else other.get(page)
            assert response.status_code == 403, (login, method, page)
    assert count_participations(read, world) == before


def test_a_missing_upload_answers_404(client, world):
    import uuid

    as_leader(client, world)
    assert client.get(f"{import_url(world)}/{uuid.uuid4()}/preview").status_code == 404


def test_the_lookups_do_not_grow_with_the_rows(app, world, count_queries):
    """Reading the project's coaches, municipalities and participants costs the same for 10 rows as for 100."""

    def run(n: int) -> int:
        raw = csv_bytes([person(world, f"Person {i}", year=1965 + i % 40) for i in range(n)])
        with app.test_request_context():
            project = db.session.scalar(select(Project).where(Project.id == world.project.id))
            table = read_table(raw)
            with count_queries() as queries:
                rows = check_rows(table, {"name": 0, "gender": 1, "birth_year": 2, "municipality": 3,
                                          "enrolled_on": 4, "coach": 5}, Lookups.load(project))
                spent = queries()
            assert all(row.ok for row in rows), [row.problems for row in rows if not row.ok][:1]
            db.session.rollback()
        return spent

    assert run(10) == run(100) <= 4


def test_the_preview_of_a_long_list_costs_the_same_queries_as_a_short_one(client, world, count_queries):
    as_leader(client, world)
    short = upload_and_map(client, world, csv_bytes([person(world, f"Kort {i}") for i in range(10)]))
    long = upload_and_map(client, world, csv_bytes([person(world, f"Lång {i}") for i in range(100)]))
    spent = []
    for url in (short, long):
        with count_queries() as queries:
            assert client.get(url + "/preview").status_code == 200
            spent.append(queries())
    assert spent[0] == spent[1]


def test_a_leader_cannot_use_an_upload_for_another_project(client, build, world):
    as_leader(client, world)
    url = upload_and_map(client, world, csv_bytes([person(world)]))
    # A second project where the same leader also works.
    from webapp.models import ProjectStaff

    build(lambda: db.session.add(ProjectStaff(project_id=world.project_b.id, user_id=world.leader.id)))
    elsewhere = url.replace(str(world.project.public_id), str(world.project_b.public_id))
    assert client.get(elsewhere).status_code == 404
    assert client.get(elsewhere + "/preview").status_code == 404
    assert upload(client, world, csv_bytes([person(world)])).status_code == 303
