"""Command-line entry points (``flask ...``). They call the same services as the web pages."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import run_simple

from trainer.config import ROOT
from trainer.content import mrz
from trainer.content.errors import ContentError
from trainer.content.loader import load_content
from trainer.content.mrz_report import mrz_report
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.models import Agency, DutyStation, Role
from trainer.services import demo, users

KEYWORDS = ["_l", "N_"]  # besides Babel's defaults (_, gettext, ngettext, ...)


@click.command("create-user")
@click.argument("username")
@click.option("--full-name", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]), default=["trainee"],
              show_default=True, help="Repeat for several roles.")
@click.option("--email", default=None)
@click.option("--agency", "agency_code", default=None, help="Agency short code, e.g. GABP.")
@click.option("--station", default=None, help="Duty station name, as listed on the admin pages.")
@click.option("--language", default=None)
@click.password_option(help="Leave out to get a one-time password that must be changed at first login.",
                       prompt=False, default=None)
@with_appcontext
def create_user_command(username, full_name, roles, email, agency_code, station, language, password):
    """Create an account."""
    session = db.session
    agency_id = station_id = None
    if agency_code:
        agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code.upper()))
        if agency_id is None:
            raise click.UsageError(f"no agency with code {agency_code!r}")
    if station:
        station_id = session.scalar(select(DutyStation.id).where(DutyStation.name == station))
        if station_id is None:
            raise click.UsageError(f"no duty station named {station!r}")
    if language and language not in current_app.config["LANGUAGES"]:
        raise click.UsageError(f"language must be one of {', '.join(current_app.config['LANGUAGES'])}")
    data = users.UserData(username=username, full_name=full_name, email=email, roles={Role(r) for r in roles},
                          agency_id=agency_id, duty_station_id=station_id, preferred_language=language)
    try:
        user, handed_password = users.create_user(session, None, data, password=password)
    except DomainError as error:
        raise click.ClickException(error.message % error.params if error.params else error.message) from error
    click.echo(f"Created {user.username} ({', '.join(sorted(user.roles))}).")
    if password is None:
        click.echo(f"One-time password (must be changed at first login): {handed_password}")


def print_demo_accounts(accounts) -> None:
    click.echo("Demo accounts (username / password / roles):")
    for account in accounts:
        click.echo(f"  {account.username:<12} {account.password:<22} {', '.join(sorted(account.roles))}")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load Mongolia's agencies and duty stations and one demo account per role."""
    print_demo_accounts(demo.seed_demo(db.session))


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo_command(host, port):
    """Upgrade the database, load demo data and serve the app (development server)."""
    upgrade(directory=str(Path(__file__).parent / "migrations"))
    print_demo_accounts(demo.seed_demo(db.session))
    db.session.remove()  # end this command's read transaction: SQLite would keep the file locked while serving
    click.echo(f"\nServing trainer with demo data at http://{host}:{port}/  (Ctrl+C stops it)")
    # Flask refuses app.run() inside its own CLI; serve with Werkzeug's development server directly.
    run_simple(host, port, current_app._get_current_object(), threaded=True)


@click.group("content")
def content_group():
    """Check the course content under quizzes/."""


@content_group.command("check")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Content folder (default: CONTENT_FOLDER, i.e. quizzes/).")
@with_appcontext
def content_check(folder):
    """Validate every module, lesson and quiz; print each problem as file:line: field: message."""
    folder = folder or Path(current_app.config["CONTENT_FOLDER"])
    try:
        content = load_content(folder)
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) in {folder}") from error
    questions = sum(len(pool.questions) for quiz in content.quizzes.values() for pool in quiz.pools)
    click.echo(f"OK: {len(content.modules)} modules, {len(content.lessons)} lessons, "
               f"{len(content.quizzes)} quizzes, {questions} questions, {len(content.scenarios)} scenarios")


@click.group("mrz")
def mrz_group():
    """Machine readable zones (ICAO Doc 9303)."""


@mrz_group.command("check")
@click.argument("lines", nargs=-1, required=True)
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Also check that the document has not expired on this date (YYYY-MM-DD).")
def mrz_check(lines, on):
    """Check an MRZ given as 2 or 3 LINES; print JSON. Exit 0 valid, 1 a check failed, 2 a format error."""
    result = mrz.parse(list(lines))
    report = mrz_report(result, on.date() if on else None)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    if result.format_errors:
        sys.exit(2)
    sys.exit(0 if all(check["ok"] for check in report["checks"]) else 1)


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


@click.group("translate")
def translate_group():
    """Extract, update and compile the gettext catalogs under translations/."""


@translate_group.command("extract")
def translate_extract():
    """Write translations/messages.pot from the code and templates."""
    keywords = [arg for word in KEYWORDS for arg in ("-k", word)]
    # --ignore-dirs: Babel skips folders starting with "_" by default, which would miss templates/_macros.
    _pybabel("extract", "-F", str(ROOT / "babel.cfg"), *keywords, "--ignore-dirs", ".*", "--project", "trainer",
             "--sort-by-file",
             "--add-comments", "Translators:", "-o", str(ROOT / "translations" / "messages.pot"), str(ROOT))


@translate_group.command("update")
def translate_update():
    """Merge messages.pot into every language's messages.po (changed entries become fuzzy)."""
    _pybabel("update", "-i", str(ROOT / "translations" / "messages.pot"), "-d", str(ROOT / "translations"),
             "-D", "messages", "--no-wrap")


@translate_group.command("compile")
def translate_compile():
    """Compile every messages.po into the messages.mo the app loads."""
    _pybabel("compile", "-d", str(ROOT / "translations"), "-D", "messages")


@translate_group.command("init")
@click.argument("language")
def translate_init(language):
    """Start a catalog for a new language."""
    _pybabel("init", "-i", str(ROOT / "translations" / "messages.pot"), "-d", str(ROOT / "translations"),
             "-D", "messages", "-l", language, "--no-wrap")


def register_cli(app: Flask) -> None:
    for command in (create_user_command, seed_demo_command, demo_command, translate_group, content_group,
                    mrz_group):
        app.cli.add_command(command)
