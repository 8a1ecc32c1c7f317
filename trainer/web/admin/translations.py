"""The translation coverage page: per language and module, what translators have done and what is offered."""
from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template

from trainer.content import catalog
from trainer.web.access import admin_required
from trainer.web.admin.routes import bp
from trainer.web.i18n import language_name, offered_languages


@bp.route("/translations")
@admin_required
def translations():
    store = current_app.extensions["content"]
    content = store.get()
    languages = [lang for lang in offered_languages() if lang != "en"]
    rows = catalog.coverage_report(catalog.content_entries(content), Path(current_app.config["CONTENT_TRANSLATIONS"]),
                                   languages)
    titles = {m.id: store.module(m.id, "en").title for m in content.ordered_modules()}
    offered = {(lang, m): store.offered(m, lang) for lang in languages for m in titles}
    overrides = {(lang, m) for m, langs in store.overrides.items() for lang in langs}
    return render_template("admin/translations.html", rows=rows, titles=titles, offered=offered,
                           overrides=overrides, language_name=language_name)
