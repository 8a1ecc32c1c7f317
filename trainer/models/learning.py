"""A trainee's path through content: lessons read, quiz attempts and their answers, modules completed.

Rows name content by id and version and keep a snapshot of what was asked, so editing content never rewrites
history.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, Boolean, DateTime, Enum, Float, ForeignKey, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.models.base import Base, utcnow
from trainer.models.users import User

CONTENT_ID = 64
EMPTY_LIST = text("'[]'")


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class QuizAttempt(Base):
    __tablename__ = "quiz_attempt"
    __table_args__ = (UniqueConstraint("user_id", "quiz_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(CONTENT_ID))
    module_version: Mapped[int]
    quiz_id: Mapped[str] = mapped_column(String(CONTENT_ID), index=True)
    quiz_version: Mapped[int]
    number: Mapped[int]  # 1 for the person's first attempt at this quiz
    seed: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(16))
    # The quiz's rules (pass mark, review policy, bands...) and the drawn questions, as they were at the start.
    settings: Mapped[dict] = mapped_column(JSON)
    questions: Mapped[list] = mapped_column(JSON)
    status: Mapped[AttemptStatus] = mapped_column(
        Enum(AttemptStatus, name="attempt_status", native_enum=False, length=16,
             values_callable=lambda s: [v.value for v in s]), default=AttemptStatus.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deadline_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    expired: Mapped[bool] = mapped_column(Boolean, default=False)  # graded because time ran out
    score: Mapped[Optional[float]] = mapped_column(Float)  # points
    max_score: Mapped[float] = mapped_column(Float)
    percent: Mapped[Optional[float]] = mapped_column(Float)
    passed: Mapped[Optional[bool]] = mapped_column(Boolean)

    user: Mapped[User] = relationship()
    responses: Mapped[list["QuestionResponse"]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="QuestionResponse.position")

    @property
    def submitted(self) -> bool:
        return self.status == AttemptStatus.SUBMITTED


class QuestionResponse(Base):
    __tablename__ = "question_response"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(CONTENT_ID))
    position: Mapped[int]
    answer: Mapped[Optional[dict]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    score: Mapped[Optional[float]] = mapped_column(Float)  # share of the question's points, 0..1
    points: Mapped[Optional[float]] = mapped_column(Float)
    # The indicators the question exercises (from indicators.yaml), kept with the answer for mastery reports.
    indicators: Mapped[list] = mapped_column(JSON, default=list, server_default=EMPTY_LIST)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="responses")


class LessonProgress(Base):
    __tablename__ = "lesson_progress"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    module_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    module_version: Mapped[int]
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ModuleCompletion(Base):
    __tablename__ = "module_completion"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(CONTENT_ID))
    module_version: Mapped[int]
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RunStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


class ScenarioRun(Base):
    """One play of an interview scenario. ``state`` is the engine's run state (path, scores...); the summary
    columns are filled when the run ends, so reports need not replay it."""

    __tablename__ = "scenario_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(CONTENT_ID))
    module_version: Mapped[int]
    scenario_id: Mapped[str] = mapped_column(String(CONTENT_ID), index=True)
    scenario_version: Mapped[int]
    language: Mapped[str] = mapped_column(String(16))
    state: Mapped[dict] = mapped_column(JSON)
    status: Mapped[RunStatus] = mapped_column(
        Enum(RunStatus, name="run_status", native_enum=False, length=16,
             values_callable=lambda s: [v.value for v in s]), default=RunStatus.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[Optional[str]] = mapped_column(String(CONTENT_ID))
    passed: Mapped[Optional[bool]] = mapped_column(Boolean)
    scores: Mapped[Optional[dict]] = mapped_column(JSON)  # per competency: score, best, percent
    critical_errors: Mapped[int] = mapped_column(Integer, default=0)
    missed_indicators: Mapped[Optional[list]] = mapped_column(JSON)
    # Optimistic lock: two posts of the same step (a double click, two tabs) cannot both apply.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    steps: Mapped[list["ScenarioStep"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ScenarioStep.id")

    @property
    def finished(self) -> bool:
        return self.status == RunStatus.FINISHED


class ScenarioStep(Base):
    """Every choice made, kept even when taken back, so reports can show what people chose at each node."""

    __tablename__ = "scenario_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("scenario_run.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # 1 for the first choice of the run
    node_id: Mapped[str] = mapped_column(String(CONTENT_ID))
    choice_id: Mapped[str] = mapped_column(String(CONTENT_ID))
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    # Indicators present at the node, and those this choice acted on: what was seen versus recognised.
    indicators_present: Mapped[list] = mapped_column(JSON, default=list, server_default=EMPTY_LIST)
    indicators_recognised: Mapped[list] = mapped_column(JSON, default=list, server_default=EMPTY_LIST)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    run: Mapped[ScenarioRun] = relationship(back_populates="steps")
