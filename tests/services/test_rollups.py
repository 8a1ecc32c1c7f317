"""The report totals: kept up to date at each submission and scenario step, and equal to a rebuild from the raw
rows (one accumulator serves both)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from trainer.extensions import db
from trainer.models import AttemptStat, ChoiceStat, CompetencyStat, IndicatorStat, ItemStat, OptionStat
from trainer.services import attempts, rollups, scenario_runs
from trainer.services.rollups import MODELS


@pytest.fixture
def content(app):
    return app.extensions["content"].get()


def snapshot() -> dict:
    result = {}
    for model in MODELS:
        keys = [c.name for c in model.__table__.columns]
        result[model.__tablename__] = sorted(
            tuple(round(v, 6) if isinstance(v, float) else v for v in row)
            for row in db.session.execute(select(*[model.__table__.c[k] for k in keys])))
    return result


def answer_everything(content, user_id: int, quiz_id: str, language: str = "en"):
    attempt = attempts.start(db.session, content, user_id, quiz_id, language)
    for item in attempts.drawn(attempt):
        question = item.question
        if question.type == "single_choice":
            wrong = next(o.id for o in question.options if not o.correct)
            attempts.save_answer(db.session, content, user_id, attempt.id, item.position,
                                 {"answer": [wrong]})
    return attempts.submit(db.session, content, user_id, attempt.id)


def test_a_submission_and_a_scenario_update_the_totals_as_a_rebuild_would(content, users):
    rollups.rebuild(db.session)  # whatever earlier committing tests left behind
    attempt = answer_everything(content, users["trainee"], "basics-quiz")
    answer_everything(content, users["trainer"], "basics-quiz", "ru")
    run = scenario_runs.start(db.session, content, users["trainee"], "airport-companion", "en")
    for step, choice in enumerate(["separate", "open", "refer"], start=1):
        run = scenario_runs.choose(db.session, content, users["trainee"], run.id, choice, step)
    live = snapshot()
    items = db.session.scalars(select(ItemStat).where(ItemStat.quiz_id == "basics-quiz")).all()
    assert sum(i.n for i in items) == 2 * len(attempt.questions)
    assert {i.language for i in items} == {"en", "ru"}
    assert db.session.scalar(select(AttemptStat.attempts).where(AttemptStat.language == "ru")) == 1
    picked = db.session.scalars(select(OptionStat)).all()
    assert picked and all(o.count >= 1 for o in picked)
    assert {(c.node_id, c.choice_id, c.count) for c in db.session.scalars(select(ChoiceStat))} == {
        ("desk", "separate", 1), ("private", "open", 1), ("account", "refer", 1)}
    assert db.session.scalars(select(CompetencyStat)).all()
    assert db.session.scalars(select(IndicatorStat)).all()
    rollups.rebuild(db.session)
    db.session.flush()
    assert snapshot() == live


def test_a_choice_taken_back_is_taken_out_of_the_totals(content, users, monkeypatch):
    rollups.rebuild(db.session)
    scenario = content.scenarios["airport-companion"]
    monkeypatch.setitem(content.scenarios, "airport-companion", scenario.model_copy(update={"allow_back": True}))
    run = scenario_runs.start(db.session, content, users["trainee"], "airport-companion", "en")
    run = scenario_runs.choose(db.session, content, users["trainee"], run.id, "separate", 1)
    run = scenario_runs.back(db.session, content, users["trainee"], run.id, 2)
    assert db.session.scalar(select(ChoiceStat.count).where(ChoiceStat.choice_id == "separate")) == 0
    live = snapshot()
    rollups.rebuild(db.session)
    db.session.flush()
    rebuilt = snapshot()
    live["choice_stat"] = [row for row in live["choice_stat"] if row[3] != 0]
    live["indicator_stat"] = [row for row in live["indicator_stat"] if row[3] != 0]
    live["indicator_cohort_stat"] = [row for row in live["indicator_cohort_stat"] if row[2] != 0]
    assert rebuilt == live


def _enrolment_totals() -> dict:
    from trainer.models import EnrolmentStat, ModuleStat

    result = {}
    for model in (EnrolmentStat, ModuleStat):
        rows = db.session.execute(select(*model.__table__.columns)).all()
        result[model.__tablename__] = sorted(tuple(r) for r in rows if any(
            v for k, v in r._mapping.items() if k in ("count", "assigned", "completed")))
    return result


def test_enrolment_and_module_totals_follow_every_change_as_a_rebuild_would(users):
    from datetime import date

    from trainer.models import CohortKind, ModuleCompletion, User
    from trainer.models.base import utcnow
    from trainer.services import cohorts, completion, enrolment, enrolment_totals

    rollups.rebuild(db.session)
    trainer = db.session.get(User, users["trainer"])
    first, second = (cohorts.create_cohort(db.session, trainer, cohorts.CohortData(
        kind=CohortKind.COURSE, name=name, agency_id=trainer.agency_id)) for name in ("One", "Two"))
    cohorts.assign_module(db.session, trainer, first.id, "basics", None, {"basics", "timed"})
    enrolment.add_by_username(db.session, trainer, first.id, "trainee")
    enrolment.add_by_username(db.session, trainer, first.id, "coordinator")
    db.session.add(ModuleCompletion(user_id=users["trainee"], module_id="basics", module_version=1,
                                    completed_at=utcnow()))
    db.session.flush()
    completion.refresh(db.session, first, date.today())
    cohorts.assign_module(db.session, trainer, first.id, "timed", None, {"basics", "timed"})
    cohorts.assign_module(db.session, trainer, second.id, "basics", None, {"basics"})
    enrolment.move(db.session, trainer, first.id, users["coordinator"], second.id, date.today())
    enrolment.remove(db.session, trainer, second.id, users["coordinator"])
    cohorts.unassign_module(db.session, trainer, first.id, first.assignments[1].id)
    db.session.flush()
    live = _enrolment_totals()
    assert live["enrolment_stat"] and live["module_stat"]
    enrolment_totals.rebuild(db.session)
    assert _enrolment_totals() == live
