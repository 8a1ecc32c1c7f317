"""``flask cohorts ...``: roster import from the command line, through the same service as the page."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from trainer.errors import DomainError
from trainer.exports import csv_bytes
from trainer.extensions import db
from trainer.models import Cohort
from trainer.services import activation, enrolment


@click.group("cohorts")
def cohorts_group():
    """Cohorts: import rosters."""


@cohorts_group.command("import-roster")
@click.argument("cohort_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would happen; write nothing.")
@click.option("--codes", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the one-time sign-in codes of new accounts to this CSV file (else they are printed).")
@with_appcontext
def import_roster_command(cohort_id: int, file: Path, dry_run: bool, codes: Path | None):
    """Import a roster CSV into COHORT_ID, as the cohort's lead trainer. All rows, or nothing."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not cohort.trainer_links:
        raise click.ClickException(f"no cohort {cohort_id} with a trainer")
    data = file.read_bytes()
    languages = tuple(current_app.config["LANGUAGES"])
    plan = enrolment.plan_roster(db.session, cohort, data, languages)
    if not plan.ok:
        for problem in plan.result.problems + plan.problems:
            click.echo(f"{file}: {problem}", err=True)
        raise click.ClickException(f"{file}: the roster has problems; nothing was imported")
    summary = (f"{plan.count(enrolment.Action.CREATE)} new accounts, {plan.count(enrolment.Action.ENROL)} existing "
               f"accounts to enrol, {plan.count(enrolment.Action.ALREADY)} already in the cohort")
    if dry_run:
        click.echo(f"Dry run: {summary}. Nothing was written.")
        return
    try:
        enrolment.import_roster(db.session, cohort.trainer_links[0].user, cohort.id, data, languages, plan.digest)
    except DomainError as error:
        raise click.ClickException(error.message % error.params if error.params else error.message) from error
    click.echo(f"Imported into {cohort.name}: {summary}.")
    slips = activation.slips(db.session, current_app.config["SECRET_KEY"], cohort.id)
    if codes is not None:
        codes.write_bytes(csv_bytes(["full name", "username", "one-time code"],
                                    [(u.full_name, u.username, code) for u, code in slips]))
        click.echo(f"Sign-in codes of {len(slips)} people who have not signed in yet: {codes}")
    else:
        for user, code in slips:
            click.echo(f"  {user.username:<24} {code}  {user.full_name}")
