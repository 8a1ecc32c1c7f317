"""Playing interview scenarios: start or resume a run, make one choice at a time, finish with a debrief.

The engine (trainer.content.scenarios) decides what a choice does; this module stores every choice and the
run's outcome, and refuses stale or repeated posts (an expected step number plus an optimistic lock).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trainer.content import scenarios as engine
from trainer.content.loader import ContentSet
from trainer.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied
from trainer.models import RunStatus, ScenarioRun, ScenarioStep
from trainer.models.base import utcnow
from trainer.services import progress, rollups
from trainer.services.tx import transaction


class StaleStep(Conflict):
    message = N_("That choice was already made (perhaps a double click or another tab). Here is where you are.")


class ScenarioChanged(Conflict):
    message = N_("This scenario has been updated since you started it. Start it again to play the new version.")


def get_run(session: Session, user_id: int, run_id: int) -> ScenarioRun:
    run = session.get(ScenarioRun, run_id)
    if run is None or run.user_id != user_id:  # someone else's run looks like no run
        raise NotFound(N_("No such scenario run."))
    return run


def scenario_for(content: ContentSet, run: ScenarioRun) -> engine.Scenario:
    scenario = content.scenarios.get(run.scenario_id)
    if scenario is None or scenario.version != run.scenario_version:
        raise ScenarioChanged()
    return scenario


def start(session: Session, content: ContentSet, user_id: int, scenario_id: str, language: str,
          now: datetime | None = None) -> ScenarioRun:
    """Resume the open run of this scenario's current version, or start a new one."""
    scenario = content.scenarios.get(scenario_id)
    if scenario is None:
        raise NotFound(N_("No such scenario."))
    module_id = content.scenario_module[scenario_id]
    progress.require_open(session, content, user_id, module_id)
    open_run = session.scalar(select(ScenarioRun).where(
        ScenarioRun.user_id == user_id, ScenarioRun.scenario_id == scenario_id,
        ScenarioRun.status == RunStatus.IN_PROGRESS).order_by(ScenarioRun.id.desc()))
    if open_run is not None and open_run.scenario_version == scenario.version:
        return open_run
    with transaction(session):
        if open_run is not None:  # begun on an older version: it cannot go on, so close it unfinished
            open_run.status, open_run.finished_at = RunStatus.FINISHED, now or utcnow()
        run = ScenarioRun(user_id=user_id, module_id=module_id, module_version=content.modules[module_id].version,
                          scenario_id=scenario_id, scenario_version=scenario.version, language=language,
                          state=dict(engine.start_run(scenario)), status=RunStatus.IN_PROGRESS,
                          started_at=now or utcnow())
        session.add(run)
    return run


def choose(session: Session, content: ContentSet, user_id: int, run_id: int, choice_id: str, step: int,
           now: datetime | None = None) -> ScenarioRun:
    """Make the choice ``choice_id`` as step ``step`` (1-based) of the run."""

    def apply(run: ScenarioRun, scenario: engine.Scenario) -> None:
        try:
            state = engine.choose(scenario, run.state, choice_id)
        except engine.ScenarioError as error:
            raise InvalidInput(N_("That choice is not offered here. Choose one of the options shown.")) from error
        node = scenario.node(run.state["node"])
        choice = node.choice(choice_id)
        made = ScenarioStep(run_id=run.id, position=step, node_id=node.id, choice_id=choice_id,
                            critical=choice.critical, created_at=now or utcnow(),
                            indicators_present=list(node.indicators_present),
                            indicators_recognised=list(choice.indicators))
        session.add(made)
        rollups.record_step(session, run, made)
        run.state = dict(state)

    return _step(session, content, user_id, run_id, step, now, apply)


def back(session: Session, content: ContentSet, user_id: int, run_id: int, step: int,
         now: datetime | None = None) -> ScenarioRun:
    """Take back the last choice, where the scenario allows it; the step stays recorded as undone."""

    def apply(run: ScenarioRun, scenario: engine.Scenario) -> None:
        if not scenario.allow_back:
            raise PermissionDenied(N_("This scenario does not allow going back."))
        try:
            state = engine.back(scenario, run.state)
        except engine.ScenarioError as error:
            raise InvalidInput(N_("There is no choice to take back.")) from error
        last = session.scalar(select(ScenarioStep).where(
            ScenarioStep.run_id == run.id, ScenarioStep.undone.is_(False)).order_by(ScenarioStep.id.desc()))
        if last is not None:
            last.undone = True
            rollups.record_step(session, run, last, taken_back=True)
        run.state = dict(state)

    return _step(session, content, user_id, run_id, step, now, apply)


def _step(session: Session, content: ContentSet, user_id: int, run_id: int, step: int, now, apply) -> ScenarioRun:
    """Check and apply one step in one transaction. The run is read inside it, so of two posts of the same
    step the second sees the first's result (SQLite: the write lock; PostgreSQL: the version check)."""
    try:
        with transaction(session):
            run = get_run(session, user_id, run_id)
            if run.finished:
                raise Conflict(N_("This scenario run has ended; see its debrief."))
            scenario = scenario_for(content, run)
            if step != len(run.state["path"]) + 1:
                raise StaleStep()
            apply(run, scenario)
            if run.state["finished"]:
                _finish(run, scenario, run.state, now)
                session.flush()
                rollups.record_finish(session, run)
                progress.record_completion_if_due(session, content, run.user_id, run.module_id)
    except StaleDataError as error:  # another request moved this run on first
        raise StaleStep() from error
    return run


def _finish(run: ScenarioRun, scenario: engine.Scenario, state, now) -> None:
    outcome = engine.result(scenario, state)
    run.status, run.finished_at = RunStatus.FINISHED, now or utcnow()
    run.outcome, run.passed = outcome.outcome, outcome.passed
    run.scores = {c.competency.value: {"score": c.score, "best": c.best, "percent": c.percent}
                  for c in outcome.competencies}
    run.critical_errors = len(outcome.criticals)
    run.missed_indicators = list(outcome.indicators_missed)


def runs_of(session: Session, user_id: int, scenario_id: str) -> list[ScenarioRun]:
    return list(session.scalars(select(ScenarioRun).where(
        ScenarioRun.user_id == user_id, ScenarioRun.scenario_id == scenario_id).order_by(ScenarioRun.id.desc())))
