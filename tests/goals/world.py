"""The goal report's test data: 40 participations in Norrskan covering every case the goals meet.

The period is 2026-01-01 to 2026-06-30; ages are 2026 minus the birth year. Each row below says
everything the goals read, so the expected figures in test_report.py can be counted by hand.

Steps: H a step in the plan naming who helps, N in the plan without a helper, S a coach's
suggestion with a helper (not in the plan), D a deleted step with a helper, X a declined
suggestion with a helper. Exit: (chances_increased, knows_requirements) of a submitted exit
response; "skip" is a skipped answer, None an answer without a value; "unsent" a response that
was not submitted; "follow-up" the items answered at a follow-up, not at the exit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from tests import factories
from webapp import clock
from webapp.extensions import db
from webapp.goals import demo
from webapp.models import (
    EndReason,
    Gender,
    InterruptionCause,
    Municipality,
    Occasion,
    Outcome,
    Participation,
    Project,
    Role,
    Step,
    StepState,
    SurveyAnswer,
    SurveyResponse,
    User,
)

D = dt.date
PERIOD = (D(2026, 1, 1), D(2026, 6, 30))
W, M, NB, NS = Gender.WOMAN, Gender.MAN, Gender.NON_BINARY, Gender.NOT_STATED
FULL, CUT = EndReason.COMPLETED, EndReason.INTERRUPTED  # fullföljt, avbrutet
OUT = Outcome


@dataclass(frozen=True)
class Person:
    key: str
    gender: Gender
    born: int
    town: str  # "P" Piteå, "A" Arvidsjaur
    enrolled: dt.date
    ended: dt.date | None = None
    reason: EndReason | None = None
    outcome: Outcome | None = None
    ready: dt.date | None = None
    completed: dt.date | None = None
    steps: str = ""
    exit: object = None  # (chances, knows), "unsent" (with answers 5, 5), "follow-up", or None


PEOPLE = [
    # Outside the period: started after it, or ended before it. They count nowhere.
    Person("o1", W, 1990, "P", D(2026, 7, 15), ready=D(2026, 7, 20), steps="H"),
    Person("o2", M, 1985, "A", D(2025, 2, 1), D(2025, 12, 20), FULL, OUT.EMPLOYMENT, D(2025, 3, 1), D(2025, 12, 1), "H",
           (5, 5)),
    # In the project, not ended.
    Person("b1", W, 2000, "P", D(2025, 6, 1), ready=D(2025, 7, 1), steps="H"),
    Person("b2", W, 2005, "P", D(2026, 2, 1), ready=D(2026, 3, 1), steps="N"),
    Person("b3", M, 1970, "A", D(2025, 9, 1), steps="S"),
    Person("b4", M, 1995, "P", D(2026, 1, 10), ready=D(2026, 8, 1), steps="D"),  # ready after the period
    Person("b5", NB, 1999, "A", D(2025, 11, 1), ready=D(2025, 12, 1), steps="HN"),
    Person("b6", NS, 1960, "P", D(2025, 5, 1), ready=D(2025, 6, 1), steps="X"),  # 66: other age
    Person("b7", W, 2011, "P", D(2026, 6, 30)),  # 15: other age; started on the last day
    Person("b8", M, 1990, "P", D(2025, 1, 5), ready=D(2025, 2, 1), steps="H"),
    Person("b9", W, 1980, "A", D(2025, 10, 10), ready=D(2025, 11, 1), steps="H"),
    Person("b10", M, 2003, "A", D(2026, 4, 1), steps="N"),
    # Reopened: an exit answer exists but the participation has not ended, so it does not count.
    Person("b11", W, 1975, "P", D(2025, 12, 1), ready=D(2026, 1, 15), steps="H", exit=(5, 5)),
    Person("b12", M, 1988, "P", D(2026, 3, 1), ready=D(2026, 3, 20), steps="HH"),
    Person("b13", W, 1986, "A", D(2026, 5, 1), steps="H"),
    Person("b14", M, 2006, "P", D(2026, 1, 20), ready=D(2026, 2, 20), steps="H"),
    Person("b15", NB, 1972, "P", D(2025, 8, 20), ready=D(2025, 9, 20), steps="N"),  # 54: still 25–54
    Person("b16", W, 2002, "A", D(2026, 3, 15), ready=D(2026, 4, 15), steps="H"),  # 24: still 16–24
    # Ended after the period: in "all participations", not in the ended ones; the answer waits.
    Person("d1", W, 1992, "P", D(2025, 8, 1), D(2026, 7, 10), FULL, OUT.EMPLOYMENT, D(2025, 9, 1), D(2026, 6, 1), "H",
           (5, 5)),
    Person("d2", M, 1965, "A", D(2025, 3, 1), D(2026, 8, 1), CUT, OUT.SICK_LEAVE_OR_REHABILITATION),
    # Ended within the period.
    Person("e1", W, 1990, "P", D(2025, 4, 1), D(2026, 2, 15), FULL, OUT.EMPLOYMENT, D(2025, 5, 1), D(2026, 2, 1), "H",
           (5, 4)),
    Person("e2", W, 1985, "P", D(2025, 6, 1), D(2026, 3, 31), FULL, OUT.STUDIES, D(2025, 7, 1), D(2026, 3, 15), "H",
           (4, 5)),
    Person("e3", M, 1979, "A", D(2025, 5, 1), D(2026, 1, 1), FULL, OUT.SUPPORTED_EMPLOYMENT, D(2025, 6, 1),
           D(2025, 12, 15), "H", (3, 2)),  # ended on the first day
    Person("e4", M, 2001, "P", D(2025, 9, 1), D(2026, 6, 30), FULL, OUT.LABOUR_MARKET_TRAINING, D(2025, 10, 1),
           D(2026, 6, 30), "N", (2, 4)),  # ended and plan completed on the last day
    Person("e5", W, 1996, "A", D(2025, 3, 1), D(2026, 4, 20), FULL, OUT.JOB_SEEKING, D(2025, 4, 1), D(2026, 4, 1), "H",
           ("skip", 4)),
    Person("e6", M, 1983, "P", D(2025, 7, 1), D(2026, 5, 5), FULL, OUT.UNKNOWN, D(2025, 8, 1), D(2026, 5, 1), "H",
           (4, None)),  # outcome unknown; an answer without a value
    Person("e7", W, 1970, "P", D(2025, 8, 1), D(2026, 2, 28), FULL, OUT.OWN_BUSINESS, D(2025, 9, 1), None, "H",
           "unsent"),
    Person("e8", NB, 2004, "P", D(2025, 10, 1), D(2026, 3, 10), FULL, OUT.STUDIES, D(2025, 11, 1), D(2026, 7, 15), "H"),
    Person("e9", M, 1962, "A", D(2025, 2, 1), D(2026, 1, 20), CUT, OUT.EMPLOYMENT, D(2025, 3, 1), D(2026, 1, 10), "H",
           (5, 1)),  # 64: still 55–64
    Person("e10", W, 1998, "P", D(2025, 11, 1), D(2026, 4, 30), CUT, OUT.SICK_LEAVE_OR_REHABILITATION, None, None, "S",
           (1, 3)),
    Person("e11", NS, 1994, "A", D(2025, 12, 1), D(2026, 6, 1), CUT, OUT.OTHER, D(2026, 1, 1), None, "N", "follow-up"),
    Person("e12", W, 2002, "P", D(2026, 1, 15), D(2026, 5, 15), FULL, OUT.EMPLOYMENT, D(2026, 2, 1), D(2026, 5, 1), "H",
           (5, 5)),
    Person("e13", M, 1991, "P", D(2025, 4, 1), D(2026, 3, 1), FULL, OUT.UNKNOWN, D(2025, 5, 1), D(2026, 2, 20), "D",
           (4, 4)),
    Person("e14", W, 1987, "A", D(2025, 9, 15), D(2026, 2, 10), CUT, OUT.STUDIES, D(2025, 10, 15), None, "H", (4, 5)),
    Person("e15", M, 1968, "P", D(2025, 6, 15), D(2026, 6, 15), FULL, OUT.EMPLOYMENT, D(2025, 7, 15), D(2026, 6, 10), "H",
           (5, 4)),
    Person("e16", W, 1999, "P", D(2025, 12, 10), D(2026, 1, 31), FULL, OUT.JOB_SEEKING, D(2026, 1, 5), D(2026, 1, 25), "N",
           (3, 3)),
    Person("e17", M, 1993, "A", D(2025, 5, 20), D(2026, 3, 20), FULL, OUT.EMPLOYMENT, D(2025, 6, 20), D(2026, 3, 1), "H",
           (5, 5)),
    Person("e18", W, 1984, "P", D(2025, 7, 7), D(2026, 4, 4), FULL, OUT.STUDIES, D(2025, 8, 8), D(2026, 4, 1), "H",
           (4, 4)),
    Person("e19", W, 1978, "A", D(2025, 10, 10), D(2026, 5, 25), CUT, OUT.UNKNOWN, D(2025, 11, 11), None, "H"),
    Person("e20", M, 1997, "P", D(2026, 2, 2), D(2026, 6, 20), FULL, OUT.JOB_SEEKING, D(2026, 3, 3), D(2026, 6, 1), "H",
           (2, 2)),
]
assert len(PEOPLE) == 40


@dataclass(frozen=True)
class GoalWorld:
    project: factories.Project
    other_project: factories.Project
    leader: factories.Staff
    other_leader: factories.Staff
    coach: factories.Staff  # coaches every Piteå participant
    other_coach: factories.Staff  # coaches every Arvidsjaur participant
    coach_b: factories.Staff  # in the other project
    participants: dict[str, factories.Participant]
    goal_ids: dict[str, int]


STEP_STATES = {"H": (StepState.IN_PLAN, True, False), "N": (StepState.IN_PLAN, False, False),
               "S": (StepState.SUGGESTED, True, False), "D": (StepState.IN_PLAN, True, True),
               "X": (StepState.DECLINED, True, False)}


def add_person(project: factories.Project, coach: factories.Staff, person: Person, municipality_id: int,
               name: str | None = None) -> factories.Participant:
    """One participation exactly as the row says, with its steps and survey answers."""
    made = factories.participant(project, coach, name=name or f"Deltagare {person.key}",
                                 enrolled_on=person.enrolled, gender=person.gender)
    p = db.session.get(Participation, made.participation_id)
    p.birth_year, p.municipality_id = person.born, municipality_id
    p.plan_ready_on, p.plan_completed_on = person.ready, person.completed
    if person.ended:
        p.ended_on, p.end_reason, p.exit_outcome = person.ended, person.reason, person.outcome
        p.interruption_cause = InterruptionCause.ILLNESS if person.reason is EndReason.INTERRUPTED else None
    for n, code in enumerate(person.steps):
        state, helps, deleted = STEP_STATES[code]
        step_id = factories.step(made, None, f"Steg {n}", n + 1, state=state,
                                 helper_id=project.helper_id if helps else None,
                                 suggested_by=coach if state is not StepState.IN_PLAN else None)
        if deleted:
            db.session.get(Step, step_id).deleted_at = clock.now()
    if person.exit is not None:
        add_exit(made.participation_id, person.exit, (person.ended or person.enrolled))
    db.session.flush()
    return made


def add_exit(participation_id: uuid.UUID, answers, due_on: dt.date) -> None:
    occasion = Occasion.FOLLOW_UP if answers == "follow-up" else Occasion.EXIT
    submitted = None if answers == "unsent" else clock.now()
    values = (5, 5) if answers in ("unsent", "follow-up") else answers
    response = SurveyResponse(participation_id=participation_id, occasion=occasion, round=0,
                              questionnaire_key="stegvis-exit", questionnaire_version=1, due_on=due_on,
                              submitted_at=submitted)
    db.session.add(response)
    db.session.flush()
    for item, value in zip(("chances_increased", "knows_requirements"), values, strict=True):
        db.session.add(SurveyAnswer(response_id=response.id, item_key=item, skipped=value == "skip",
                                    value_int=None if value in ("skip", None) else value))


def build_goal_world() -> GoalWorld:
    project = factories.project("Norrskan")
    other_project = factories.project("Vägar")
    leader = factories.staff(project, "leader", "Lena Ek")
    other_leader = factories.staff(other_project, "leader", "Olle Berg")
    coach = factories.staff(project, "coach", "Maria Lund")
    other_coach = factories.staff(project, "coach", "Johan Sandberg")
    coach_b = factories.staff(other_project, "coach", "Karin Ek")
    towns = {m.name[0]: m.id for m in db.session.scalars(select(Municipality).where(Municipality.project_id == project.id))}
    participants = {}
    for person in PEOPLE:
        owner = coach if person.town == "P" else other_coach
        participants[person.key] = add_person(project, owner, person, towns[person.town],
                                              name=f"Namn{person.key.upper()} Efternamn")
    goals = demo.load(db.session.get(Project, project.id))
    # Someone in the other project, whose figures must never appear in Norrskan's.
    other = factories.participant(other_project, coach_b, name="Främling Annan")
    add_exit(other.participation_id, (5, 5), D(2026, 3, 1))
    db.session.get(Participation, other.participation_id).ended_on = None
    return GoalWorld(project, other_project, leader, other_leader, coach, other_coach, coach_b, participants,
                     {g.code: g.id for g in goals})


def project_of(people: list[Person]) -> tuple[factories.Project, factories.Staff]:
    """A project of its own with these participations (one coach, all in one municipality) and
    Norrskan's goals; returns the project and its leader."""
    project = factories.project()
    leader = factories.staff(project, "leader")
    coach = factories.staff(project, "coach")
    for person in people:
        add_person(project, coach, person, project.municipality_id)
    demo.load(db.session.get(Project, project.id))
    return project, leader


def period_query() -> str:
    return f"start={PERIOD[0].isoformat()}&end={PERIOD[1].isoformat()}"


def names_and_logins(read) -> list[str]:
    """Every participant's name and sign-in name, to look for in pages and files."""
    def collect():
        users = db.session.scalars(select(User).where(User.role == Role.PARTICIPANT))
        return [text for u in users for text in (u.name, u.login_name, u.name.split()[0])]
    return read(collect)
