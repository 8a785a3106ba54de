"""Command-line tasks: `flask demo`, `flask translate …`, `flask create-project`, `flask create-staff`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import Flask
from sqlalchemy import select

from webapp.config import PROJECT_ROOT, TRANSLATIONS_DIR
from webapp.extensions import db

POT = TRANSLATIONS_DIR / "messages.pot"
SOURCE_LANGUAGE = "en"  # the msgids are English; the en catalogue copies them


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(output: Path = POT) -> None:
    _pybabel(
        "extract", "-F", str(PROJECT_ROOT / "babel.cfg"),
        # _l/lazy_gettext: labels made at import time; t(): visible texts in templates (SFI mode).
        "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2", "-k", "t",
        "--add-comments=Translators:", "--no-location", "--sort-output",
        "--project=Stegvis", "--copyright-holder=Stegvis", "--msgid-bugs-address=-",
        "-o", str(output), str(PROJECT_ROOT),
    )


def compile_catalogues() -> None:
    """Build the .mo files the app reads from the .po files that changed since. Each file is
    written next to its place and then moved there, so a reader (a second test run, a running
    server) never sees half a file."""
    for po in sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalogue = read_po(f, locale=po.parent.parent.name)
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        with partial.open("wb") as f:
            write_mo(f, catalogue)
        os.replace(partial, mo)


def fill_source_catalogue() -> None:
    """English is the language of the msgids: its catalogue repeats them."""
    path = TRANSLATIONS_DIR / SOURCE_LANGUAGE / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return
    with path.open("rb") as f:
        catalogue = read_po(f, locale=SOURCE_LANGUAGE)
    # Always overwrite: `pybabel update` fills new entries from similar old ones (fuzzy
    # matching), which would put the wrong English on screen.
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = (message.id[0],) + (message.id[1],) * (catalogue.num_plurals - 1)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalogue, width=100, omit_header=False)


def init_cli(app: Flask) -> None:
    from webapp.archive.cli import init_archive_cli

    init_archive_cli(app)  # flask export-project, flask import-project
    from webapp.audit import init_audit_cli

    init_audit_cli(app)  # flask audit verify
    from webapp.rights.cli import init_purge_cli

    init_purge_cli(app)
    from webapp.ops.backup import init_backup_cli

    init_backup_cli(app)  # flask backup create, flask backup restore-drill

    @app.cli.group()
    def translate() -> None:
        """Translation workflow: extract, update, compile, init."""

    @translate.command("extract")
    def translate_extract() -> None:
        """Collect every translatable string into translations/messages.pot."""
        extract()

    @translate.command("update")
    def translate_update() -> None:
        """Extract, then merge new strings into every catalogue (new ones start empty)."""
        extract()
        _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS_DIR), "--width=100")
        fill_source_catalogue()

    @translate.command("compile")
    def translate_compile() -> None:
        """Compile the catalogues to .mo files that the app reads."""
        compile_catalogues()

    @translate.command("init")
    @click.argument("locale")
    def translate_init(locale: str) -> None:
        """Start a catalogue for a new language, e.g. `flask translate init so`."""
        extract()
        _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS_DIR), "-l", locale, "--width=100")
        click.echo(f"Check the Plural-Forms line in translations/{locale}/LC_MESSAGES/messages.po against CLDR.")

    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
    def demo(if_empty: bool) -> None:
        """Load the Norrskan demo project (Piteå and Arvidsjaur)."""
        from webapp.demo import load_demo
        from webapp.models import Project

        if db.session.scalar(select(Project.id).limit(1)) is not None:
            if if_empty:
                click.echo("The database already has data; no demo data loaded.")
                return
            click.echo("The database already has data. Use an empty database for the demo.", err=True)
            sys.exit(1)
        summary = load_demo()
        db.session.commit()
        click.echo(summary)

    @app.cli.command("create-project")
    @click.option("--organisation", required=True, help='e.g. "Piteå kommun"')
    @click.option("--name", required=True, help='e.g. "Norrskan"')
    @click.option("--starts-on", required=True, type=click.DateTime(["%Y-%m-%d"]))
    @click.option("--ends-on", required=True, type=click.DateTime(["%Y-%m-%d"]))
    @click.option("--municipality", "municipalities", multiple=True, required=True)
    def create_project(organisation, name, starts_on, ends_on, municipalities) -> None:
        """Create a project with its municipalities and the standard "who helps" list."""
        from webapp.setup import create_project as make

        project = make(organisation, name, starts_on.date(), ends_on.date(), municipalities)
        db.session.commit()
        click.echo(f"Project {project.name} created.")

    @app.cli.command("create-staff")
    @click.option("--role", type=click.Choice(["coach", "leader"]), required=True)
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--project", "project_name", required=True)
    @click.password_option()
    def create_staff(role, email, name, project_name, password) -> None:
        """Create a coach or project leader in a project."""
        from webapp.setup import SetupError
        from webapp.setup import create_staff as make

        try:
            make(role, email, name, project_name, password)
        except SetupError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
        click.echo(f"{name} <{email}> can now sign in.")
