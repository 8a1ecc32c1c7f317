"""Document-inspection practice: a session of freshly generated specimen data pages, as often as wanted.

A session is an ordinary quiz attempt of the built-in practice quiz, so saving, resuming, submitting once and
the review all work as for authored quizzes. Each item is stored with its seed, its defects and its
inspection date spelled out, so its answer key never depends on a later version of the generator.
"""
from __future__ import annotations

import random
import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.content.questions.inspection import SEED_LIMIT, practice_question
from trainer.content.schema import GradingMethod, Quiz, ReviewPolicy
from trainer.errors import N_, InvalidInput
from trainer.models import AttemptStatus, QuizAttempt
from trainer.models.base import utcnow
from trainer.services import attempts
from trainer.services.tx import transaction

PRACTICE_QUIZ = "practice-documents"
PRACTICE_MODULE = "practice"
SESSION_SIZES = (5, 10, 20)
PASS_MARK = 80  # a target to aim for; practice never counts towards completion


def _settings() -> dict:
    quiz = Quiz.model_construct(
        id=PRACTICE_QUIZ, version=1, title="Document inspection practice", instructions=None,
        pass_mark=PASS_MARK, attempts_allowed=None, grading=GradingMethod.HIGHEST, time_limit_minutes=None,
        review=ReviewPolicy(), feedback_bands=(), pools=())
    return quiz.model_dump(mode="json", exclude={"pools"})


def items(seed: int, count: int) -> list[dict]:
    rng = random.Random(seed)
    drawn = []
    for position in range(1, count + 1):
        question = practice_question(rng.randrange(SEED_LIMIT))
        document = question.document()
        fixed = question.model_copy(update={"id": f"document-{position}", "defects": document.defects,
                                            "inspection_date": document.inspection_date})
        drawn.append({"pool": "practice", "question": fixed.model_dump(mode="json")})
    return drawn


def start(session: Session, user_id: int, language: str, count: int = 20, now: datetime | None = None) -> QuizAttempt:
    """Resume the open practice session, or start a new one of ``count`` documents."""
    if count not in SESSION_SIZES:
        raise InvalidInput(N_("Choose one of the session sizes offered."))
    open_session = session.scalar(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == PRACTICE_QUIZ,
        QuizAttempt.status == AttemptStatus.IN_PROGRESS))
    if open_session is not None:
        return open_session
    used = session.scalar(select(func.count()).select_from(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == PRACTICE_QUIZ)) or 0
    seed = secrets.randbelow(2**31)
    drawn = items(seed, count)
    started = now or utcnow()
    attempt = QuizAttempt(
        user_id=user_id, module_id=PRACTICE_MODULE, module_version=1, quiz_id=PRACTICE_QUIZ, quiz_version=1,
        number=used + 1, seed=seed, language=language, settings=_settings(), questions=drawn,
        status=AttemptStatus.IN_PROGRESS, started_at=started, max_score=float(count))
    with transaction(session):
        session.add(attempt)
    return attempt


def history(session: Session, user_id: int) -> list[QuizAttempt]:
    return attempts.history(session, user_id, PRACTICE_QUIZ)
