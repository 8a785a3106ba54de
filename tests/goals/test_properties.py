"""Properties of whole reports on random projects: the SQL's counts hang together, and what the
report shows never reveals a small count (checked per figure by the independent reader of
test_suppression.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests import factories
from tests.goals.test_suppression import readable_values
from tests.goals.world import Person, add_person
from webapp.extensions import db
from webapp.goals import demo
from webapp.goals.report import Period, Scope, build_report, count_rules, project_goals
from webapp.goals.rules import goal_rules
from webapp.goals.suppression import SHOWN, Model
from webapp.models import EndReason, Gender, Municipality, Outcome, Project

D = dt.date
PERIOD = Period(D(2026, 1, 1), D(2026, 6, 30))

PEOPLE = st.lists(
    st.builds(
        lambda gender, born, town, ended, completed, outcome, ready, plan_done, steps, chances, knows: Person(
            "x", gender, born, town, D(2025, 6, 1),
            D(2026, 3, 1) if ended else None,
            (EndReason.COMPLETED if completed else EndReason.INTERRUPTED) if ended else None,
            outcome if ended else None,
            D(2025, 7, 1) if ready else None,
            D(2026, 2, 1) if ended and plan_done else None,
            steps,
            (chances, knows) if ended and chances is not None else None,
        ),
        st.sampled_from(list(Gender)), st.sampled_from([1960, 1975, 1990, 2004, 2012]), st.sampled_from("PA"),
        st.booleans(), st.booleans(), st.sampled_from(list(Outcome)), st.booleans(), st.booleans(),
        st.sampled_from(["", "H", "N", "S", "D", "HN"]), st.sampled_from([None, 1, 2, 3, 4, 5, "skip"]),
        st.sampled_from([None, 2, 4, 5, "skip"]),
    ),
    max_size=30,
)


def _make(people: list[Person], threshold: int) -> int:
    project = factories.project()
    coach = factories.staff(project, "coach")
    towns = {m.name[0]: m.id for m in db.session.scalars(select(Municipality).where(Municipality.project_id == project.id))}
    for person in people:
        add_person(project, coach, person, towns[person.town])
    stored = db.session.get(Project, project.id)
    stored.suppression_threshold = threshold
    demo.load(stored)
    db.session.commit()
    return project.id


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(PEOPLE, st.integers(3, 5))
def test_numerators_never_exceed_denominators_and_splits_add_up(app, people, threshold):
    with app.app_context():
        project_id = _make(people, threshold)
        for goal in project_goals(project_id):
            rules = goal_rules(goal.kind, goal.population, goal.condition, goal.item_key, goal.outcomes)
            num, den = count_rules(Scope(project_id), PERIOD, [rules.numerator, rules.denominator])
            assert num.total <= den.total
            for split in ("gender", "age", "municipality"):
                assert sum(num.by[split].values()) == num.total
                assert sum(den.by[split].values()) == den.total
                assert all(value <= den.by[split][key] for key, value in num.by[split].items())


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(PEOPLE, st.integers(3, 5))
def test_a_report_shows_no_small_count_and_nothing_hidden_can_be_worked_out(app, people, threshold):
    with app.app_context():
        project = db.session.get(Project, _make(people, threshold))
        report, model = _report_and_model(project)
    for value, mark in zip(model.values, model.marks, strict=True):
        assert not (mark == SHOWN and 0 < value < threshold)
    assert model.derivable() == []
    # Each figure alone, read by the independent reader: nothing hidden can be worked out.
    for total, cells in _figures(model):
        readable = readable_values(model.values, model.marks, total, cells, threshold)
        assert all(len(values) > 1 for values in readable.values())
    for goal in report.goals:
        for row in [goal.total, *(r for split in goal.splits for r in split.rows)]:
            if row.denominator is not None and not (row.numerator.shown and row.denominator.shown):
                assert row.percent is None
            for figure in (row.numerator, row.denominator):
                assert figure is None or (figure.value is None) != figure.shown


def _report_and_model(project):
    """The report, and the suppression model it was built from (to check the hidden counts)."""
    captured: list[Model] = []
    original = Model.protect

    def keep(model):
        captured.append(model)
        return original(model)

    Model.protect = keep
    try:
        return build_report(project, PERIOD), captured[0]
    finally:
        Model.protect = original


def _figures(model: Model):
    """Each total with the lines that add up to it."""
    by_total: dict[int, list] = {}
    for total, cells in model.sums:
        by_total.setdefault(total, []).append(list(cells))
    return by_total.items()
