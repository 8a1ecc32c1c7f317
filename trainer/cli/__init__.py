"""Command-line entry points (``flask ...``). They call the same services as the web pages."""
from flask import Flask

from trainer.cli.accounts import create_user_command, demo_command, seed_demo_command
from trainer.cli.certificates import certificates_group
from trainer.cli.checks import content_group, mrz_group
from trainer.cli.cohorts import cohorts_group
from trainer.cli.scale import seed_scale_command
from trainer.cli.stats import stats_group
from trainer.cli.translate import KEYWORDS, translate_group

__all__ = ["KEYWORDS", "register_cli"]


def register_cli(app: Flask) -> None:
    for command in (create_user_command, seed_demo_command, demo_command, translate_group, content_group,
                    mrz_group, cohorts_group, certificates_group, seed_scale_command, stats_group):
        app.cli.add_command(command)
