"""The catalogue of goal rules: who is counted (populations) and what they must meet (conditions).

A project goal (ProjectGoal) is either the *share* of a population that meets a condition (target
in percent) or the *count* of a population that meets a condition (target a number). Both are
picked from this catalogue by key, so the report, the configuration page and the exports speak
of the same rules in the same words.

Which participations count for a period [start, end] (both days included):

- A participation is **in the period** when it started on or before the last day and had not
  ended before the first day: `enrolled_on <= end and (ended_on is null or ended_on >= start)`.
  The population "all participations" is these.
- End-based populations count the participations that **ended within the period**
  (`start <= ended_on <= end`); an end after the period belongs to a later period.
- Dated facts stand as they were at the end of the period: a plan marked ready (or completed)
  after the last day does not count. Steps are taken as the plan is now (a step has no date
  of when its "who helps" was chosen).
- An exit answer counts when its response has occasion "exit" and is submitted, and the answer
  is not skipped and has a value, and the participation ended within the period (an answer of a
  participation that was reopened waits until it ends again). Its exit survey was *due* when the
  participation ended within the period: the response rate is answered / due.

Each rule is a conjunction of *atoms* (ended, completed, answered item X …). Two rules with the
same atoms count the same people, and a rule whose atoms include another's counts a part of it;
the suppression uses both facts (webapp/goals/suppression.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from webapp.models import GoalKind, Outcome

# The exit questionnaire's agreement items (1 strongly disagree … 5 strongly agree) that goals
# can be set on: the shipped questionnaire "stegvis-exit" has these two, with these very texts
# (the same msgids as webapp/surveys/questionnaires/stegvis-exit.v1.json, so one translation).
EXIT_ITEMS = {
    "chances_increased": _l("My chances of getting a job have increased since I started."),
    "knows_requirements": _l("I know more about what employers require and what my possibilities are."),
}
AGREE_FROM = 4  # "agree" or "strongly agree" on the 1–5 scale

WORK_OR_EDUCATION = tuple(o for o in Outcome if o.is_work or o.is_education)

KINDS = {
    # Translators: a kind of project goal: "50 % of those who … have …".
    GoalKind.SHARE: _l("Share (target in percent)"),
    # Translators: a kind of project goal: "210 participants", "at least 125 who …".
    GoalKind.COUNT: _l("Number (target a number of participations)"),
}

# Atoms. A rule is a frozenset of them; ("answered", item) and ("outcome", values) carry a value.
ENDED = ("ended",)
COMPLETED = ("completed",)
PLAN_COMPLETED = ("plan_completed",)
PLAN_READY = ("plan_ready",)
HELPER = ("helper",)


def answered(item: str) -> tuple:
    return ("answered", item)


def agrees(item: str) -> tuple:
    return ("agrees", item)


def outcome_in(values) -> tuple:
    return ("outcome", tuple(sorted(str(v) for v in values)))


def closed(atoms) -> frozenset:
    """The atoms with what they imply: agreeing means answering, answering and an outcome mean ended."""
    result = set(atoms)
    for atom in list(result):
        if atom[0] == "agrees":
            result.add(answered(atom[1]))
        if atom[0] in ("agrees", "answered", "outcome", "completed"):
            result.add(ENDED)
    return frozenset(result)


@dataclass(frozen=True)
class Population:
    """Who is counted (the denominator of a share)."""

    key: str
    label: object  # lazy string: "participations that ended during the period"
    atoms: tuple = ()
    needs_item: bool = False

    def rule(self, item: str | None) -> frozenset:
        return closed(self.atoms + ((answered(item),) if self.needs_item else ()))


@dataclass(frozen=True)
class Condition:
    """What a counted participation must meet (the numerator)."""

    key: str
    label: object
    needs_item: bool = False
    needs_outcomes: bool = False
    atom: tuple | None = None  # fixed atoms; item and outcome atoms are made from the goal

    def rule(self, item: str | None, outcomes: tuple[str, ...]) -> frozenset:
        if self.needs_item:
            return closed({agrees(item)})
        if self.needs_outcomes:
            return closed({outcome_in(outcomes)})
        return closed({self.atom} if self.atom else set())


POPULATIONS = {
    p.key: p
    for p in (
        Population("all", _l("all participations during the period")),
        Population("ended", _l("participations that ended during the period"), (ENDED,)),
        Population("ended_completed", _l("participations that ended as completed during the period"),
                   (ENDED, COMPLETED)),
        Population("plan_completed_ended",
                   _l("participations whose plan is completed and that ended during the period"),
                   (ENDED, PLAN_COMPLETED)),
        Population("answered_item", _l("participations that ended during the period and answered the exit item"),
                   (ENDED,), needs_item=True),
    )
}

CONDITIONS = {
    c.key: c
    for c in (
        # Translators: the condition of a goal that only counts (e.g. "210 participants").
        Condition("none", _l("no condition: everyone counted")),
        Condition("outcome_in", _l("the outcome at the end is one of the chosen outcomes"), needs_outcomes=True),
        Condition("agrees", _l('answered "Mostly true" or "Completely true" to the exit question'), needs_item=True),
        Condition("plan_ready", _l("the participant has marked the plan as ready"), atom=PLAN_READY),
        Condition("helper_step", _l("at least one step in the plan names who helps"), atom=HELPER),
    )
}


def outcome_values(stored: str | None) -> tuple[str, ...]:
    """The goal's outcomes column ("employment,studies") as known Outcome values."""
    known = {o.value for o in Outcome}
    return tuple(v for v in (stored or "").split(",") if v in known)


@dataclass(frozen=True)
class GoalRules:
    """A goal's figures as rules: numerator, denominator and (for survey goals) who was due."""

    numerator: frozenset
    denominator: frozenset
    due: frozenset | None  # the exit survey was due: the denominator before answering
    answered: frozenset | None  # of those due, who answered the item

    @property
    def items(self) -> set[str]:
        return {atom[1] for rule in (self.numerator, self.denominator) for atom in rule if atom[0] == "answered"}


def goal_rules(kind: GoalKind, population: str, condition: str, item_key: str | None,
               outcomes: str | None) -> GoalRules:
    """The rules behind a configured goal. Assumes a combination `problems()` accepts."""
    pop, cond = POPULATIONS[population], CONDITIONS[condition]
    base = pop.rule(item_key)
    numerator = base | cond.rule(item_key, outcome_values(outcomes))
    # One can only agree with an item one answered: a survey goal counts those who answered.
    denominator = base | ({answered(item_key)} if cond.needs_item else set())
    denominator = closed(denominator)
    due = answers = None
    if pop.needs_item or cond.needs_item:
        due = frozenset(atom for atom in denominator if atom[0] != "answered")
        answers = denominator
    if kind is GoalKind.COUNT:
        denominator = numerator
    return GoalRules(numerator, denominator, due, answers)


def problems(kind: GoalKind | None, population: str | None, condition: str | None, item_key: str | None,
             outcomes: tuple[str, ...], target: int | None) -> dict[str, object]:
    """What is wrong with a combination, as {field name: message}; empty when it can be saved."""
    found: dict[str, object] = {}
    pop, cond = POPULATIONS.get(population or ""), CONDITIONS.get(condition or "")
    if (pop and pop.needs_item or cond and cond.needs_item) and item_key not in EXIT_ITEMS:
        found["item_key"] = _l("Choose the exit item this goal is about.")
    if cond and cond.needs_outcomes and not outcomes:
        found["outcomes"] = _l("Choose at least one outcome.")
    if kind is GoalKind.SHARE and cond and cond.key == "none":
        found["condition"] = _l("A share needs a condition. Choose what the participations must meet.")
    if target is not None:
        if kind is GoalKind.SHARE and not 1 <= target <= 100:
            found["target"] = _l("A share is a percentage: write a number from 1 to 100.")
        elif kind is GoalKind.COUNT and target < 1:
            found["target"] = _l("Write a number of at least 1.")
    return found
