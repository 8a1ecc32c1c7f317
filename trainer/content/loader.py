"""Read a content folder into validated objects, or report every problem found (file, line, field).

Layout of ``quizzes/``::

    <module-id>/module.yaml            the module
    <module-id>/lessons/*.md           lessons, named in module.yaml
    <module-id>/assessments/*.yaml     quizzes, one per file, listed in module.yaml's assessments
    <module-id>/scenarios/*.yaml       interview scenarios, listed in module.yaml's scenarios
    indicators.yaml                    the shared list of trafficking indicators that content tags
    <module-id>/media/*                images used by lessons (png, jpg, svg, webp)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from trainer.content import markdown
from trainer.content.errors import ContentError, ContentProblem
from trainer.content.questions import REGISTRY
from trainer.content.scenarios import Scenario, read_scenario
from trainer.content.schema import IndicatorList, Module, Quiz
from trainer.content.yamlfile import Located, YamlSyntaxError, load

INDICATORS = "indicators.yaml"
MEDIA_SUFFIXES = {".png", ".jpg", ".jpeg", ".svg", ".webp", ".gif"}
IMAGE_RE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")


@dataclass(frozen=True)
class LessonText:
    source: str
    blocks: tuple[markdown.Block, ...]
    anchors: frozenset[str]
    words: int


@dataclass(frozen=True)
class ContentSet:
    root: Path
    modules: dict[str, Module]
    quizzes: dict[str, Quiz]
    quiz_module: dict[str, str]
    lessons: dict[tuple[str, str], LessonText] = field(repr=False)
    indicators: IndicatorList | None = None
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    scenario_module: dict[str, str] = field(default_factory=dict)

    def ordered_modules(self) -> list[Module]:
        return sorted(self.modules.values(), key=lambda m: (m.order, m.id))

    def module_dir(self, module_id: str) -> Path:
        return self.root / module_id


class _Problems:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[ContentProblem] = []

    def add(self, path: Path, field_name: str, message: str, line: int | None = None) -> None:
        self.items.append(ContentProblem(str(path.relative_to(self.root.parent)), field_name, message, line))

    def from_validation(self, path: Path, located: Located, error: ValidationError) -> None:
        for item in error.errors():
            steps = [step for step in item["loc"] if step not in REGISTRY]  # drop union tags
            message = item["msg"].removeprefix("Value error, ")
            if item["type"] == "union_tag_invalid":
                message = f"unknown question type; use one of {', '.join(sorted(REGISTRY))}"
            self.add(path, ".".join(str(s) for s in steps), message, located.line_of(steps))


def _parse(path: Path, model: type[BaseModel], problems: _Problems):
    try:
        located = load(path)
    except YamlSyntaxError as error:
        problems.add(path, "", str(error), error.line)
        return None, Located(data={"id": path.stem}, node=None)
    except UnicodeDecodeError:
        problems.add(path, "", "not UTF-8 text")
        return None, None
    if not isinstance(located.data, dict):
        problems.add(path, "", "expected a mapping of fields at the top level", 1)
        return None, None
    try:
        return model.model_validate(located.data), located
    except ValidationError as error:
        problems.from_validation(path, located, error)
        return None, located


def load_content(root: Path) -> ContentSet:
    """Load and check everything under ``root``; raise ContentError listing every problem."""
    root = root.resolve()
    problems = _Problems(root)
    modules: dict[str, Module] = {}
    quizzes: dict[str, Quiz] = {}
    quiz_module: dict[str, str] = {}
    lessons: dict[tuple[str, str], LessonText] = {}
    scenarios: dict[str, Scenario] = {}
    scenario_module: dict[str, str] = {}
    if not root.is_dir():
        raise ContentError([ContentProblem(str(root), "", "content folder not found")])
    indicators = None
    if (root / INDICATORS).is_file():
        indicators, _ = _parse(root / INDICATORS, IndicatorList, problems)
    known = {i.id for i in indicators.indicators} if indicators else set()
    for module_file in sorted(root.glob("*/module.yaml")):
        module, located = _parse(module_file, Module, problems)
        if module is None:
            continue
        folder = module_file.parent
        if module.id != folder.name:
            problems.add(module_file, "id", f"must equal the folder name {folder.name!r}", located.line_of(["id"]))
        if module.id in modules:
            problems.add(module_file, "id", f"duplicate module id {module.id!r}", located.line_of(["id"]))
            continue
        modules[module.id] = module
        _load_lessons(folder, module, located, lessons, problems)
        _load_quizzes(folder, module, located, quizzes, quiz_module, lessons, known, problems)
        _load_scenarios(folder, module, located, scenarios, scenario_module, known, problems)
    _check_prerequisites(root, modules, problems)
    if problems.items:
        raise ContentError(problems.items)
    if not modules:
        raise ContentError([ContentProblem(str(root), "", "no modules found (expected <module-id>/module.yaml)")])
    return ContentSet(root=root, modules=modules, quizzes=quizzes, quiz_module=quiz_module, lessons=lessons,
                      indicators=indicators, scenarios=scenarios, scenario_module=scenario_module)


def _load_lessons(folder: Path, module: Module, located: Located, lessons: dict, problems: _Problems) -> None:
    module_file = folder / "module.yaml"
    for index, ref in enumerate(module.lessons):
        path = folder / ref.file
        if not path.is_file():
            problems.add(module_file, f"lessons.{index}.file", f"lesson file {ref.file} not found",
                         located.line_of(["lessons", index, "file"]))
            continue
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.add(path, "", "not UTF-8 text")
            continue
        blocks = markdown.split_blocks(source)
        for number, text in enumerate(source.splitlines(), start=1):
            if text.startswith("# "):  # the page already shows the lesson title as its one h1
                problems.add(path, "heading", "use ## for sections; the lesson title is the page heading", number)
        for target, line in _images(source):
            media = (folder / target).resolve()
            if (not target.startswith("media/") or not media.is_relative_to(folder.resolve())
                    or media.suffix.lower() not in MEDIA_SUFFIXES or not media.is_file()):
                problems.add(path, "image", f"{target} is not an image file under media/", line)
        lessons[(module.id, ref.id)] = LessonText(
            source=source, blocks=tuple(blocks), anchors=frozenset(b.anchor for b in blocks if b.anchor),
            words=len(source.split()))


def _images(source: str):
    for number, text in enumerate(source.splitlines(), start=1):
        for match in IMAGE_RE.finditer(text):
            yield match.group(1), number


def _load_quizzes(folder: Path, module: Module, located: Located, quizzes: dict, quiz_module: dict,
                  lessons: dict, known_indicators: set[str], problems: _Problems) -> None:
    found = {}
    broken = set()  # quizzes already reported; the module's reference to them is not a second problem
    for quiz_file in sorted((folder / "assessments").glob("*.yaml")):
        quiz, quiz_located = _parse(quiz_file, Quiz, problems)
        if quiz is None:
            data = quiz_located.data if quiz_located is not None else None
            broken.add(data.get("id") if isinstance(data, dict) else quiz_file.stem)
            continue
        if quiz.id in quizzes or quiz.id in found:
            problems.add(quiz_file, "id", f"duplicate quiz id {quiz.id!r}", quiz_located.line_of(["id"]))
            continue
        found[quiz.id] = quiz
        _check_question_refs(module, quiz, quiz_file, quiz_located, lessons, known_indicators, problems)
    _check_listed(module, located, "assessments", "quiz", found, broken, problems)
    for quiz_id, quiz in found.items():
        quizzes[quiz_id] = quiz
        quiz_module[quiz_id] = module.id


def _load_scenarios(folder: Path, module: Module, located: Located, scenarios: dict, scenario_module: dict,
                    known_indicators: set[str], problems: _Problems) -> None:
    found, broken = {}, set()
    for path in sorted((folder / "scenarios").glob("*.yaml")):
        shown = str(path.relative_to(problems.root.parent))
        scenario, found_problems = read_scenario(path, shown, known_indicators)
        problems.items.extend(found_problems)
        if scenario is None:
            broken.add(path.stem)
            continue
        if scenario.id in scenarios or scenario.id in found:
            problems.add(path, "id", f"duplicate scenario id {scenario.id!r}", 1)
            continue
        found[scenario.id] = scenario
        if found_problems:
            broken.add(scenario.id)
    _check_listed(module, located, "scenarios", "scenario", found, broken, problems)
    for scenario_id, scenario in found.items():
        scenarios[scenario_id] = scenario
        scenario_module[scenario_id] = module.id


def _check_listed(module: Module, located: Located, field_name: str, what: str, found: dict, broken: set,
                  problems: _Problems) -> None:
    """Each id the module lists under ``field_name`` names a file in the folder of that name; an id whose file
    was already reported as broken is not reported again."""
    module_file = problems.root / module.id / "module.yaml"
    for index, item_id in enumerate(getattr(module, field_name)):
        if item_id not in found and item_id not in broken:
            problems.add(module_file, f"{field_name}.{index}", f"no {what} {item_id!r} in {module.id}/{field_name}/",
                         located.line_of([field_name, index]))


def _check_question_refs(module: Module, quiz: Quiz, path: Path, located: Located, lessons: dict,
                         known_indicators: set[str], problems: _Problems) -> None:
    """Lesson links point at real lessons and sections; indicator tags are in indicators.yaml."""
    for p_index, pool in enumerate(quiz.pools):
        for q_index, question in enumerate(pool.questions):
            for t_index, tag in enumerate(question.indicators):
                if tag not in known_indicators:
                    where = ["pools", p_index, "questions", q_index, "indicators", t_index]
                    problems.add(path, ".".join(map(str, where)), f"unknown indicator {tag!r} (see {INDICATORS})",
                                 located.line_of(where))
            if not question.lesson:
                continue
            lesson_id, _, anchor = question.lesson.partition("#")
            where = ["pools", p_index, "questions", q_index, "lesson"]
            text = lessons.get((module.id, lesson_id))
            if module.lesson(lesson_id) is None:
                problems.add(path, ".".join(map(str, where)), f"no lesson {lesson_id!r} in module {module.id}",
                             located.line_of(where))
            elif anchor and text is not None and anchor not in text.anchors:
                problems.add(path, ".".join(map(str, where)),
                             f"lesson {lesson_id!r} has no section #{anchor} (headings: "
                             f"{', '.join(sorted(text.anchors)) or 'none'})", located.line_of(where))


def _check_prerequisites(root: Path, modules: dict[str, Module], problems: _Problems) -> None:
    for module in modules.values():
        path = root / module.id / "module.yaml"
        for index, prerequisite in enumerate(module.prerequisites):
            if prerequisite not in modules:
                problems.add(path, f"prerequisites.{index}", f"no module {prerequisite!r}")
    # A cycle would lock everyone out of every module in it.
    state: dict[str, int] = {}

    def visit(module_id: str, trail: list[str]) -> None:
        if state.get(module_id) == 2 or module_id not in modules:
            return
        if state.get(module_id) == 1:
            cycle = trail[trail.index(module_id):] + [module_id]
            problems.add(root / module_id / "module.yaml", "prerequisites", "cycle: " + " -> ".join(cycle))
            return
        state[module_id] = 1
        for prerequisite in modules[module_id].prerequisites:
            visit(prerequisite, trail + [module_id])
        state[module_id] = 2

    for module_id in sorted(modules):
        visit(module_id, [])
