"""The benchmark's data: scripts/bench_report.py's bulk project, plus the people a load test signs in as.

On top of the bulk data (participations over two years, three plain steps each, exit and start
survey answers, the activity log) this adds what the measured pages need to look like real use:

- a coach whose caseload is exactly 60 active participants;
- for those 60, a plan in their own words (goals, steps with dates, helpers, notes and states, a
  coach's suggestion), a recent log (most days of the last six weeks, some with notes or linked to a
  step), a stated capacity and a short conversation with the coach;
- passwords, so that the load test signs in through the real sign-in form: the 60 participants,
  that coach, ten of the other coaches and the project leader (all with bench_report.PASSWORD).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_report  # noqa: E402
from sqlalchemy import delete, insert, select, update  # noqa: E402

CASELOAD = 60
SIZES = {
    # participations, activities, survey answers
    "default": (10_000, 500_000, 30_000),
    "large": (100_000, 5_000_000, 300_000),
}
CASELOAD_COACH = "caseload@bench.example"
OTHER_COACHES = 10  # coach0 … coach9 of the bulk data, for the soak run

GOALS = ["Få ett jobb inom vården", "Bli bättre på svenska", "Må bättre och orka mer", "Ta körkort",
         "Börja plugga till hösten"]
STEPS = ["Skriva ett CV med hjälp av coachen", "Söka tre jobb varje vecka", "Gå på SFI varje tisdag och torsdag",
         "Prata med vårdcentralen om sömnen", "Läsa körkortsteori 20 minuter om dagen",
         "Boka möte med Arbetsförmedlingen", "Praktik på äldreboendet två dagar i veckan",
         "Promenera varje morgon", "Ringa Komvux om kurserna", "Öva på att prata i telefon",
         "Fixa ett personligt brev", "Gå till biblioteket och låna en lättläst bok"]
NOTES = ["Det gick bra idag, men jag var trött efteråt.", "Svårt att komma iväg, men jag gjorde det.",
         "Fick beröm av handledaren!", "Jag behöver hjälp med nästa steg.", None, None, None]
MESSAGES = [(False, "Hej! Jag har sökt två jobb den här veckan."), (True, "Bra jobbat! Vill du att vi tittar på "
            "ditt CV på torsdag?"), (False, "Ja gärna. Kan vi ses klockan tio?")]


def size_args(large: bool = False, participations: int = 0) -> argparse.Namespace:
    """The sizes in the issue; or `participations` with as many activities and answers each."""
    if participations:
        return argparse.Namespace(participations=participations, activities=participations * 50,
                                  survey_answers=participations * 3)
    participations, activities, answers = SIZES["large" if large else "default"]
    return argparse.Namespace(participations=participations, activities=activities, survey_answers=answers)


def build(url: str, instance: Path, args: argparse.Namespace) -> dict:
    """Migrate a scratch database to head and fill it; return what the load tests need to know."""
    import flask_migrate

    from webapp import create_app
    from webapp.config import DevelopmentConfig
    from webapp.extensions import db

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url, INSTANCE_PATH=str(instance),
                     RATELIMIT_ENABLED=False, SCHEMA_CHECK=False)  # migrated below
    with app.app_context():
        logging.disable(logging.INFO)  # the migrations' progress lines
        flask_migrate.upgrade()
        logging.disable(logging.NOTSET)
        began = time.perf_counter()
        rng = random.Random(2026)
        made = bench_report.generate(args, db, rng)
        people = _people(db, made, rng)
        bench_report.settle(db)
        counts = _counts(db)
        db.session.remove()
        db.engine.dispose()
    return {**people, "counts": counts, "generate_s": round(time.perf_counter() - began, 1)}


def _counts(db) -> dict:
    from webapp.models import Activity, Goal, Participation, Step, SurveyAnswer

    return {model.__tablename__: db.session.scalar(select(db.func.count()).select_from(model))
            for model in (Participation, Activity, SurveyAnswer, Goal, Step)}


def _people(db, made: dict, rng: random.Random) -> dict:
    from webapp.auth.services import hash_password
    from webapp.models import Participation, Project, User
    from webapp.setup import create_staff

    project = db.session.get(Project, made["project_id"])
    coach = create_staff("coach", CASELOAD_COACH, "Bänk Coach", project.name, bench_report.PASSWORD)
    db.session.flush()
    chosen = db.session.execute(
        select(Participation.id, Participation.enrolled_on, User.id, User.login_name)
        .join(User, User.id == Participation.participant_id)
        .where(Participation.project_id == project.id, Participation.ended_on.is_(None))
        .order_by(Participation.id).limit(CASELOAD)
    ).all()
    assert len(chosen) == CASELOAD, f"only {len(chosen)} active participations"
    pids = [row[0] for row in chosen]
    db.session.execute(update(Participation).where(Participation.id.in_(pids)).values(coach_id=coach.id))
    # One hash for every bench account: argon2 keeps the salt in the hash, so it verifies for all.
    password_hash = hash_password(bench_report.PASSWORD)
    others = [f"coach{n}@bench.example" for n in range(OTHER_COACHES)]
    db.session.execute(update(User).where(User.id.in_([row[2] for row in chosen]) | User.login_name.in_(others))
                       .values(password_hash=password_hash))
    _plans(db, project, coach, [(row[0], row[1], row[2]) for row in chosen], rng)
    db.session.commit()
    return {"project_public_id": str(project.public_id), "leader": made["leader"], "caseload_coach": CASELOAD_COACH,
            "coaches": [CASELOAD_COACH, *others], "participants": [row[3] for row in chosen],
            "password": bench_report.PASSWORD}


def _plans(db, project, coach, chosen, rng: random.Random) -> None:
    """Goals and steps in the participants' words, a recent log, a capacity and a conversation."""
    from webapp.models import Activity, Capacity, Comment, Goal, Helper, Step

    helpers = list(db.session.scalars(select(Helper.id).where(Helper.project_id == project.id)))
    today = bench_report.TODAY
    now = dt.datetime(today.year, today.month, today.day, 9, tzinfo=dt.UTC)
    db.session.execute(delete(Step).where(Step.participation_id.in_([pid for pid, _e, _u in chosen])))
    goals, steps, activities, capacities, comments = [], [], [], [], []
    for pid, enrolled, user_id in chosen:
        plan_steps = []
        for g, goal_text in enumerate(rng.sample(GOALS, rng.randint(2, 3))):
            goal_id = uuid.uuid4()
            goals.append({"id": goal_id, "participation_id": pid, "text": goal_text, "position": g,
                          "created_at": now, "updated_at": now})
            for s, step_text in enumerate(rng.sample(STEPS, rng.randint(2, 4))):
                step_id = uuid.uuid4()
                plan_steps.append(step_id)
                steps.append(_step(rng, step_id, pid, goal_id, step_text, s, helpers, today, now))
        suggestion = _step(rng, uuid.uuid4(), pid, None, "Gå på jobbmässan i Luleå", 0, helpers, today, now)
        steps.append({**suggestion, "state": "suggested", "suggested_by_id": coach.id, "status": "not_started"})
        for days_ago in range(42):
            if rng.random() < 0.6:
                day = today - dt.timedelta(days=days_ago)
                if day < enrolled:
                    continue
                activities.append({
                    "id": uuid.uuid4(), "participation_id": pid, "client_id": uuid.uuid4(), "payload_hash": "0" * 64,
                    "occurred_on": day, "kind": rng.choice(bench_report.KINDS), "minutes": rng.choice([30, 60, 120]),
                    "feeling": rng.randint(1, 5), "note": rng.choice(NOTES),
                    "step_id": rng.choice(plan_steps) if rng.random() < 0.4 else None,
                    "created_at": now, "updated_at": now})
        capacities.append({"participation_id": pid, "level": rng.choice(["50", "75", "100"]),
                           "starts_on": enrolled, "created_at": now})
        for n, (by_staff, text) in enumerate(MESSAGES):
            author = coach.id if by_staff else user_id
            comments.append({"id": uuid.uuid4(), "participation_id": pid, "author_id": author, "by_staff": by_staff,
                             "text": text, "created_at": now - dt.timedelta(hours=30 - n)})
    connection = db.session.connection()
    for model, rows in ((Goal, goals), (Step, steps), (Activity, activities), (Capacity, capacities),
                        (Comment, comments)):
        connection.execute(insert(model), rows)


def _step(rng, step_id, pid, goal_id, text, position, helpers, today, now) -> dict:
    return {"id": step_id, "participation_id": pid, "goal_id": goal_id, "text": text,
            "helper_id": rng.choice(helpers) if rng.random() < 0.6 else None,
            "due_on": today + dt.timedelta(days=rng.randint(-10, 40)) if rng.random() < 0.7 else None,
            "status": rng.choice(["not_started", "doing", "doing", "done", "paused"]),
            "note": "Coachen hjälper till med det här." if rng.random() < 0.3 else None,
            "position": position, "state": "in_plan", "suggested_by_id": None, "created_at": now, "updated_at": now,
            "deleted_at": None}
