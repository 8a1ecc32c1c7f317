"""``flask seed-scale``: a large data set whose rows hang together and whose report totals equal a rebuild."""
from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from tests.services.test_rollups import snapshot
from trainer.certificates.signing import Keyring
from trainer.certificates.verify import judge
from trainer.content import questions as question_types
from trainer.content.loader import load_content
from trainer.content.schema import QUESTION_ADAPTER
from trainer.extensions import db
from trainer.models import (
    Certificate,
    Cohort,
    CohortKind,
    Enrolment,
    ModuleCompletion,
    QuestionResponse,
    QuizAttempt,
    ScenarioRun,
    ScenarioStep,
    TrainerQualification,
    User,
)
from trainer.models.base import as_utc
from trainer.services import completion, progress, rollups, scale
from trainer.services.attempts import draw
from trainer.services.certificates import Issuer

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def course():
    """The real course (seven modules, every question type, six scenarios), loaded once."""
    return load_content(ROOT / "quizzes")


@pytest.fixture(scope="module")
def keyring():
    return Keyring(private_key=Ed25519PrivateKey.generate())


def issuer(content, keyring) -> Issuer:
    return Issuer(keyring=lambda: keyring, name="Border training", base_url="https://training.example.mn",
                  content=lambda: content)


def approx(snap: dict) -> dict:
    return {table: sorted(tuple(round(v, 4) if isinstance(v, float) else v for v in row) for row in rows)
            for table, rows in snap.items()}


def test_a_small_scale_run_writes_consistent_rows_and_the_totals_of_a_rebuild(course, keyring):
    rollups.rebuild(db.session)  # whatever committing tests left behind
    db.session.commit()
    lines = []
    report = scale.seed_scale(db.session, course, issuer(course, keyring), 60, seed=7, today=TODAY, online_share=0.6,
                              echo=lines.append)
    assert any("done" in line for line in lines)
    learned = report["learning, scenarios and report totals"]
    assert report["people"]["user_account"] == 60
    assert learned["quiz_attempt"] > 0 and learned["question_response"] > 0 and learned["scenario_step"] > 0

    people = db.session.scalars(select(User).where(User.username.like("scale-%"))).all()
    assert len(people) == 60
    ids = {p.id for p in people}
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.user_id.in_(ids))).all()
    assert Counter(e.user_id for e in enrolments) == Counter(ids)  # one cohort each

    # the cascade: ToT cohorts, course cohorts whose parent is the ToT cohort that qualified their lead
    cohorts = {c.id: c for c in db.session.scalars(select(Cohort).where(Cohort.id.in_(
        {e.cohort_id for e in enrolments})))}
    kinds = Counter(c.kind for c in cohorts.values())
    assert kinds[CohortKind.TOT] >= 2 and kinds[CohortKind.COURSE] >= 1
    qualified = {user_id: cohort_id for user_id, cohort_id in db.session.execute(
        select(TrainerQualification.user_id, TrainerQualification.cohort_id))}
    for cohort in cohorts.values():
        assert cohort.assignments and cohort.trainer_links
        lead = cohort.trainer_links[0].user_id
        assert cohort.parent_id == qualified.get(lead)
    for user_id, tot in qualified.items():
        if user_id in ids:
            mine = next(e for e in enrolments if e.user_id == user_id)
            assert mine.cohort_id == tot and mine.completed_at is not None

    # attempts: the drawn questions are draw(quiz, seed), one graded response per drawn question
    attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id.in_(ids))).all()
    responses = defaultdict(list)
    for response in db.session.scalars(select(QuestionResponse).where(
            QuestionResponse.attempt_id.in_([a.id for a in attempts]))):
        responses[response.attempt_id].append(response)
    languages = set()
    for attempt in attempts:
        quiz = course.quizzes[attempt.quiz_id]
        assert attempt.questions == draw(quiz, attempt.seed)
        mine = sorted(responses[attempt.id], key=lambda r: r.position)
        assert [r.question_id for r in mine] == [q["question"]["id"] for q in attempt.questions]
        total = 0.0
        for response, item in zip(mine, attempt.questions, strict=True):
            question = QUESTION_ADAPTER.validate_python(item["question"])
            grade = question_types.get(question.type).grade(question, response.answer)
            assert grade.score == pytest.approx(response.score)
            assert response.points == round(grade.score * question.points, 4)
            assert response.indicators == list(question.indicators)
            total += response.points
        assert attempt.score == pytest.approx(total)
        assert attempt.passed == (attempt.percent >= quiz.pass_mark)
        languages.add(attempt.language)
    assert languages <= {"mn", "ru", "en"}

    # scenario runs: the path in the state is the steps; finished runs carry the engine's result
    runs = db.session.scalars(select(ScenarioRun).where(ScenarioRun.user_id.in_(ids))).all()
    assert runs
    for run in runs:
        steps = db.session.scalars(select(ScenarioStep).where(ScenarioStep.run_id == run.id)
                                   .order_by(ScenarioStep.position)).all()
        assert [(s.node_id, s.choice_id) for s in steps] == [(p["node"], p["choice"]) for p in run.state["path"]]
        assert run.finished == run.state["finished"]
        if run.finished:
            assert run.scores and run.passed is not None and run.outcome == run.state["outcome"]

    # module completions hold by the module rules; cohort completions are what the completion service says
    completions = db.session.scalars(select(ModuleCompletion).where(ModuleCompletion.user_id.in_(ids))).all()
    assert completions
    for user_id in {c.user_id for c in completions}:
        standings = progress.standings(db.session, course, user_id)
        for done in (c for c in completions if c.user_id == user_id):
            assert progress.rule_holds(course.modules[done.module_id], standings[done.module_id])
    completed = 0
    for cohort in cohorts.values():
        for row in completion.matrix(db.session, cohort, TODAY).rows:
            assert row.complete == (row.enrolment.completed_at is not None), (cohort.name, row.user.username)
            if row.complete:
                completed += 1
                assert as_utc(row.enrolment.completed_at) == row.completed_on
    assert completed > 0

    # certificates: one per completed (and, where asked, approved) enrolment, each verifying with the keyring
    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id.in_(ids))).all()
    assert {c.enrolment_id for c in certificates} == {e.id for e in enrolments if e.completed_at is not None}
    for certificate in certificates:
        assert judge(certificate.bundle, keyring, {}, TODAY).verdict.value == "valid"

    # the report totals fed while generating equal a rebuild from the raw rows
    live = approx(snapshot())
    rollups.rebuild(db.session)
    db.session.flush()
    assert approx(snapshot()) == live


def test_the_fast_draw_is_attempts_draw(course):
    bank = scale._Bank(course, random.Random(1))
    for quiz in course.quizzes.values():
        for seed in (0, 1, 12345, 2**31 - 1):
            drawn = bank.draw(quiz.id, seed)
            assert drawn == draw(quiz, seed)
            assert json.loads(bank.encoded(drawn)) == drawn


def test_the_command_seeds_a_tiny_set_with_the_app_content(runner):
    before = db.session.scalar(select(func.count()).select_from(User))
    result = runner.invoke(args=["seed-scale", "--trainees", "12", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "people: user_account 12" in result.output and "done in" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == before + 12


def test_the_command_refuses_nonsense(runner):
    result = runner.invoke(args=["seed-scale", "--trainees", "0"])
    assert result.exit_code != 0
