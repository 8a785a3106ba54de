"""Demo data: the Norrskan project in Piteå and Arvidsjaur, as `flask demo` loads it.

Dates are relative to today, so the demo always looks current. Everything is made up.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from webapp import clock
from webapp.auth.services import hash_password, issue_activation_code
from webapp.consent.demo import load as load_consents
from webapp.exits.services import EndData, end_participation
from webapp.extensions import db
from webapp.goals.demo import load as load_goals
from webapp.models import (
    Activity,
    ActivityKind,
    Capacity,
    CapacityLevel,
    Comment,
    EndReason,
    Gender,
    Goal,
    Helper,
    Municipality,
    Outcome,
    Participation,
    Review,
    Role,
    Step,
    StepState,
    StepStatus,
    User,
)
from webapp.setup import create_project, create_staff
from webapp.surveys.demo import load as load_surveys

DEMO_PASSWORD = "stegvis-demo"  # noqa: S105 - printed in the README, demo only
NS, AF, FK, SOC, SFI, VARD, AG, STUD, AME, OTHER = range(10)


@dataclass
class DemoStep:
    text: str
    helper: int | None
    status: StepStatus = StepStatus.NOT_STARTED
    due_in_days: int | None = None
    note: str | None = None
    helper_other: str | None = None


@dataclass
class DemoPerson:
    login: str
    name: str
    gender: Gender
    birth_year: int
    municipality: str
    weeks_ago: int
    capacity: list[tuple[int, CapacityLevel]]  # (weeks ago, level)
    goals: list[tuple[str, list[DemoStep]]]
    kinds: list[ActivityKind]
    ready: bool = False
    completed: bool = False
    active_weeks: int = 8
    suggestion: DemoStep | None = None
    notes: list[str] = field(default_factory=list)


PEOPLE = [
    DemoPerson(
        "amina", "Amina Hassan", Gender.WOMAN, 1991, "Piteå", 10,
        [(10, CapacityLevel.P50)],
        [
            ("Lära mig svenska så att jag kan jobba i vården", [
                DemoStep("Läsa SFI kurs D", SFI, StepStatus.DOING, 40),
                DemoStep("Praktik på ett äldreboende två dagar i veckan", AG, StepStatus.NOT_STARTED, 21,
                         "Fråga Maria om Solgårdens äldreboende."),
            ]),
            ("Ta körkort", [DemoStep("Göra klart teoriprovet", OTHER, StepStatus.PAUSED, helper_other="Trafikskolan")]),
        ],
        [ActivityKind.SFI, ActivityKind.SFI, ActivityKind.STUDIES, ActivityKind.WORK_PLACEMENT],
        ready=True, notes=["Vi pratade bara svenska idag.", "Jag förstod nästan allt på lektionen!"],
    ),
    DemoPerson(
        "erik", "Erik Lindström", Gender.MAN, 1968, "Arvidsjaur", 9,
        [(9, CapacityLevel.SICK_LEAVE), (4, CapacityLevel.P25)],
        [
            ("Komma tillbaka till arbete efter sjukskrivningen", [
                DemoStep("Möte med Försäkringskassan om rehabilitering", FK, StepStatus.DONE),
                DemoStep("Arbetsträning två timmar om dagen", AME, StepStatus.DOING),
                DemoStep("Prata med läkaren om att öka tiden", VARD, StepStatus.NOT_STARTED, 14),
            ]),
        ],
        [ActivityKind.WORK_TRAINING, ActivityKind.HEALTH, ActivityKind.AUTHORITY_MEETING],
        ready=True, notes=["Tröttare än jag trodde, men det gick."],
    ),
    DemoPerson(
        "sara", "Sara Nilsson", Gender.WOMAN, 2004, "Piteå", 12,
        [(12, CapacityLevel.P100)],
        [
            ("Läsa klart gymnasiet", [
                DemoStep("Prata med en studievägledare", SFI, StepStatus.DONE),
                DemoStep("Söka till komvux", SFI, StepStatus.DONE),
                DemoStep("Studiebesök på folkhögskolan", STUD, StepStatus.DONE),
            ]),
        ],
        [ActivityKind.STUDIES, ActivityKind.PERSONAL_DEVELOPMENT, ActivityKind.AUTHORITY_MEETING],
        ready=True, completed=True,
    ),
    DemoPerson(
        "yonas", "Yonas Tesfay", Gender.MAN, 1995, "Piteå", 6,
        [(6, CapacityLevel.P75)],
        [
            ("Få ett jobb på ett lager", [
                DemoStep("Skriva ett CV", AME, StepStatus.DONE),
                DemoStep("Ta truckkort", AF, StepStatus.DOING, 30),
                DemoStep("Söka fem jobb i veckan", AF, StepStatus.DOING),
            ]),
        ],
        [ActivityKind.JOB_APPLICATION, ActivityKind.JOB_APPLICATION, ActivityKind.SFI, ActivityKind.STUDIES],
    ),
    DemoPerson(
        "olena", "Olena Kovalenko", Gender.WOMAN, 1983, "Arvidsjaur", 14,
        [(14, CapacityLevel.P100)],
        [
            ("Få min ekonomexamen bedömd i Sverige", [
                DemoStep("Skicka in betygen för bedömning", OTHER, StepStatus.DONE,
                         helper_other="Universitets- och högskolerådet"),
                DemoStep("Läsa SFI kurs C", SFI, StepStatus.DONE),
            ]),
            ("Hitta ett jobb inom ekonomi", [
                DemoStep("Praktik på kommunens ekonomienhet", AME, StepStatus.DONE),
            ]),
        ],
        [ActivityKind.WORK_PLACEMENT, ActivityKind.SFI, ActivityKind.JOB_APPLICATION],
        ready=True, completed=True,
    ),
    DemoPerson(
        "kim", "Kim Berg", Gender.NON_BINARY, 1999, "Piteå", 5,
        [(5, CapacityLevel.P50)],
        [
            ("Få en vardag med rutiner", [
                DemoStep("Gå upp samma tid varje dag", None, StepStatus.DOING),
                DemoStep("Träffa en psykolog", VARD, StepStatus.NOT_STARTED, 10),
            ]),
        ],
        [ActivityKind.HEALTH, ActivityKind.PERSONAL_DEVELOPMENT],
        active_weeks=4,
        suggestion=DemoStep("Gå med i en studiecirkel om foto", STUD),
    ),
    DemoPerson(
        "ahmad", "Ahmad Rahimi", Gender.MAN, 2001, "Arvidsjaur", 8,
        [(8, CapacityLevel.P100)],
        [
            ("Bli snickare", [
                DemoStep("Praktik hos ett byggföretag", AG, StepStatus.DOING),
                DemoStep("یاد گرفتن رانندگی", OTHER, StepStatus.NOT_STARTED, helper_other="Trafikskolan"),
            ]),
        ],
        [ActivityKind.WORK_PLACEMENT, ActivityKind.SFI],
        ready=True, notes=["امروز خیلی خوب بود."],
    ),
    DemoPerson(
        "maria", "Maria Andersson", Gender.NOT_STATED, 1975, "Piteå", 3,
        [(3, CapacityLevel.P25)],
        [("Må bättre och orka mer", [])],
        [ActivityKind.PERSONAL_DEVELOPMENT],
        active_weeks=1,
    ),
]


def _steps_for(person: DemoPerson, helpers: list[Helper], participation: Participation, today: dt.date):
    written = dt.datetime.combine(participation.enrolled_on + dt.timedelta(days=7), dt.time(10), tzinfo=clock.TIMEZONE)
    for g_pos, (goal_text, steps) in enumerate(person.goals, start=1):
        goal = Goal(participation_id=participation.id, text=goal_text, position=g_pos,
                    created_at=written, updated_at=written)
        db.session.add(goal)
        db.session.flush()
        for s_pos, demo in enumerate(steps, start=1):
            db.session.add(_step(demo, helpers, participation, goal, s_pos, today,
                                 created_at=written, updated_at=written))


def _step(demo, helpers, participation, goal, position, today, **extra) -> Step:
    return Step(
        participation_id=participation.id, goal_id=goal.id if goal else None, text=demo.text,
        helper_id=helpers[demo.helper - 1].id if demo.helper else None, helper_other=demo.helper_other,
        status=demo.status, note=demo.note, position=position,
        due_on=today + dt.timedelta(days=demo.due_in_days) if demo.due_in_days else None, **extra,
    )


def _activities(person: DemoPerson, participation: Participation, today: dt.date, rng: random.Random) -> int:
    capacity = {CapacityLevel.SICK_LEAVE: 1, CapacityLevel.P25: 2, CapacityLevel.P50: 3,
                CapacityLevel.P75: 4, CapacityLevel.P100: 5}[person.capacity[-1][1]]
    count = 0
    for weeks_ago in range(min(person.active_weeks, person.weeks_ago)):
        for _ in range(rng.randint(max(1, capacity - 1), capacity + 1)):
            day = today - dt.timedelta(days=weeks_ago * 7 + rng.randint(0, 6))
            if day > today or day < participation.enrolled_on:
                continue
            note = rng.choice(person.notes) if person.notes and rng.random() < 0.3 else None
            # Logged the same evening, so "new since the coach last looked" means something.
            logged_at = dt.datetime.combine(day, dt.time(18), tzinfo=clock.TIMEZONE)
            db.session.add(Activity(
                participation_id=participation.id, client_id=uuid.uuid4(), payload_hash="demo",
                occurred_on=day, kind=rng.choice(person.kinds), minutes=rng.choice([30, 60, 90, 120, 180, 240]),
                feeling=rng.choice([2, 3, 3, 4, 4, 4, 5]), note=note, created_at=logged_at, updated_at=logged_at,
            ))
            count += 1
    return count


def _conversations(participations: dict[str, Participation], coaches: dict[str, User]) -> None:
    """A few messages: one answered thread about a step, questions waiting for the coach, and a
    welcome the participant has not read yet."""
    now = clock.now()
    amina, erik, ahmad = participations["amina"], participations["erik"], participations["ahmad"]
    sfi = db.session.scalar(select(Step).where(Step.participation_id == amina.id, Step.text.like("Läsa SFI%")))
    lines = [
        (amina, coaches["Piteå"], True, sfi, "Vad bra att du har börjat! Hur går det med läsningen?", 50),
        (amina, amina.participant, False, sfi, "Det går bra, men grammatiken är svår.", 26),
        (erik, erik.participant, False, None, "Kan vi ses nästa vecka i stället? Jag är trött på tisdagar.", 20),
        (ahmad, coaches["Arvidsjaur"], True, None, "Välkommen! Ring mig om du undrar något.", 5),
    ]
    for participation, author, by_staff, step, text, hours_ago in lines:
        db.session.add(Comment(
            participation_id=participation.id, author_id=author.id, by_staff=by_staff,
            step_id=step.id if step else None, text=text, created_at=now - dt.timedelta(hours=hours_ago),
        ))
    amina.comments_read_at = now - dt.timedelta(hours=30)


def load_demo() -> str:
    """Create the demo project and people; returns what to tell the person who ran it."""
    today = clock.today()
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    project = create_project(
        "Piteå kommun", "Norrskan", today - dt.timedelta(days=400), today + dt.timedelta(days=700),
        ["Piteå", "Arvidsjaur"],
    )
    create_staff("leader", "lena.ek@pitea.example", "Lena Ek", project.name, DEMO_PASSWORD)
    coaches = {
        "Piteå": create_staff("coach", "maria.lund@pitea.example", "Maria Lund", project.name, DEMO_PASSWORD),
        "Arvidsjaur": create_staff("coach", "johan.sandberg@arvidsjaur.example", "Johan Sandberg",
                                   project.name, DEMO_PASSWORD),
    }
    helpers = list(db.session.scalars(select(Helper).where(Helper.project_id == project.id).order_by(Helper.position)))
    towns = {m.name: m for m in db.session.scalars(select(Municipality).where(Municipality.project_id == project.id))}
    password = hash_password(DEMO_PASSWORD)
    entries = 0
    participations: dict[str, Participation] = {}
    for person in PEOPLE:
        user = User(role=Role.PARTICIPANT, name=person.name, login_name=person.login, password_hash=password,
                    organisation_id=project.organisation_id)
        db.session.add(user)
        db.session.flush()
        enrolled = today - dt.timedelta(weeks=person.weeks_ago)
        participation = Participation(
            participant_id=user.id, project_id=project.id, coach_id=coaches[person.municipality].id,
            enrolled_on=enrolled, gender=person.gender, birth_year=person.birth_year,
            municipality_id=towns[person.municipality].id,
            plan_ready_on=enrolled + dt.timedelta(days=20) if person.ready else None,
            plan_completed_on=today - dt.timedelta(days=5) if person.completed else None,
        )
        db.session.add(participation)
        db.session.flush()
        for weeks_ago, level in person.capacity:
            db.session.add(Capacity(participation_id=participation.id, level=level,
                                    starts_on=today - dt.timedelta(weeks=weeks_ago)))
        _steps_for(person, helpers, participation, today)
        if person.suggestion:
            db.session.add(_step(person.suggestion, helpers, participation, None, 0, today,
                                 state=StepState.SUGGESTED, suggested_by_id=coaches[person.municipality].id))
        entries += _activities(person, participation, today, rng)
        participations[person.login] = participation
        if person.login not in ("kim", "maria"):
            # The coach went through the news three days ago; what came after is new.
            db.session.add(Review(participation_id=participation.id, coach_id=participation.coach_id,
                                  reviewed_at=clock.now() - dt.timedelta(days=3)))

    _conversations(participations, coaches)
    load_consents(participations, coaches)
    # Two participations that ended this week: one in a job, one in studies.
    for login, outcome in (("olena", Outcome.EMPLOYMENT), ("sara", Outcome.STUDIES)):
        participation = participations[login]
        db.session.flush()
        end_participation(participation, participation.coach, EndData(
            ended_on=today - dt.timedelta(days=2), reason=EndReason.COMPLETED, cause=None, outcome=outcome,
        ), today)
    load_surveys(project, participations, today)
    load_goals(project)

    waiting = User(
        role=Role.PARTICIPANT, name="Fatima Ali", login_name="fatima", organisation_id=project.organisation_id
    )
    db.session.add(waiting)
    db.session.flush()
    db.session.add(Participation(
        participant_id=waiting.id, project_id=project.id, coach_id=coaches["Piteå"].id, enrolled_on=today,
        gender=Gender.WOMAN, birth_year=1988, municipality_id=towns["Piteå"].id,
    ))
    code = issue_activation_code(waiting, created_by=coaches["Piteå"])
    db.session.flush()
    return (
        f"Demo loaded: Norrskan, 2 coaches, {len(PEOPLE) + 1} participants (2 ended), {entries} activities.\n"
        f"Fatima Ali has not activated her account yet. Her code: {code} (open /activate)."
    )
