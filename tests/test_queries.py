"""List pages run the same number of SQL statements for 1 row as for 11 (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from webapp import clock
from webapp.models import StepState


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
