#!/usr/bin/env python3
"""Time the goal report on a synthetic project of 100 000 participations and 5 million activities.

    make bench-report                                        # SQLite
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432 make bench-report   # and PostgreSQL
    .venv/bin/python scripts/bench_report.py --postgres URL --activities 500000 --runs 21
    .venv/bin/python scripts/bench_report.py --postgres URL --no-sqlite --survey-answers 300000 --runs 3 --explain

With --explain (PostgreSQL), each query the report makes is also run under EXPLAIN (ANALYZE,
BUFFERS), and again with sequential scans off when a big table is read whole, into
docs/benchmarks/explain-report-postgresql.txt.

Each database is a scratch one: a SQLite file in a temporary folder, and a new PostgreSQL database
on the server the URL names (created, then dropped). The schema comes from the migrations, as in
production. The data is made in bulk (executemany; COPY on PostgreSQL): one project with eight
municipalities and 50 coaches, participations over two years (60 % ended), three steps each, exit
answers for most ended ones, and the activities. Then the report (Norrskan's G1–G5) is timed:
the computation alone, a coach's own report, and the leader's whole page through the app.
The target is at most 1 s per report on 2 cores. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

TODAY = dt.date(2026, 11, 23)
START, END = dt.date(2025, 1, 1), dt.date(2027, 12, 31)
MUNICIPALITIES = ["Arvidsjaur", "Arjeplog", "Boden", "Luleå", "Lycksele", "Norsjö", "Piteå", "Skellefteå"]
OUTCOMES = (["employment"] * 30 + ["supported_employment"] * 8 + ["own_business"] * 2 + ["studies"] * 15
            + ["labour_market_training"] * 10 + ["job_seeking"] * 20 + ["sick_leave_or_rehabilitation"] * 8
            + ["other"] * 4 + ["unknown"] * 3)
KINDS = ["work_placement", "studies", "sfi", "work_training", "job_application", "authority_meeting", "health",
         "personal_development", "other"]
PASSWORD = "bench-password-long-enough"  # noqa: S105 - a scratch database, dropped afterwards
BATCH = 20_000
ROOT = Path(__file__).resolve().parent.parent
EXPLAIN_FILE = Path("docs/benchmarks/explain-report-postgresql.txt")
# What the plans in EXPLAIN_FILE show, and why the scans in them are right (written after reading them).
EXPLAIN_READING = """\
How to read this file (written after reading the run of 24 November 2026; its numbers are that run's):
- Queries 1, 2, 4 and 5 read the project's goals and municipalities: a handful of rows on one page
  each, which PostgreSQL reads whole (a Seq Scan on a one-page table is cheaper than any index).
- Query 3 is the leader's report: one query that counts every participation that was in the
  project during the period. Here the one project is the whole table (100 000 participations), so
  PostgreSQL reads the participations in order, with the submitted exit responses (43 000) and the
  two exit items' answers (found by ix_survey_answers_item_value), and joins them by hashing. For
  "a step names who helps" it asks ix_steps_with_helper once per participation: an index of only
  such steps, read without touching the table (Index Only Scan, no heap fetch). The reads take
  about 230 ms under EXPLAIN ANALYZE; the rest is the 100 000 look-ups and the counting. The scan
  is the right plan, not a missing index: kept to the indexes ("again, with sequential scans off",
  just below it) the query reads the same rows by ix_participations_project_id and is no faster
  (452 ms against 439 ms). With several projects in one database the same query starts from
  ix_participations_project_id.
- Before 24 November, the steps that name who helps were grouped per participation and hashed,
  and one parallel worker built the same hash tables again: 571 ms under EXPLAIN ANALYZE on 23
  November, and on two cores under load a p95 over 1 s (make bench --large).
- The activity log (activities, 5 million rows, 1.4 GB) is never read by the report.
- Query 6 is one coach's own report (2 000 participations): ix_participations_coach_id, then one
  look-up per participation in uq_survey_answers_response_id and ix_steps_with_helper. Its one full
  read is of survey_responses (43 000 submitted exit responses, 11 ms), hashed against the coach's
  participations; kept to the indexes it takes 30 ms against 38 ms, with a parallel worker that
  the server cannot spare when several people use it.
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participations", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=5_000_000,
                        help="activities in all (default 5 000 000; fewer make the data faster on a slow disk)")
    parser.add_argument("--survey-answers", type=int, default=0,
                        help="survey answers in all: the exit answers, then start surveys up to this total")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each report (after one warm-up)")
    parser.add_argument("--postgres", metavar="URL", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL server (postgresql+psycopg://user@host:port); default $BENCH_DATABASE_URL")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--explain", action="store_true",
                        help=f"on PostgreSQL, EXPLAIN (ANALYZE, BUFFERS) each query of the report into {EXPLAIN_FILE}")
    return parser.parse_args()


# -- scratch databases ----------------------------------------------------------------------------


@contextlib.contextmanager
def scratch_postgres(server_url: str):
    base = make_url(server_url)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    name = f"stegvis_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def scratch_sqlite(folder: Path):
    yield f"sqlite:///{folder / 'bench.db'}"


# -- data -----------------------------------------------------------------------------------------


def hex_id(prefix: str, n: int) -> str:
    """Ascending ids (32 hex digits) so that bulk inserts append to the indexes instead of scattering."""
    return f"{prefix}{n:0{32 - len(prefix)}x}"


def as_uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)


def generate(args, db, rng: random.Random) -> dict:
    """The project, its people, participations, steps and exit answers; then the activities."""
    from webapp.goals import demo
    from webapp.models import (
        Helper,
        Municipality,
        Participation,
        ProjectStaff,
        Step,
        SurveyAnswer,
        SurveyResponse,
        User,
    )
    from webapp.setup import create_project, create_staff

    project = create_project("Bänkkommunen", "Bänkprojektet", START, END, MUNICIPALITIES)
    leader = create_staff("leader", "leader@bench.example", "Bänk Ledare", project.name, PASSWORD)
    demo.load(project)
    db.session.commit()
    towns = list(db.session.scalars(select(Municipality.id).where(Municipality.project_id == project.id)))
    helpers = list(db.session.scalars(select(Helper.id).where(Helper.project_id == project.id)))
    now = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
    coaches = [as_uuid(hex_id("c0", n)) for n in range(50)]
    connection = db.session.connection()
    connection.execute(insert(User), [
        {"id": c, "role": "coach", "name": f"Coach {n}", "login_name": f"coach{n}@bench.example",
         "password_hash": "x", "is_active": True, "organisation_id": project.organisation_id, "created_at": now}
        for n, c in enumerate(coaches)])
    connection.execute(insert(ProjectStaff), [{"project_id": project.id, "user_id": c} for c in coaches])

    n = args.participations
    participations = []
    db.session.commit()
    for start in range(0, n, BATCH):
        connection = db.session.connection()
        users, rows = [], []
        for i in range(start, min(n, start + BATCH)):
            user_id, pid = as_uuid(hex_id("a0", i)), as_uuid(hex_id("b0", i))
            users.append({"id": user_id, "role": "participant", "name": f"Deltagare {i}", "login_name": f"d{i}",
                          "password_hash": None, "is_active": True, "organisation_id": project.organisation_id,
                          "created_at": now})
            rows.append(_participation(rng, i, pid, user_id, project.id, coaches, towns, now))
        connection.execute(insert(User), users)
        connection.execute(insert(Participation), rows)
        participations += [(r["id"], r["enrolled_on"], r["ended_on"]) for r in rows]
        db.session.commit()

    steps, responses, answers = [], [], []
    step_n = 0
    for pid, _enrolled, ended in participations:
        for position in range(3):
            state = rng.choices(["in_plan", "suggested", "declined"], [90, 7, 3])[0]
            steps.append({"id": as_uuid(hex_id("d0", step_n)), "participation_id": pid, "text": "Ett steg",
                          "helper_id": rng.choice(helpers) if rng.random() < 0.6 else None, "status": "not_started",
                          "position": position, "state": state, "created_at": now, "updated_at": now,
                          "deleted_at": now if rng.random() < 0.03 else None})
            step_n += 1
        if ended and rng.random() < 0.8:
            response_id = as_uuid(hex_id("e0", len(responses)))
            responses.append({"id": response_id, "participation_id": pid, "occasion": "exit", "round": 0,
                              "questionnaire_key": "stegvis-exit", "questionnaire_version": 1, "due_on": ended,
                              "started_at": now, "submitted_at": now if rng.random() < 0.9 else None})
            for item in ("chances_increased", "knows_requirements"):
                skipped = rng.random() < 0.03
                answers.append({"response_id": response_id, "item_key": item, "skipped": skipped,
                                "value_int": None if skipped else rng.choices(range(1, 6), [5, 10, 20, 35, 30])[0],
                                "answered_at": now})
    _start_surveys(rng, participations, responses, answers, getattr(args, "survey_answers", 0), now)
    connection = db.session.connection()
    for model, rows in ((Step, steps), (SurveyResponse, responses), (SurveyAnswer, answers)):
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(model), rows[start:start + BATCH])
    db.session.commit()
    insert_activities(db, participations, args.activities, rng)
    return {"project_id": project.id, "leader": leader.login_name, "coach": coaches[0], "steps": len(steps),
            "responses": len(responses), "answers": len(answers)}


START_ITEMS = ["life_work", "life_studies", "life_health", "life_economy", "life_housing", "life_social_network",
               "life_language", "life_everyday_life", "confidence", "control", "hope", "listened_to",
               "part_of_decisions"]


def _start_surveys(rng, participations, responses, answers, wanted: int, now) -> None:
    """Submitted start surveys (scales 0–10, agreements 1–5) until there are `wanted` answers in all."""
    for pid, enrolled, _ended in participations:
        if len(answers) >= wanted:
            return
        response_id = as_uuid(hex_id("e1", len(responses)))
        responses.append({"id": response_id, "participation_id": pid, "occasion": "start", "round": 0,
                          "questionnaire_key": "stegvis-start", "questionnaire_version": 1, "due_on": enrolled,
                          "started_at": now, "submitted_at": now})
        for item in START_ITEMS[:wanted - len(answers)]:
            value = rng.randrange(0, 11) if item.startswith("life_") else rng.randrange(1, 6)
            answers.append({"response_id": response_id, "item_key": item, "skipped": False, "value_int": value,
                            "answered_at": now})


def _participation(rng, i, pid, user_id, project_id, coaches, towns, now) -> dict:
    enrolled = START + dt.timedelta(days=rng.randrange((TODAY - START).days))
    ended = reason = cause = outcome = None
    if rng.random() < 0.6:
        ended = min(TODAY - dt.timedelta(days=1), enrolled + dt.timedelta(days=rng.randrange(30, 400)))
        ended = max(ended, enrolled)
        reason = "completed" if rng.random() < 0.75 else "interrupted"
        cause = "illness" if reason == "interrupted" else None
        outcome = rng.choice(OUTCOMES)
    ready = enrolled + dt.timedelta(days=rng.randrange(5, 60)) if rng.random() < 0.85 else None
    completed = (ended - dt.timedelta(days=rng.randrange(0, 20))) if ended and ready and rng.random() < 0.6 else None
    if completed and completed < enrolled:
        completed = enrolled
    return {
        "id": pid, "participant_id": user_id, "project_id": project_id, "coach_id": coaches[i % len(coaches)],
        "enrolled_on": enrolled, "gender": rng.choices(["woman", "man", "non_binary", "not_stated"], [48, 48, 2, 2])[0],
        "birth_year": rng.randrange(1960, 2010), "municipality_id": rng.choice(towns), "plan_ready_on": ready,
        "plan_completed_on": completed, "ended_on": ended, "end_reason": reason, "interruption_cause": cause,
        "exit_outcome": outcome, "created_at": now,
    }


def insert_activities(db, participations, total: int, rng: random.Random) -> None:
    """The activity log in bulk: COPY on PostgreSQL, executemany on SQLite, in ascending id order."""
    columns = ("id", "participation_id", "client_id", "payload_hash", "occurred_on", "kind", "minutes", "feeling",
               "note", "step_id", "created_at", "updated_at", "deleted_at")
    per = total // len(participations)
    extra = total - per * len(participations)
    dialect = db.engine.dialect.name
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if dialect == "sqlite":
            driver.execute("PRAGMA synchronous=OFF")
            driver.execute("PRAGMA cache_size=-400000")
            driver.execute("BEGIN")
        rows, n = [], 0
        stamp = "2026-11-01 12:00:00.000000" if dialect == "sqlite" else "2026-11-01 12:00:00+00"
        for index, (pid, enrolled, ended) in enumerate(participations):
            last = ended or TODAY
            span = max(1, (last - enrolled).days)
            pid_text = pid.hex
            for _ in range(per + (1 if index < extra else 0)):
                day = (enrolled + dt.timedelta(days=rng.randrange(span))).isoformat()
                rows.append((hex_id("f0", n), pid_text, hex_id("f1", n), "0" * 64, day, KINDS[n % 9],
                             15 * (1 + n % 16), 1 + n % 5, None, None, stamp, stamp, None))
                n += 1
            if len(rows) >= 200_000:
                _flush(driver, dialect, columns, rows)
                rows = []
        _flush(driver, dialect, columns, rows)
        if dialect == "sqlite":
            driver.execute("COMMIT")
        else:
            driver.commit()
    finally:
        raw.close()


def _flush(driver, dialect: str, columns, rows) -> None:
    if not rows:
        return
    if dialect == "sqlite":
        marks = ",".join("?" * len(columns))
        sql = f"INSERT INTO activities ({','.join(columns)}) VALUES ({marks})"  # noqa: S608 - our own column names
        driver.executemany(sql, rows)
        return
    with driver.cursor() as cursor, cursor.copy(f"COPY activities ({','.join(columns)}) FROM STDIN") as copy:
        copy.write("".join(
            "\t".join(r"\N" if v is None else str(v) for v in row) + "\n" for row in rows
        ))


# -- timing ---------------------------------------------------------------------------------------


def settle(db) -> None:
    """Statistics for the planner, and on PostgreSQL a vacuum now: otherwise autovacuum starts on
    the 5 million new rows in the middle of the timing (on 2 cores that doubles some runs)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
    else:
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def timed(fn, runs: int) -> dict:
    fn()  # warm-up: caches and query plans, as a server has them after the first request
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return {"median": statistics.median(times), "p95": p95, "max": times[-1]}


def page_client(app, login: str):
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/sign-in", data={"login_name": login, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, f"sign-in failed: {response.status_code}"
    return client


def bench(label: str, url: str, args, folder: Path) -> dict:
    import flask_migrate

    from webapp import create_app
    from webapp.config import DevelopmentConfig
    from webapp.extensions import db
    from webapp.goals.report import build_report, default_period
    from webapp.models import Activity, Participation, Project

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url, INSTANCE_PATH=str(folder),
                     RATELIMIT_ENABLED=False, SCHEMA_CHECK=False)  # migrated below
    result = {"database": label}
    with app.app_context():
        logging.disable(logging.INFO)  # the migrations' progress lines
        flask_migrate.upgrade()
        logging.disable(logging.NOTSET)
        began = time.perf_counter()
        made = generate(args, db, random.Random(2026))
        db.session.commit()
        settle(db)
        result["generate_s"] = time.perf_counter() - began
        result["participations"] = db.session.scalar(select(db.func.count()).select_from(Participation))
        result["activities"] = db.session.scalar(select(db.func.count()).select_from(Activity))
        result.update(steps=made["steps"], exit_answers=made["answers"])
        project = db.session.get(Project, made["project_id"])
        public_id = project.public_id  # what the leader's URLs show
        period = default_period(project, TODAY)
        report = build_report(project, period)
        result["figures"] = {g.code: (g.total.numerator.value, g.total.denominator.value) for g in report.goals}
        if args.explain and db.engine.dialect.name == "postgresql":
            result["explained"] = explain_report(db, args, lambda: (
                build_report(project, period), build_report(project, period, coach_id=made["coach"])))
        result["report"] = timed(lambda: build_report(project, period), args.runs)
        result["coach_report"] = timed(lambda: build_report(project, period, coach_id=made["coach"]), args.runs)
        db.session.remove()
    client = page_client(app, made["leader"])
    page = f"/project/{public_id}/report?start={period.start}&end={period.end}"
    assert client.get(page).status_code == 200
    result["page"] = timed(lambda: client.get(page), args.runs)
    result["xlsx"] = timed(lambda: client.get(page.replace("/report?", "/report.xlsx?")), max(3, args.runs // 3))
    with app.app_context():
        db.engine.dispose()
    return result


# -- query plans ----------------------------------------------------------------------------------


@contextlib.contextmanager
def captured_selects(engine):
    """Every SELECT run on the engine inside the block, with its parameters, in order."""
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split(None, 1)[0].upper() in ("SELECT", "WITH"):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


BIG_SEQ_SCAN = re.compile(r"Seq Scan on (participations|steps|activities|survey_responses|survey_answers|users)\b")


def _analyze(raw, statement: str, parameters, setting: str | None = None) -> str:
    cursor = raw.cursor()
    try:
        if setting:
            cursor.execute(setting)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        return "\n".join(row[0] for row in cursor.fetchall())
    finally:
        cursor.close()
        raw.rollback()  # ends the SET LOCAL with the transaction


def explain_report(db, args, run) -> Path:
    """EXPLAIN (ANALYZE, BUFFERS) each query the report makes (the leader's, then a coach's own),
    written to EXPLAIN_FILE with the data's size and the machine."""
    run()  # warm: the plans below are of a server that has answered before
    with captured_selects(db.engine) as statements:
        run()
    parts = []
    raw = db.engine.raw_connection()
    try:
        for number, (statement, parameters) in enumerate(statements, start=1):
            plan = _analyze(raw, statement, parameters)
            parts.append(f"--- query {number} of {len(statements)} ---\n{statement.strip()}\n\n"
                         f"parameters: {parameters}\n\n{plan}\n")
            if BIG_SEQ_SCAN.search(plan):
                # The evidence that the scan is the right choice: the same query kept to indexes.
                forced = _analyze(raw, statement, parameters, "SET LOCAL enable_seqscan = off")
                parts.append(f"--- query {number} again, for comparison, with sequential scans off ---\n\n{forced}\n")
    finally:
        raw.rollback()
        raw.close()
    with db.engine.connect() as connection:
        sizes = connection.execute(text(
            "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)) FROM pg_stat_user_tables "
            "WHERE n_live_tup > 1000 ORDER BY n_live_tup DESC")).all()
        version = connection.execute(text("SHOW server_version")).scalar()
    header = (
        f"EXPLAIN (ANALYZE, BUFFERS) of each query of the goal report on PostgreSQL {version}\n"
        f"Made by: scripts/bench_report.py --explain --participations {args.participations} "
        f"--activities {args.activities} --survey-answers {args.survey_answers}\n"
        f"Machine: {machine()}\n"
        "Tables: " + ", ".join(f"{name} {rows:,} rows ({size})" for name, rows, size in sizes) + "\n"
        "The report is computed twice: the leader's (the whole project), then one coach's own participants.\n\n"
        + EXPLAIN_READING
    )
    path = ROOT / EXPLAIN_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n" + "\n".join(parts), encoding="utf-8")
    return path


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), model)
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, {platform.system()}"


def scratch_databases(args, folder: Path) -> list[tuple[str, object]]:
    """The throwaway databases the arguments ask for: SQLite unless --no-sqlite, PostgreSQL with --postgres."""
    targets = [] if args.no_sqlite else [("SQLite", scratch_sqlite(folder))]
    if args.postgres:
        targets.append(("PostgreSQL", scratch_postgres(args.postgres)))
    if not targets:
        sys.exit("Nothing to do: --no-sqlite needs --postgres URL (or BENCH_DATABASE_URL).")
    return targets


def main() -> None:
    args = parse_args()
    os.environ.setdefault("STEGVIS_ENV", "development")
    print(f"Machine: {machine()}")
    print(f"Data: {args.participations:,} participations, {args.activities:,} activities; {args.runs} timed runs\n")
    results = []
    with tempfile.TemporaryDirectory(prefix="stegvis-bench-") as tmp:
        folder = Path(tmp)
        for label, scratch in scratch_databases(args, folder):
            with scratch as url:
                print(f"{label}: generating …", flush=True)
                result = bench(label, url, args, folder)
                results.append(result)
                _print(result)
    failed = [r["database"] for r in results if r["report"]["median"] > 1.0]
    if failed:
        print(f"\nSlower than the 1 s target: {', '.join(failed)}")


def _print(r: dict) -> None:
    print(f"  data made in {r['generate_s']:.0f} s: {r['participations']:,} participations, "
          f"{r['activities']:,} activities, {r['steps']:,} steps, {r['exit_answers']:,} exit answers")
    print(f"  figures: {r['figures']}")
    if "explained" in r:
        print(f"  query plans written to {r['explained'].relative_to(ROOT)}")
    for key, what in (("report", "goal report (computation)"), ("coach_report", "a coach's own report"),
                      ("page", "leader's report page (HTTP, in-process)"), ("xlsx", "XLSX export")):
        t = r[key]
        print(f"  {what:42s} median {t['median'] * 1000:7.0f} ms   p95 {t['p95'] * 1000:7.0f} ms")
    print()


if __name__ == "__main__":
    main()
