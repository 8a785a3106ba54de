#!/usr/bin/env python3
"""Time the participant import on a list of 2 000 rows, as CSV and as XLSX.

    .venv/bin/python scripts/bench_import.py                  # SQLite
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432 .venv/bin/python scripts/bench_import.py
    .venv/bin/python scripts/bench_import.py --rows 5000

Each database is a scratch one (see scripts/bench_report.py): the schema from the migrations, one
project with two municipalities and ten coaches. For each format the script times reading the file,
checking every row, and the import in one transaction (then rolled back, so both formats import
the same people). The target is a few seconds for 2 000 rows. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import machine, scratch_databases  # noqa: E402

HEADER = ["Namn", "Kön", "Födelseår", "Kommun", "Inskriven", "Coach"]
TOWNS = ["Piteå", "Arvidsjaur"]
GENDERS = ["kvinna", "man", "icke-binär", "vill inte uppge"]
PASSWORD = "bench-password-long-enough"  # noqa: S105 - a scratch database, dropped afterwards


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--postgres", metavar="URL", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    return parser.parse_args()


def rows(n: int, coaches: list[str]) -> list[list]:
    return [[f"Deltagare Nummer{i}", GENDERS[i % 4], 1965 + i % 40, TOWNS[i % 2],
             dt.date(2026, 1, 1) + dt.timedelta(days=i % 300), coaches[i % len(coaches)]] for i in range(n)]


def as_csv(data: list[list]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows([[*row[:4], row[4].isoformat(), row[5]] for row in data])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(data: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bench(label: str, url: str, args, folder: Path) -> None:
    import flask_migrate

    from webapp import create_app
    from webapp.config import DevelopmentConfig
    from webapp.extensions import db
    from webapp.imports import services
    from webapp.imports.checking import Lookups, check_rows
    from webapp.imports.mapping import guess
    from webapp.imports.reading import read_table
    from webapp.models import ParticipantImport, Project, User
    from webapp.setup import create_project, create_staff

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url, INSTANCE_PATH=str(folder),
                     RATELIMIT_ENABLED=False)
    with app.test_request_context():
        logging.disable(logging.INFO)
        flask_migrate.upgrade()
        logging.disable(logging.NOTSET)
        made = create_project("Bänkkommunen", "Bänkprojektet", dt.date(2025, 1, 1), dt.date(2028, 12, 31), TOWNS)
        leader = create_staff("leader", "leader@bench.example", "Bänk Ledare", made.name, PASSWORD)
        coaches = [create_staff("coach", f"coach{i}@bench.example", f"Coach {i}", made.name, PASSWORD).login_name
                   for i in range(10)]
        db.session.commit()
        project = db.session.get(Project, made.id)
        leader = db.session.get(User, leader.id)
        data = rows(args.rows, coaches)
        for kind, raw in (("CSV", as_csv(data)), ("XLSX", as_xlsx(data))):
            times = {}
            began = time.perf_counter()
            table = read_table(raw)
            times["read"] = time.perf_counter() - began
            began = time.perf_counter()
            checked = check_rows(table, guess(table.header), Lookups.load(project))
            times["check"] = time.perf_counter() - began
            bad = [row for row in checked if not row.ok]
            if bad:
                sys.exit(f"{kind}: row {bad[0].number} has problems: {bad[0].problems}")
            began = time.perf_counter()
            upload = services.store_upload(project, leader, f"bench.{kind.lower()}", raw)
            count = services.import_rows(project, leader, upload, checked)
            db.session.flush()
            times["import"] = time.perf_counter() - began
            db.session.rollback()
            db.session.execute(ParticipantImport.__table__.delete())
            total = sum(times.values())
            print(f"  {label} {kind} ({len(raw) // 1024} KB, {count} rows): read {times['read']:.2f} s, "
                  f"check {times['check']:.2f} s, import {times['import']:.2f} s; total {total:.2f} s", flush=True)


def main() -> None:
    args = parse_args()
    os.environ.setdefault("STEGVIS_ENV", "development")
    print(f"Machine: {machine()}")
    print(f"Rows: {args.rows:,}\n")
    with tempfile.TemporaryDirectory(prefix="stegvis-bench-import-") as tmp:
        folder = Path(tmp)
        for label, scratch in scratch_databases(args, folder):
            with scratch as url:
                bench(label, url, args, folder)


if __name__ == "__main__":
    main()
