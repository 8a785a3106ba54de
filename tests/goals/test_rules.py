"""The rule catalogue: Norrskan's and Vägar's goals as rules, and which combinations are refused."""

from __future__ import annotations

from webapp.goals import demo, rules
from webapp.goals.rules import COMPLETED, ENDED, HELPER, PLAN_COMPLETED, PLAN_READY, agrees, answered, outcome_in
from webapp.models import GoalKind


def _rules(goal):
    return rules.goal_rules(goal.kind, goal.population, goal.condition, goal.item_key, ",".join(goal.outcomes))


def test_norrskans_goals_read_as_the_application_says():
    g1, g2, g3, g4, g5 = (_rules(goal) for goal in demo.NORRSKAN)
    work_or_education = outcome_in(["employment", "supported_employment", "own_business", "studies",
                                    "labour_market_training"])
    assert g1.denominator == {ENDED, PLAN_COMPLETED} and g1.numerator == {ENDED, PLAN_COMPLETED, work_or_education}
    assert g1.due is None
    chances = "chances_increased"
    assert g2.denominator == {ENDED, answered(chances)}
    assert g2.numerator == {ENDED, answered(chances), agrees(chances)}
    assert g2.due == {ENDED}
    knows = "knows_requirements"
    assert g3.denominator == {ENDED, COMPLETED, answered(knows)} and g3.due == {ENDED, COMPLETED}
    assert g4.denominator == frozenset() and g4.numerator == {PLAN_READY}
    assert g5.numerator == {HELPER}


def test_vagars_goals_are_counts():
    participants, good_exits = (_rules(goal) for goal in demo.VAGAR)
    assert participants.numerator == participants.denominator == frozenset()
    assert ENDED in good_exits.numerator and len(good_exits.numerator) == 2


def test_a_survey_rule_needs_its_item():
    found = rules.problems(GoalKind.SHARE, "answered_item", "agrees", None, (), 80)
    assert set(found) == {"item_key"}
    found = rules.problems(GoalKind.SHARE, "ended", "agrees", "not_an_item", (), 80)
    assert set(found) == {"item_key"}


def test_a_share_needs_a_condition_and_a_percentage():
    assert set(rules.problems(GoalKind.SHARE, "all", "none", None, (), 50)) == {"condition"}
    assert set(rules.problems(GoalKind.SHARE, "all", "plan_ready", None, (), 101)) == {"target"}
    assert set(rules.problems(GoalKind.SHARE, "all", "plan_ready", None, (), 0)) == {"target"}
    assert rules.problems(GoalKind.SHARE, "all", "plan_ready", None, (), 100) == {}


def test_a_count_needs_a_positive_number_and_may_count_everyone():
    assert rules.problems(GoalKind.COUNT, "all", "none", None, (), 210) == {}
    assert set(rules.problems(GoalKind.COUNT, "all", "none", None, (), 0)) == {"target"}


def test_an_outcome_rule_needs_outcomes():
    assert set(rules.problems(GoalKind.COUNT, "ended", "outcome_in", None, (), 125)) == {"outcomes"}


def test_every_rule_has_words():
    for rule in [*rules.POPULATIONS.values(), *rules.CONDITIONS.values()]:
        assert str(rule.label._args[0]).strip(), rule.key
