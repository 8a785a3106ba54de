"""Plan services on their own, without requests."""

from __future__ import annotations

import pytest

from tests import factories
from webapp import clock
from webapp.extensions import db
from webapp.models import Participation, Step, StepState, StepStatus
from webapp.plan import services
from webapp.plan.services import StepData


def _participation(person) -> Participation:
    return db.session.get(Participation, person.participation_id)


def test_plan_view_groups_steps_under_goals_and_keeps_suggestions_apart(app_context, world):
    first = factories.goal(world.p, "Ett", 1)
    second = factories.goal(world.p, "Två", 2)
    factories.step(world.p, second, "b", 1)
    factories.step(world.p, first, "a", 1)
    factories.step(world.p, None, "lös", 1)
    factories.step(world.p, first, "förslag", 2, state=StepState.SUGGESTED, suggested_by=world.coach)
    factories.step(world.p, first, "nej", 3, state=StepState.DECLINED, suggested_by=world.coach)
    factories.step(world.q, None, "någon annans", 1)
    view = services.plan_view(_participation(world.p))
    assert [(g.goal.text, [s.text for s in g.steps]) for g in view.goals] == [("Ett", ["a"]), ("Två", ["b"])]
    assert [s.text for s in view.loose_steps] == ["lös"]
    assert [s.text for s in view.suggestions] == ["förslag"]
    assert view.step_count == 3


def test_new_steps_go_last_in_their_goal(app_context, world):
    participation = _participation(world.p)
    goal = services.add_goal(participation, "Mål")
    first = services.add_step(participation, goal, StepData("ett"))
    second = services.add_step(participation, goal, StepData("två"))
    assert second.position > first.position


def test_moving_renumbers_so_equal_positions_still_move(app_context, world):
    goal = factories.goal(world.p)
    factories.step(world.p, goal, "a", 1)
    factories.step(world.p, goal, "b", 1)  # same position, e.g. from an old import
    participation = _participation(world.p)
    before = [s.text for s in services.plan_view(participation).goals[0].steps]
    second = services.plan_view(participation).goals[0].steps[1]
    assert services.move_step(participation, second, "up") is True
    assert [s.text for s in services.plan_view(participation).goals[0].steps] == before[::-1]


def test_moving_past_the_end_does_nothing(app_context, world):
    goal = factories.goal(world.p)
    only = db.session.get(Step, factories.step(world.p, goal))
    assert services.move_step(_participation(world.p), only, "up") is False
    assert services.move_step(_participation(world.p), only, "down") is False


def test_a_step_moved_to_another_goal_goes_last_there(app_context, world):
    participation = _participation(world.p)
    first, second = services.add_goal(participation, "1"), services.add_goal(participation, "2")
    services.add_step(participation, second, StepData("redan där"))
    step = services.add_step(participation, first, StepData("flyttas"))
    services.update_step(step, StepData("flyttas", status=StepStatus.DOING), second, step.version)
    steps = services.plan_view(participation).goals[1].steps
    assert [s.text for s in steps] == ["redan där", "flyttas"]


def test_mark_ready_needs_a_step_in_the_plan(app_context, world):
    participation = _participation(world.p)
    factories.step(world.p, None, "förslag", state=StepState.SUGGESTED, suggested_by=world.coach)
    with pytest.raises(services.PlanError):
        services.mark_ready(participation)
    factories.step(world.p, None, "mitt")
    services.mark_ready(participation)
    assert participation.plan_ready_on == clock.today()


def test_completing_needs_a_ready_plan_and_unready_clears_both(app_context, world):
    participation = _participation(world.p)
    with pytest.raises(services.PlanError):
        services.mark_completed(participation)
    factories.step(world.p, None)
    services.mark_ready(participation)
    services.mark_completed(participation)
    services.unmark_ready(participation)
    assert (participation.plan_ready_on, participation.plan_completed_on) == (None, None)


def test_get_step_does_not_find_another_participants_step(app_context, world):
    theirs = factories.step(world.q, None)
    assert services.get_step(_participation(world.p), theirs) is None
    assert services.get_step(_participation(world.q), theirs) is not None


def test_the_other_helper_keeps_its_free_text_and_other_helpers_drop_it(app_context, world):
    participation = _participation(world.p)
    other = services.add_step(participation, None, StepData("x", helper_id=world.project.other_helper_id,
                                                            helper_other="Folkhögskolan"))
    listed = services.add_step(participation, None, StepData("y", helper_id=None, helper_other="ignoreras"))
    db.session.flush()
    db.session.refresh(other)
    assert other.helper_label == "Folkhögskolan"
    assert listed.helper_other is None and listed.helper_label is None
