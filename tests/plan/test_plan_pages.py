"""The participant writes and changes their own plan; every change also works without htmx."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests import factories
from tests.html import parse, textarea_value
from webapp import clock
from webapp.extensions import db
from webapp.models import Goal, Participation, Step, StepState, StepStatus


@pytest.fixture
def signed_in(client, world):
    client.sign_in(world.p.login)
    return client


def _steps(read, person):
    return read(lambda: [
        (s.text, s.status, s.position, s.deleted_at is not None)
        for s in db.session.scalars(
            select(Step).where(Step.participation_id == person.participation_id).order_by(Step.position)
        )
    ])


def test_empty_plan_invites_the_first_goal(signed_in):
    page = signed_in.get("/plan").get_data(as_text=True)
    assert 'action="/plan/goals/new"' in page
    assert "This is my plan" in page or "Det här är min plan" in page


def test_participant_adds_a_goal_and_it_shows_on_the_plan(signed_in, read, world):
    response = signed_in.post_form("/plan/goals/new", {"text": "Få ett jobb i en butik"})
    assert response.status_code == 303
    goal_id = read(lambda: db.session.scalar(select(Goal.id)))
    assert response.headers["Location"] == f"/plan#goal-{goal_id}"
    assert "Få ett jobb i en butik" in signed_in.get("/plan").get_data(as_text=True)


def test_participant_adds_a_step_with_who_helps_and_a_date(signed_in, build, read, world):
    goal = build(factories.goal, world.p)
    due = (clock.today() + dt.timedelta(days=7)).isoformat()
    response = signed_in.post_form("/plan/steps/new", {
        "text": "Ringa Arbetsförmedlingen", "helper": str(world.project.helper_id), "due_on": due,
        "goal": str(goal), "note": "Fråga om praktik",
    })
    assert response.status_code == 303
    step = read(lambda: db.session.scalar(select(Step)))
    assert (step.goal_id, step.helper_id, step.due_on.isoformat(), step.note) == (goal, world.project.helper_id, due, "Fråga om praktik")
    page = signed_in.get("/plan").get_data(as_text=True)
    assert "Ringa Arbetsförmedlingen" in page and "Arbetsförmedlingen" in page


def test_other_helper_needs_a_name_written(signed_in, build, read, world):
    goal = build(factories.goal, world.p)
    response = signed_in.post_form("/plan/steps/new", {"text": "Prata med skolan", "helper": str(world.project.other_helper_id), "goal": str(goal)})
    assert response.status_code == 422
    assert 'id="helper_other-error"' in response.get_data(as_text=True)
    signed_in.post_form("/plan/steps/new", {
        "text": "Prata med skolan", "helper": str(world.project.other_helper_id), "helper_other": "Folkhögskolan", "goal": str(goal),
    })
    assert "Folkhögskolan" in signed_in.get("/plan").get_data(as_text=True)


@pytest.mark.parametrize(("data", "field"), [
    ({"text": ""}, "text"),
    ({"text": "   "}, "text"),
    ({"text": "x" * 301}, "text"),
    ({"text": "Ett steg", "due_on": "32/13/2026"}, "due_on"),
    ({"text": "Ett steg", "due_on": "1999-01-01"}, "due_on"),
    ({"text": "Ett steg", "due_on": "2099-01-01"}, "due_on"),
    ({"text": "Ett steg", "helper": "999999"}, "helper"),
    ({"text": "Ett steg", "note": "n" * 1001}, "note"),
    ({"text": "Ett steg\x00"}, "text"),
])
def test_bad_step_input_is_refused_next_to_the_field_and_the_text_is_kept(signed_in, read, data, field):
    typed = {"text": "", "note": "Min anteckning", **data}
    response = signed_in.post_form("/plan/steps/new", typed)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert page.find(id=f"{field}-error") is not None, f"no message next to {field}"
    assert page.find(id=field).get("aria-invalid") == "true"
    assert page.select_one(f'.error-summary a[href="#{field}"]') is not None
    if field != "note":
        assert textarea_value(page.find(id="note")) == "Min anteckning", "what was typed is still there"
    assert read(lambda: db.session.scalar(select(Step))) is None, "nothing was saved"


def test_a_step_cannot_be_put_under_someone_elses_goal(signed_in, build, read, world):
    theirs = build(factories.goal, world.q)
    response = signed_in.post_form("/plan/steps/new", {"text": "Ett steg", "goal": str(theirs)})
    assert response.status_code == 422
    assert 'id="goal-error"' in response.get_data(as_text=True)
    assert read(lambda: db.session.scalar(select(Step))) is None


def test_a_goal_longer_than_the_limit_is_refused_and_kept(signed_in, read):
    text = "Mitt mål " + "ä" * 300
    response = signed_in.post_form("/plan/goals/new", {"text": text})
    assert response.status_code == 422
    assert text in response.get_data(as_text=True)
    assert read(lambda: db.session.scalar(select(Goal))) is None


def test_participant_edits_a_step_and_moves_it_to_another_goal(signed_in, build, read, world):
    first, second = build(factories.goal, world.p, "Mål ett"), build(factories.goal, world.p, "Mål två", 2)
    step = build(factories.step, world.p, first)
    form = signed_in.get(f"/plan/steps/{step}/edit")
    assert form.status_code == 200 and "Ringa Arbetsförmedlingen" in form.get_data(as_text=True)
    prefix = f"edit-step-{step.hex[:8]}-"
    response = signed_in.post_form(f"/plan/steps/{step}/edit", {
        prefix + "text": "Ringa AF på måndag", prefix + "status": "doing", prefix + "goal": str(second), prefix + "helper": "",
        prefix + "base_version": "1",  # the version the form was loaded with
    })
    assert response.status_code == 303
    saved = read(lambda: db.session.get(Step, step))
    assert (saved.text, saved.status, saved.goal_id) == ("Ringa AF på måndag", StepStatus.DOING, second)


def test_one_tap_moves_a_step_forward_and_marks_it_done(signed_in, build, read, world):
    step = build(factories.step, world.p, build(factories.goal, world.p))
    signed_in.post_form(f"/plan/steps/{step}/status", {"status": "doing"})
    signed_in.post_form(f"/plan/steps/{step}/status", {"status": "done"})
    assert read(lambda: db.session.get(Step, step).status) == StepStatus.DONE


def test_unknown_status_is_a_bad_request(signed_in, build, read, world):
    step = build(factories.step, world.p, build(factories.goal, world.p))
    assert signed_in.post_form(f"/plan/steps/{step}/status", {"status": "finished"}).status_code == 400
    assert read(lambda: db.session.get(Step, step).status) == StepStatus.NOT_STARTED


def test_steps_are_reordered_with_buttons(signed_in, build, read, world):
    goal = build(factories.goal, world.p)
    a = build(factories.step, world.p, goal, "A", 1)
    build(factories.step, world.p, goal, "B", 2)
    build(factories.step, world.p, goal, "C", 3)
    signed_in.post_form(f"/plan/steps/{a}/move", {"direction": "down"})
    assert [t for t, *_ in _steps(read, world.p)] == ["B", "A", "C"]
    signed_in.post_form(f"/plan/steps/{a}/move", {"direction": "down"})
    signed_in.post_form(f"/plan/steps/{a}/move", {"direction": "down"})  # already last: nothing happens
    assert [t for t, *_ in _steps(read, world.p)] == ["B", "C", "A"]
    page = signed_in.get("/plan").get_data(as_text=True)
    assert page.index(">B<") < page.index(">C<") < page.index(">A<")


def test_goals_are_reordered_with_buttons(signed_in, build, read, world):
    first = build(factories.goal, world.p, "Första", 1)
    build(factories.goal, world.p, "Andra", 2)
    signed_in.post_form(f"/plan/goals/{first}/move", {"direction": "down"})
    page = signed_in.get("/plan").get_data(as_text=True)
    assert page.index("Andra") < page.index("Första")


def test_a_deleted_step_can_be_brought_back(signed_in, build, read, world):
    step = build(factories.step, world.p, build(factories.goal, world.p), "Gå till gymmet")
    response = signed_in.post_form(f"/plan/steps/{step}/delete")
    assert response.headers["Location"] == f"/plan?deleted=step:{step}#undo"
    page = signed_in.get(f"/plan?deleted=step:{step}").get_data(as_text=True)
    assert f'action="/plan/steps/{step}/restore"' in page
    assert "Gå till gymmet" in page  # named in the undo message only
    assert f'id="step-{step}"' not in page
    signed_in.post_form(f"/plan/steps/{step}/restore")
    assert f'id="step-{step}"' in signed_in.get("/plan").get_data(as_text=True)


def test_deleting_a_goal_hides_its_steps_until_undone(signed_in, build, read, world):
    goal = build(factories.goal, world.p)
    step = build(factories.step, world.p, goal)
    signed_in.post_form(f"/plan/goals/{goal}/delete")
    assert f'id="step-{step}"' not in signed_in.get("/plan").get_data(as_text=True)
    signed_in.post_form(f"/plan/goals/{goal}/restore")
    assert f'id="step-{step}"' in signed_in.get("/plan").get_data(as_text=True)


def test_plan_can_be_marked_ready_only_with_a_step_and_the_date_is_kept(signed_in, build, read, world):
    response = signed_in.post_form("/plan/ready")
    assert response.status_code == 422
    assert read(lambda: db.session.get(Participation, world.p.participation_id).plan_ready_on) is None
    build(factories.step, world.p, build(factories.goal, world.p))
    assert signed_in.post_form("/plan/ready").status_code == 303
    assert read(lambda: db.session.get(Participation, world.p.participation_id).plan_ready_on) == clock.today()


def test_plan_is_completed_only_after_it_is_ready(signed_in, build, read, world):
    build(factories.step, world.p, build(factories.goal, world.p))
    assert signed_in.post_form("/plan/completed").status_code == 422
    signed_in.post_form("/plan/ready")
    signed_in.post_form("/plan/completed")
    participation = read(lambda: db.session.get(Participation, world.p.participation_id))
    assert participation.plan_completed_on == clock.today()
    signed_in.post_form("/plan/not-completed")
    assert read(lambda: db.session.get(Participation, world.p.participation_id).plan_completed_on) is None


def test_a_coach_suggestion_joins_the_plan_only_when_accepted(signed_in, build, read, world):
    goal = build(factories.goal, world.p)
    suggestion = build(factories.step, world.p, goal, "Gå på jobbmässan", state=StepState.SUGGESTED, suggested_by=world.coach)
    page = signed_in.get("/plan").get_data(as_text=True)
    assert 'id="suggestions"' in page and f'id="step-{suggestion}"' not in page
    assert signed_in.post_form("/plan/ready").status_code == 422, "a suggestion is not a step in the plan"
    signed_in.post_form(f"/plan/suggestions/{suggestion}/accept")
    assert read(lambda: db.session.get(Step, suggestion).state) == StepState.IN_PLAN
    assert f'id="step-{suggestion}"' in signed_in.get("/plan").get_data(as_text=True)


def test_a_declined_suggestion_stays_out_of_the_plan(signed_in, build, read, world):
    suggestion = build(factories.step, world.p, None, "Gå på jobbmässan", state=StepState.SUGGESTED, suggested_by=world.coach)
    signed_in.post_form(f"/plan/suggestions/{suggestion}/decline")
    assert read(lambda: db.session.get(Step, suggestion).state) == StepState.DECLINED
    assert "Gå på jobbmässan" not in signed_in.get("/plan").get_data(as_text=True)
    assert signed_in.post_form(f"/plan/suggestions/{suggestion}/accept").status_code == 404


def test_user_text_is_escaped_and_marked_for_its_own_direction(signed_in, build, world):
    build(factories.goal, world.p, '<script>alert("x")</script> یاد گرفتن')
    page = signed_in.get("/plan").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    title = parse(page).select_one(".goal__title")
    assert title.get("dir") == "auto"


def _button_names(page, selector: str) -> list[str]:
    """What a screen reader's list of buttons says: the aria-label, or the text with what is hidden."""
    return [button.get("aria-label") or " ".join(button.get_text().split()) for button in page.select(selector)]


def test_every_button_on_the_plan_says_what_it_acts_on(signed_in, world, build):
    """In a screen reader's list of buttons, two steps' buttons are told apart ("Delete: Ring AF",
    "Delete: Write a CV"), and the visible label is where the name starts (WCAG 2.5.3)."""
    signed_in.post_form("/language", {"lang": "en", "next": "/plan"})
    goal = build(factories.goal, world.p, "Bli undersköterska")
    build(factories.goal, world.p, "Ta körkort")
    build(factories.step, world.p, goal, "Ring AF")
    build(factories.step, world.p, goal, "Write a CV", position=2)
    build(factories.step, world.p, goal, "Läsa vårdkursen", suggested_by=world.coach, state=StepState.SUGGESTED)
    page = parse(signed_in.get("/plan").get_data(as_text=True))
    names = _button_names(page, ".step button, .goal button")
    assert not {name for name in names if names.count(name) > 1}, names
    assert {"Delete: Ring AF", "Delete: Write a CV", "Move down: Ring AF", "Move up: Write a CV",
            "Delete the goal: Ta körkort", "Add to my plan: Läsa vårdkursen", "No, thanks: Läsa vårdkursen"} <= set(names)
    links = _button_names(page, ".goal .add-slot a, .goal details a")
    assert {"+ Add a step: Bli undersköterska", "+ Add a step: Ta körkort", "Edit the text: Ta körkort"} <= set(links)
    assert not {name for name in links if links.count(name) > 1}, links
