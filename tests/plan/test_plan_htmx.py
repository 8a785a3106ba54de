"""With htmx the same forms update the plan in place and announce the result."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.html import parse, textarea_value
from webapp.extensions import db
from webapp.models import Step


@pytest.fixture
def signed_in(client, world):
    client.sign_in(world.p.login)
    return client


def test_adding_a_step_returns_the_plan_with_focus_on_the_new_step_and_a_message(signed_in, build, read, world):
    goal = build(factories.goal, world.p)
    response = signed_in.post_form("/plan/steps/new", {"text": "Skriva CV", "goal": str(goal)}, hx=True)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#plan"
    step = read(lambda: db.session.scalar(select(Step.id)))
    html = parse(response.get_data(as_text=True))
    assert html.find(id="plan") is not None and html.find("html") is None, "a fragment, not a page"
    assert html.find(id=f"step-{step}").has_attr("data-focus")
    status = html.find(id="status")
    assert status["data-hx-swap-oob"] == "innerHTML" and status.get_text(strip=True)


def test_bad_input_with_htmx_returns_only_the_form_with_422(signed_in, build, world):
    goal = build(factories.goal, world.p)
    response = signed_in.post_form("/plan/steps/new", {"text": "", "note": "behåll", "goal": str(goal)}, hx=True)
    assert response.status_code == 422
    html = parse(response.get_data(as_text=True))
    assert html.find("form")["id"] == "step-form-new"
    assert html.find(id="plan") is None
    assert textarea_value(html.find(id="note")) == "behåll"
    assert html.select_one(".error-summary").has_attr("data-focus")


def test_two_goals_add_a_step_forms_open_at_once_have_ids_of_their_own(signed_in, build, world):
    """Each goal's "Add a step" opens a form in place; open under two goals, they had the same
    field ids, so a label or an error link pointed into the other form."""
    first, second = build(factories.goal, world.p, "Få ett jobb"), build(factories.goal, world.p, "Lära mig svenska", 2)
    forms = [parse(signed_in.hx_get(f"/plan/steps/new?goal={goal}").get_data(as_text=True)) for goal in (first, second)]
    ids = [{tag["id"] for tag in form.select("[id]")} for form in forms]
    assert not ids[0] & ids[1], ids[0] & ids[1]
    # Sent from the second form (its address names the goal): saved under that goal, errors in it.
    action = forms[1].find("form")["action"]
    prefix = f"new-step-{str(second)[:8]}-"
    bad = signed_in.post_form(action, {prefix + "text": "", prefix + "goal": str(second)}, hx=True)
    assert bad.status_code == 422 and parse(bad.get_data(as_text=True)).find("form")["id"] == f"step-form-new-{str(second)[:8]}"
    assert signed_in.post_form(action, {prefix + "text": "Gå på SFI", prefix + "goal": str(second)}).status_code == 303
    with_step = parse(signed_in.get("/plan").get_data(as_text=True)).find(id=f"goal-{second}")
    assert "Gå på SFI" in with_step.get_text()


def test_edit_form_opens_in_place_as_a_fragment(signed_in, build, world):
    step = build(factories.step, world.p, build(factories.goal, world.p))
    response = signed_in.hx_get(f"/plan/steps/{step}/edit")
    html = parse(response.get_data(as_text=True))
    assert html.find("html") is None and html.find("form")["data-hx-target"] == "this"
    assert response.headers["Vary"].count("HX-Request") == 1


def test_the_same_url_without_htmx_is_a_whole_page(signed_in, build, world):
    step = build(factories.step, world.p, build(factories.goal, world.p))
    html = parse(signed_in.get(f"/plan/steps/{step}/edit").get_data(as_text=True))
    assert html.find("html") is not None and html.find("h1") is not None


def test_a_boosted_request_gets_the_whole_page(signed_in, build, world):
    step = build(factories.step, world.p, build(factories.goal, world.p))
    response = signed_in.get(f"/plan/steps/{step}/edit", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert parse(response.get_data(as_text=True)).find("html") is not None


def test_an_error_during_an_htmx_request_is_shown_in_the_status_region(signed_in):
    import uuid

    response = signed_in.post_form(f"/plan/steps/{uuid.uuid4()}/delete", hx=True)
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#status"
    assert parse(response.get_data(as_text=True)).find("html") is None


def test_status_change_with_htmx_keeps_focus_on_the_step(signed_in, build, world):
    step = build(factories.step, world.p, build(factories.goal, world.p))
    response = signed_in.post_form(f"/plan/steps/{step}/status", {"status": "doing"}, hx=True)
    html = parse(response.get_data(as_text=True))
    assert html.find(id=f"step-{step}").has_attr("data-focus")
