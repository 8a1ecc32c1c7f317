"""``flask stats rebuild``: recompute the report totals from the raw rows (after an upgrade or a bulk load)."""
from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from trainer.extensions import db
from trainer.services import rollups
from trainer.services.tx import transaction


@click.group("stats")
def stats_group():
    """The report totals behind the coordinators' pages."""


@stats_group.command("rebuild")
@with_appcontext
def rebuild_command():
    """Recompute every report total (enrolments, modules, items, options, attempts, indicators, scenarios)."""
    started = time.perf_counter()
    with transaction(db.session):
        read = rollups.rebuild(db.session)
    click.echo("Report totals rebuilt from " + ", ".join(f"{n:,} {name}" for name, n in read.items())
               + f" in {time.perf_counter() - started:.1f} s.")
