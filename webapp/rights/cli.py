"""`flask purge`: run daily. Purges every project whose retention date has passed; `--dry-run`
only lists; `--replay` re-applies the purge register after a restore from backup."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from webapp import clock
from webapp.extensions import db


def init_purge_cli(app: Flask) -> None:
    @app.cli.command("purge")
    @click.option("--dry-run", is_flag=True, help="List what would be purged; change nothing.")
    @click.option("--replay", is_flag=True,
                  help="After a restore from backup: purge again everyone in the purge register.")
    @click.option("--register", "register_path", type=click.Path(dir_okay=False, path_type=Path),
                  help="With --replay: read this register file instead of PURGE_REGISTER_FILE.")
    def purge_command(dry_run: bool, replay: bool, register_path: Path | None) -> None:
        """Delete or anonymise participants' data after their project's retention date (gallring)."""
        from webapp.rights import purge

        if replay:
            if dry_run:
                raise click.UsageError("--replay and --dry-run cannot be used together.")
            try:
                result = purge.replay(register_path)
            except purge.RegisterError as error:
                db.session.rollback()
                raise click.ClickException(str(error)) from None
            click.echo(f"Replayed the purge register ({register_path or purge.register_file()}): "
                       f"{result.applied} participations purged (again), {result.missing} not in this database, "
                       f"{result.registered} register rows restored, {result.written} lines added to the file.")
            return
        today = clock.today()
        total = 0
        for run, done in purge.run_due(today, dry_run=dry_run):
            until = run.retention.retention_until.isoformat()
            reference = run.retention.decision_reference.strip()
            count = len(run.participation_ids)
            total += done
            if dry_run:
                click.echo(f"{run.project.name}: would purge {count} participations "
                           f"(kept until {until}, decision {reference}).")
                for participation_id in run.participation_ids:
                    click.echo(f"  {participation_id}")
            else:
                click.echo(f"{run.project.name}: purged {done} participations "
                           f"(kept until {until}, decision {reference}).")
            if run.not_ended:
                click.echo(f"  Note: {run.not_ended} of them had no end recorded.")
        if dry_run:
            click.echo("Dry run: nothing was changed.")
        elif total == 0:
            click.echo(f"Nothing to purge on {today.isoformat()}.")
        else:
            click.echo(f"Purged {total} participations. The register file is {purge.register_file()}.")
