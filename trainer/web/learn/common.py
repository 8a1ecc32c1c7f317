"""What the trainee's pages share: the blueprint, the content store, the reader's language, module lookups."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from trainer.content.store import ContentStore
from trainer.extensions import db
from trainer.services import progress

bp = Blueprint("learn", __name__)


def store() -> ContentStore:
    return current_app.extensions["content"]


def lang() -> str:
    return str(get_locale())


def module_or_404(module_id: str):
    module = store().module(module_id, lang())
    if module is None:
        abort(404)
    return module


def standing_of(module_id: str) -> progress.ModuleStanding:
    return progress.standings(db.session, store().get(), current_user.id)[module_id]


def redirect_if_locked(module, standing):
    if standing.status == progress.Status.LOCKED:
        flash(_("Complete the prerequisite modules first."), "error")
        return redirect(url_for("learn.module", module_id=module.id))
    return None
