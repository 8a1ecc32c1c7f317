"""Scenario runs: one step at a time, stale posts refused, every choice stored, completion and debrief."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from trainer.content import scenarios as engine
from trainer.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from trainer.extensions import db
from trainer.models import ModuleCompletion, RunStatus, ScenarioStep
from trainer.services import progress, scenario_runs

BEST = ["separate", "open", "refer"]


@pytest.fixture
def content(app):
    return app.extensions["content"].get()


def play(content, user, choices):
    run = scenario_runs.start(db.session, content, user, "airport-companion", "en")
    for step, choice in enumerate(choices, start=1):
        run = scenario_runs.choose(db.session, content, user, run.id, choice, step)
    return run


def test_best_path_passes_and_completes_the_module(content, users):
    user = users["trainee"]
    progress.mark_lesson_read(db.session, content, user, "interview", "principles")
    run = play(content, user, BEST)
    assert run.status == RunStatus.FINISHED and run.passed and run.outcome == "referred"
    assert run.critical_errors == 0 and run.scores["safety"]["score"] == 5
    steps = db.session.scalars(select(ScenarioStep).where(ScenarioStep.run_id == run.id)).all()
    assert [(s.position, s.node_id, s.choice_id) for s in steps] == [(1, "desk", "separate"), (2, "private", "open"),
                                                                     (3, "account", "refer")]
    assert db.session.scalar(select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user)) == \
        "interview"


def test_a_critical_error_fails_and_is_recorded(content, users):
    run = play(content, users["trainee"], ["ask-in-front", "separate-late", "open", "refer"])
    assert run.finished and not run.passed and run.critical_errors == 1
    steps = db.session.scalars(select(ScenarioStep).where(ScenarioStep.run_id == run.id)).all()
    assert [s.critical for s in steps] == [True, False, False, False]
    outcome = engine.result(content.scenarios["airport-companion"], run.state)
    assert outcome.criticals[0].reason == "Questioning a possible victim in front of a possible controller."


def test_resume_returns_the_open_run(content, users):
    first = play(content, users["trainee"], ["separate"])
    again = scenario_runs.start(db.session, content, users["trainee"], "airport-companion", "ru")
    assert again.id == first.id and again.state["node"] == "private"


def test_repeated_or_stale_steps_are_refused(content, users):
    user = users["trainee"]
    run = play(content, user, ["separate"])
    with pytest.raises(scenario_runs.StaleStep):  # the same step posted twice (a double click)
        scenario_runs.choose(db.session, content, user, run.id, "separate", 1)
    with pytest.raises(InvalidInput):  # a choice offered at another node
        scenario_runs.choose(db.session, content, user, run.id, "refer", 2)
    with pytest.raises(NotFound):
        scenario_runs.choose(db.session, content, users["trainer"], run.id, "open", 2)
    with pytest.raises(PermissionDenied):
        scenario_runs.back(db.session, content, user, run.id, 2)
    assert len(db.session.scalars(select(ScenarioStep).where(ScenarioStep.run_id == run.id)).all()) == 1


def test_finished_runs_take_no_more_choices_and_a_new_run_starts(content, users):
    user = users["trainee"]
    run = play(content, user, ["stamp"])
    assert run.finished and run.outcome == "released" and not run.passed
    with pytest.raises(Conflict):
        scenario_runs.choose(db.session, content, user, run.id, "separate", 2)
    assert scenario_runs.start(db.session, content, user, "airport-companion", "en").id != run.id


def test_a_changed_scenario_closes_the_old_run(content, users):
    user = users["trainee"]
    run = play(content, user, ["separate"])
    scenario = content.scenarios["airport-companion"]
    newer = dataclasses.replace(content, scenarios={"airport-companion": scenario.model_copy(update={"version": 2})})
    with pytest.raises(scenario_runs.ScenarioChanged):
        scenario_runs.choose(db.session, newer, user, run.id, "open", 2)
    fresh = scenario_runs.start(db.session, newer, user, "airport-companion", "en")
    assert fresh.id != run.id and fresh.scenario_version == 2
    db.session.refresh(run)
    assert run.finished and run.outcome is None


def test_steps_keep_what_was_present_and_what_was_recognised(content, users):
    run = play(content, users["trainee"], ["separate"])
    step = db.session.scalar(select(ScenarioStep).where(ScenarioStep.run_id == run.id))
    assert step.indicators_present == ["companion-holds-documents", "companion-answers"]
    assert set(step.indicators_recognised) <= set(step.indicators_present) and step.indicators_recognised
