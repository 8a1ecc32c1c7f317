"""Attempt life-cycle: draw, resume, save, tampering, submit once, deadlines, limits, completion."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from trainer.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from trainer.extensions import db
from trainer.models import ModuleCompletion, QuestionResponse, QuizAttempt
from trainer.models.base import utcnow
from trainer.services import attempts, progress


@pytest.fixture
def content(app):
    return app.extensions["content"].get()


def right_form(question) -> dict:
    """The form a trainee who knows the answer would send."""
    kind = question.type
    if kind == "single_choice":
        return {"answer": [next(o.id for o in question.options if o.correct)]}
    if kind == "multiple_response":
        return {"answer": [o.id for o in question.options if o.correct]}
    if kind == "true_false":
        return {"answer": ["true" if question.correct else "false"]}
    if kind == "matching":
        return {f"match-{p.id}": [p.match] for p in question.prompts}
    if kind == "ordering":
        return {f"position-{item.id}": [str(i)] for i, item in enumerate(question.items, start=1)}
    if kind == "numeric":
        return {"answer": [str(question.answer)]}
    return {"answer": [question.accepted[0]]}


def answer_all(content, user_id, attempt, right=True):
    for item in attempts.drawn(attempt):
        form = right_form(item.question) if right else {}
        attempts.save_answer(db.session, content, user_id, attempt.id, item.position, form)


def test_start_draws_from_each_pool_with_a_stored_seed_and_snapshot(content, users):
    attempt = attempts.start(db.session, content, users["trainee"], "basics-quiz", "en")
    drawn = attempts.drawn(attempt)
    assert [d.pool for d in drawn] == ["choice"] * 3 + ["structure"] * 4
    assert (attempt.quiz_version, attempt.module_version, attempt.number) == (3, 2, 1)
    assert attempt.max_score == 7 and attempt.settings["pass_mark"] == 60
    assert attempt.questions == attempts.draw(content.quizzes["basics-quiz"], attempt.seed)


def test_resuming_returns_the_same_attempt_on_any_device(content, users):
    first = attempts.start(db.session, content, users["trainee"], "basics-quiz", "en")
    again = attempts.start(db.session, content, users["trainee"], "basics-quiz", "ru")
    assert again.id == first.id and again.language == "en"


def test_a_perfect_attempt_passes_and_completes_the_module(content, users):
    user = users["trainee"]
    for lesson in ("kinds", "digits"):
        progress.mark_lesson_read(db.session, content, user, "basics", lesson)
    attempt = attempts.start(db.session, content, user, "basics-quiz", "en")
    answer_all(content, user, attempt)
    done = attempts.submit(db.session, content, user, attempt.id)
    assert (done.percent, done.passed, done.score) == (100.0, True, 7.0)
    completion = db.session.scalar(select(ModuleCompletion).where(ModuleCompletion.user_id == user))
    assert completion.module_id == "basics" and completion.module_version == 2
    assert progress.standings(db.session, content, user)["timed"].status == progress.Status.NOT_STARTED


def test_passing_without_reading_the_lessons_does_not_complete(content, users):
    user = users["trainee"]
    attempt = attempts.start(db.session, content, user, "basics-quiz", "en")
    answer_all(content, user, attempt)
    attempts.submit(db.session, content, user, attempt.id)
    standing = progress.standings(db.session, content, user)
    assert standing["basics"].status == progress.Status.IN_PROGRESS
    assert standing["timed"].status == progress.Status.LOCKED
    with pytest.raises(PermissionDenied):
        attempts.start(db.session, content, user, "timed-quiz", "en")


def test_submit_is_idempotent(content, users):
    user = users["trainee"]
    attempt = attempts.start(db.session, content, user, "basics-quiz", "en")
    answer_all(content, user, attempt, right=False)
    first = attempts.submit(db.session, content, user, attempt.id)
    submitted_at, percent = first.submitted_at, first.percent
    second = attempts.submit(db.session, content, user, attempt.id)
    assert (second.submitted_at, second.percent) == (submitted_at, percent) and percent == 0
    rows = db.session.scalar(select(func.count()).select_from(QuestionResponse)
                             .where(QuestionResponse.attempt_id == attempt.id))
    assert rows == 7  # unanswered questions are stored as such, once


def test_answers_after_submission_are_refused(content, users):
    user = users["trainee"]
    attempt = attempts.start(db.session, content, user, "basics-quiz", "en")
    attempts.submit(db.session, content, user, attempt.id)
    with pytest.raises(Conflict):
        attempts.save_answer(db.session, content, user, attempt.id, 1, {"answer": ["x"]})


def test_tampered_answers_are_refused_and_nothing_is_stored(content, users):
    user = users["trainee"]
    attempt = attempts.start(db.session, content, user, "basics-quiz", "en")
    position = next(d.position for d in attempts.drawn(attempt) if d.question.type == "single_choice")
    with pytest.raises(InvalidInput):
        attempts.save_answer(db.session, content, user, attempt.id, position, {"answer": ["not-an-option"]})
    with pytest.raises(NotFound):
        attempts.save_answer(db.session, content, user, attempt.id, 99, {"answer": ["made"]})
    with pytest.raises(NotFound):  # someone else's attempt looks like no attempt at all
        attempts.save_answer(db.session, content, users["trainer"], attempt.id, position, {"answer": ["made"]})
    assert db.session.scalar(select(func.count()).select_from(QuestionResponse)) == 0


def test_clearing_an_answer(content, users):
    user = users["trainee"]
    attempt = attempts.start(db.session, content, user, "basics-quiz", "en")
    item = next(d for d in attempts.drawn(attempt) if d.question.type == "multiple_response")
    attempts.save_answer(db.session, content, user, attempt.id, item.position, {"answer": ["photo"]})
    saved = attempts.save_answer(db.session, content, user, attempt.id, item.position, {})
    assert saved.answer is None


def test_deadline_is_enforced_on_the_server(content, users):
    user = users["trainee"]
    for lesson in ("kinds", "digits"):
        progress.mark_lesson_read(db.session, content, user, "basics", lesson)
    basics = attempts.start(db.session, content, user, "basics-quiz", "en")
    answer_all(content, user, basics)
    attempts.submit(db.session, content, user, basics.id)
    start = utcnow()
    attempt = attempts.start(db.session, content, user, "timed-quiz", "en", now=start)
    assert attempts.seconds_left(attempt, start) == 300
    first = attempts.drawn(attempt)[0]
    attempts.save_answer(db.session, content, user, attempt.id, 1, right_form(first.question),
                         now=start + timedelta(minutes=4))
    late = start + timedelta(minutes=5, seconds=1)
    with pytest.raises(attempts.TimeUp):
        attempts.save_answer(db.session, content, user, attempt.id, 2, right_form(attempts.drawn(attempt)[1].question),
                             now=late)
    db.session.refresh(attempt)
    assert attempt.submitted and attempt.expired and attempt.percent == 50.0
    assert attempts.seconds_left(attempt, late) == 0
    # only one attempt was allowed
    with pytest.raises(PermissionDenied):
        attempts.start(db.session, content, user, "timed-quiz", "en", now=late)


def test_attempts_allowed_and_grading_method(content, users):
    user = users["trainee"]
    first = attempts.start(db.session, content, user, "basics-quiz", "en")
    answer_all(content, user, first)
    attempts.submit(db.session, content, user, first.id)
    second = attempts.start(db.session, content, user, "basics-quiz", "en")
    assert second.number == 2
    attempts.submit(db.session, content, user, second.id)
    with pytest.raises(PermissionDenied):
        attempts.start(db.session, content, user, "basics-quiz", "en")
    standing = progress.standings(db.session, content, user)["basics"].quizzes["basics-quiz"]
    assert standing.result_percent == 100.0 and standing.passed and standing.attempts_left == 0


def test_review_policy(content, users):
    user = users["trainee"]
    attempt = attempts.start(db.session, content, user, "basics-quiz", "en")
    attempts.submit(db.session, content, user, attempt.id)
    standing = progress.quiz_standing(db.session, user, "basics-quiz", 2, "highest")
    assert attempts.review_allowed(attempt, standing)
    attempt.settings = {**attempt.settings, "review": {"when": "after_last_attempt"}}
    assert not attempts.review_allowed(attempt, standing)
    attempt.settings = {**attempt.settings, "review": {"when": "never"}}
    assert not attempts.review_allowed(attempt, standing)


def test_grading_uses_the_snapshot_not_the_current_content(content, users):
    user = users["trainee"]
    attempt = attempts.start(db.session, content, user, "basics-quiz", "en")
    answer_all(content, user, attempt)
    # The module has since been withdrawn from the content: the attempt is still graded from its own snapshot.
    withdrawn = dataclasses.replace(content, modules={}, quizzes={}, quiz_module={})
    attempts.submit(db.session, withdrawn, user, attempt.id)
    assert db.session.get(QuizAttempt, attempt.id).percent == 100.0


def test_responses_keep_the_indicators_their_question_exercises(content, users):
    user = users["trainee"]
    attempt = attempts.start(db.session, content, user, "basics-quiz", "en")
    attempts.submit(db.session, content, user, attempt.id)
    tags = {r.question_id: r.indicators for r in db.session.scalars(
        select(QuestionResponse).where(QuestionResponse.attempt_id == attempt.id))}
    assert tags["specimen-code"] == ["false-documents"] and tags["digit"] == []
