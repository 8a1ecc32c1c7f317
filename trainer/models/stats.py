"""Running totals for coordinators' reports, kept up to date as quizzes are submitted and scenarios played, so
item analysis, indicator mastery and scenario analytics read a few hundred rows instead of scanning a million
responses. ``trainer.services.rollups`` writes them (and rebuilds them from the raw rows); 0 stands for "none"
in the agency, station and cohort keys, so the keys can be primary keys on every database.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer.models.base import Base
from trainer.models.learning import CONTENT_ID


class ItemStat(Base):
    """Per question and language: sums for facility and item-rest discrimination (trainer.analytics.items)."""

    __tablename__ = "item_stat"

    quiz_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    sum_x: Mapped[float] = mapped_column(Float, default=0.0)
    sum_x2: Mapped[float] = mapped_column(Float, default=0.0)
    sum_rest: Mapped[float] = mapped_column(Float, default=0.0)
    sum_rest2: Mapped[float] = mapped_column(Float, default=0.0)
    sum_xrest: Mapped[float] = mapped_column(Float, default=0.0)


class OptionStat(Base):
    """How often each option of a choice question was picked ("" = no answer), per language."""

    __tablename__ = "option_stat"

    quiz_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    option_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class AttemptStat(Base):
    """Submitted and passed attempts per month, quiz, agency, duty station and language."""

    __tablename__ = "attempt_stat"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    quiz_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    module_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty_station_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    passed: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorStat(Base):
    """Answers touching an indicator (quiz questions and scenario nodes), and their summed score, per agency
    and duty station of the person answering."""

    __tablename__ = "indicator_stat"

    indicator: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty_station_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[float] = mapped_column(Float, default=0.0)


class IndicatorCohortStat(Base):
    __tablename__ = "indicator_cohort_stat"

    indicator: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    cohort_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[float] = mapped_column(Float, default=0.0)


class ChoiceStat(Base):
    """How many runs took each choice at each scenario node (choices taken back are not counted)."""

    __tablename__ = "choice_stat"

    scenario_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    node_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    choice_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)


class CompetencyStat(Base):
    """Finished runs and summed competency percentages per scenario, agency and duty station."""

    __tablename__ = "competency_stat"

    scenario_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty_station_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competency: Mapped[str] = mapped_column(String(32), primary_key=True)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    sum_percent: Mapped[float] = mapped_column(Float, default=0.0)


class EnrolmentStat(Base):
    """Enrolments per cohort, agency and duty station (where the person worked when enrolled), month of enrolment
    and month of completion ("" while not completed): the completion dashboard's rows."""

    __tablename__ = "enrolment_stat"

    cohort_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty_station_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolled_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    completed_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class ModuleStat(Base):
    """Per cohort, assigned module, agency and duty station: enrolled trainees it is assigned to, and those who
    have completed the module."""

    __tablename__ = "module_stat"

    cohort_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    module_id: Mapped[str] = mapped_column(String(CONTENT_ID), primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty_station_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assigned: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
