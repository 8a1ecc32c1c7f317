"""My training, modules, lessons and their media."""
from __future__ import annotations

from flask import abort, current_app, render_template, send_from_directory, url_for
from flask_login import current_user

from trainer.extensions import db
from trainer.models.base import utcnow
from trainer.services import attempts, enrolment, progress
from trainer.web.access import trainee_required
from trainer.web.learn.common import bp, lang, module_or_404, redirect_if_locked, standing_of, store

WORDS_PER_MINUTE = 180  # a careful reading pace for study text, often in a second language


@bp.route("/")
@trainee_required
def my_training():
    content = store().get()
    standings = progress.standings(db.session, content, current_user.id)
    modules = [store().module(m.id, lang()) for m in content.ordered_modules()]
    return render_template("learn/my_training.html", modules=modules, standings=standings,
                           titles={m.id: m.title for m in modules},
                           cohorts=enrolment.my_cohorts(db.session, current_user.id), today=utcnow().date())


@bp.route("/modules/<module_id>")
@trainee_required
def module(module_id: str):
    module = module_or_404(module_id)
    content = store().get()
    quizzes = [store().quiz(q, lang()) for q in module.assessments]
    scenarios = [store().scenario(s, lang()) for s in module.scenarios]
    minutes = {lsn.id: max(1, round(content.lessons[(module.id, lsn.id)].words / WORDS_PER_MINUTE))
               for lsn in module.lessons}
    titles = {m: store().module(m, lang()).title for m in module.prerequisites}
    return render_template("learn/module.html", module=module, standing=standing_of(module_id), quizzes=quizzes,
                           scenarios=scenarios,
                           minutes=minutes, prerequisite_titles=titles, offered=store().offered(module_id, lang()))


@bp.route("/modules/<module_id>/lessons/<lesson_id>")
@trainee_required
def lesson(module_id: str, lesson_id: str):
    module = module_or_404(module_id)
    ref = module.lesson(lesson_id)
    if ref is None:
        abort(404)
    standing = standing_of(module_id)
    if locked := redirect_if_locked(module, standing):
        return locked
    progress.mark_lesson_read(db.session, store().get(), current_user.id, module_id, lesson_id)
    blocks = store().lesson(module_id, lesson_id, lang(),
                            lambda path: url_for("learn.media", module_id=module_id, filename=path))
    index = [lsn.id for lsn in module.lessons].index(lesson_id)
    words = store().get().lessons[(module_id, lesson_id)].words
    return render_template(
        "learn/lesson.html", module=module, lesson=ref, blocks=blocks,
        previous=module.lessons[index - 1] if index > 0 else None,
        next=module.lessons[index + 1] if index + 1 < len(module.lessons) else None,
        minutes=max(1, round(words / WORDS_PER_MINUTE)), untranslated=any(b.untranslated for b in blocks))


@bp.route("/media/<module_id>/<path:filename>")
@trainee_required
def media(module_id: str, filename: str):
    if module_id not in store().get().modules:
        abort(404)
    folder = store().get().module_dir(module_id) / "media"
    return send_from_directory(folder, filename, max_age=current_app.config["SEND_FILE_MAX_AGE_DEFAULT"])


@bp.route("/history")
@trainee_required
def history():
    content = store().get()
    titles = {q: store().quiz(q, lang()).title for q in content.quizzes}
    return render_template("learn/history.html", attempts=attempts.history(db.session, current_user.id),
                           titles=titles)
