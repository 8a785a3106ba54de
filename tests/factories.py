"""Test data. Each factory runs inside an app context and returns plain values (ids and
names), so tests never hold ORM objects across requests."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pyotp
from sqlalchemy import select

from webapp import clock
from webapp.auth.services import hash_password, issue_activation_code
from webapp.extensions import db
from webapp.models import (
    Activity,
    ActivityKind,
    Capacity,
    CapacityLevel,
    Gender,
    Goal,
    Helper,
    Municipality,
    Participation,
    Role,
    Step,
    StepState,
    StepStatus,
    User,
)
from webapp.setup import create_project, create_staff

PASSWORD = "a good long password"
# Every test staff member's authenticator app (base32); the test clients make codes from it.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class Project:
    id: int
    name: str
    municipality_id: int
    helper_id: int  # Arbetsförmedlingen
    other_helper_id: int
    public_id: uuid.UUID | None = None  # what URLs show


@dataclass(frozen=True)
class Staff:
    id: uuid.UUID
    email: str
    name: str
    password: str = PASSWORD


@dataclass(frozen=True)
class Participant:
    user_id: uuid.UUID
    participation_id: uuid.UUID
    login: str
    name: str
    password: str = PASSWORD


_counter = iter(range(1, 1_000_000))


def project(name: str | None = None) -> Project:
    name = name or f"Projekt {next(_counter)}"
    p = create_project("Piteå kommun", name, dt.date(2025, 1, 1), dt.date(2028, 12, 31), ["Piteå", "Arvidsjaur"])
    municipality = db.session.scalar(
        select(Municipality).where(Municipality.project_id == p.id).order_by(Municipality.name.desc())
    )
    helpers = list(db.session.scalars(select(Helper).where(Helper.project_id == p.id).order_by(Helper.position)))
    return Project(p.id, p.name, municipality.id, helpers[0].id, helpers[-1].id, p.public_id)


def staff(proj: Project, role: str = "coach", name: str | None = None) -> Staff:
    n = next(_counter)
    email = f"{role}{n}@example.se"
    name = name or f"{role.title()} {n}"
    user = create_staff(role, email, name, proj.name, PASSWORD)
    user.totp_secret = TOTP_SECRET
    return Staff(user.id, email, name)


def participant(
    proj: Project, coach: Staff, name: str | None = None, activated: bool = True,
    enrolled_on: dt.date | None = None, gender: Gender = Gender.WOMAN,
) -> Participant:
    n = next(_counter)
    name = name or f"Deltagare {n}"
    login = f"deltagare{n}"
    user = User(role=Role.PARTICIPANT, name=name, login_name=login,
                password_hash=hash_password(PASSWORD) if activated else None)
    db.session.add(user)
    db.session.flush()
    participation = Participation(
        participant_id=user.id, project_id=proj.id, coach_id=coach.id,
        enrolled_on=enrolled_on or clock.today() - dt.timedelta(days=60), gender=gender,
        birth_year=1990, municipality_id=proj.municipality_id,
    )
    db.session.add(participation)
    db.session.flush()
    return Participant(user.id, participation.id, login, name)


def totp_code(steps_ahead: int = 0) -> str:
    """The code the test staff's authenticator app shows now (or so many steps later)."""
    return pyotp.TOTP(TOTP_SECRET).at(int(clock.now().timestamp()) + 30 * steps_ahead)


def device(user_id: uuid.UUID) -> uuid.UUID:
    """A phone enrolled for PIN sign-in (its cookie value is not kept: tests that sign in with a
    PIN enrol through the activation page, as a person does)."""
    from webapp.models import Device

    found = Device(user_id=user_id, token_hash=uuid.uuid4().hex * 2, label="Android")
    db.session.add(found)
    db.session.flush()
    return found.public_id  # what URLs show


def passkey(user_id: uuid.UUID) -> uuid.UUID:
    """A stored passkey (not usable to sign in: tests/e2e/test_passkeys.py makes real ones)."""
    from webapp.models import Passkey

    found = Passkey(user_id=user_id, credential_id=uuid.uuid4().bytes, public_key=b"not a key", label="Android")
    db.session.add(found)
    db.session.flush()
    return found.public_id  # what URLs show


def activation_code(person: Participant) -> str:
    return issue_activation_code(db.session.get(User, person.user_id), created_by=None)


def goal(person: Participant, text: str = "Få ett jobb", position: int = 1) -> uuid.UUID:
    g = Goal(participation_id=person.participation_id, text=text, position=position)
    db.session.add(g)
    db.session.flush()
    return g.id


def step(
    person: Participant, goal_id: uuid.UUID | None, text: str = "Ringa Arbetsförmedlingen", position: int = 1,
    state: StepState = StepState.IN_PLAN, status: StepStatus = StepStatus.NOT_STARTED,
    helper_id: int | None = None, suggested_by: Staff | None = None,
) -> uuid.UUID:
    s = Step(participation_id=person.participation_id, goal_id=goal_id, text=text, position=position,
             state=state, status=status, helper_id=helper_id,
             suggested_by_id=suggested_by.id if suggested_by else None)
    db.session.add(s)
    db.session.flush()
    return s.id


def activity(
    person: Participant, occurred_on: dt.date | None = None, minutes: int = 60, kind: ActivityKind = ActivityKind.SFI,
    feeling: int = 4, note: str | None = None,
) -> uuid.UUID:
    a = Activity(participation_id=person.participation_id, client_id=uuid.uuid4(), payload_hash="test",
                 occurred_on=occurred_on or clock.today(), kind=kind, minutes=minutes, feeling=feeling, note=note)
    db.session.add(a)
    db.session.flush()
    return a.id


def capacity(person: Participant, level: CapacityLevel, starts_on: dt.date) -> None:
    db.session.add(Capacity(participation_id=person.participation_id, level=level, starts_on=starts_on))
    db.session.flush()


def consent(
    person: Participant, recipient: str = "Arbetsförmedlingen Piteå", parts=("plan", "activity_summary"),
    valid_until: dt.date | None = None, given_by: uuid.UUID | None = None, withdrawn: bool = False,
) -> uuid.UUID:
    """A consent to share, given by the participant in the app (or recorded by `given_by`)."""
    from webapp.models import Consent

    c = Consent(participation_id=person.participation_id, recipient=recipient, share_plan="plan" in parts,
                share_activity_summary="activity_summary" in parts, valid_until=valid_until,
                on_paper=given_by is not None, given_by_id=given_by or person.user_id)
    if withdrawn:
        c.withdrawn_at, c.withdrawn_by_id = clock.now(), person.user_id
    db.session.add(c)
    db.session.flush()
    return c.id
