"""The goal report (måluppföljning): each goal of a project, for the whole project or one coach's
own participants, over a period, split by gender, age band and municipality, with small counts
suppressed. No request objects here: the pages, the exports and the benchmark call build_report().

Which participations count for a period is documented in webapp/goals/rules.py. In short: all
participations that were in the project at some time during the period; end-based figures count
those that ended within it; dated facts stand as at the period's last day.

Age is the age reached in the year the period ends (we store the birth year only). The bands are
16–24, 25–54 and 55–64; anyone outside 16–64 (a participant who turned 65 during a long period,
or a birth year typed wrong) is counted in a band of their own, "other age", so that every split
adds up to the same total.

How it is computed: one SQL query per report. A derived table holds one row per participation in
the period with the facts the goals use: "a step names who helps" is one look-up per participation
in a partial index of only such steps (ix_steps_with_helper), and each exit answer is a join that
finds at most one row (one exit response per participation, one answer per item). The outer query
groups it by gender, birth year and municipality and counts every figure with SUM(CASE …). Python
receives at most a few thousand grouped rows, never the participations themselves. A scan of the
project's participations is what it costs: about 0.45 s for 100 000 on SQLite, 0.3 s on PostgreSQL
on the reference machine (see `make bench-report`).
"""

from __future__ import annotations

import datetime as dt
import operator
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import and_, case, func, or_, select, text
from sqlalchemy.orm import aliased

from webapp.extensions import db
from webapp.goals import rules
from webapp.goals.suppression import SHOWN, WITHHELD, Model, percent_shown
from webapp.models import (
    EndReason,
    Gender,
    GoalKind,
    Municipality,
    Occasion,
    Participation,
    Project,
    ProjectGoal,
    Step,
    SurveyAnswer,
    SurveyResponse,
)
from webapp.models.plan import STEP_WITH_HELPER

GENDERS = [
    (Gender.WOMAN.value, _l("Women")),
    (Gender.MAN.value, _l("Men")),
    # Translators: a row in the report's tables, next to "Women" and "Men" (plural).
    (Gender.NON_BINARY.value, lazy_pgettext("report", "Non-binary")),
    (Gender.NOT_STATED.value, _l("Gender not stated")),
]
AGE_BANDS = [("16-24", 16, 24, _l("16–24 years")), ("25-54", 25, 54, _l("25–54 years")),
             ("55-64", 55, 64, _l("55–64 years"))]
OTHER_AGE = "other"
AGE_LABELS = [(key, label) for key, _low, _high, label in AGE_BANDS] + [
    (OTHER_AGE, _l("Other age (under 16 or over 64)"))
]
SPLIT_TITLES = {"gender": _l("Gender"), "age": _l("Age"), "municipality": _l("Municipality")}

# Statuses, in words on every page and export (never colour alone).
MET, NOT_MET, TOO_FEW, NOT_SHOWN = "met", "not_met", "too_few", "not_shown"
STATUS_WORDS = {
    MET: _l("Met"),
    NOT_MET: _l("Not met"),
    # Translators: a goal's status when fewer people than the project's limit were counted.
    (TOO_FEW, True): _l("Too few answers to judge"),
    (TOO_FEW, False): _l("Too few participants to judge"),
    # Translators: a goal's status that would reveal a hidden small count if it were shown.
    NOT_SHOWN: _l("Not shown, so that no one can be identified"),
}


@dataclass(frozen=True)
class Period:
    """From the first to the last day, both included."""

    start: dt.date
    end: dt.date


def project_period(project: Project) -> Period:
    """The project's own first and last day."""
    return Period(project.starts_on, project.ends_on)


def default_period(project: Project, today: dt.date) -> Period:
    """The project's whole period until today (until its last day, once it has ended)."""
    return Period(project.starts_on, max(project.starts_on, min(today, project.ends_on)))


def age_band(birth_year: int, period: Period) -> str:
    age = period.end.year - birth_year
    for key, low, high, _label in AGE_BANDS:
        if low <= age <= high:
            return key
    return OTHER_AGE


# -- the figures the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A count as shown: the value only when it is shown, else None and why (small or hidden)."""

    value: int | None
    mark: str

    @property
    def shown(self) -> bool:
        return self.mark == SHOWN


@dataclass(frozen=True)
class Row:
    """One line of a table: a category, or the total. `denominator` is None for a count goal."""

    key: str
    label: object
    numerator: Figure
    denominator: Figure | None
    percent: Decimal | None


@dataclass(frozen=True)
class Split:
    key: str
    title: object
    rows: list[Row]
    total: Row


@dataclass(frozen=True)
class Response:
    """For goals on an exit item: how many answered of those whose exit survey was due."""

    answered: Figure
    due: Figure
    percent: Decimal | None


@dataclass(frozen=True)
class GoalResult:
    goal_id: int
    code: str
    title: str
    kind: GoalKind
    target: int
    population: object
    condition: object
    item: object | None
    outcomes: list
    total: Row
    status: str
    survey: bool
    response: Response | None
    splits: list[Split]


@dataclass(frozen=True)
class Report:
    project_id: int
    project_name: str
    period: Period
    threshold: int
    coach_only: bool
    participations: Figure  # in the period
    goals: list[GoalResult]
    broken: list[str]  # codes of goals whose stored rule is not in the catalogue


def status_words(result: GoalResult):
    if result.status == TOO_FEW:
        return STATUS_WORDS[(TOO_FEW, result.survey)]
    return STATUS_WORDS[result.status]


def percent(numerator: int, denominator: int) -> Decimal:
    """A share in percent with one decimal, rounded half up (as people round)."""
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# -- SQL ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose participations: a project's, or only those one coach coaches in it."""

    project_id: int
    coach_id: uuid.UUID | None = None

    def where(self) -> list:
        found = [Participation.project_id == self.project_id]
        if self.coach_id is not None:
            found.append(Participation.coach_id == self.coach_id)
        return found


def facts_query(scope: Scope, period: Period, items: list[str], helper: bool):
    """One row per participation in the period with the facts the rules read (a derived table).

    "A step names who helps" is one look-up per participation in an index of only such steps
    (ix_steps_with_helper). The exit answers are joined one item at a time: a participation has
    at most one exit response (the exit survey has one round, 0) and a response one answer per
    item, so every join finds at most one row and nothing needs grouping.
    """
    p = Participation
    columns = [p.gender, p.birth_year, p.municipality_id, p.ended_on, p.end_reason, p.exit_outcome,
               p.plan_ready_on, p.plan_completed_on]
    if helper:
        columns.append(case((_has_helper(p), 1), else_=0).label("helper"))
    joins = []
    if items:
        response = aliased(SurveyResponse)
        joins.append((response, and_(response.participation_id == p.id, response.occasion == Occasion.EXIT,
                                     response.round == 0, response.submitted_at.is_not(None))))
        for n, item in enumerate(items):
            answer = aliased(SurveyAnswer)
            columns.append(answer.value_int.label(f"a{n}"))
            joins.append((answer, and_(answer.response_id == response.id, answer.item_key == item,
                                       answer.skipped.is_(False), answer.value_int.is_not(None))))
    query = select(*columns).select_from(p)
    for table, on in joins:
        query = query.outerjoin(table, on)
    return query.where(
        *scope.where(), p.enrolled_on <= period.end, or_(p.ended_on.is_(None), p.ended_on >= period.start)
    )


def _has_helper(participation):
    """Whether the participation has a step in the plan (not deleted) that names who helps.

    The condition is the partial index's own (webapp.models.plan.STEP_WITH_HELPER), written into
    the SQL, not bound: PostgreSQL matches a partial index's condition when it plans, and
    "parameterized query clauses do not work with a partial index" (its manual, 11.8); a prepared
    statement's generic plan would not use it. Its bare column names are the steps' (the innermost
    table comes first).
    """
    return (
        select(Step.participation_id)  # in the index: nothing read from the table
        .where(Step.participation_id == participation.id, text(STEP_WITH_HELPER))
        .exists()
    )


def atom_sql(atom: tuple, facts, period: Period, items: list[str]):
    """One atom of a rule as a condition on the facts table."""
    kind = atom[0]
    if kind == "ended":
        return facts.c.ended_on.between(period.start, period.end)
    if kind == "completed":
        return facts.c.end_reason == EndReason.COMPLETED
    if kind == "plan_completed":
        return facts.c.plan_completed_on <= period.end
    if kind == "plan_ready":
        return facts.c.plan_ready_on <= period.end
    if kind == "helper":
        return facts.c.helper == 1
    if kind == "outcome":
        return facts.c.exit_outcome.in_(atom[1])
    answer = facts.c[f"a{items.index(atom[1])}"]
    if kind == "answered":
        return answer.is_not(None)
    if kind == "agrees":
        return answer >= rules.AGREE_FROM
    raise ValueError(f"unknown atom {atom!r}")


def rule_sql(rule: frozenset, facts, period: Period, items: list[str]):
    """SUM(CASE WHEN all atoms THEN 1 ELSE 0 END); a rule without atoms is everyone."""
    if not rule:
        return func.count()
    conditions = [atom_sql(atom, facts, period, items) for atom in sorted(rule)]
    return func.coalesce(func.sum(case((and_(*conditions), 1), else_=0)), 0)


@dataclass
class Counts:
    total: int
    by: dict[str, dict[str, int]]


def count_rules(scope: Scope, period: Period, measures: list[frozenset]) -> list[Counts]:
    """Every measure's total and splits, in one query grouped by gender, birth year and municipality."""
    items = sorted({atom[1] for rule in measures for atom in rule if atom[0] == "answered"})
    helper = any(rules.HELPER in rule for rule in measures)
    facts = facts_query(scope, period, items, helper).subquery()
    keys = (facts.c.gender, facts.c.birth_year, facts.c.municipality_id)
    query = select(*keys, *(rule_sql(rule, facts, period, items) for rule in measures)).group_by(*keys)
    # Sum the groups' rows per split, a whole row of measures at a time (a report has about a
    # hundred measures and a project some thousand groups: element by element was most of its time).
    totals = [0] * len(measures)
    sums: dict[str, dict[str, list[int]]] = {"gender": {}, "age": {}, "municipality": {}}
    for gender, birth_year, municipality_id, *row in db.session.execute(query):
        values = list(map(int, row))
        totals = list(map(operator.add, totals, values))
        where = (("gender", str(gender)), ("age", age_band(birth_year, period)), ("municipality", str(municipality_id)))
        for split, key in where:
            known = sums[split].get(key)
            sums[split][key] = values if known is None else list(map(operator.add, known, values))
    return [
        Counts(total, {split: {key: row[index] for key, row in by_key.items()} for split, by_key in sums.items()})
        for index, total in enumerate(totals)
    ]


# -- from counts to the suppressed report ---------------------------------------------------------


def _implies(atom: tuple, wanted: tuple) -> bool:
    if atom == wanted:
        return True
    return atom[0] == wanted[0] == "outcome" and set(atom[1]) <= set(wanted[1])


def within(part: frozenset, whole: frozenset) -> bool:
    """Whether everyone counted by `part` is counted by `whole` (its atoms imply all of whole's)."""
    return part != whole and all(any(_implies(a, w) for a in part) for w in whole)


@dataclass
class _Measure:
    rule: frozenset
    splits: bool
    total: int = -1
    cells: dict | None = None  # {split: {category: count id}}


def _categories(municipalities: list[tuple[str, str]]) -> dict[str, list[tuple[str, object]]]:
    return {"gender": GENDERS, "age": AGE_LABELS, "municipality": municipalities}


def _model(measures: list[_Measure], counts: list[Counts], categories, threshold: int) -> Model:
    """The suppression model: each measure's total and split cells, its lines, and part-of relations."""
    model = Model(threshold)
    for measure, counted in zip(measures, counts, strict=True):
        measure.total = model.count(counted.total, total=True)
        if measure.splits:
            measure.cells = {}
            for split, options in categories.items():
                cells = {key: model.count(counted.by[split].get(key, 0)) for key, _label in options}
                measure.cells[split] = cells
                model.add_line(measure.total, cells.values())
    for part in measures:
        for whole in measures:
            if not within(part.rule, whole.rule):
                continue
            # Only the nearest whole: the rest follows through it (fewer relations to check).
            if not any(within(part.rule, m.rule) and within(m.rule, whole.rule) for m in measures):
                model.add_part(part.total, whole.total)
            if part.cells and whole.cells and not any(
                m.cells and within(part.rule, m.rule) and within(m.rule, whole.rule) for m in measures
            ):
                for split, cells in part.cells.items():
                    for key, count_id in cells.items():
                        model.add_part(count_id, whole.cells[split][key])
    return model


def _figure(model: Model, count_id: int) -> Figure:
    mark = model.marks[count_id]
    return Figure(model.values[count_id] if mark == SHOWN else None, mark)


def _row(model: Model, key: str, label, numerator: int, denominator: int | None) -> Row:
    num = _figure(model, numerator)
    if denominator is None:
        return Row(key, label, num, None, None)
    den = _figure(model, denominator)
    value = (percent(model.values[numerator], model.values[denominator])
             if percent_shown(num.mark, den.mark, model.values[denominator]) else None)
    return Row(key, label, num, den, value)


def _status(kind: GoalKind, target: int, model: Model, bounds, num: int, den: int) -> str:
    """Met / not met when what is shown decides it; a status never tells more than the figures."""
    lo, hi = bounds
    if kind is GoalKind.COUNT:
        if lo[num] >= target:
            return MET
        return NOT_MET if hi[num] < target else NOT_SHOWN
    if model.marks[den] == WITHHELD:
        return NOT_SHOWN  # not even "too few": a withheld count tells nothing
    if model.values[den] < model.threshold:
        return TOO_FEW
    if lo[num] * 100 >= target * hi[den]:
        return MET
    if hi[num] * 100 < target * lo[den]:
        return NOT_MET
    return NOT_SHOWN


@dataclass(frozen=True)
class _Plan:
    goal: ProjectGoal
    rules: rules.GoalRules


def project_goals(project_id: int) -> list[ProjectGoal]:
    return list(db.session.scalars(
        select(ProjectGoal).where(ProjectGoal.project_id == project_id).order_by(ProjectGoal.position, ProjectGoal.id)
    ))


def _plans(goals: list[ProjectGoal]) -> tuple[list[_Plan], list[str]]:
    plans, broken = [], []
    for goal in goals:
        outcomes = rules.outcome_values(goal.outcomes)
        if goal.population not in rules.POPULATIONS or goal.condition not in rules.CONDITIONS or rules.problems(
            goal.kind, goal.population, goal.condition, goal.item_key, outcomes, goal.target
        ):
            broken.append(goal.code)
            continue
        plans.append(_Plan(goal, rules.goal_rules(goal.kind, goal.population, goal.condition, goal.item_key,
                                                  goal.outcomes)))
    return plans, broken


def build_report(project: Project, period: Period, coach_id: uuid.UUID | None = None) -> Report:
    """The project's goals over the period (a coach: only the participations they coach)."""
    plans, broken = _plans(project_goals(project.id))
    municipalities = [
        (str(m.id), m.name) for m in db.session.scalars(
            select(Municipality).where(Municipality.project_id == project.id).order_by(Municipality.name)
        )
    ]
    measures: dict[frozenset, _Measure] = {frozenset(): _Measure(frozenset(), False)}

    def use(rule: frozenset | None, splits: bool) -> None:
        if rule is None:
            return
        measure = measures.setdefault(rule, _Measure(rule, False))
        measure.splits |= splits

    for plan in plans:
        use(plan.rules.numerator, True)
        use(plan.rules.denominator, plan.goal.kind is GoalKind.SHARE)
        use(plan.rules.due, False)
        use(plan.rules.answered, False)
    ordered = list(measures.values())
    counts = count_rules(Scope(project.id, coach_id), period, [m.rule for m in ordered])
    categories = _categories(municipalities)
    model = _model(ordered, counts, categories, project.suppression_threshold)
    model.protect()
    bounds = model.bounds() or ([0] * len(model.values), [float("inf")] * len(model.values))
    results = [_result(plan, measures, model, bounds, categories) for plan in plans]
    return Report(project.id, project.name, period, project.suppression_threshold, coach_id is not None,
                  _figure(model, measures[frozenset()].total), results, broken)


def _result(plan: _Plan, measures: dict, model: Model, bounds, categories) -> GoalResult:
    goal, goal_rules = plan.goal, plan.rules
    share = goal.kind is GoalKind.SHARE
    num, den = measures[goal_rules.numerator], measures[goal_rules.denominator] if share else None
    total = _row(model, "total", _l("Total"), num.total, den.total if den else None)
    splits = []
    for split, options in categories.items():
        rows = [_row(model, key, label, num.cells[split][key], den.cells[split][key] if den else None)
                for key, label in options]
        splits.append(Split(split, SPLIT_TITLES[split], rows, total))
    response = None
    if goal_rules.due is not None:
        answered, due = measures[goal_rules.answered].total, measures[goal_rules.due].total
        answered_figure, due_figure = _figure(model, answered), _figure(model, due)
        rate = (percent(model.values[answered], model.values[due])
                if percent_shown(answered_figure.mark, due_figure.mark, model.values[due]) else None)
        response = Response(answered_figure, due_figure, rate)
    population, condition = rules.POPULATIONS[goal.population], rules.CONDITIONS[goal.condition]
    return GoalResult(
        goal_id=goal.id, code=goal.code, title=goal.title, kind=goal.kind, target=goal.target,
        population=population.label, condition=condition.label,
        item=rules.EXIT_ITEMS.get(goal.item_key) if population.needs_item or condition.needs_item else None,
        outcomes=list(rules.outcome_values(goal.outcomes)) if condition.needs_outcomes else [],
        total=total, status=_status(goal.kind, goal.target, model, bounds, num.total, den.total if den else None),
        survey=goal_rules.due is not None, response=response, splits=splits,
    )
