"""Checking things from the command line: the course content, machine readable zones."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from trainer.content import mrz
from trainer.content.errors import ContentError
from trainer.content.loader import load_content
from trainer.content.mrz_report import mrz_report


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
