"""Cohort completion: the one place that decides where each trainee stands on each assigned module, their
attendance rate, and whether they have completed the cohort. Every page and export reads it from here, so the
numbers never disagree.

A trainee completes a cohort when every assigned module's completion rule holds (a ModuleCompletion row exists)
and their attendance meets the cohort's minimum. Attendance rate = sessions present / sessions the person was
marked present or absent for (excused sessions, and sessions taken before they joined, do not count).
Queries are per cohort, not per trainee: a matrix of
200 trainees x 7 modules costs the same handful of queries as one of 2 x 1.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    Cohort,
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    QuizAttempt,
    ScenarioRun,
    TrainingSession,
    User,
)
from trainer.models.base import as_utc


class CellStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True)
class Cell:
    status: CellStatus
    best_percent: float | None  # best submitted quiz result in the module
    completed_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class AttendanceRate:
    present: int
    counted: int  # sessions the person was marked present or absent for

    @property
    def percent(self) -> float | None:
        return 100 * self.present / self.counted if self.counted else None

    def meets(self, minimum: int) -> bool:
        if minimum <= 0:
            return True
        return self.counted > 0 and 100 * self.present >= minimum * self.counted


@dataclass(frozen=True)
class TraineeRow:
    user: User
    enrolment: Enrolment
    cells: dict[str, Cell]  # by module id, in assignment order
    attendance: AttendanceRate
    complete: bool
    completed_on: datetime | None  # when the last condition was met (None while not complete)

    @property
    def modules_done(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.status == CellStatus.COMPLETED)

    @property
    def overdue(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.overdue)


@dataclass(frozen=True)
class Matrix:
    cohort: Cohort
    modules: list[str]
    rows: list[TraineeRow]
    sessions_taken: int
    summary: dict[str, int] = field(default_factory=dict)  # module id -> completed count

    @property
    def completed(self) -> int:
        return sum(1 for row in self.rows if row.complete)


def _pairs(rows: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    return {(user_id, module_id) for user_id, module_id in rows}


def matrix(session: Session, cohort: Cohort, today: date, user_ids: Iterable[int] | None = None) -> Matrix:
    """Every enrolled trainee (or only ``user_ids``) against every assigned module."""
    modules = [a.module_id for a in cohort.assignments]
    due = {a.module_id: a.due_on for a in cohort.assignments}
    query = (select(Enrolment, User).join(User, User.id == Enrolment.user_id)
             .where(Enrolment.cohort_id == cohort.id).order_by(User.full_name, User.id))
    if user_ids is not None:
        query = query.where(Enrolment.user_id.in_(list(user_ids)))
    enrolments = [(enrolment, user) for enrolment, user in session.execute(query)]
    ids = [user.id for _, user in enrolments]
    completions, started, best = {}, set(), {}
    if ids and modules:
        for user_id, module_id, completed_at in session.execute(
                select(ModuleCompletion.user_id, ModuleCompletion.module_id, ModuleCompletion.completed_at)
                .where(ModuleCompletion.user_id.in_(ids), ModuleCompletion.module_id.in_(modules))):
            completions[(user_id, module_id)] = as_utc(completed_at)
        for model in (LessonProgress, QuizAttempt, ScenarioRun):
            started |= _pairs(session.execute(
                select(model.user_id, model.module_id).distinct()
                .where(model.user_id.in_(ids), model.module_id.in_(modules))))
        for user_id, module_id, percent in session.execute(
                select(QuizAttempt.user_id, QuizAttempt.module_id, func.max(QuizAttempt.percent))
                .where(QuizAttempt.user_id.in_(ids), QuizAttempt.module_id.in_(modules),
                       QuizAttempt.percent.is_not(None))
                .group_by(QuizAttempt.user_id, QuizAttempt.module_id)):
            best[(user_id, module_id)] = percent
    rates, last_present, taken = _attendance(session, cohort.id, ids)
    rows = []
    for enrolment, user in enrolments:
        cells = {}
        for module_id in modules:
            key = (user.id, module_id)
            done = completions.get(key)
            status = (CellStatus.COMPLETED if done else
                      CellStatus.IN_PROGRESS if key in started else CellStatus.NOT_STARTED)
            overdue = done is None and due[module_id] is not None and due[module_id] < today
            cells[module_id] = Cell(status, best.get(key), done, overdue)
        rate = rates.get(user.id, AttendanceRate(0, 0))
        complete = bool(modules) and all(c.status == CellStatus.COMPLETED for c in cells.values()) \
            and rate.meets(cohort.min_attendance)
        completed_on = None
        if complete:
            moments = [c.completed_at for c in cells.values() if c.completed_at]
            if cohort.min_attendance > 0 and user.id in last_present:
                moments.append(datetime.combine(last_present[user.id], time(), tzinfo=timezone.utc))
            completed_on = max(moments)
        rows.append(TraineeRow(user, enrolment, cells, rate, complete, completed_on))
    summary = {m: sum(1 for r in rows if r.cells[m].status == CellStatus.COMPLETED) for m in modules}
    return Matrix(cohort, modules, rows, taken, summary)


def _attendance(session: Session, cohort_id: int, user_ids: list[int]
                ) -> tuple[dict[int, AttendanceRate], dict[int, date], int]:
    taken_ids = set(session.scalars(select(Attendance.session_id).distinct().join(TrainingSession)
                                    .where(TrainingSession.cohort_id == cohort_id)))
    present: dict[int, int] = {}
    absent: dict[int, int] = {}
    last: dict[int, date] = {}
    if user_ids and taken_ids:
        for user_id, status, held_on in session.execute(
                select(Attendance.user_id, Attendance.status, TrainingSession.held_on).join(TrainingSession)
                .where(TrainingSession.cohort_id == cohort_id, Attendance.user_id.in_(user_ids))):
            if status == AttendanceStatus.PRESENT:
                present[user_id] = present.get(user_id, 0) + 1
                last[user_id] = max(last.get(user_id, held_on), held_on)
            elif status == AttendanceStatus.ABSENT:
                absent[user_id] = absent.get(user_id, 0) + 1
    taken = len(taken_ids)
    # Only sessions the person is on the sheet for: one taken before they joined the cohort does not count.
    rates = {uid: AttendanceRate(present.get(uid, 0), present.get(uid, 0) + absent.get(uid, 0)) for uid in user_ids}
    return rates, last, taken


# Called with the enrolments that have just become complete, inside the same transaction (certificates listen).
_listeners: list[Callable[[Session, list[Enrolment]], object]] = []


def on_completion(listener: Callable[[Session, list[Enrolment]], object]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def refresh(session: Session, cohort: Cohort, today: date, user_ids: Iterable[int] | None = None) -> list[Enrolment]:
    """Within the caller's transaction: record (or withdraw) each enrolment's completion date from the rules.
    Returns the enrolments that have just become complete (for certificates)."""
    newly = []
    for row in matrix(session, cohort, today, user_ids).rows:
        if row.complete and row.enrolment.completed_at is None:
            row.enrolment.completed_at = row.completed_on
            newly.append(row.enrolment)
        elif not row.complete and row.enrolment.completed_at is not None and not _certified(session, row.enrolment):
            row.enrolment.completed_at = None  # a correction (e.g. attendance) before any certificate was issued
    if newly:
        session.flush()
        for listener in _listeners:
            listener(session, newly)
    return newly


def _certified(session: Session, enrolment: Enrolment) -> bool:
    return session.scalar(select(Certificate.id).where(Certificate.enrolment_id == enrolment.id)) is not None


def refresh_for_user(session: Session, user_id: int, today: date) -> list[Enrolment]:
    """Within the caller's transaction: after a module completion, re-check each cohort the person is in."""
    newly = []
    for cohort in session.scalars(select(Cohort).join(Enrolment).where(Enrolment.user_id == user_id)):
        newly += refresh(session, cohort, today, [user_id])
    return newly
