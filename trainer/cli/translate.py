"""The gettext workflow for the UI (messages) and the course content (content)."""
from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path

import click
from babel import Locale, UnknownLocaleError
from babel.messages.frontend import CommandLineInterface
from flask import current_app
from flask.cli import with_appcontext

from trainer.config import ROOT
from trainer.content import catalog
from trainer.content.errors import ContentError
from trainer.content.loader import load_content

KEYWORDS = ["_l", "N_"]  # besides Babel's defaults (_, gettext, ngettext, ...)


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


folder_option = click.option(
    "--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Translations folder (default: CONTENT_TRANSLATIONS, i.e. translations/).")
content_option = click.option(
    "--content", "content_folder", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Content folder (default: CONTENT_FOLDER, i.e. quizzes/).")


def _translations(folder: Path | None) -> Path:
    return Path(folder or current_app.config["CONTENT_TRANSLATIONS"])


def _content_entries(content_folder: Path | None) -> list[catalog.Entry]:
    folder = Path(content_folder or current_app.config["CONTENT_FOLDER"])
    try:
        return catalog.content_entries(load_content(folder))
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) in {folder}: fix them first "
                                   "(flask content check)") from error


def _languages(folder: Path) -> list[str]:
    """The languages with a catalog (messages.po or content.po) under ``folder``."""
    return sorted({path.parent.parent.name for name in ("messages.po", f"{catalog.DOMAIN}.po")
                   for path in folder.glob(f"*/LC_MESSAGES/{name}")})


def _po(folder: Path, lang: str, domain: str) -> Path:
    return folder / lang / "LC_MESSAGES" / f"{domain}.po"


def _extract_messages(folder: Path) -> bool:
    """pybabel extract into messages.pot, keeping the file (and its date) if no message changed."""
    target = folder / "messages.pot"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        fresh = Path(scratch) / "messages.pot"
        keywords = [arg for word in KEYWORDS for arg in ("-k", word)]
        # --ignore-dirs: Babel skips folders starting with "_" by default, which would miss templates/_macros.
        # Run from the repository root so source references read templates/..., not this machine's path.
        with contextlib.chdir(ROOT):
            _pybabel("extract", "-F", "babel.cfg", *keywords, "--ignore-dirs", ".*", "--project", "trainer",
                     "--sort-by-file", "--add-comments", "Translators:", "-o", str(fresh), ".")

        def undated(path: Path) -> list[bytes]:
            return [line for line in path.read_bytes().splitlines() if not line.startswith(b'"POT-Creation-Date:')]

        if target.is_file() and undated(target) == undated(fresh):
            return False
        shutil.move(fresh, target)
        return True


def _said(path: Path, changed: bool) -> str:
    return f"{path}: {'written' if changed else 'unchanged'}"


@click.group("translate")
def translate_group():
    """Extract, update and compile the gettext catalogs under translations/: the UI (messages) and the course
    content (content)."""


@translate_group.command("extract")
@folder_option
@content_option
@with_appcontext
def translate_extract(folder, content_folder):
    """Write messages.pot from the code and templates, and content.pot from the course content."""
    folder = _translations(folder)
    entries = _content_entries(content_folder)
    click.echo(_said(folder / "messages.pot", _extract_messages(folder)))
    pot = folder / f"{catalog.DOMAIN}.pot"
    click.echo(f"{_said(pot, catalog.write_pot(entries, pot))} ({len(entries)} entries)")


@translate_group.command("update")
@folder_option
@with_appcontext
def translate_update(folder):
    """Merge messages.pot and content.pot into every language's messages.po and content.po (changed entries
    become fuzzy; a missing content.po is created)."""
    folder = _translations(folder)
    pot = folder / f"{catalog.DOMAIN}.pot"
    if not pot.is_file():
        raise click.ClickException(f"no {pot}: run flask translate extract first")
    languages = _languages(folder)
    if any(_po(folder, lang, "messages").is_file() for lang in languages):
        _pybabel("update", "-i", str(folder / "messages.pot"), "-d", str(folder), "-D", "messages", "--no-wrap")
    template = catalog.read_catalog(pot)
    for lang in languages:
        path = _po(folder, lang, catalog.DOMAIN)
        changed = catalog.update_po(template, path, lang)
        counts = _counts(catalog.read_catalog(path, lang))
        click.echo(f"{_said(path, changed)} ({counts['translated']} translated, {counts['fuzzy']} fuzzy, "
                   f"{counts['missing']} missing)")


def _counts(po) -> dict[str, int]:
    counts = {"translated": 0, "fuzzy": 0, "missing": 0}
    for message in po:
        if message.id:
            counts[catalog.status(message)] += 1
    return counts


@translate_group.command("compile")
@folder_option
@with_appcontext
def translate_compile(folder):
    """Compile every messages.po and content.po into the .mo files the app loads (fuzzy entries left out)."""
    folder = _translations(folder)
    languages = _languages(folder)
    if any(_po(folder, lang, "messages").is_file() for lang in languages):
        _pybabel("compile", "-d", str(folder), "-D", "messages")
    for lang in languages:
        path = _po(folder, lang, catalog.DOMAIN)
        if path.is_file():
            click.echo(_said(path.with_suffix(".mo"), catalog.compile_po(path, path.with_suffix(".mo"))))


@translate_group.command("init")
@click.argument("language")
@folder_option
@with_appcontext
def translate_init(language, folder):
    """Start the catalogs (messages.po, content.po) of a new language."""
    folder = _translations(folder)
    try:
        Locale.parse(language)
    except (ValueError, UnknownLocaleError) as error:
        raise click.UsageError(f"unknown language {language!r}") from error
    messages, content = _po(folder, language, "messages"), _po(folder, language, catalog.DOMAIN)
    if messages.is_file() and content.is_file():
        raise click.ClickException(f"{language} already has its catalogs: use flask translate update")
    pot = folder / f"{catalog.DOMAIN}.pot"
    if not (folder / "messages.pot").is_file() or not pot.is_file():
        raise click.ClickException("run flask translate extract first")
    if not messages.is_file():
        _pybabel("init", "-i", str(folder / "messages.pot"), "-d", str(folder), "-D", "messages", "-l", language,
                 "--no-wrap")
        click.echo(_said(messages, True))
    if not content.is_file():
        click.echo(_said(content, catalog.update_po(catalog.read_catalog(pot), content, language)))


@translate_group.command("coverage")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@folder_option
@content_option
@with_appcontext
def translate_coverage(as_json, folder, content_folder):
    """Per language and module: translated, fuzzy (to check; not shown) and missing entries, for the content
    catalogs and the UI catalog (row "ui"). Counts the content as it is now against each content.po."""
    folder = _translations(folder)
    rows = catalog.coverage_report(_content_entries(content_folder), folder, _languages(folder))
    if as_json:
        click.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
        return
    width = max([len("module"), *(len(row.module) for row in rows)])
    click.echo(f"{'language':<8}  {'module':<{width}}  {'translated':>10}  {'fuzzy':>5}  {'missing':>7}  "
               f"{'percent':>7}")
    for row in rows:
        click.echo(f"{row.language:<8}  {row.module:<{width}}  {row.translated:>10}  {row.fuzzy:>5}  "
                   f"{row.missing:>7}  {row.percent:>6.1f}%")
