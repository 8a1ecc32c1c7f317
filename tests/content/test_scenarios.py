"""Branching interview scenarios: model validation, graph checks, score bounds, the engine and the debrief."""
from __future__ import annotations

import copy
import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from trainer.content import i18n
from trainer.content.errors import ContentError
from trainer.content.scenarios import (
    Competency,
    GraphProblem,
    Scenario,
    ScenarioError,
    StaleRunError,
    back,
    check_graph,
    choose,
    load_scenario,
    read_scenario,
    result,
    scenario_context,
    score_bounds,
    start_run,
)

FIXTURE = Path(__file__).parent.parent / "fixtures" / "scenarios" / "airport-companion.yaml"
SAFETY, RAPPORT, INDICATORS, REFERRAL = Competency


# --- builders for small scenarios ---------------------------------------------------------------------------

def choice(id: str, next: str, **extra) -> dict:
    return {"id": id, "text": f"Do {id}.", "next": next, **extra}


def node(id: str, *choices: dict, **extra) -> dict:
    return {"id": id, "situation": f"At {id}.", "choices": list(choices), **extra}


def end(id: str, outcome: str = "other", **extra) -> dict:
    return {"id": id, "situation": f"The end: {id}.", "outcome": outcome, "debrief": f"Debrief {id}.", **extra}


def data(*nodes: dict, **extra) -> dict:
    return {"id": "s", "version": 1, "title": "T", "summary": "S", "setting": "Airport", "start": nodes[0]["id"],
            "nodes": list(nodes), **extra}


def build(*nodes: dict, **extra) -> Scenario:
    return Scenario.model_validate(data(*nodes, **extra))


def invalid(*nodes: dict, **extra) -> str:
    with pytest.raises(ValidationError) as error:
        build(*nodes, **extra)
    return str(error.value)


@pytest.fixture(scope="module")
def airport() -> Scenario:
    return load_scenario(FIXTURE)


def run(scenario: Scenario, *choice_ids: str):
    state = start_run(scenario)
    for choice_id in choice_ids:
        state = choose(scenario, state, choice_id)
    return state


# --- model validation ----------------------------------------------------------------------------------------

def test_minimal_scenario_defaults():
    scenario = build(node("a", choice("go", "b")), end("b"))
    assert scenario.competencies == (SAFETY, RAPPORT, INDICATORS, REFERRAL)
    assert scenario.allow_back is False
    assert scenario.pass_rule.no_critical is True and scenario.pass_rule.min_percent == {}
    assert scenario.node("b").is_end and not scenario.node("a").is_end
    assert scenario.node("zzz") is None
    assert check_graph(scenario) == []


@pytest.mark.parametrize("nodes, extra, expected", [
    # fewer than two nodes
    ([end("a")], {}, "at least 2 items"),
    # repeated node ids
    ([node("a", choice("go", "b")), end("b"), end("b")], {}, "node ids must be unique: b"),
    # repeated choice ids in one node
    ([node("a", choice("go", "b"), choice("go", "b")), end("b")], {}, "choice ids must be unique: go"),
    # an end node without outcome and debrief
    ([node("a", choice("go", "b")), {"id": "b", "situation": "x"}], {}, "needs outcome and debrief"),
    ([node("a", choice("go", "b")), {"id": "b", "situation": "x", "outcome": "other"}], {}, "needs debrief"),
    # a node with choices taking an outcome
    ([node("a", choice("go", "b"), outcome="referred"), end("b")], {}, "takes no outcome"),
    # a critical choice without a reason, and a reason without critical
    ([node("a", choice("go", "b", critical=True)), end("b")], {}, "needs a critical_reason"),
    ([node("a", choice("go", "b", critical_reason="Because.")), end("b")], {}, "critical is false"),
    # unknown competency, and a competency the scenario does not score
    ([node("a", choice("go", "b", scores={"charm": 1})), end("b")], {}, "Input should be"),
    ([node("a", choice("go", "b", scores={"rapport": 1})), end("b")], {"competencies": ["safety"]},
     "node 'a' choice 'go' scores 'rapport', which is not among the scenario's competencies (safety)"),
    ([node("a", choice("go", "b")), end("b")], {"competencies": ["safety"], "pass_rule": {
        "min_percent": {"referral": 50}}}, "pass_rule needs 'referral'"),
    # out-of-range numbers
    ([node("a", choice("go", "b", scores={"safety": 1000})), end("b")], {}, "less than or equal to 100"),
    ([node("a", choice("go", "b")), end("b")], {"pass_rule": {"min_percent": {"safety": 120}}}, "less than or equal"),
    # bad ids, typos, empty text
    ([node("a", choice("Go!", "b")), end("b")], {}, "should match pattern"),
    ([node("a", choice("go", "b", indicators=["Not An Id"])), end("b")], {}, "should match pattern"),
    ([node("a", choice("go", "b", feedbak="x")), end("b")], {}, "Extra inputs are not permitted"),
    ([node("a", choice("go", "b", text="")), end("b")], {}, "at least 1 character"),
    ([node("a", choice("go", "b"), indicators_present=["x", "x"]), end("b")], {}, "indicator ids must be unique"),
    ([node("a", choice("go", "b")), end("b")], {"competencies": ["safety", "safety"]}, "competency ids must be"),
])
def test_model_rejects(nodes, extra, expected):
    assert expected in invalid(*nodes, **extra)


def test_models_are_frozen(airport):
    with pytest.raises(ValidationError):
        airport.allow_back = True  # type: ignore[misc]


# --- graph checks ---------------------------------------------------------------------------------------------

def messages(scenario: Scenario) -> list[tuple[str | None, str, str]]:
    return [(p.node, p.field, p.message) for p in check_graph(scenario)]


def test_dangling_target():
    scenario = build(node("a", choice("go", "b"), choice("lost", "nowhere")), end("b"))
    assert check_graph(scenario) == [GraphProblem(
        "a", ("nodes", 0, "choices", 1, "next"),
        "choice 'lost' leads to 'nowhere', which is not a node in this scenario")]


def test_missing_start():
    scenario = build(node("a", choice("go", "b")), end("b"), start="begin")
    assert messages(scenario) == [(None, "start", "start 'begin' is not a node in this scenario")]


def test_unreachable_node():
    scenario = build(node("a", choice("go", "b")), end("b"), node("c", choice("go", "b")), end("d"))
    found = messages(scenario)
    assert ("c", "nodes.2", "cannot be reached from the start node 'a'") in found
    assert ("d", "nodes.3", "cannot be reached from the start node 'a'") in found
    assert len(found) == 2


def test_dead_end_cycle_without_exit():
    scenario = build(node("a", choice("go", "b"), choice("stop", "z")), node("b", choice("on", "c")),
                     node("c", choice("again", "b")), end("z"), allow_back=True)
    found = messages(scenario)
    assert [(n, f) for n, f, m in found if "no path from this node reaches an end" in m] == [
        ("b", "nodes.1"), ("c", "nodes.2")]
    assert len(found) == 2


def test_cycle_not_allowed_without_allow_back():
    scenario = build(node("a", choice("go", "b")), node("b", choice("back", "a"), choice("stop", "z")), end("z"))
    assert messages(scenario) == [("a", "nodes.0.choices.0.next", "cycle a -> b -> a: a scenario taken one step at "
                                   "a time must not lead back to a node already passed (set allow_back: true to "
                                   "allow it)")]


def test_self_loop_is_a_cycle():
    scenario = build(node("a", choice("repeat", "a"), choice("stop", "z")), end("z"))
    assert [(n, f) for n, f, m in messages(scenario)] == [("a", "nodes.0.choices.0.next")]
    assert "cycle a -> a" in messages(scenario)[0][2]


def test_longer_cycle_is_named_in_order():
    scenario = build(node("a", choice("go", "b")), node("b", choice("go", "c")), node("c", choice("go", "d")),
                     node("d", choice("loop", "b"), choice("stop", "z")), end("z"))
    (problem,) = check_graph(scenario)
    assert problem.node == "b" and problem.path == ("nodes", 1, "choices", 0, "next")
    assert problem.message.startswith("cycle b -> c -> d -> b:")


def test_cycle_with_exit_is_fine_with_allow_back():
    scenario = build(node("s", choice("greet", "a", scores={"rapport": 2})), node("a", choice("ask", "b")),
                     node("b", choice("rephrase", "a"), choice("refer", "z", scores={"referral": 1})),
                     end("z"), allow_back=True)
    assert check_graph(scenario) == []
    assert score_bounds(scenario)[RAPPORT] == (2, 2)
    assert score_bounds(scenario)[REFERRAL] == (1, 1)


def test_scored_choice_on_a_cycle_is_reported():
    scenario = build(node("a", choice("go", "b", scores={"rapport": 1})),
                     node("b", choice("again", "a"), choice("stop", "z")), end("z"), allow_back=True)
    assert [(n, f) for n, f, _ in messages(scenario)] == [("a", "nodes.0.choices.0.scores")]
    with pytest.raises(ScenarioError, match="on a cycle"):
        score_bounds(scenario)


def test_indicator_checks():
    scenario = build(node("a", choice("go", "b", indicators=["vague-job", "fear"]), indicators_present=["fear"]),
                     end("b", indicators_present=["late"]))
    assert messages(scenario) == [
        ("a", "nodes.0.choices.0.indicators.0",
         "choice 'go' recognises indicator 'vague-job', which no node has in indicators_present"),
        ("b", "nodes.1.indicators_present",
         "an end node offers no choices, so the indicators present there could never be recognised; show them at "
         "an earlier node")]


def test_pass_rule_that_nobody_can_meet():
    scenario = build(node("a", choice("go", "b", scores={"safety": -1}), choice("bad", "b", critical=True,
                                                                                  critical_reason="Harm.")),
                     end("b"), pass_rule={"min_percent": {"safety": 50, "rapport": 0}})
    assert messages(scenario) == [
        (None, "pass_rule.min_percent.safety", "no path scores above 0 on 'safety', so nobody can reach 50% of "
                                               "the best possible")]
    only_critical = build(node("a", choice("bad", "b", critical=True, critical_reason="Harm.")), end("b"))
    assert messages(only_critical) == [
        (None, "pass_rule.no_critical", "every path to an end has a critical error, so nobody can pass")]
    assert check_graph(build(node("a", choice("bad", "b", critical=True, critical_reason="Harm.")), end("b"),
                             pass_rule={"no_critical": False})) == []


def test_graph_problem_names_its_node():
    assert str(GraphProblem("a", ("nodes", 0), "broken")) == "node 'a': broken"
    assert str(GraphProblem(None, ("start",), "broken")) == "broken"
    assert GraphProblem("a", ("nodes", 0, "choices", 2, "next"), "x").field == "nodes.0.choices.2.next"


def random_digraph(rng: random.Random, count: int) -> list[dict]:
    nodes = []
    for i in range(count):
        targets = [rng.randrange(count + 1) for _ in range(rng.randrange(3))]  # count means a missing node
        choices = [choice(f"c{j}", f"n{t}") for j, t in enumerate(targets)]
        nodes.append(node(f"n{i}", *choices) if choices else end(f"n{i}"))
    return nodes


@given(st.integers(2, 7), st.randoms(use_true_random=False), st.booleans())
def test_check_graph_agrees_with_brute_force(count, rng, allow_back):
    nodes = random_digraph(rng, count)
    scenario = build(*nodes, allow_back=allow_back, pass_rule={"no_critical": False})
    succ = {n["id"]: [c["next"] for c in n["choices"]] if "choices" in n else [] for n in nodes}
    dangling = any(t not in succ for ts in succ.values() for t in ts)

    def reach(source: str) -> set[str]:
        seen, todo = {source}, [source]
        while todo:
            for t in succ.get(todo.pop(), []):
                if t in succ and t not in seen:
                    seen.add(t)
                    todo.append(t)
        return seen

    all_reached = reach("n0") == set(succ)
    ends = {n for n, ts in succ.items() if not ts}
    all_end = all(reach(n) & ends for n in succ)
    cyclic = any(n in reach(t) for n, ts in succ.items() for t in ts if t in succ)
    sound = not dangling and all_reached and all_end and (allow_back or not cyclic)
    assert (check_graph(scenario) == []) == sound
    if sound:
        assert set(score_bounds(scenario)) == set(Competency)


# --- score bounds ---------------------------------------------------------------------------------------------

def test_score_bounds_small_graph():
    #   a --x(+2 safety)--> b --p(+1 safety, -1 rapport)--> e1
    #   a --y(-1 safety)--> c --q(+4 rapport)-------------> e1
    #                       c --r(-3 safety)--------------> e2
    scenario = build(
        node("a", choice("x", "b", scores={"safety": 2}), choice("y", "c", scores={"safety": -1})),
        node("b", choice("p", "e1", scores={"safety": 1, "rapport": -1})),
        node("c", choice("q", "e1", scores={"rapport": 4}), choice("r", "e2", scores={"safety": -3})),
        end("e1"), end("e2"))
    assert score_bounds(scenario) == {SAFETY: (-4, 3), RAPPORT: (-1, 4), INDICATORS: (0, 0), REFERRAL: (0, 0)}


def test_score_bounds_of_the_fixture(airport):
    assert score_bounds(airport) == {SAFETY: (-4, 5), RAPPORT: (-6, 5), INDICATORS: (-2, 5), REFERRAL: (-3, 5)}


def test_score_bounds_ignore_branches_without_an_end():
    scenario = build(node("a", choice("go", "b", scores={"safety": 1}), choice("loop", "c", scores={"safety": 9})),
                     end("b"), node("c", choice("again", "c")), allow_back=True)
    assert score_bounds(scenario)[SAFETY] == (1, 1)
    no_end = build(node("a", choice("go", "b")), node("b", choice("go", "a")), allow_back=True)
    with pytest.raises(ScenarioError, match="reaches an end"):
        score_bounds(no_end)


def test_score_bounds_on_large_graphs_do_not_enumerate_paths():
    # 3000 layers of two choices each: 2**3000 paths, and deeper than Python's recursion limit.
    layers = 3000
    nodes = [node(f"n{i}", choice("up", f"n{i + 1}", scores={"safety": 1}),
                  choice("down", f"n{i + 1}", scores={"safety": -1, "rapport": 2})) for i in range(layers)]
    scenario = build(*nodes, end(f"n{layers}"))
    assert score_bounds(scenario)[SAFETY] == (-layers, layers)
    assert score_bounds(scenario)[RAPPORT] == (0, 2 * layers)
    assert check_graph(scenario) == []


@st.composite
def random_dags(draw):
    """Scenarios whose choices only lead forward (n_i -> n_j, i < j); nodes without choices are ends."""
    count = draw(st.integers(2, 7))
    nodes = []
    for i in range(count - 1):
        choices = []
        for j in range(draw(st.integers(0 if i else 1, 3))):
            scores = draw(st.dictionaries(st.sampled_from(["safety", "rapport"]), st.integers(-5, 5), max_size=2))
            critical = draw(st.booleans())
            choices.append(choice(f"c{j}", f"n{draw(st.integers(i + 1, count - 1))}", scores=scores,
                                  critical=critical, critical_reason="Harm." if critical else None))
        nodes.append(node(f"n{i}", *choices) if choices else end(f"n{i}"))
    nodes.append(end(f"n{count - 1}"))
    return build(*nodes, pass_rule={"no_critical": False})


def all_paths(scenario: Scenario, node_id: str):
    """Every path (as a list of choices) from node_id to an end: brute force."""
    here = scenario.node(node_id)
    if here.is_end:
        yield []
        return
    for option in here.choices:
        for rest in all_paths(scenario, option.next):
            yield [option, *rest]


@given(random_dags())
def test_score_bounds_match_brute_force(scenario):
    totals = [{c: sum(o.scores.get(c, 0) for o in path) for c in Competency} for path in all_paths(scenario, "n0")]
    expected = {c: (min(t[c] for t in totals), max(t[c] for t in totals)) for c in Competency}
    assert score_bounds(scenario) == expected


@given(random_dags(), st.randoms(use_true_random=False))
@settings(max_examples=50)
def test_random_runs_stay_within_bounds(scenario, rng):
    bounds = score_bounds(scenario)
    state = start_run(scenario)
    while not state["finished"]:
        here = scenario.node(state["node"])
        state = json.loads(json.dumps(choose(scenario, state, rng.choice(here.choices).id)))
    outcome = result(scenario, state)
    for item in outcome.competencies:
        assert bounds[item.competency] == (item.worst, item.best)
        assert item.worst <= item.score <= item.best
        assert item.percent is None or 0 <= item.percent <= 100
    assert outcome.passed  # no minimums and criticals allowed


# --- engine ---------------------------------------------------------------------------------------------------

def test_start_run(airport):
    assert start_run(airport) == {
        "scenario": "airport-companion", "version": 1, "node": "desk", "path": [],
        "scores": {"safety": 0, "rapport": 0, "indicators": 0, "referral": 0}, "criticals": [], "undone": [],
        "finished": False, "outcome": None}


def test_good_run_is_referred_and_passes(airport):
    state = run(airport, "separate", "open", "refer")
    assert state["finished"] and state["outcome"] == "referred" and state["node"] == "referred"
    assert state["path"] == [{"node": "desk", "choice": "separate"}, {"node": "private", "choice": "open"},
                             {"node": "account", "choice": "refer"}]
    assert state["scores"] == {"safety": 5, "rapport": 5, "indicators": 5, "referral": 5}
    outcome = result(airport, state)
    assert outcome.passed and outcome.finished and outcome.outcome == "referred"
    assert outcome.debrief.startswith("You separated her safely")
    assert outcome.ending.startswith("A support worker arrives")
    assert [(c.competency, c.score, c.best, c.percent, c.required, c.met) for c in outcome.competencies] == [
        (SAFETY, 5, 5, 100.0, 60.0, True), (RAPPORT, 5, 5, 100.0, None, True),
        (INDICATORS, 5, 5, 100.0, 50.0, True), (REFERRAL, 5, 5, 100.0, 60.0, True)]
    assert outcome.criticals == () and outcome.indicators_missed == ()


def test_release_without_screening_is_critical_and_fails(airport):
    state = run(airport, "stamp")
    assert state["finished"] and state["outcome"] == "released"
    assert state["criticals"] == [{"node": "desk", "choice": "stamp"}]
    outcome = result(airport, state)
    assert not outcome.passed
    assert [(e.node, e.choice, e.reason) for e in outcome.criticals] == [
        ("desk", "stamp", "Releasing a likely victim without screening.")]
    assert outcome.criticals[0].text.startswith("The passports are genuine")
    assert outcome.competency("safety").percent == 0.0  # -2 of 5, shown as 0
    assert outcome.competency(REFERRAL).score == -3 and not outcome.competency(REFERRAL).met
    assert outcome.indicators_present == ("companion-holds-documents", "companion-speaks-for")
    assert outcome.indicators_missed == ("companion-holds-documents", "companion-speaks-for")


def test_critical_error_fails_even_with_good_scores(airport):
    state = run(airport, "separate", "promise", "refer")
    outcome = result(airport, state)
    assert all(c.met for c in outcome.competencies)
    assert [e.reason for e in outcome.criticals] == ["Promising what cannot be kept."]
    assert not outcome.passed
    lenient = airport.model_copy(update={"pass_rule": airport.pass_rule.model_copy(update={"no_critical": False})})
    assert result(lenient, state).passed


def test_minimum_per_competency_fails_without_criticals(airport):
    # Ends at "detained": no critical error, but referral ends below its minimum.
    outcome = result(airport, run(airport, "separate", "ask-victim", "detain"))
    assert outcome.outcome == "detained" and outcome.criticals == ()
    assert outcome.competency(REFERRAL).score == -2 and not outcome.competency(REFERRAL).met
    assert outcome.competency(SAFETY).percent == pytest.approx(20.0)
    assert not outcome.passed


def test_missed_indicators(airport):
    # The late separation recognises one companion indicator; "ask-victim" recognises nothing in the private room.
    outcome = result(airport, run(airport, "companion-interprets", "separate-late", "ask-victim", "refer"))
    assert outcome.indicators_present == ("companion-holds-documents", "companion-speaks-for",
                                          "third-party-paid-travel", "vague-job", "no-address", "debt-bondage")
    assert outcome.indicators_recognised == ("companion-holds-documents", "debt-bondage")
    assert outcome.indicators_missed == ("companion-speaks-for", "third-party-paid-travel", "vague-job",
                                         "no-address")


def test_replay_for_the_debrief(airport):
    outcome = result(airport, run(airport, "ask-in-front", "separate-late", "open", "refer"))
    assert [(s.node, s.choice, s.critical) for s in outcome.replay] == [
        ("desk", "ask-in-front", True), ("silenced", "separate-late", False), ("private", "open", False),
        ("account", "refer", False)]
    first = outcome.replay[0]
    assert first.speaker == "Companion" and first.situation.startswith("At the exit control desk")
    assert first.choice_text.startswith("Ask her, in front of him")
    assert first.feedback.startswith("She cannot answer freely")
    assert first.scores == {SAFETY: -3, RAPPORT: -1}
    assert first.critical_reason == "Questioning a possible victim in front of a possible controller."
    assert first.indicators_present == ("companion-holds-documents", "companion-speaks-for")
    assert first.indicators_recognised == ("companion-speaks-for",)


def test_invalid_choices_raise(airport):
    state = start_run(airport)
    with pytest.raises(ScenarioError, match="no choice 'refer' at node 'desk'"):
        choose(airport, state, "refer")
    finished = run(airport, "stamp")
    with pytest.raises(ScenarioError, match="finished"):
        choose(airport, finished, "separate")
    assert isinstance(ScenarioError("x"), ValueError)


def test_engine_functions_do_not_change_their_input(airport):
    state = run(airport, "separate")
    before = copy.deepcopy(state)
    choose(airport, state, "open")
    result(airport, state)
    assert state == before


def test_unfinished_run_does_not_pass(airport):
    outcome = result(airport, run(airport, "separate", "open"))
    assert not outcome.finished and not outcome.passed
    assert outcome.outcome is None and outcome.debrief is None and outcome.ending is None
    assert len(outcome.replay) == 2


BACK = data(node("a", choice("x", "b", scores={"safety": 1}), choice("y", "b", critical=True,
                                                                       critical_reason="Harm.")),
            node("b", choice("go", "z", scores={"rapport": 1})), end("z"), allow_back=True)


def test_back_undoes_the_last_step():
    scenario = Scenario.model_validate(BACK)
    state = run(scenario, "y")
    assert state["criticals"] == [{"node": "a", "choice": "y"}]
    state = back(scenario, state)
    assert state["node"] == "a" and state["path"] == [] and state["criticals"] == []
    assert state["undone"] == [{"node": "a", "choice": "y"}]
    state = choose(scenario, state, "x")
    state = choose(scenario, state, "go")
    assert state["scores"]["safety"] == 1 and state["finished"]
    outcome = result(scenario, state)
    assert outcome.passed and outcome.undone == 1


def test_back_rules(airport):
    with pytest.raises(ScenarioError, match="does not allow going back"):
        back(airport, run(airport, "separate"))
    scenario = Scenario.model_validate(BACK)
    with pytest.raises(ScenarioError, match="nothing to go back to"):
        back(scenario, start_run(scenario))
    with pytest.raises(ScenarioError, match="finished"):
        back(scenario, run(scenario, "x", "go"))


def test_state_is_json_and_a_run_continues_after_a_round_trip(airport):
    state = run(airport, "separate")
    stored = json.dumps(state)
    state = json.loads(stored)
    state = choose(airport, state, "open")
    state = json.loads(json.dumps(state))
    state = choose(airport, state, "refer")
    assert json.loads(json.dumps(state)) == state
    assert result(airport, json.loads(json.dumps(state))).passed


@pytest.mark.parametrize("change, message", [
    ({"scenario": "other"}, "run is of scenario 'other'"),
    ({"node": "account"}, "does not match its path"),
    ({"path": [{"node": "desk", "choice": "teleport"}]}, "does not offer"),
    ({"path": [{"node": "private", "choice": "open"}]}, "step 1 of the run is at node 'private'"),
    ({"path": "desk"}, "must be a list"),
    ({"path": [{"node": "desk"}]}, "a step must be"),
    ({"undone": None}, "must be a list"),
])
def test_tampered_state_is_refused(airport, change, message):
    state = {**run(airport, "separate"), **change}
    with pytest.raises(ScenarioError, match=message):
        choose(airport, state, "open")


def test_state_from_another_version_is_stale(airport):
    state = run(airport, "separate")
    newer = airport.model_copy(update={"version": 2})
    with pytest.raises(StaleRunError, match="version 1"):
        choose(newer, state, "open")
    with pytest.raises(StaleRunError):
        result(newer, state)


# --- files: problems name file, line and node ------------------------------------------------------------------

@pytest.fixture
def scenario_file(tmp_path) -> Path:
    target = tmp_path / "airport-companion.yaml"
    shutil.copy(FIXTURE, target)
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once; the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as error:
        load_scenario(path, "scenarios/airport-companion.yaml")
    return [str(p) for p in error.value.problems]


NAME = "scenarios/airport-companion.yaml"


def test_fixture_loads_cleanly():
    scenario, found = read_scenario(FIXTURE)
    assert found == [] and scenario is not None and scenario.id == "airport-companion"


def test_dangling_target_in_file(scenario_file):
    line = edit(scenario_file, "        next: account\n        feedback: Few",
                "        next: acount\n        feedback: Few")
    assert problems(scenario_file) == [
        f"{NAME}:{line}: nodes.2.choices.0.next: node 'private': choice 'ask-victim' leads to 'acount', which is not "
        "a node in this scenario"]


def test_unreachable_node_in_file(scenario_file):
    edit(scenario_file, "        next: detained\n", "        next: released\n")
    line = scenario_file.read_text(encoding="utf-8").splitlines().index("  - id: detained") + 1
    assert problems(scenario_file) == [
        f"{NAME}:{line}: nodes.6: node 'detained': cannot be reached from the start node 'desk'"]


def test_cycle_in_file(scenario_file):
    edit(scenario_file, "        next: referred\n", "        next: private\n")
    lines = scenario_file.read_text(encoding="utf-8").splitlines()
    line = lines.index("      - id: ask-victim") + 3  # its "next: account"
    found = problems(scenario_file)
    assert [p for p in found if "unreachable" in p or "cannot be reached" in p] == [
        f"{NAME}:{lines.index('  - id: referred') + 1}: nodes.4: node 'referred': cannot be reached from the start "
        "node 'desk'"]
    (cycle,) = [p for p in found if "cycle" in p]  # once, at the cycle's first node in the file
    assert cycle.startswith(f"{NAME}:{line}: nodes.2.choices.0.next: node 'private': cycle private -> account -> "
                            "private: a scenario taken one step at a time must not lead back")


def test_model_errors_in_file_name_the_node(scenario_file):
    line = edit(scenario_file, "        critical_reason: Using the companion as interpreter.\n", "")
    node_line = edit(scenario_file, "    outcome: detained\n", "")
    found = problems(scenario_file)
    assert f"{NAME}:{line - 6}: nodes.0.choices.1: node 'desk': a critical choice needs a critical_reason" in found[0]
    assert found[1].startswith(f"{NAME}:{node_line - 2}: nodes.6: node 'detained': an end node (one without "
                               "choices) needs outcome")


def test_typo_in_file(scenario_file):
    line = edit(scenario_file, "    speaker: Traveller\n    situation: She glances",
                "    speeker: Traveller\n    situation: She glances")
    assert problems(scenario_file) == [f"{NAME}:{line}: nodes.1.speeker: node 'silenced': Extra inputs are not "
                                       "permitted"]


def test_yaml_and_shape_errors(scenario_file):
    edit(scenario_file, "version: 1", "version: [1")
    assert problems(scenario_file)[0].startswith(f"{NAME}:3: YAML syntax")
    scenario_file.write_text("- just a list\n", encoding="utf-8")
    assert problems(scenario_file) == [f"{NAME}:1: expected a mapping of fields at the top level"]


# --- translation ----------------------------------------------------------------------------------------------

class Bracketing:
    """A stand-in for ContentCatalogs that "translates" by wrapping the English text."""

    def lookup(self, lang: str, context: str, english: str) -> i18n.Text:
        return i18n.Text(f"[{english}]")


def test_strings_walk_every_translatable_field(airport):
    found = list(i18n.strings(airport, scenario_context(airport.id)))
    contexts = {context for context, _ in found}
    assert {"scenario/airport-companion/title", "scenario/airport-companion/setting",
            "scenario/airport-companion/content_warning", "scenario/airport-companion/nodes/desk/situation",
            "scenario/airport-companion/nodes/desk/speaker", "scenario/airport-companion/nodes/referred/debrief",
            "scenario/airport-companion/nodes/desk/choices/stamp/text",
            "scenario/airport-companion/nodes/desk/choices/stamp/feedback",
            "scenario/airport-companion/nodes/desk/choices/stamp/critical_reason"} <= contexts
    assert len(contexts) == len(found)  # one string per context
    assert ("scenario/airport-companion/setting", "Chinggis Khaan International Airport, departures") in found
    assert not any("/outcome" in c or "/next" in c or "/indicators" in c or "/id" in c for c in contexts)


def test_localized_scenario_gives_a_localized_debrief(airport):
    local = i18n.localize(airport, scenario_context(airport.id), "mn", Bracketing())
    assert local.setting == "[Chinggis Khaan International Airport, departures]"
    state = run(airport, "stamp")
    outcome = result(local, state)  # the state holds ids only, so it works with any language
    assert outcome.debrief == "[Several indicators were present. Screening and referral were needed.]"
    assert outcome.criticals[0].reason == "[Releasing a likely victim without screening.]"
    assert outcome.replay[0].speaker == "[Companion]"
    assert outcome.outcome == "released"
