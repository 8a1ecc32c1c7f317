"""What the cohort pages share: the blueprint, today's date, module titles in the reader's language."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app
from flask_babel import get_locale

from trainer.models.base import utcnow

bp = Blueprint("cohorts", __name__)


def today() -> date:
    return utcnow().date()


def lang() -> str:
    return str(get_locale())


def module_titles() -> dict[str, str]:
    """Every module's title in the reader's language, in course order."""
    store = current_app.extensions["content"]
    return {m.id: store.module(m.id, lang()).title for m in store.get().ordered_modules()}


def indicator_labels() -> dict[str, str]:
    return current_app.extensions["content"].indicator_labels(lang())
