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
from trainer.errors import N_, PermissionDenied
from trainer.models import AttemptStatus, LessonProgress, ModuleCompletion, QuizAttempt, RunStatus, ScenarioRun
from trainer.models.base import as_utc, utcnow
from trainer.services import completion
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
class ScenarioStanding:
    runs: int
    passed: bool
    in_progress_id: int | None
    last_run_id: int | None  # the latest finished run, for its debrief


@dataclass(frozen=True)
class ModuleStanding:
    module_id: str
    status: Status
    lessons_read: frozenset[str]
    quizzes: dict[str, QuizStanding]
    completed_at: datetime | None
    last_activity: datetime | None
    missing_prerequisites: tuple[str, ...]
    scenarios: dict[str, ScenarioStanding]

    def percent(self, module: Module) -> int:
        total = len(module.lessons) + len(module.assessments) + len(module.scenarios)
        done = len(self.lessons_read & {lesson.id for lesson in module.lessons})
        done += sum(1 for q in module.assessments if self.quizzes.get(q) and self.quizzes[q].passed)
        done += sum(1 for s in module.scenarios if self.scenarios.get(s) and self.scenarios[s].passed)
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
        stamp = as_utc(row.read_at)
        last[row.module_id] = max(last.get(row.module_id, stamp), stamp)
    attempts: dict[str, list[QuizAttempt]] = {}
    for attempt in session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user_id)
                                   .order_by(QuizAttempt.number)):
        attempts.setdefault(attempt.quiz_id, []).append(attempt)
        stamp = as_utc(attempt.submitted_at or attempt.started_at)
        last[attempt.module_id] = max(last.get(attempt.module_id, stamp), stamp)
    runs: dict[str, list[ScenarioRun]] = {}
    for run in session.scalars(select(ScenarioRun).where(ScenarioRun.user_id == user_id).order_by(ScenarioRun.id)):
        runs.setdefault(run.scenario_id, []).append(run)
        stamp = as_utc(run.finished_at or run.started_at)
        last[run.module_id] = max(last.get(run.module_id, stamp), stamp)
    completed = {c.module_id: c.completed_at for c in session.scalars(
        select(ModuleCompletion).where(ModuleCompletion.user_id == user_id))}
    result = {}
    for module in content.ordered_modules():
        quizzes = {}
        for quiz_id in module.assessments:
            quiz = content.quizzes[quiz_id]
            quizzes[quiz_id] = _standing(attempts.get(quiz_id, []), quiz.attempts_allowed, quiz.grading)
        scenarios = {s: _scenario_standing(runs.get(s, [])) for s in module.scenarios}
        missing = tuple(p for p in module.prerequisites if p not in completed)
        lessons_read = frozenset(read.get(module.id, ()))
        if module.id in completed:
            status = Status.COMPLETED
        elif missing:
            status = Status.LOCKED
        elif lessons_read or any(q.attempts_used for q in quizzes.values()) or \
                any(s.runs for s in scenarios.values()):
            status = Status.IN_PROGRESS
        else:
            status = Status.NOT_STARTED
        result[module.id] = ModuleStanding(module.id, status, lessons_read, quizzes, completed.get(module.id),
                                           last.get(module.id), missing, scenarios)
    return result


def _scenario_standing(runs: list[ScenarioRun]) -> ScenarioStanding:
    finished = [r for r in runs if r.status == RunStatus.FINISHED]
    open_run = next((r for r in runs if r.status == RunStatus.IN_PROGRESS), None)
    return ScenarioStanding(runs=len(runs), passed=any(r.passed for r in finished),
                            in_progress_id=open_run.id if open_run else None,
                            last_run_id=finished[-1].id if finished else None)


def require_open(session: Session, content: ContentSet, user_id: int, module_id: str) -> ModuleStanding:
    """The person's standing in the module, or PermissionDenied while its prerequisites are not complete."""
    standing = standings(session, content, user_id)[module_id]
    if standing.missing_prerequisites:
        raise PermissionDenied(N_("Complete the prerequisite modules first."))
    return standing


def rule_holds(module: Module, standing: ModuleStanding) -> bool:
    lessons_ok = module.completion.lessons == "none" or {lsn.id for lsn in module.lessons} <= standing.lessons_read
    quizzes_ok = module.completion.assessments == "none" or all(
        standing.quizzes[q].passed for q in module.assessments)
    scenarios_ok = module.completion.scenarios == "none" or all(
        standing.scenarios[s].passed for s in module.scenarios)
    return lessons_ok and quizzes_ok and scenarios_ok


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
    completion.refresh_for_user(session, user_id, utcnow().date())
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
