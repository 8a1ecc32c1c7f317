"""Double clicks and two devices at once: a start creates one attempt, a submit grades once.

These tests commit for real from several threads (each with its own connection), on SQLite and PostgreSQL,
and delete what they made afterwards.
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select

from trainer.extensions import db
from trainer.models import QuestionResponse, QuizAttempt, User
from trainer.services import attempts, rollups
from trainer.services import users as user_service

pytestmark = pytest.mark.commits


@pytest.fixture
def person(app):
    with app.app_context():
        user, _ = user_service.create_user(db.session, None, user_service.UserData("racer", "Race Condition"),
                                           password="a long enough passphrase")
        user_id = user.id
        db.session.remove()
    yield user_id
    with app.app_context():
        attempt_ids = select(QuizAttempt.id).where(QuizAttempt.user_id == user_id)
        db.session.execute(delete(QuestionResponse).where(QuestionResponse.attempt_id.in_(attempt_ids)))
        db.session.execute(delete(QuizAttempt).where(QuizAttempt.user_id == user_id))
        db.session.execute(delete(User).where(User.id == user_id))
        rollups.rebuild(db.session)  # the report totals counted the attempts just deleted
        db.session.commit()


def run_together(app, work, count=2):
    """Run ``work`` in ``count`` threads released at the same moment; return their results or errors."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(index):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = work()
            except Exception as error:  # reported to the test, which asserts on it
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_concurrent_starts_make_one_attempt(app, person):
    content = app.extensions["content"].get()
    results = run_together(app, lambda: attempts.start(db.session, content, person, "basics-quiz", "en").id)
    assert all(isinstance(r, int) for r in results), results
    assert results[0] == results[1]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)
                                 .where(QuizAttempt.user_id == person)) == 1


def test_concurrent_submits_grade_once(app, person):
    content = app.extensions["content"].get()
    with app.app_context():
        attempt = attempts.start(db.session, content, person, "basics-quiz", "en")
        attempt_id = attempt.id
        first = attempts.drawn(attempt)[0]
        option = next(o.id for o in first.question.options if o.correct) if hasattr(first.question, "options") \
            else None
        if first.question.type == "single_choice":
            attempts.save_answer(db.session, content, person, attempt_id, 1, {"answer": [option]})
        db.session.remove()
    results = run_together(app, lambda: (lambda a: (a.submitted_at, a.percent))(
        attempts.submit(db.session, content, person, attempt_id)), count=3)
    assert not any(isinstance(r, Exception) for r in results), results
    assert len(set(results)) == 1  # every caller sees the same graded result
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(QuestionResponse)
                                 .where(QuestionResponse.attempt_id == attempt_id))
        assert rows == 7  # graded once: one row per question, no duplicates
