"""What a trainer reads about a cohort besides the matrix: weak indicators (cohort and trainee), one trainee's
attempts and scenario outcomes, and the matrix as CSV. Numbers come from ``completion`` and the stored
responses; nothing here decides completion.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.exports import csv_bytes
from trainer.models import AttemptStatus, QuestionResponse, QuizAttempt, RunStatus, ScenarioRun, ScenarioStep
from trainer.services.completion import CellStatus, Matrix

MIN_RESPONSES = 3  # fewer answers than this say nothing about a topic


@dataclass(frozen=True)
class IndicatorScore:
    indicator: str
    responses: int
    correct_share: float  # mean score 0..1 of graded answers tagged with the indicator
    people: int


def weak_indicators(session: Session, user_ids: list[int], modules: set[str]) -> list[IndicatorScore]:
    """Indicators by how well the people answered questions and scenario steps tagged with them, weakest
    first: quiz answers count their score, scenario steps count 1 when the indicator present was acted on."""
    if not user_ids or not modules:
        return []
    totals: dict[str, list[float]] = {}
    people: dict[str, set[int]] = {}
    for user_id, indicators, score in session.execute(
            select(QuizAttempt.user_id, QuestionResponse.indicators, QuestionResponse.score)
            .join(QuizAttempt, QuizAttempt.id == QuestionResponse.attempt_id)
            .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.module_id.in_(modules),
                   QuizAttempt.status == AttemptStatus.SUBMITTED)):
        for indicator in indicators or ():
            entry = totals.setdefault(indicator, [0.0, 0])
            entry[0] += score or 0.0
            entry[1] += 1
            people.setdefault(indicator, set()).add(user_id)
    for user_id, present, recognised in session.execute(
            select(ScenarioRun.user_id, ScenarioStep.indicators_present, ScenarioStep.indicators_recognised)
            .join(ScenarioRun, ScenarioRun.id == ScenarioStep.run_id)
            .where(ScenarioRun.user_id.in_(user_ids), ScenarioRun.module_id.in_(modules),
                   ScenarioStep.undone.is_(False))):
        for indicator in present or ():
            entry = totals.setdefault(indicator, [0.0, 0])
            entry[0] += 1.0 if indicator in (recognised or ()) else 0.0
            entry[1] += 1
            people.setdefault(indicator, set()).add(user_id)
    scores = [IndicatorScore(ind, int(n), total / n, len(people[ind]))
              for ind, (total, n) in totals.items() if n >= MIN_RESPONSES]
    return sorted(scores, key=lambda s: (s.correct_share, -s.responses, s.indicator))


@dataclass(frozen=True)
class TraineeDetail:
    attempts: list[QuizAttempt]
    runs: list[ScenarioRun]
    weak: list[IndicatorScore]


def trainee_detail(session: Session, user_id: int, modules: Iterable[str]) -> TraineeDetail:
    modules = set(modules)
    attempts = list(session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.module_id.in_(modules))
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())))
    runs = list(session.scalars(select(ScenarioRun).where(
        ScenarioRun.user_id == user_id, ScenarioRun.module_id.in_(modules), ScenarioRun.status == RunStatus.FINISHED)
        .order_by(ScenarioRun.finished_at.desc(), ScenarioRun.id.desc())))
    weak = [s for s in weak_indicators(session, [user_id], modules) if s.correct_share < 1]
    return TraineeDetail(attempts, runs, weak)


STATUS_TEXT = {CellStatus.NOT_STARTED: "not started", CellStatus.IN_PROGRESS: "in progress",
               CellStatus.COMPLETED: "completed"}


def matrix_csv(grid: Matrix) -> bytes:
    """The progress matrix, one row per trainee: per module status, best score, overdue; attendance; cohort
    completion. Column names in English so files from different users combine."""
    header = ["full name", "username", "agency", "duty station"]
    for module_id in grid.modules:
        header += [f"{module_id} status", f"{module_id} best %", f"{module_id} overdue"]
    header += ["attendance %", "sessions present", "sessions counted", "cohort completed", "completed on"]
    rows = []
    for row in grid.rows:
        user = row.user
        line = [user.full_name, user.username, user.agency.code if user.agency else "",
                user.duty_station.name if user.duty_station else ""]
        for module_id in grid.modules:
            cell = row.cells[module_id]
            line += [STATUS_TEXT[cell.status], None if cell.best_percent is None else round(cell.best_percent, 1),
                     "yes" if cell.overdue else "no"]
        rate = row.attendance.percent
        line += [None if rate is None else round(rate, 1), row.attendance.present, row.attendance.counted,
                 "yes" if row.complete else "no", row.completed_on.date().isoformat() if row.completed_on else ""]
        rows.append(line)
    return csv_bytes(header, rows)
