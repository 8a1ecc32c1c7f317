"""Quiz attempts: start (draw with a stored seed), save answers, submit exactly once, enforce time limits.

Grading uses only the attempt's own snapshot of the questions and the stored answers; nothing from the
client is trusted beyond the chosen answers, which are checked against the question before they are stored.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.content import questions as question_types
from trainer.content.loader import ContentSet
from trainer.content.questions import AnswerError, QuestionBase
from trainer.content.schema import QUESTION_ADAPTER, Quiz
from trainer.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied
from trainer.models import AttemptStatus, QuestionResponse, QuizAttempt
from trainer.models.base import as_utc, utcnow
from trainer.services import progress, rollups
from trainer.services.tx import transaction


class TimeUp(Conflict):
    message = N_("Time is up for this attempt. It was submitted with the answers saved before the deadline.")


@dataclass(frozen=True)
class Drawn:
    position: int  # 1-based, as shown
    pool: str
    question: QuestionBase


def drawn(attempt: QuizAttempt) -> list[Drawn]:
    return [Drawn(i, item["pool"], QUESTION_ADAPTER.validate_python(item["question"]))
            for i, item in enumerate(attempt.questions, start=1)]


def question_rng(attempt: QuizAttempt, question_id: str) -> random.Random:
    """Option order for one question in one attempt: the same on every visit and every device."""
    return random.Random(f"{attempt.seed}/{question_id}")


def draw(quiz: Quiz, seed: int) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for pool in quiz.pools:
        for question in rng.sample(list(pool.questions), pool.draw):
            items.append({"pool": pool.id, "question": question.model_dump(mode="json")})
    return items


def _now(now: datetime | None) -> datetime:
    return now or utcnow()


def seconds_left(attempt: QuizAttempt, now: datetime | None = None) -> int | None:
    deadline = as_utc(attempt.deadline_at)
    return None if deadline is None else max(0, int((deadline - _now(now)).total_seconds()))


def get_attempt(session: Session, user_id: int, attempt_id: int) -> QuizAttempt:
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:  # someone else's attempt looks like no attempt
        raise NotFound(N_("No such attempt."))
    return attempt


def start(session: Session, content: ContentSet, user_id: int, quiz_id: str, language: str,
          now: datetime | None = None) -> QuizAttempt:
    """Resume the open attempt, or start a new one if attempts are left and prerequisites are met."""
    quiz = content.quizzes.get(quiz_id)
    if quiz is None:
        raise NotFound(N_("No such quiz."))
    module_id = content.quiz_module[quiz_id]
    standing = progress.require_open(session, content, user_id, module_id)
    current = standing.quizzes[quiz_id]
    if current.in_progress_id is not None:
        attempt = get_attempt(session, user_id, current.in_progress_id)
        if not expire_if_due(session, content, attempt, now):
            return attempt
        current = progress.quiz_standing(session, user_id, quiz_id, quiz.attempts_allowed, quiz.grading)
    if current.attempts_left == 0:
        raise PermissionDenied(N_("You have used all attempts at this quiz."))
    started = _now(now)
    seed = secrets.randbelow(2**31)
    attempt = QuizAttempt(
        user_id=user_id, module_id=module_id, module_version=content.modules[module_id].version, quiz_id=quiz_id,
        quiz_version=quiz.version, number=current.attempts_used + 1, seed=seed, language=language,
        settings=quiz.model_dump(mode="json", exclude={"pools"}), questions=draw(quiz, seed),
        status=AttemptStatus.IN_PROGRESS, started_at=started,
        deadline_at=started + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        max_score=0.0,
    )
    attempt.max_score = sum(d.question.points for d in drawn(attempt))
    try:
        with transaction(session):
            session.add(attempt)
    except IntegrityError:
        # Two starts at once (a double click): the other one won; resume it.
        existing = session.scalar(select(QuizAttempt).where(
            QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id,
            QuizAttempt.status == AttemptStatus.IN_PROGRESS))
        if existing is None:
            raise
        return existing
    return attempt


def expire_if_due(session: Session, content: ContentSet, attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """Grade an attempt whose time ran out with what was saved; True if it has now been submitted that way."""
    deadline = as_utc(attempt.deadline_at)
    if attempt.submitted or deadline is None or _now(now) <= deadline:
        return False
    _finish(session, content, attempt, deadline, expired=True)
    return True


def save_answer(session: Session, content: ContentSet, user_id: int, attempt_id: int, position: int,
                form, now: datetime | None = None) -> QuestionResponse | None:
    """Store the answer to the question at ``position``; an empty answer clears a saved one."""
    attempt = get_attempt(session, user_id, attempt_id)
    if attempt.submitted:
        raise Conflict(N_("This attempt has already been submitted; answers can no longer change."))
    if expire_if_due(session, content, attempt, now):
        raise TimeUp()
    items = drawn(attempt)
    if not 1 <= position <= len(items):
        raise NotFound(N_("No such question in this attempt."))
    item = items[position - 1]
    try:
        answer = question_types.get(item.question.type).parse(item.question, form)
    except AnswerError as error:
        raise InvalidInput(N_("That answer does not fit this question. Choose from the options shown.")) from error
    for retry in (False, True):
        response = session.scalar(select(QuestionResponse).where(
            QuestionResponse.attempt_id == attempt.id, QuestionResponse.question_id == item.question.id))
        if not answer and response is None:
            return None
        try:
            with transaction(session):
                session.refresh(attempt)
                if attempt.submitted:  # a submit landed since the check above
                    raise Conflict(N_("This attempt has already been submitted; answers can no longer change."))
                if response is None:
                    response = QuestionResponse(attempt_id=attempt.id, question_id=item.question.id,
                                                position=position)
                    session.add(response)
                response.answer = answer or None
                response.saved_at = _now(now)
            return response
        except IntegrityError:
            if retry:
                raise
            # Two saves of one question at once (autosave and the form): the other inserted; update it.
    raise AssertionError("unreachable")


def submit(session: Session, content: ContentSet, user_id: int, attempt_id: int,
           now: datetime | None = None) -> QuizAttempt:
    """Grade the attempt once. Repeated or concurrent submits return the same, already graded attempt."""
    attempt = get_attempt(session, user_id, attempt_id)
    if attempt.submitted:
        return attempt
    if expire_if_due(session, content, attempt, now):
        return attempt
    _finish(session, content, attempt, _now(now), expired=False)
    return attempt


def _finish(session: Session, content: ContentSet, attempt: QuizAttempt, at: datetime, expired: bool) -> None:
    with transaction(session):
        # The status flip is the lock: of two concurrent submits, only one changes a row and grades.
        won = session.execute(
            update(QuizAttempt)
            .where(QuizAttempt.id == attempt.id, QuizAttempt.status == AttemptStatus.IN_PROGRESS)
            .values(status=AttemptStatus.SUBMITTED, submitted_at=at, expired=expired)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won:
            session.refresh(attempt)
            _grade(session, attempt)
            session.flush()
            rollups.record_attempt(session, attempt)
            if attempt.module_id in content.modules:
                progress.record_completion_if_due(session, content, attempt.user_id, attempt.module_id)
    session.refresh(attempt)


def _grade(session: Session, attempt: QuizAttempt) -> None:
    responses = {r.question_id: r for r in session.scalars(
        select(QuestionResponse).where(QuestionResponse.attempt_id == attempt.id))}
    total = 0.0
    for item in drawn(attempt):
        response = responses.get(item.question.id)
        if response is None:  # unanswered questions get a row too, so reports count them
            response = QuestionResponse(attempt_id=attempt.id, question_id=item.question.id,
                                        position=item.position, answer=None, saved_at=attempt.submitted_at)
            session.add(response)
        grade = question_types.get(item.question.type).grade(item.question, response.answer)
        response.score = grade.score
        response.points = round(grade.score * item.question.points, 4)
        response.indicators = list(item.question.indicators)
        total += response.points
    attempt.score = round(total, 4)
    attempt.percent = round(100 * total / attempt.max_score, 2) if attempt.max_score else 0.0
    attempt.passed = attempt.percent >= attempt.settings["pass_mark"]


def review_allowed(attempt: QuizAttempt, standing: progress.QuizStanding) -> bool:
    """Whether per-question results may be shown, by the review policy the attempt was taken under."""
    if not attempt.submitted:
        return False
    when = attempt.settings.get("review", {}).get("when", "immediately")
    if when == "immediately":
        return True
    if when == "after_pass":
        return standing.passed
    if when == "after_last_attempt":
        return standing.passed or standing.attempts_left == 0
    return False


def history(session: Session, user_id: int, quiz_id: str | None = None) -> list[QuizAttempt]:
    """A person's attempts, newest first; of one quiz when ``quiz_id`` is given."""
    query = select(QuizAttempt).where(QuizAttempt.user_id == user_id)
    if quiz_id is not None:
        query = query.where(QuizAttempt.quiz_id == quiz_id)
    return list(session.scalars(query.order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())))


def first_open_position(attempt: QuizAttempt) -> int:
    """Where a resumed attempt picks up: the first question without a saved answer (else the first)."""
    answered = {r.position for r in attempt.responses if r.answer is not None}
    return next((i for i in range(1, len(attempt.questions) + 1) if i not in answered), 1)


@dataclass(frozen=True)
class ReviewItem:
    position: int
    question: QuestionBase
    given: tuple[str, ...]
    grade: question_types.Grade
    explanation: question_types.Explanation


def review_items(attempt: QuizAttempt, localize) -> list[ReviewItem]:
    """Each question of a graded attempt with the answer given, its grade and the right answer;
    ``localize(question)`` puts the question in the reader's language."""
    responses = {r.question_id: r for r in attempt.responses}
    items = []
    for item in drawn(attempt):
        question = localize(item.question)
        qtype = question_types.get(question.type)
        response = responses.get(question.id)
        answer = response.answer if response else None
        items.append(ReviewItem(item.position, question, qtype.describe(question, answer),
                                qtype.grade(question, answer), qtype.explain(question)))
    return items
