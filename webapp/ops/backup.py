"""`flask backup create PATH` and `flask backup restore-drill PATH`.

create: SQLite through its online backup API (a consistent copy while the app runs; never `cp`),
PostgreSQL through `pg_dump -Fc`. Next to the backup goes PATH.manifest.json: the row count of
every table, the schema's revision, the audit log's newest hash and the time. On PostgreSQL the
counts and the dump read the same snapshot, so they always agree.

restore-drill: restores the backup into a scratch database (a temporary SQLite file, or a new
PostgreSQL database dropped afterwards) and checks it: the revision is this code's head, foreign
keys hold, the row counts are the manifest's, and the audit hash chain verifies up to the
manifest's newest hash. It prints each check and PASS or FAIL, and exits 0 or 1.

After a real restore, replay the purge register before anyone uses the database
(`flask --app wsgi purge --replay`, README "Backup, restore and replay").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Connection, Engine, make_url

from webapp.audit import PROBLEMS, verify
from webapp.extensions import db
from webapp.ops.schema import database_revision, migrations_head

REPLAY_NOTE = ("After a real restore, run `flask --app wsgi db upgrade` and then `flask --app wsgi purge --replay` "
               "before anyone uses the database (README: \"Backup, restore and replay\").")


class BackupError(click.ClickException):
    """A backup or drill that could not be made; the message says why."""


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


def _facts(connection: Connection) -> dict:
    counts = {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
              for table in db.metadata.sorted_tables}
    chain = verify(connection, allow_removed_start=True)
    return {
        "alembic_revision": database_revision(connection),
        "row_counts": counts,
        "audit": {"rows": chain.rows, "head": chain.head, "intact": chain.intact,
                  "problem": PROBLEMS.get(chain.problem) if chain.problem else None},
    }


def _write_manifest(backup: Path, kind: str, facts: dict) -> Path:
    manifest = {"created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "database": kind,
                "backup": backup.name, **facts}
    path = manifest_path(backup)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path


# --- SQLite ----------------------------------------------------------------------------------------


def _sqlite_file(engine: Engine) -> Path:
    name = engine.url.database
    if not name or name == ":memory:":
        raise BackupError("This SQLite database lives in memory: there is nothing to back up.")
    return Path(name)


def sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while the app writes."""
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


# --- PostgreSQL ------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found. Install the PostgreSQL client tools "
                          f"(Debian: apt install postgresql-client) of the server's major version.")
    return found


def _libpq(url) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment carrying it."""
    url = make_url(url)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return conninfo, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


def _pg_dump(engine: Engine, target: Path) -> dict:
    pg_dump = _tool("pg_dump")
    conninfo, env = _libpq(engine.url)
    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        facts = _facts(connection)
        _run([pg_dump, "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(target), "-d", conninfo], env,
             "pg_dump")
        connection.rollback()
    return facts


@contextlib.contextmanager
def _scratch_postgres(engine: Engine):
    name = f"stegvis_drill_{uuid.uuid4().hex[:10]}"
    admin = create_engine(engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception as error:
        admin.dispose()
        raise BackupError(f"Could not make a scratch database for the drill ({error}). "
                          "The database user needs the right to create databases (CREATEDB).") from error
    try:
        yield engine.url.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


# --- the drill -------------------------------------------------------------------------------------


@dataclass
class Drill:
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append((name, ok, detail))

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(ok for _name, ok, _detail in self.checks)


def _check_restored(connection: Connection, manifest: dict, head: str, drill: Drill) -> None:
    facts = _facts(connection)
    revision = facts["alembic_revision"]
    drill.check("schema revision", revision == head == manifest.get("alembic_revision"),
                f"restored {revision}, manifest {manifest.get('alembic_revision')}, this code's head {head}")
    expected = manifest.get("row_counts", {})
    wrong = {name: (count, expected.get(name)) for name, count in facts["row_counts"].items()
             if count != expected.get(name)}
    missing = sorted(set(expected) - set(facts["row_counts"]))
    drill.check("row counts", not wrong and not missing,
                f"{len(facts['row_counts'])} tables, {sum(facts['row_counts'].values())} rows as in the manifest"
                if not wrong and not missing else
                "; ".join([f"{n}: {got} restored, {want} in the manifest" for n, (got, want) in sorted(wrong.items())]
                          + [f"{n}: missing" for n in missing]))
    audit, want = facts["audit"], manifest.get("audit", {})
    ok = audit["intact"] and audit["head"] == want.get("head") and audit["rows"] == want.get("rows")
    detail = (f"{audit['rows']} rows, newest hash {audit['head']}" if ok else
              audit["problem"] or f"newest hash {audit['head']} ({audit['rows']} rows), "
                                  f"manifest {want.get('head')} ({want.get('rows')} rows)")
    drill.check("audit hash chain", ok, detail)


def _drill_sqlite(backup: Path, manifest: dict, head: str, drill: Drill) -> None:
    with tempfile.TemporaryDirectory(prefix="stegvis-drill-") as scratch:
        copy = Path(scratch) / "restored.db"
        try:
            sqlite_copy(backup, copy)
        except sqlite3.DatabaseError as error:
            drill.check("restore", False, f"not a SQLite database: {error}")
            return
        drill.check("restore", True, f"into a scratch file ({copy.stat().st_size} bytes)")
        engine = create_engine(f"sqlite:///{copy}")
        try:
            with engine.connect() as connection:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                drill.check("foreign keys", not broken,
                            "every reference holds" if not broken else
                            f"{len(broken)} broken references, e.g. {tuple(broken[0])}")
                _check_restored(connection, manifest, head, drill)
        finally:
            engine.dispose()


def _drill_postgres(backup: Path, manifest: dict, head: str, drill: Drill) -> None:
    pg_restore = _tool("pg_restore")
    with _scratch_postgres(db.engine) as url:
        conninfo, env = _libpq(url)
        try:
            _run([pg_restore, "--no-owner", "--exit-on-error", "--single-transaction", "-d", conninfo, str(backup)],
                 env, "pg_restore")
        except BackupError as error:
            drill.check("restore", False, error.message)
            return
        drill.check("restore", True, f"into the scratch database {url.database} (dropped afterwards)")
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                # pg_restore adds the constraints after the data: a broken reference fails the restore.
                unchecked = connection.exec_driver_sql(
                    "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated").scalar_one()
                total = connection.exec_driver_sql(
                    "SELECT count(*) FROM pg_constraint WHERE contype = 'f'").scalar_one()
                drill.check("foreign keys", unchecked == 0 and total > 0,
                            f"{total} foreign keys restored and validated" if unchecked == 0 and total > 0 else
                            f"{unchecked} of {total} foreign keys not validated")
                _check_restored(connection, manifest, head, drill)
        finally:
            engine.dispose()


def restore_drill(backup: Path, manifest_file: Path | None = None) -> Drill:
    drill = Drill()
    manifest_file = manifest_file or manifest_path(backup)
    if not backup.is_file():
        raise BackupError(f"No backup at {backup}.")
    try:
        manifest = json.loads(manifest_file.read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"No readable manifest at {manifest_file} ({error}).") from error
    head = migrations_head(current_app)
    if manifest.get("database") == "sqlite":
        _drill_sqlite(backup, manifest, head, drill)
    elif db.engine.dialect.name == "postgresql":
        _drill_postgres(backup, manifest, head, drill)
    else:
        raise BackupError("A PostgreSQL backup is drilled on a PostgreSQL server: set DATABASE_URL to one.")
    return drill


def create_backup(target: Path) -> Path:
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new name (a backup is never overwritten).")
    target.parent.mkdir(parents=True, exist_ok=True)
    engine = db.engine
    if engine.dialect.name == "sqlite":
        sqlite_copy(_sqlite_file(engine), target)
        copy = create_engine(f"sqlite:///{target}")
        try:
            with copy.connect() as connection:
                facts = _facts(connection)  # counted in the copy itself: they always agree
        finally:
            copy.dispose()
        return _write_manifest(target, "sqlite", facts)
    if engine.dialect.name == "postgresql":
        facts = _pg_dump(engine, target)
        return _write_manifest(target, "postgresql", facts)
    raise BackupError(f"No backup method for {engine.dialect.name}.")


def init_backup_cli(app: Flask) -> None:
    @app.cli.group("backup")
    def backup_cli() -> None:
        """Backups: make one (with a manifest), and prove it restores (the restore drill)."""

    @backup_cli.command("create")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def create_command(path: Path) -> None:
        """Back up the database to PATH (SQLite online backup, or pg_dump -Fc), with PATH.manifest.json."""
        manifest = create_backup(path)
        facts = json.loads(manifest.read_text())
        click.echo(f"Backup written to {path} ({path.stat().st_size} bytes), manifest {manifest}.")
        click.echo(f"{sum(facts['row_counts'].values())} rows in {len(facts['row_counts'])} tables; "
                   f"schema {facts['alembic_revision']}; audit log {facts['audit']['rows']} rows, "
                   f"newest hash {facts['audit']['head']}.")
        if not facts["audit"]["intact"]:
            click.echo(f"Warning: the audit log does not verify: {facts['audit']['problem']}.", err=True)

    @backup_cli.command("restore-drill")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--manifest", "manifest_file", type=click.Path(dir_okay=False, path_type=Path),
                  help="The manifest to check against (default: PATH.manifest.json).")
    def drill_command(path: Path, manifest_file: Path | None) -> None:
        """Restore PATH into a scratch database and check it; exit 1 when any check fails."""
        drill = restore_drill(path, manifest_file)
        for name, ok, detail in drill.checks:
            click.echo(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
        click.echo("The restore drill passed." if drill.passed
                   else "The restore drill FAILED: do not rely on this backup.")
        click.echo(REPLAY_NOTE)
        if not drill.passed:
            raise SystemExit(1)
