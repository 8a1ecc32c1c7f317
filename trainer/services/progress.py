"""Where a trainee stands in each module: lessons read, assessments passed, completion."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.content.loader import ContentSet
from trainer.content.schema import GradingMethod, Module
from trainer.models import AttemptStatus, LessonProgress, ModuleCompletion, QuizAttempt
from trainer.models.base import utcnow
from trainer.services.tx import transaction


class Status(StrEnum):
    LOCKED = "locked"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True)
class QuizStanding:
    attempts_used: int
    attempts_left: int | None  # None: unlimited
    result_percent: float | None  # by the quiz's grading method (highest or last)
    passed: bool
    in_progress_id: int | None


@dataclass(frozen=True)
class ModuleStanding:
    module_id: str
    status: Status
    lessons_read: frozenset[str]
    quizzes: dict[str, QuizStanding]
    completed_at: datetime | None
    last_activity: datetime | None
    missing_prerequisites: tuple[str, ...]

    def percent(self, module: Module) -> int:
        total = len(module.lessons) + len(module.assessments)
        done = len(self.lessons_read & {lesson.id for lesson in module.lessons})
        done += sum(1 for q in module.assessments if self.quizzes.get(q) and self.quizzes[q].passed)
        return round(100 * done / total) if total else 0


def quiz_standing(session: Session, user_id: int, quiz_id: str, attempts_allowed: int | None,
                  grading: GradingMethod) -> QuizStanding:
    attempts = list(session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id).order_by(QuizAttempt.number)))
    return _standing(attempts, attempts_allowed, grading)


def _standing(attempts: list[QuizAttempt], attempts_allowed: int | None, grading: GradingMethod) -> QuizStanding:
    submitted = [a for a in attempts if a.status == AttemptStatus.SUBMITTED]
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    if not submitted:
        result = None
    elif grading == GradingMethod.LAST:
        result = submitted[-1].percent
    else:
        result = max(a.percent or 0 for a in submitted)
    used = len(attempts)
    return QuizStanding(
        attempts_used=used,
        attempts_left=None if attempts_allowed is None else max(0, attempts_allowed - used),
        result_percent=result,
        passed=any(a.passed for a in submitted),
        in_progress_id=open_attempt.id if open_attempt else None,
    )


def standings(session: Session, content: ContentSet, user_id: int) -> dict[str, ModuleStanding]:
    """Every module's standing for one person, in a fixed number of queries."""
    read: dict[str, set[str]] = {}
    last: dict[str, datetime] = {}
    for row in session.scalars(select(LessonProgress).where(LessonProgress.user_id == user_id)):
        read.setdefault(row.module_id, set()).add(row.lesson_id)
        last[row.module_id] = max(last.get(row.module_id, row.read_at), row.read_at)
    attempts: dict[str, list[QuizAttempt]] = {}
    for attempt in session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user_id)
                                   .order_by(QuizAttempt.number)):
        attempts.setdefault(attempt.quiz_id, []).append(attempt)
        stamp = attempt.submitted_at or attempt.started_at
        last[attempt.module_id] = max(last.get(attempt.module_id, stamp), stamp)
    completed = {c.module_id: c.completed_at for c in session.scalars(
        select(ModuleCompletion).where(ModuleCompletion.user_id == user_id))}
    result = {}
    for module in content.ordered_modules():
        quizzes = {}
        for quiz_id in module.assessments:
            quiz = content.quizzes[quiz_id]
            quizzes[quiz_id] = _standing(attempts.get(quiz_id, []), quiz.attempts_allowed, quiz.grading)
        missing = tuple(p for p in module.prerequisites if p not in completed)
        lessons_read = frozenset(read.get(module.id, ()))
        if module.id in completed:
            status = Status.COMPLETED
        elif missing:
            status = Status.LOCKED
        elif lessons_read or any(q.attempts_used for q in quizzes.values()):
            status = Status.IN_PROGRESS
        else:
            status = Status.NOT_STARTED
        result[module.id] = ModuleStanding(module.id, status, lessons_read, quizzes, completed.get(module.id),
                                           last.get(module.id), missing)
    return result


def rule_holds(module: Module, standing: ModuleStanding) -> bool:
    lessons_ok = module.completion.lessons == "none" or {lsn.id for lsn in module.lessons} <= standing.lessons_read
    quizzes_ok = module.completion.assessments == "none" or all(
        standing.quizzes[q].passed for q in module.assessments)
    return lessons_ok and quizzes_ok


def record_completion_if_due(session: Session, content: ContentSet, user_id: int, module_id: str) -> bool:
    """Within the caller's transaction: add the completion row once the module's rule holds."""
    module = content.modules[module_id]
    standing = standings(session, content, user_id)[module_id]
    if standing.status == Status.COMPLETED or not rule_holds(module, standing):
        return False
    try:
        with session.begin_nested():  # a concurrent request may have recorded it first
            session.add(ModuleCompletion(user_id=user_id, module_id=module_id, module_version=module.version,
                                         completed_at=utcnow()))
    except IntegrityError:
        return False
    return True


def mark_lesson_read(session: Session, content: ContentSet, user_id: int, module_id: str, lesson_id: str) -> None:
    exists = session.scalar(select(func.count()).select_from(LessonProgress).where(
        LessonProgress.user_id == user_id, LessonProgress.module_id == module_id,
        LessonProgress.lesson_id == lesson_id))
    if exists:
        return
    try:
        with transaction(session):
            session.add(LessonProgress(user_id=user_id, module_id=module_id, lesson_id=lesson_id,
                                       module_version=content.modules[module_id].version, read_at=utcnow()))
            session.flush()
            record_completion_if_due(session, content, user_id, module_id)
    except IntegrityError:
        pass  # the same lesson opened twice at once: the other request recorded it
