"""Branching interview scenarios: the content model, the graph checks, score bounds and a pure engine.

A scenario is a graph of nodes. A node shows a situation (Markdown; it may include what the traveller or the
companion says) and offers choices; each choice leads to another node, carries feedback, changes the scores on
named competencies, may name the indicators of trafficking it recognises or acts on, and may be a critical
error (questioning the person in front of the companion, using the companion as interpreter, releasing a
likely victim without screening, promising what cannot be kept). A node without choices is an end: it carries
an outcome and a debrief.

Three layers, all pure:

* the models (``Scenario``, ``Node``, ``Choice``) check what one object can check on its own;
* ``check_graph`` checks the graph (dangling targets, unreachable nodes, nodes with no way to an end, cycles)
  and the pass rule against it, and ``score_bounds`` gives the worst and best total per competency over every
  path from the start to an end; ``read_scenario`` turns all of these into ``ContentProblem``s with file,
  line and node;
* the engine (``start_run``, ``choose``, ``back``, ``result``) moves a ``RunState``, a plain JSON-serialisable
  dict that can be stored in a database column, one step at a time, and grades it for the debrief.

The engine trusts nothing in a stored state but its path: each call replays the path against the scenario,
so a tampered or stale state raises ``ScenarioError`` instead of producing a wrong score. Pass a localized
scenario (``i18n.localize(scenario, scenario_context(scenario.id), ...)``) to ``result`` to get the debrief in
the reader's language; the state holds only ids, so it does not depend on the language.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ClassVar, TypedDict

from pydantic import Field, ValidationError, model_validator

from trainer.content.errors import ContentError, ContentProblem
from trainer.content.questions.base import ID_PATTERN, Strict, require_unique
from trainer.content.yamlfile import Located, YamlSyntaxError, load


class Competency(StrEnum):
    SAFETY = "safety"  # do no harm: separate discreetly, privacy, no risk to the person
    RAPPORT = "rapport"  # engage and explain, open questions, consent, respect
    INDICATORS = "indicators"  # noticing indicators of trafficking and acting on them
    REFERRAL = "referral"  # procedure and referral: screening, the National Referral Mechanism, records


Id = Annotated[str, Field(pattern=ID_PATTERN)]
ScoreChange = Annotated[int, Field(ge=-100, le=100)]
Percent = Annotated[float, Field(ge=0, le=100)]


class ScenarioError(ValueError):
    """A run cannot do this: a choice not offered here, a finished run, a state that does not fit the scenario."""


class StaleRunError(ScenarioError):
    """The run was started on another version of the scenario; start a new run."""


# ---------------------------------------------------------------------------------------------------------
# Content model


class Choice(Strict):
    id: Id
    text: str = Field(min_length=1)
    next: Id
    feedback: str | None = Field(default=None, min_length=1)
    scores: dict[Competency, ScoreChange] = Field(default_factory=dict)
    indicators: tuple[Id, ...] = ()  # indicator ids this choice recognises or acts on
    critical: bool = False
    critical_reason: str | None = Field(default=None, min_length=1)

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("text", "feedback", "critical_reason")

    @model_validator(mode="after")
    def _check(self):
        if self.critical and not self.critical_reason:
            raise ValueError("a critical choice needs a critical_reason saying why it is a critical error")
        if self.critical_reason and not self.critical:
            raise ValueError("critical_reason is given but critical is false")
        require_unique(self.indicators, "indicator")
        return self


class Node(Strict):
    id: Id
    situation: str = Field(min_length=1)
    speaker: str | None = Field(default=None, min_length=1)  # e.g. "Traveller", "Companion"
    indicators_present: tuple[Id, ...] = ()  # indicators visible here; missed if no chosen choice recognises them
    choices: tuple[Choice, ...] = ()
    outcome: Id | None = None  # end nodes only, e.g. referred, released, detained, other
    debrief: str | None = Field(default=None, min_length=1)  # end nodes only

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("situation", "speaker", "debrief")

    @property
    def is_end(self) -> bool:
        return not self.choices

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    @model_validator(mode="after")
    def _check(self):
        require_unique([c.id for c in self.choices], "choice")
        require_unique(self.indicators_present, "indicator")
        if self.choices:
            extra = [name for name in ("outcome", "debrief") if getattr(self, name) is not None]
            if extra:
                raise ValueError(f"a node with choices is not an end node, so it takes no {' or '.join(extra)}")
        else:
            missing = [name for name in ("outcome", "debrief") if getattr(self, name) is None]
            if missing:
                raise ValueError(f"an end node (one without choices) needs {' and '.join(missing)}")
        return self


class PassRule(Strict):
    # Per competency, the share of the best possible score needed to pass (0-100).
    min_percent: dict[Competency, Percent] = Field(default_factory=dict)
    no_critical: bool = True  # any critical error fails the run


class Scenario(Strict):
    id: Id
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    setting: str = Field(min_length=1)  # e.g. "Chinggis Khaan International Airport, departures"
    content_warning: str | None = Field(default=None, min_length=1)
    competencies: tuple[Competency, ...] = Field(default=tuple(Competency), min_length=1)
    start: Id
    allow_back: bool = False
    pass_rule: PassRule = PassRule()
    nodes: tuple[Node, ...] = Field(min_length=2)

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("title", "summary", "setting", "content_warning")

    @model_validator(mode="after")
    def _check(self):
        require_unique([n.id for n in self.nodes], "node")
        require_unique(list(self.competencies), "competency")
        scored = set(self.competencies)
        undeclared = [f"node {n.id!r} choice {c.id!r} scores {k.value!r}"
                      for n in self.nodes for c in n.choices for k in c.scores if k not in scored]
        undeclared += [f"pass_rule needs {k.value!r}" for k in self.pass_rule.min_percent if k not in scored]
        if undeclared:
            raise ValueError(f"{'; '.join(undeclared)}, which is not among the scenario's competencies "
                             f"({', '.join(c.value for c in self.competencies)})")
        return self

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)


def scenario_context(scenario_id: str) -> str:
    """The translation context of a scenario's strings (nodes and choices nest under it by id)."""
    return f"scenario/{scenario_id}"


# ---------------------------------------------------------------------------------------------------------
# Graph checks and score bounds


@dataclass(frozen=True)
class GraphProblem:
    node: str | None  # the node concerned, if any
    path: tuple[str | int, ...]  # field path in the file, e.g. ("nodes", 3, "choices", 1, "next")
    message: str

    @property
    def field(self) -> str:
        return ".".join(str(step) for step in self.path)

    def __str__(self) -> str:
        return f"node {self.node!r}: {self.message}" if self.node is not None else self.message


class _Graph:
    """Nodes by position; edges as (node, choice position, target position or None when dangling)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.nodes = scenario.nodes
        self.where = {node.id: index for index, node in enumerate(self.nodes)}
        self.edges = [[(j, self.where.get(c.next)) for j, c in enumerate(node.choices)] for node in self.nodes]
        self.succ = [[t for _, t in edges if t is not None] for edges in self.edges]

    def reachable(self, sources: Iterable[int], succ: list[list[int]]) -> set[int]:
        seen = set(sources)
        queue = deque(seen)
        while queue:
            for target in succ[queue.popleft()]:
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        return seen

    def pred(self) -> list[list[int]]:
        pred: list[list[int]] = [[] for _ in self.nodes]
        for source, targets in enumerate(self.succ):
            for target in targets:
                pred[target].append(source)
        return pred

    def ends(self) -> list[int]:
        return [i for i, node in enumerate(self.nodes) if node.is_end]


def _components(succ: list[list[int]]) -> list[list[int]]:
    """Strongly connected components in reverse topological order (sinks first): Tarjan, without recursion."""
    count = len(succ)
    index = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(count):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, 0)]
        while work:
            v, i = work[-1]
            if i < len(succ[v]):
                work[-1] = (v, i + 1)
                w = succ[v][i]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component.append(w)
                    if w == v:
                        break
                found.append(sorted(component))
    return found


def _cycle_through(graph: _Graph, members: set[int], first: int) -> tuple[int, list[int]]:
    """A choice of ``first`` that stays in its component, and a cycle (node positions) through that choice."""
    choice, target = next((j, t) for j, t in graph.edges[first] if t in members)
    parent: dict[int, int | None] = {target: None}
    queue = deque([target])
    while first not in parent:  # first is in the component, so the search finds it
        v = queue.popleft()
        for w in graph.succ[v]:
            if w in members and w not in parent:
                parent[w] = v
                queue.append(w)
    trail: list[int] = []
    step: int | None = first
    while step is not None:
        trail.append(step)
        step = parent[step]
    return choice, [first, *reversed(trail)]


def check_graph(scenario: Scenario) -> list[GraphProblem]:
    """Everything wrong with the scenario as a graph, each with its node and field path; empty when sound."""
    graph = _Graph(scenario)
    nodes = graph.nodes
    problems: list[GraphProblem] = []
    for i, node in enumerate(nodes):
        for j, choice in enumerate(node.choices):
            if choice.next not in graph.where:
                problems.append(GraphProblem(node.id, ("nodes", i, "choices", j, "next"),
                                             f"choice {choice.id!r} leads to {choice.next!r}, which is not a node "
                                             "in this scenario"))
    start = graph.where.get(scenario.start)
    if start is None:
        problems.append(GraphProblem(None, ("start",), f"start {scenario.start!r} is not a node in this scenario"))
        return problems
    reached = graph.reachable([start], graph.succ)
    to_end = graph.reachable(graph.ends(), graph.pred())
    for i, node in enumerate(nodes):
        if i not in reached:
            problems.append(GraphProblem(node.id, ("nodes", i), f"cannot be reached from the start node "
                                                                 f"{scenario.start!r}"))
        elif i not in to_end:
            problems.append(GraphProblem(node.id, ("nodes", i), "no path from this node reaches an end node "
                                                                 "(its choices only go round in a cycle)"))
    for members in _components(graph.succ):
        first = members[0]
        if len(members) == 1 and first not in graph.succ[first]:
            continue
        member_set = set(members)
        if not scenario.allow_back:
            j, cycle = _cycle_through(graph, member_set, first)
            problems.append(GraphProblem(
                nodes[first].id, ("nodes", first, "choices", j, "next"),
                f"cycle {' -> '.join(nodes[v].id for v in cycle)}: a scenario taken one step at a time must not "
                "lead back to a node already passed (set allow_back: true to allow it)"))
            continue
        for v in members:
            for j, target in graph.edges[v]:
                choice = nodes[v].choices[j]
                if target in member_set and any(choice.scores.values()):
                    problems.append(GraphProblem(
                        nodes[v].id, ("nodes", v, "choices", j, "scores"),
                        f"choice {choice.id!r} is on a cycle, so a trainee could repeat it to change the scores "
                        "without limit; give its score changes to a choice that leaves the cycle"))
    shown = {indicator for node in nodes for indicator in node.indicators_present}
    for i, node in enumerate(nodes):
        if node.is_end and node.indicators_present:
            problems.append(GraphProblem(node.id, ("nodes", i, "indicators_present"),
                                         "an end node offers no choices, so the indicators present there could "
                                         "never be recognised; show them at an earlier node"))
        for j, choice in enumerate(node.choices):
            for k, indicator in enumerate(choice.indicators):
                if indicator not in shown:
                    problems.append(GraphProblem(node.id, ("nodes", i, "choices", j, "indicators", k),
                                                 f"choice {choice.id!r} recognises indicator {indicator!r}, which "
                                                 "no node has in indicators_present"))
    if not problems:
        problems += _check_pass_rule(scenario, graph, start)
    return problems


def _check_pass_rule(scenario: Scenario, graph: _Graph, start: int) -> list[GraphProblem]:
    problems = []
    bounds = score_bounds(scenario)
    for competency, minimum in scenario.pass_rule.min_percent.items():
        if minimum > 0 and bounds[competency][1] <= 0:
            problems.append(GraphProblem(None, ("pass_rule", "min_percent", competency.value),
                                         f"no path scores above 0 on {competency.value!r}, so nobody can reach "
                                         f"{minimum:g}% of the best possible"))
    if scenario.pass_rule.no_critical:
        safe = [[t for j, t in edges if t is not None and not node.choices[j].critical]
                for node, edges in zip(graph.nodes, graph.edges, strict=True)]
        if not any(graph.nodes[i].is_end for i in graph.reachable([start], safe)):
            problems.append(GraphProblem(None, ("pass_rule", "no_critical"),
                                         "every path to an end has a critical error, so nobody can pass"))
    return problems


def score_bounds(scenario: Scenario) -> dict[Competency, tuple[int, int]]:
    """The (worst, best) total per competency over every path from the start to an end node.

    Dynamic programming over the graph's strongly connected components, linear in nodes and choices times
    competencies: no path is enumerated. Each competency is bounded on its own, so the best path for one may
    differ from the best for another. Raises ScenarioError when no end can be reached from the start, or when
    a choice on a cycle changes scores (the totals would have no bound); ``check_graph`` reports both.
    """
    graph = _Graph(scenario)
    start = graph.where.get(scenario.start)
    if start is None:
        raise ScenarioError(f"start {scenario.start!r} is not a node in scenario {scenario.id!r}")
    competencies = scenario.competencies
    components = _components(graph.succ)
    component_of = [0] * len(graph.nodes)
    for k, members in enumerate(components):
        for v in members:
            component_of[v] = k
    # Components come sinks first, so every component's successors are done before it.
    best: list[list[int] | None] = [None] * len(components)
    worst: list[list[int] | None] = [None] * len(components)
    for k, members in enumerate(components):
        high = low = None
        if any(graph.nodes[v].is_end for v in members):
            high, low = [0] * len(competencies), [0] * len(competencies)
        for v in members:
            for j, target in graph.edges[v]:
                if target is None:
                    continue
                choice = graph.nodes[v].choices[j]
                if component_of[target] == k:
                    if any(choice.scores.values()):
                        raise ScenarioError(f"choice {choice.id!r} of node {graph.nodes[v].id!r} is on a cycle "
                                            "and changes scores, so the scores have no bound")
                    continue
                after_high, after_low = best[component_of[target]], worst[component_of[target]]
                if after_high is None or after_low is None:
                    continue  # no end beyond that choice
                change = [choice.scores.get(c, 0) for c in competencies]
                via_high = [d + s for d, s in zip(change, after_high, strict=True)]
                via_low = [d + s for d, s in zip(change, after_low, strict=True)]
                high = via_high if high is None else [max(a, b) for a, b in zip(high, via_high, strict=True)]
                low = via_low if low is None else [min(a, b) for a, b in zip(low, via_low, strict=True)]
        best[k], worst[k] = high, low
    high, low = best[component_of[start]], worst[component_of[start]]
    if high is None or low is None:
        raise ScenarioError(f"no path from the start of scenario {scenario.id!r} reaches an end node")
    return {c: (low[i], high[i]) for i, c in enumerate(competencies)}


# ---------------------------------------------------------------------------------------------------------
# Reading a file: every problem with file, line and node


def read_scenario(path: Path, name: str | None = None,
                  indicators: set[str] | None = None) -> tuple[Scenario | None, list[ContentProblem]]:
    """Parse and check one scenario file; the scenario (None if it does not validate) and every problem.

    ``name`` is the file name the problems show (default: the path as given); ``indicators``, when given,
    is the shared list that indicator tags must come from.
    """
    shown = name if name is not None else str(path)
    try:
        located = load(path)
    except YamlSyntaxError as error:
        return None, [ContentProblem(shown, "", str(error), error.line)]
    except UnicodeDecodeError:
        return None, [ContentProblem(shown, "", "not UTF-8 text")]
    if not isinstance(located.data, dict):
        return None, [ContentProblem(shown, "", "expected a mapping of fields at the top level", 1)]
    try:
        scenario = Scenario.model_validate(located.data)
    except ValidationError as error:
        return None, [_validation_problem(shown, located, item) for item in error.errors()]
    problems = [ContentProblem(shown, p.field, str(p), located.line_of(p.path)) for p in check_graph(scenario)]
    if indicators is not None:
        problems += [ContentProblem(shown, ".".join(map(str, where)), f"node {node!r}: unknown indicator {tag!r}",
                                    located.line_of(where)) for node, where, tag in _tags(scenario)
                     if tag not in indicators]
    return scenario, problems


def _tags(scenario: Scenario):
    for n_index, node in enumerate(scenario.nodes):
        for t_index, tag in enumerate(node.indicators_present):
            yield node.id, ["nodes", n_index, "indicators_present", t_index], tag
        for c_index, choice in enumerate(node.choices):
            for t_index, tag in enumerate(choice.indicators):
                yield node.id, ["nodes", n_index, "choices", c_index, "indicators", t_index], tag


def load_scenario(path: Path, name: str | None = None) -> Scenario:
    """The scenario in ``path``, or ContentError listing every problem."""
    scenario, problems = read_scenario(path, name)
    if problems or scenario is None:
        raise ContentError(problems)
    return scenario


def _validation_problem(file: str, located: Located, item) -> ContentProblem:
    loc = list(item["loc"])
    message = item["msg"].removeprefix("Value error, ")
    node_id = _node_id_at(located.data, loc)
    if node_id is not None:
        message = f"node {node_id!r}: {message}"
    return ContentProblem(file, ".".join(str(step) for step in loc), message, located.line_of(loc))


def _node_id_at(data: object, loc: Sequence[object]) -> str | None:
    if len(loc) < 2 or loc[0] != "nodes" or not isinstance(loc[1], int) or not isinstance(data, dict):
        return None
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or loc[1] >= len(nodes) or not isinstance(nodes[loc[1]], dict):
        return None
    node_id = nodes[loc[1]].get("id")
    return node_id if isinstance(node_id, str) else None


# ---------------------------------------------------------------------------------------------------------
# Engine


class Step(TypedDict):
    node: str
    choice: str


class RunState(TypedDict):
    """A run in progress or finished, as plain JSON data. Only ``path`` (with ``scenario`` and ``version``)
    is authoritative; the rest is derived from it and kept for convenient reading."""

    scenario: str
    version: int
    node: str  # the current node
    path: list[Step]  # the choices made, in order
    scores: dict[str, int]  # per competency, the total of the path's score changes
    criticals: list[Step]  # the critical choices on the path
    undone: list[Step]  # steps taken back, oldest first (only where the scenario allows going back)
    finished: bool
    outcome: str | None  # the end node's outcome once finished


def start_run(scenario: Scenario) -> RunState:
    return _state(scenario, [], [])


def choose(scenario: Scenario, state: RunState, choice_id: str) -> RunState:
    """The state after taking ``choice_id`` at the current node."""
    node, path, _ = _replay(scenario, state)
    if node.is_end:
        raise ScenarioError("the run is finished; no more choices")
    choice = node.choice(choice_id)
    if choice is None:
        raise ScenarioError(f"no choice {choice_id!r} at node {node.id!r} (choices: "
                            f"{', '.join(c.id for c in node.choices)})")
    return _state(scenario, [*path, Step(node=node.id, choice=choice.id)], _steps(state.get("undone", [])))


def back(scenario: Scenario, state: RunState) -> RunState:
    """The state before the last choice, if the scenario allows going back and the run is not finished."""
    if not scenario.allow_back:
        raise ScenarioError(f"scenario {scenario.id!r} does not allow going back")
    node, path, _ = _replay(scenario, state)
    if node.is_end:
        raise ScenarioError("the run is finished; it cannot go back")
    if not path:
        raise ScenarioError("the run is at the start; there is nothing to go back to")
    return _state(scenario, path[:-1], [*_steps(state.get("undone", [])), path[-1]])


def _steps(value: object) -> list[Step]:
    if not isinstance(value, list):
        raise ScenarioError("a run's path must be a list of steps")
    steps = []
    for item in value:
        if not (isinstance(item, Mapping) and isinstance(item.get("node"), str)
                and isinstance(item.get("choice"), str)):
            raise ScenarioError(f"a step must be {{node, choice}}, not {item!r}")
        steps.append(Step(node=item["node"], choice=item["choice"]))
    return steps


def _walk(scenario: Scenario, path: list[Step]) -> tuple[Node, list[tuple[Node, Choice]]]:
    """Follow ``path`` from the start; the node reached and the (node, choice) pairs taken."""
    nodes = {node.id: node for node in scenario.nodes}
    node = nodes.get(scenario.start)
    if node is None:
        raise ScenarioError(f"start {scenario.start!r} is not a node in scenario {scenario.id!r}")
    taken = []
    for number, step in enumerate(path, start=1):
        if step["node"] != node.id:
            raise ScenarioError(f"step {number} of the run is at node {step['node']!r}, but the run is at "
                                f"{node.id!r}")
        choice = node.choice(step["choice"])
        if choice is None:
            raise ScenarioError(f"step {number} of the run takes choice {step['choice']!r}, which node "
                                f"{node.id!r} does not offer")
        target = nodes.get(choice.next)
        if target is None:
            raise ScenarioError(f"choice {choice.id!r} of node {node.id!r} leads to {choice.next!r}, which is not "
                                "a node")
        taken.append((node, choice))
        node = target
    return node, taken


def _replay(scenario: Scenario, state: RunState) -> tuple[Node, list[Step], list[tuple[Node, Choice]]]:
    if not isinstance(state, Mapping):
        raise ScenarioError("a run state must be a mapping")
    if state.get("scenario") != scenario.id:
        raise ScenarioError(f"the run is of scenario {state.get('scenario')!r}, not {scenario.id!r}")
    if state.get("version") != scenario.version:
        raise StaleRunError(f"the run was started on version {state.get('version')!r} of scenario "
                            f"{scenario.id!r}, which is now at version {scenario.version}")
    path = _steps(state.get("path"))
    node, taken = _walk(scenario, path)
    if state.get("node") != node.id:
        raise ScenarioError(f"the run's current node {state.get('node')!r} does not match its path, which ends at "
                            f"{node.id!r}")
    return node, path, taken


def _state(scenario: Scenario, path: list[Step], undone: list[Step]) -> RunState:
    node, taken = _walk(scenario, path)
    scores = {c.value: 0 for c in scenario.competencies}
    for _, choice in taken:
        for competency, change in choice.scores.items():
            scores[competency.value] += change
    return RunState(
        scenario=scenario.id,
        version=scenario.version,
        node=node.id,
        path=[Step(node=n.id, choice=c.id) for n, c in taken],
        scores=scores,
        criticals=[Step(node=n.id, choice=c.id) for n, c in taken if c.critical],
        undone=[Step(node=s["node"], choice=s["choice"]) for s in undone],
        finished=node.is_end,
        outcome=node.outcome if node.is_end else None,
    )


# ---------------------------------------------------------------------------------------------------------
# Result and debrief


@dataclass(frozen=True)
class CompetencyResult:
    competency: Competency
    score: int
    worst: int  # the lowest total any path to an end gives
    best: int  # the highest total any path to an end gives
    percent: float | None  # score as a share of best, 0-100 (below 0 shows as 0); None when best <= 0
    required: float | None  # the pass rule's minimum percent, if any
    met: bool


@dataclass(frozen=True)
class CriticalError:
    node: str
    choice: str
    text: str  # the choice as offered
    reason: str  # why it is a critical error


@dataclass(frozen=True)
class ReplayStep:
    node: str
    speaker: str | None
    situation: str
    choice: str
    choice_text: str
    feedback: str | None
    scores: dict[Competency, int]  # this choice's score changes (non-zero ones)
    critical: bool
    critical_reason: str | None
    indicators_present: tuple[str, ...]  # shown at this node
    indicators_recognised: tuple[str, ...]  # recognised by this choice


@dataclass(frozen=True)
class Result:
    scenario: str
    finished: bool
    outcome: str | None
    ending: str | None  # the end node's situation, once finished
    debrief: str | None  # the end node's debrief, once finished
    competencies: tuple[CompetencyResult, ...]
    criticals: tuple[CriticalError, ...]
    indicators_present: tuple[str, ...]  # at the nodes where a choice was made, in order of appearance
    indicators_recognised: tuple[str, ...]  # by the choices made
    indicators_missed: tuple[str, ...]  # present but not recognised
    replay: tuple[ReplayStep, ...]
    passed: bool
    undone: int = 0  # steps taken back

    def competency(self, competency: Competency | str) -> CompetencyResult:
        return next(c for c in self.competencies if c.competency == competency)


def result(scenario: Scenario, state: RunState) -> Result:
    """The run graded against the scenario: scores against the best possible, critical errors, missed indicators
    and a replay of the path for the debrief. An unfinished run does not pass."""
    node, _, taken = _replay(scenario, state)
    bounds = score_bounds(scenario)
    totals = {c: 0 for c in scenario.competencies}
    for _, choice in taken:
        for competency, change in choice.scores.items():
            totals[competency] += change
    competencies = []
    for competency in scenario.competencies:
        worst, best = bounds[competency]
        score = totals[competency]
        percent = max(0.0, 100 * score / best) if best > 0 else None
        required = scenario.pass_rule.min_percent.get(competency)
        met = not required or (percent is not None and percent + 1e-9 >= required)
        competencies.append(CompetencyResult(competency, score, worst, best, percent, required, met))
    criticals = tuple(CriticalError(n.id, c.id, c.text, c.critical_reason or "") for n, c in taken if c.critical)
    present = tuple(dict.fromkeys(i for n, _ in taken for i in n.indicators_present))
    recognised = tuple(dict.fromkeys(i for _, c in taken for i in c.indicators))
    missed = tuple(i for i in present if i not in recognised)
    replay = tuple(ReplayStep(
        node=n.id, speaker=n.speaker, situation=n.situation, choice=c.id, choice_text=c.text, feedback=c.feedback,
        scores={k: v for k, v in c.scores.items() if v}, critical=c.critical, critical_reason=c.critical_reason,
        indicators_present=n.indicators_present, indicators_recognised=c.indicators) for n, c in taken)
    finished = node.is_end
    passed = (finished and all(c.met for c in competencies)
              and not (scenario.pass_rule.no_critical and criticals))
    return Result(
        scenario=scenario.id, finished=finished, outcome=node.outcome if finished else None,
        ending=node.situation if finished else None, debrief=node.debrief if finished else None,
        competencies=tuple(competencies), criticals=criticals, indicators_present=present,
        indicators_recognised=recognised, indicators_missed=missed, replay=replay, passed=passed,
        undone=len(_steps(state.get("undone", []))))
