"""Loading content: broken files are reported with file, line and field; a broken set is never served."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trainer.config import ROOT
from trainer.content.errors import ContentError
from trainer.content.loader import load_content

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "quizzes"
    shutil.copytree(FIXTURE, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as error:
        load_content(folder)
    return [str(p) for p in error.value.problems]


def test_fixture_and_shipped_content_load():
    fixture = load_content(FIXTURE)
    assert set(fixture.modules) == {"basics", "timed", "interview"}
    assert fixture.scenario_module == {"airport-companion": "interview"}
    assert fixture.quiz_module == {"basics-quiz": "basics", "timed-quiz": "timed"}
    shipped = load_content(ROOT / "quizzes")
    assert {"border-indicators", "fraudulent-documents"} <= set(shipped.modules)


QUIZ = "quizzes/basics/assessments/basics-quiz.yaml"
MODULE = "quizzes/basics/module.yaml"


@pytest.mark.parametrize("file, old, new, expected", [
    # YAML syntax
    (QUIZ, "pass_mark: 60", "pass_mark: [60", f"{QUIZ}:6: YAML syntax"),
    # unknown field (a typo) with its line
    (QUIZ, "        lesson: kinds\n", "        lessen: kinds\n",
     f"{QUIZ}:19: pools.0.questions.0.lessen: Extra inputs"),
    # wrong type
    (QUIZ, "attempts_allowed: 2", "attempts_allowed: two", f"{QUIZ}:6: attempts_allowed: Input should be a valid"),
    # answer key pointing at nothing
    (QUIZ, "{id: p1, text: Portrait replaced, match: forgery}", "{id: p1, text: Portrait replaced, match: forged}",
     f"{QUIZ}:43: pools.1.questions.0: prompt 'p1' matches"),
    # a pool too small for its draw
    (QUIZ, "    draw: 4", "    draw: 9", f"{QUIZ}:40: pools.1: draws 9 questions but has only 4"),
    # duplicate question ids
    (QUIZ, "      - id: digit\n", "      - id: counterfeit\n", f"{QUIZ}:1: question ids must be unique: counterfeit"),
    # unknown question type
    (QUIZ, "type: ordering", "type: essay", f"{QUIZ}:54: pools.1.questions.1: unknown question type"),
    # lesson link to a missing section
    (QUIZ, 'lesson: "digits#weights"', 'lesson: "digits#nope"',
     f"{QUIZ}:67: pools.1.questions.2.lesson: lesson 'digits' has no section #nope"),
    # missing lesson file
    (MODULE, "file: lessons/02-digits.md", "file: lessons/99-none.md",
     f"{MODULE}:19: lessons.1.file: lesson file lessons/99-none.md not found"),
    # missing module field
    (MODULE, "estimated_minutes: 20\n", "", f"{MODULE}:1: estimated_minutes: Field required"),
    # assessment that does not exist
    (MODULE, "assessments: [basics-quiz]", "assessments: [basics-exam]", f"{MODULE}:20: assessments.0: no quiz"),
])
def test_errors_name_file_line_and_field(content, file, old, new, expected):
    edit(content.parent / file, old, new)
    found = problems(content)
    assert any(p.startswith(expected) for p in found), found


def test_a_broken_quiz_is_reported_once(content):
    edit(content / "basics/assessments/basics-quiz.yaml", "match: forgery}", "match: forged}")
    found = problems(content)
    assert len(found) == 1 and "matches 'forged', which is not among the matches" in found[0]


def test_prerequisite_problems(content):
    edit(content / "timed/module.yaml", "prerequisites: [basics]", "prerequisites: [nothing]")
    assert any("timed/module.yaml: prerequisites.0: no module 'nothing'" in p for p in problems(content))


def test_prerequisite_cycles_are_refused(content):
    edit(content / "basics/module.yaml", "audience:", "prerequisites: [timed]\naudience:")
    assert any("cycle: basics -> timed -> basics" in p for p in problems(content))


def test_images_must_be_media_files(content):
    edit(content / "basics/lessons/01-kinds.md", "media/specimen.svg", "media/missing.png")
    assert any("01-kinds.md:7: image: media/missing.png is not an image file" in p for p in problems(content))
    edit(content / "basics/lessons/01-kinds.md", "media/missing.png", "../../../etc/passwd")
    assert any("is not an image file under media/" in p for p in problems(content))


def test_every_problem_is_reported_at_once(content):
    edit(content / "basics/assessments/basics-quiz.yaml", "pass_mark: 60", "pass_mark: 160")
    edit(content / "timed/module.yaml", "version: 1", "version: zero")
    found = problems(content)
    assert len(found) >= 2
    assert any("pass_mark" in p for p in found) and any("version" in p for p in found)


def test_folder_name_must_match_module_id(content):
    shutil.move(content / "timed", content / "timing")
    assert any("timing/module.yaml:1: id: must equal the folder name 'timing'" in p for p in problems(content))


def test_not_utf8_and_not_a_mapping(content):
    (content / "timed/assessments/timed-quiz.yaml").write_bytes(b"\xff\xfe bad")
    (content / "basics/assessments/basics-quiz.yaml").write_text("- a list\n", encoding="utf-8")
    found = problems(content)
    assert any("timed-quiz.yaml: not UTF-8 text" in p for p in found)
    assert any("basics-quiz.yaml:1: expected a mapping" in p for p in found)


def test_content_check_command(runner, tmp_path, content):
    ok = runner.invoke(args=["content", "check"])  # the app under test is configured with the fixture content
    assert ok.exit_code == 0 and ok.output.startswith("OK: 3 modules, 4 lessons, 2 quizzes, 9 questions, 1 scenarios")
    shipped = runner.invoke(args=["content", "check", "--folder", str(ROOT / "quizzes")])
    assert shipped.exit_code == 0, shipped.output
    edit(content / "basics/assessments/basics-quiz.yaml", "pass_mark: 60", "pass_mark: 160")
    broken = runner.invoke(args=["content", "check", "--folder", str(content)])
    assert broken.exit_code == 1
    assert "basics-quiz.yaml:5: pass_mark: Input should be less than or equal to 100" in broken.output
    assert "1 problem(s)" in broken.output


def test_indicator_tags_must_be_listed(content):
    (content / "indicators.yaml").write_text(
        "groups: [{id: border, label: At the border}]\n"
        "indicators: [{id: companion-answers, group: border, label: A companion answers}]\n", encoding="utf-8")
    edit(content / "basics/assessments/basics-quiz.yaml", "        lesson: kinds\n",
         "        lesson: kinds\n        indicators: [companion-answers, companion-smiles]\n")
    found = [p for p in problems(content) if "basics-quiz" in p and "companion" in p]
    assert found == ["quizzes/basics/assessments/basics-quiz.yaml:20: pools.0.questions.0.indicators.1: "
                     "unknown indicator 'companion-smiles' (see indicators.yaml)"]


def test_indicator_list_is_checked(content):
    (content / "indicators.yaml").write_text(
        "groups: [{id: border, label: At the border}]\n"
        "indicators: [{id: a, group: nowhere, label: A}, {id: a, group: border, label: B}]\n", encoding="utf-8")
    found = [p for p in problems(content) if p.startswith("quizzes/indicators.yaml")]
    assert len(found) == 1 and found[0].startswith("quizzes/indicators.yaml:1: indicator ids must be unique: a")
