"""``flask seed-scale``: a large, realistic data set for benchmarks (see trainer.services.scale)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.services import scale
from trainer.web.certificates.common import issuer


@click.command("seed-scale")
@click.option("--trainees", type=click.IntRange(min=1), required=True, help="How many trainees to add.")
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed (same seed, same data).")
@click.option("--online-share", type=click.FloatRange(0, 1), default=scale.ONLINE_SHARE, show_default=True,
              help="Share of course trainees who work online (the rest attend in person only).")
@with_appcontext
def seed_scale_command(trainees: int, seed: int, online_share: float):
    """Add TRAINEES officers in a training cascade with attempts, scenario runs and certificates (run seed-demo
    first). Each run adds more; use a scratch database."""
    try:
        scale.seed_scale(db.session, current_app.extensions["content"].get(), issuer(), trainees, seed=seed,
                         online_share=online_share, echo=click.echo)
    except DomainError as error:
        raise click.ClickException(error.message % error.params if error.params else error.message) from error
