"""`flask export-project` and `flask import-project`: the project archive (docs/ARCHIVE.md)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from webapp import audit
from webapp.archive import export, importer
from webapp.extensions import db
from webapp.models import Project


def accounts_csv(result: importer.Imported) -> str:
    """The new accounts and their activation codes, one a line (for the operator to hand out)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "role", "login_name", "activation_code"])
    for account in result.accounts:
        writer.writerow([account.name, account.role, account.login_name, account.code or ""])
    return out.getvalue()


def _write_private(path: Path, text: str) -> None:
    """A file only its owner can read: it holds activation codes."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def init_archive_cli(app: Flask) -> None:
    @app.cli.command("export-project")
    @click.argument("name")
    @click.option("--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write the archive to this file (default: print it).")
    def export_command(name: str, output: Path | None) -> None:
        """Write everything about the project NAME to one JSON file (see docs/ARCHIVE.md)."""
        project = db.session.scalar(select(Project).where(Project.name == name))
        if project is None:
            raise click.ClickException(f"There is no project called {name!r}.")
        text = export.to_json(export.collect(project))
        audit.record_event("export", project_id=project.id, detail="project-archive-cli")
        db.session.commit()
        if output is None:
            click.echo(text)
        else:
            _write_private(output, text)
            click.echo(f"Wrote the archive of {project.name} to {output}.", err=True)

    @app.cli.command("import-project")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--as", "new_name", help="Import as a copy under this project name.")
    @click.option("--codes", "codes_path", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write the new accounts' activation codes to this file (CSV) instead of printing them.")
    def import_command(path: Path, new_name: str | None, codes_path: Path | None) -> None:
        """Read a project archive into this database, all or nothing."""
        try:
            data = importer.read(path.read_bytes())
            result = importer.import_archive(data, new_name=new_name)
            db.session.commit()
        except importer.ArchiveError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        except Exception:
            db.session.rollback()
            raise
        audit.record_event("import", project_id=result.project.id, detail="project-archive-cli")
        db.session.commit()
        click.echo(f"Imported {result.project.name}: {result.rows} rows, {len(result.accounts)} new accounts, "
                   f"{len(result.linked_staff)} staff linked to their existing accounts.")
        codes = accounts_csv(result)
        if codes_path is None:
            click.echo("New accounts and their activation codes (shown once):")
            click.echo(codes, nl=False)
        else:
            _write_private(codes_path, codes)
            click.echo(f"Wrote the activation codes to {codes_path}.")
