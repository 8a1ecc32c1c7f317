"""Quizzes and practice: start, answer question by question (autosave on top), submit once, review."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from trainer.content import questions as question_types
from trainer.errors import Conflict, DomainError, NotFound
from trainer.extensions import db
from trainer.models.base import utcnow
from trainer.services import attempts, practice, progress
from trainer.web.access import trainee_required
from trainer.web.i18n import error_message
from trainer.web.learn.common import bp, lang, standing_of, store
from trainer.web.learn.forms import ActionForm


@bp.route("/quizzes/<quiz_id>")
@trainee_required
def quiz(quiz_id: str):
    content = store().get()
    quiz = store().quiz(quiz_id, lang())
    if quiz is None:
        abort(404)
    module = store().module(content.quiz_module[quiz_id], lang())
    standing = standing_of(module.id)
    tries = attempts.history(db.session, current_user.id, quiz_id)
    return render_template("learn/quiz.html", quiz=quiz, module=module, standing=standing,
                           quiz_standing=standing.quizzes[quiz_id], tries=tries, form=ActionForm())


@bp.route("/quizzes/<quiz_id>/start", methods=["POST"])
@trainee_required
def start(quiz_id: str):
    try:
        attempt = attempts.start(db.session, store().get(), current_user.id, quiz_id, lang())
    except DomainError as error:
        if error.status == 404:
            abort(404)
        flash(error_message(error), "error")
        return redirect(url_for("learn.quiz", quiz_id=quiz_id))
    return redirect(url_for("learn.question", attempt_id=attempt.id, position=attempts.first_open_position(attempt)))


def _open_attempt(attempt_id: int):
    """The signed-in person's attempt; a finished one (or one whose time ran out) goes to its result."""
    try:
        attempt = attempts.get_attempt(db.session, current_user.id, attempt_id)
    except NotFound:
        abort(404)
    if attempts.expire_if_due(db.session, store().get(), attempt):
        flash(_(attempts.TimeUp.message), "info")
    if attempt.submitted:
        return attempt, redirect(url_for("learn.result", attempt_id=attempt.id))
    return attempt, None


def _answer_form() -> dict[str, list[str]]:
    return {k: v for k, v in request.form.to_dict(flat=False).items() if k not in ("csrf_token", "go")}


@bp.route("/attempts/<int:attempt_id>/questions/<int:position>", methods=["GET", "POST"])
@trainee_required
def question(attempt_id: int, position: int):
    attempt, done = _open_attempt(attempt_id)
    if done:
        return done
    count = len(attempt.questions)
    if not 1 <= position <= count:
        abort(404)
    form = ActionForm()
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            attempts.save_answer(db.session, store().get(), current_user.id, attempt.id, position, _answer_form())
        except Conflict as error:
            flash(error_message(error), "info")
            return redirect(url_for("learn.result", attempt_id=attempt.id))
        except DomainError as error:
            flash(error_message(error), "error")
            status = error.status
        else:
            return redirect(_after_save(attempt.id, position, count, request.form.get("go", "next")))
    return render_template("learn/question.html", **_question_page(attempt, position), form=form), status


def _after_save(attempt_id: int, position: int, count: int, go: str) -> str:
    if go == "previous" and position > 1:
        return url_for("learn.question", attempt_id=attempt_id, position=position - 1)
    if go.startswith("q") and go[1:].isdigit() and 1 <= int(go[1:]) <= count:
        return url_for("learn.question", attempt_id=attempt_id, position=int(go[1:]))
    if go == "submit" or position == count:
        return url_for("learn.submit", attempt_id=attempt_id)
    return url_for("learn.question", attempt_id=attempt_id, position=position + 1)


def _question_page(attempt, position: int) -> dict:
    item = attempts.drawn(attempt)[position - 1]
    question = store().localize_question(attempt.quiz_id, item.question, lang())
    qtype = question_types.get(question.type)
    saved = {r.position: r for r in attempt.responses}
    response = saved.get(position)
    return {
        "attempt": attempt, "position": position, "count": len(attempt.questions), "question": question,
        "template": qtype.template, "view": qtype.prepare(question, attempts.question_rng(attempt, question.id)),
        "answer": response.answer if response else None,
        "answered": {p for p, r in saved.items() if r.answer is not None},
        "quiz_title": _quiz_title(attempt), "seconds_left": attempts.seconds_left(attempt),
    }


@bp.route("/attempts/<int:attempt_id>/autosave/<int:position>", methods=["POST"])
@trainee_required
def autosave(attempt_id: int, position: int):
    """The JavaScript enhancement: the same save as the form, answered in JSON."""
    try:
        response = attempts.save_answer(db.session, store().get(), current_user.id, attempt_id, position,
                                        _answer_form())
    except DomainError as error:
        return jsonify(saved=False, message=error_message(error)), error.status
    saved_at = response.saved_at if response else utcnow()
    return jsonify(saved=True, message=_("Saved at %(time)s", time=format_time(saved_at, "short")))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@trainee_required
def submit(attempt_id: int):
    attempt, done = _open_attempt(attempt_id)
    if done:
        return done
    form = ActionForm()
    if form.validate_on_submit():
        attempts.submit(db.session, store().get(), current_user.id, attempt.id)
        return redirect(url_for("learn.result", attempt_id=attempt.id))
    answered = {r.position for r in attempt.responses if r.answer is not None}
    return render_template("learn/submit.html", attempt=attempt, answered=answered, form=form,
                           count=len(attempt.questions), quiz_title=_quiz_title(attempt),
                           seconds_left=attempts.seconds_left(attempt))


@bp.route("/attempts/<int:attempt_id>")
@trainee_required
def result(attempt_id: int):
    try:
        attempt = attempts.get_attempt(db.session, current_user.id, attempt_id)
    except NotFound:
        abort(404)
    attempts.expire_if_due(db.session, store().get(), attempt)
    if not attempt.submitted:
        return redirect(url_for("learn.question", attempt_id=attempt.id, position=1))
    settings = attempt.settings
    standing = progress.quiz_standing(db.session, current_user.id, attempt.quiz_id, settings["attempts_allowed"],
                                      settings["grading"])
    quiz = store().quiz(attempt.quiz_id, lang())
    items = []
    if attempts.review_allowed(attempt, standing):
        items = attempts.review_items(attempt, lambda q: store().localize_question(attempt.quiz_id, q, lang()))
    band = quiz.band(attempt.percent or 0) if quiz else None
    module_id = attempt.module_id
    is_practice = attempt.quiz_id == practice.PRACTICE_QUIZ
    return render_template(
        "learn/result.html", attempt=attempt, quiz_title=_quiz_title(attempt), items=items, band=band,
        standing=standing, review=settings.get("review", {}), module_id=module_id,
        module_exists=module_id in store().get().modules, form=ActionForm(), practice=is_practice,
        back_url=url_for("learn.practice_documents") if is_practice else url_for("learn.quiz", quiz_id=attempt.quiz_id),
        retry_url=url_for("learn.practice_documents") if is_practice else url_for("learn.start",
                                                                                  quiz_id=attempt.quiz_id))


def _quiz_title(attempt) -> str:
    if attempt.quiz_id == practice.PRACTICE_QUIZ:
        return _("Document inspection practice")
    quiz = store().quiz(attempt.quiz_id, lang())
    return quiz.title if quiz else attempt.settings.get("title", attempt.quiz_id)


@bp.route("/practice/documents", methods=["GET", "POST"])
@trainee_required
def practice_documents():
    """Practice on generated specimen data pages: a new set of documents each session, without limit."""
    form = ActionForm()
    if form.validate_on_submit():
        try:
            session = practice.start(db.session, current_user.id, lang(), request.form.get("size", 20, type=int))
        except DomainError as error:
            flash(error_message(error), "error")
        else:
            return redirect(url_for("learn.question", attempt_id=session.id,
                                    position=attempts.first_open_position(session)))
    sessions = practice.history(db.session, current_user.id)
    return render_template("learn/practice.html", form=form, sessions=sessions, sizes=practice.SESSION_SIZES,
                           open_session=next((s for s in sessions if not s.submitted), None))
