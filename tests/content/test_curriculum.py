"""The shipped course in quizzes/ meets the programme's bar (issue 5): seven modules, 150+ questions, four or more
branching scenarios, pools of at least twice their draw, sources cited, content notes where material is hard."""
from __future__ import annotations

from pathlib import Path

import pytest

from trainer.content.loader import load_content

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def course():
    return load_content(ROOT / "quizzes")


def test_the_seven_modules_of_the_curriculum(course):
    assert [m.id for m in course.ordered_modules()] == [
        "trafficking-basics", "border-indicators", "fraudulent-documents", "document-examination",
        "victim-interviewing", "referral-rights", "training-of-trainers"]


def test_question_and_scenario_totals(course):
    questions = sum(len(pool.questions) for quiz in course.quizzes.values() for pool in quiz.pools)
    assert questions >= 150
    assert len(course.scenarios) >= 4


def test_every_pool_holds_twice_its_draw(course):
    small = [(quiz.id, pool.id, pool.draw, len(pool.questions)) for quiz in course.quizzes.values()
             for pool in quiz.pools if len(pool.questions) < 2 * pool.draw]
    assert small == []


def test_every_module_has_objectives_lessons_a_quiz_and_cited_sources(course):
    for module in course.modules.values():
        assert module.objectives and module.lessons and module.assessments, module.id
        assert len(module.references) >= 3, module.id


@pytest.mark.parametrize("module_id", ["trafficking-basics", "border-indicators", "victim-interviewing",
                                       "referral-rights", "training-of-trainers"])
def test_distressing_modules_carry_a_content_note(course, module_id):
    assert course.modules[module_id].content_warning


def test_questions_and_scenario_choices_are_tagged_to_indicators(course):
    known = {indicator.id for indicator in course.indicators.indicators}
    tagged = [i for quiz in course.quizzes.values() for pool in quiz.pools for q in pool.questions
              for i in q.indicators]
    assert len(tagged) >= 100 and set(tagged) <= known
