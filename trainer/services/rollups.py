"""Keeping the report totals (trainer.models.stats) in step with the raw rows.

One accumulator serves both paths, so they cannot disagree: at each quiz submission or scenario step the
service adds that one event inside the same transaction; ``rebuild`` streams every raw row through the same
accumulator after a bulk load (``flask seed-scale``) or to repair the totals (``flask stats rebuild``).
Writes are upserts that add to the stored totals (``INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n``),
so concurrent submissions never lose an increment.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trainer.analytics.items import rest_score
from trainer.models import (
    AttemptStat,
    AttemptStatus,
    ChoiceStat,
    CompetencyStat,
    Enrolment,
    IndicatorCohortStat,
    IndicatorStat,
    ItemStat,
    OptionStat,
    QuestionResponse,
    QuizAttempt,
    RunStatus,
    ScenarioRun,
    ScenarioStep,
    User,
)
from trainer.models.base import as_utc
from trainer.services import enrolment_totals
from trainer.services.upsert import CHUNK, add_to

MODELS = (ItemStat, OptionStat, AttemptStat, IndicatorStat, IndicatorCohortStat, ChoiceStat, CompetencyStat)


def chosen_options(question_type: str, answer: Mapping | None) -> list[str]:
    """The options a choice answer picked ("" for no answer); other question types have no options."""
    if question_type not in ("single_choice", "multiple_response", "true_false"):
        return []
    if not answer:
        return [""]
    if question_type == "single_choice":
        return [str(answer.get("choice", ""))]
    if question_type == "multiple_response":
        return [str(c) for c in answer.get("choices", ())] or [""]
    value = answer.get("value")
    return ["true" if value else "false"] if value is not None else [""]


class Totals:
    """Increments by table and key, summed in memory, then written in a few upserts."""

    def __init__(self) -> None:
        self.rows: dict[type, dict[tuple, dict[str, float]]] = defaultdict(dict)
        self.flags: dict[tuple, bool] = {}

    def add(self, model: type, key: Mapping[str, object], **amounts: float) -> None:
        row = self.rows[model].setdefault(tuple(key.items()), dict.fromkeys(amounts, 0))
        for name, amount in amounts.items():
            row[name] = row.get(name, 0) + amount

    def attempt(self, attempt: QuizAttempt, responses: Iterable[QuestionResponse], agency_id: int | None,
                station_id: int | None, cohort_ids: Iterable[int]) -> None:
        agency, station = agency_id or 0, station_id or 0
        questions = {item["question"]["id"]: item["question"] for item in attempt.questions}
        month = as_utc(attempt.submitted_at or attempt.started_at).strftime("%Y-%m")
        self.add(AttemptStat, {"month": month, "quiz_id": attempt.quiz_id, "module_id": attempt.module_id,
                               "agency_id": agency, "duty_station_id": station, "language": attempt.language},
                 attempts=1, passed=1 if attempt.passed else 0)
        for response in responses:
            x = response.score or 0.0
            question = questions.get(response.question_id, {})
            rest = rest_score(attempt.score or 0.0, attempt.max_score or 0.0, response.points or 0.0,
                              float(question.get("points", 1)))
            if rest is not None:  # (a one-question attempt has no rest to correlate with)
                self.add(ItemStat, {"quiz_id": attempt.quiz_id, "question_id": response.question_id,
                                    "language": attempt.language},
                         n=1, sum_x=x, sum_x2=x * x, sum_rest=rest, sum_rest2=rest * rest, sum_xrest=x * rest)
            for option in chosen_options(question.get("type", ""), response.answer):
                self.add(OptionStat, {"quiz_id": attempt.quiz_id, "question_id": response.question_id,
                                      "language": attempt.language, "option_id": option}, count=1)
            for indicator in response.indicators or ():
                self.indicator(indicator, x, agency, station, cohort_ids)

    def indicator(self, indicator: str, score: float, agency: int, station: int, cohort_ids: Iterable[int],
                  count: int = 1) -> None:
        """One answer touching ``indicator`` (``count=-1`` takes one back)."""
        self.add(IndicatorStat, {"indicator": indicator, "agency_id": agency, "duty_station_id": station},
                 n=count, correct=count * score)
        for cohort_id in cohort_ids:
            self.add(IndicatorCohortStat, {"indicator": indicator, "cohort_id": cohort_id}, n=count,
                     correct=count * score)

    def step(self, scenario_id: str, step: ScenarioStep, agency_id: int | None, station_id: int | None,
             cohort_ids: Iterable[int], sign: int = 1) -> None:
        key = (("scenario_id", scenario_id), ("node_id", step.node_id), ("choice_id", step.choice_id))
        self.add(ChoiceStat, dict(key), count=sign)
        self.flags[key] = bool(step.critical)
        recognised = set(step.indicators_recognised or ())
        for indicator in step.indicators_present or ():
            # seen at the node and acted on (recognised) counts as a right answer, seen and passed over as wrong
            self.indicator(indicator, 1.0 if indicator in recognised else 0.0, agency_id or 0, station_id or 0,
                           cohort_ids, count=sign)

    def finished(self, run: ScenarioRun, agency_id: int | None, station_id: int | None) -> None:
        for competency, score in (run.scores or {}).items():
            self.add(CompetencyStat, {"scenario_id": run.scenario_id, "agency_id": agency_id or 0,
                                      "duty_station_id": station_id or 0, "competency": competency},
                     runs=1, sum_percent=float(score.get("percent") or 0.0))

    def write(self, session: Session, chunk: int = CHUNK) -> int:
        """Add everything summed so far to the stored totals; returns the rows written."""
        written = 0
        for model, rows in self.rows.items():
            keys = {c.name for c in model.__table__.primary_key.columns}
            values = []
            for key, amounts in rows.items():
                row = {**dict(key), **amounts}
                if model is ChoiceStat:
                    row["critical"] = self.flags.get(key, False)
                values.append(row)
            if values:
                amounts = [name for name in values[0] if name not in keys and name != "critical"]
                written += add_to(session, model, values, amounts, chunk)
        self.rows.clear()
        return written


def _cohorts(session: Session, user_id: int) -> list[int]:
    return list(session.scalars(select(Enrolment.cohort_id).where(Enrolment.user_id == user_id)))


def record_attempt(session: Session, attempt: QuizAttempt) -> None:
    """Within the grading transaction: add one submitted attempt to the totals."""
    user = session.get(User, attempt.user_id)
    totals = Totals()
    responses = session.scalars(select(QuestionResponse).where(QuestionResponse.attempt_id == attempt.id))
    totals.attempt(attempt, responses, user.agency_id, user.duty_station_id, _cohorts(session, user.id))
    totals.write(session)


def record_step(session: Session, run: ScenarioRun, step: ScenarioStep, taken_back: bool = False) -> None:
    """Within the step's transaction: a choice made (or taken back) at a node."""
    user = session.get(User, run.user_id)
    totals = Totals()
    totals.step(run.scenario_id, step, user.agency_id, user.duty_station_id, _cohorts(session, user.id),
                sign=-1 if taken_back else 1)
    totals.write(session)


def record_finish(session: Session, run: ScenarioRun) -> None:
    user = session.get(User, run.user_id)
    totals = Totals()
    totals.finished(run, user.agency_id, user.duty_station_id)
    totals.write(session)


def rebuild(session: Session, chunk: int = 2000) -> dict[str, int]:
    """Recompute every total from the raw rows (within the caller's transaction). Returns rows read."""
    enrolment_totals.rebuild(session)
    for model in MODELS:
        session.execute(delete(model))
    people = {uid: (agency, station) for uid, agency, station in session.execute(
        select(User.id, User.agency_id, User.duty_station_id))}
    cohorts: dict[int, list[int]] = defaultdict(list)
    for user_id, cohort_id in session.execute(select(Enrolment.user_id, Enrolment.cohort_id)):
        cohorts[user_id].append(cohort_id)
    read = {"attempts": 0, "responses": 0, "steps": 0, "runs": 0}
    totals = Totals()
    attempts = select(QuizAttempt).where(QuizAttempt.status == AttemptStatus.SUBMITTED).order_by(QuizAttempt.id)
    batch: list[QuizAttempt] = []
    for attempt in session.scalars(attempts.execution_options(yield_per=chunk)):
        batch.append(attempt)
        if len(batch) >= chunk:
            read["responses"] += _attempts(session, totals, batch, people, cohorts)
            read["attempts"] += len(batch)
            batch = []
    read["responses"] += _attempts(session, totals, batch, people, cohorts)
    read["attempts"] += len(batch)
    runs = {run_id: (scenario, user_id) for run_id, scenario, user_id in session.execute(
        select(ScenarioRun.id, ScenarioRun.scenario_id, ScenarioRun.user_id))}
    for step in session.scalars(select(ScenarioStep).where(ScenarioStep.undone.is_(False))
                                .execution_options(yield_per=chunk)):
        scenario, user_id = runs[step.run_id]
        agency, station = people.get(user_id, (None, None))
        totals.step(scenario, step, agency, station, cohorts.get(user_id, ()))
        read["steps"] += 1
    for run in session.scalars(select(ScenarioRun).where(ScenarioRun.status == RunStatus.FINISHED)
                               .execution_options(yield_per=chunk)):
        agency, station = people.get(run.user_id, (None, None))
        totals.finished(run, agency, station)
        read["runs"] += 1
    totals.write(session)
    return read


def _attempts(session: Session, totals: Totals, batch: list[QuizAttempt], people, cohorts) -> int:
    if not batch:
        return 0
    responses: dict[int, list[QuestionResponse]] = defaultdict(list)
    for response in session.scalars(select(QuestionResponse).where(
            QuestionResponse.attempt_id.in_([a.id for a in batch]))):
        responses[response.attempt_id].append(response)
    for attempt in batch:
        agency, station = people.get(attempt.user_id, (None, None))
        totals.attempt(attempt, responses[attempt.id], agency, station, cohorts.get(attempt.user_id, ()))
    for obj in [*batch, *(r for rows in responses.values() for r in rows)]:  # keep memory flat over 1M rows
        if obj in session:  # (expunging an attempt also expunges the responses it has loaded)
            session.expunge(obj)
    return sum(len(rows) for rows in responses.values())
