"""Accounts and demo data: create-user, seed-demo, demo."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import run_simple

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.models import Agency, DutyStation, Role
from trainer.services import demo, users
from trainer.services.demo_cascade import seed_demo_cascade


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


def _seed_cascade() -> None:
    created = seed_demo_cascade(db.session, current_app.extensions["content"].get())
    if created:
        click.echo(f"Demo cascade: {created} cohorts from the master ToT down to front-line courses.")


def print_demo_accounts(accounts) -> None:
    click.echo("Demo accounts (username / password / roles):")
    for account in accounts:
        click.echo(f"  {account.username:<12} {account.password:<22} {', '.join(sorted(account.roles))}")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load Mongolia's agencies and duty stations, one demo account per role, and a demo training cascade."""
    print_demo_accounts(demo.seed_demo(db.session))
    _seed_cascade()


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo_command(host, port):
    """Upgrade the database, load demo data and serve the app (development server)."""
    upgrade(directory=str(Path(__file__).parent / "migrations"))
    print_demo_accounts(demo.seed_demo(db.session))
    _seed_cascade()
    db.session.remove()  # end this command's read transaction: SQLite would keep the file locked while serving
    click.echo(f"\nServing trainer with demo data at http://{host}:{port}/  (Ctrl+C stops it)")
    # Flask refuses app.run() inside its own CLI; serve with Werkzeug's development server directly.
    run_simple(host, port, current_app._get_current_object(), threaded=True)
