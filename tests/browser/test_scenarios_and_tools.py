"""The trainee's newer pages in a real browser: interview scenarios played to an ending, the MRZ checker, and
document-inspection practice on generated specimen data pages; axe-core on each (where JavaScript is on).

The scenario runs are planned with the engine (trainer.content.scenarios) on the content the live server serves,
never taken on trust: every path from the start to an end is graded, the best one is played to a pass and a short
one with a critical error to a fail. Practice answers come from the session as the live server stored it.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import accessibility_problems, check_accessibility, login
from trainer.content import markdown
from trainer.content import scenarios as engine
from trainer.content.questions.inspection import NO_DEFECT, DocumentInspectionQuestion
from trainer.extensions import db
from trainer.models import QuizAttempt

pytestmark = pytest.mark.browser

SCENARIO_MODULE = "border-indicators"
RUN_URL = re.compile(r"/learn/runs/(\d+)$")
DEBRIEF_URL = re.compile(r"/learn/runs/(\d+)/debrief$")
QUESTION_URL = re.compile(r"/learn/attempts/(\d+)/questions/(\d+)$")
# The best paths the content author reports; the test checks each against every path the engine can grade.
AUTHOR_BEST_PATHS = {
    "airport-escort": "routine-secondary > interpreter > explain > listen-clarify > refer > no-conditions > "
                      "honest-closure",
    "land-crossing-workers": "one-at-a-time > select-two > explain > listen > refer-group > screen-each > refer-all",
    "rail-crossing-child": "check-adult > separate > engage-child > call-specialists > hold-firm > honest",
}
ENDINGS = {"referred": "Referred for protection and support", "released": "Released", "detained": "Detained"}
STALE_STEP = "That choice was already made (perhaps a double click or another tab). Here is where you are."
NO_CHOICE = "Choose one of the options, then press Decide."
ALL_ACTED_ON = "You acted on every indicator that was present on your path."
# The TD3 specimen of ICAO Doc 9303 Part 4: well formed, every check digit right.
SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD3_CHECK_DIGITS = ["Document number", "Date of birth", "Date of expiry", "Personal number",
                    "Composite (several fields together)"]


def plain(text: str) -> str:
    return " ".join(text.split())


def rendered_text(source: str) -> str:
    """Markdown content as the page's text shows it: rendered, tags dropped, entities decoded, spaces collapsed."""
    return plain(html.unescape(re.sub(r"<[^>]+>", "", markdown.render(source))))


# --- planning the runs with the engine ------------------------------------------------------------------------

def paths_to_an_end(scenario: engine.Scenario) -> Iterator[list[str]]:
    """Every path from the start to an end node, as choice ids, depth first in the order the choices are offered."""

    def walk(node_id: str, path: list[str], seen: frozenset[str]) -> Iterator[list[str]]:
        node = scenario.node(node_id)
        assert node is not None, f"{scenario.id}: no node {node_id!r}"
        if node.is_end:
            yield path
            return
        for choice in node.choices:
            if choice.next not in seen:  # check_graph rules cycles out; this only keeps the walk finite
                yield from walk(choice.next, [*path, choice.id], seen | {choice.next})

    yield from walk(scenario.start, [], frozenset({scenario.start}))


def play(scenario: engine.Scenario, path: list[str]) -> engine.Result:
    state = engine.start_run(scenario)
    for choice in path:
        state = engine.choose(scenario, state, choice)
    return engine.result(scenario, state)


def plan_runs(scenario: engine.Scenario) -> tuple[list[str], engine.Result, list[str], engine.Result]:
    """The best path (its every competency at the best possible, nothing missed) and the shortest path with a
    critical error and a missed indicator, each with the engine's result."""
    assert not engine.check_graph(scenario), f"{scenario.id} is not a sound graph"
    graded = [(path, play(scenario, path)) for path in paths_to_an_end(scenario)]
    passing = [(path, result) for path, result in graded if result.passed]
    assert passing, f"no path through {scenario.id} passes"
    best, best_result = max(passing, key=lambda item: sum(c.percent or 0 for c in item[1].competencies))
    assert all(c.score == c.best for c in best_result.competencies), f"{scenario.id}: no path reaches every best"
    assert not best_result.criticals and not best_result.indicators_missed, f"{scenario.id}: best path {best}"
    assert best == AUTHOR_BEST_PATHS[scenario.id].split(" > "), (
        f"{scenario.id}: the engine's best path is {' > '.join(best)}, not the author's")
    failing = [(path, result) for path, result in graded
               if result.criticals and result.indicators_missed and not result.passed]
    assert failing, f"no path through {scenario.id} makes a critical error and misses an indicator"
    worst, worst_result = min(failing, key=lambda item: len(item[0]))
    return best, best_result, worst, worst_result


# --- playing in the browser -----------------------------------------------------------------------------------

def expect_node(page: Page, scenario: engine.Scenario, node: engine.Node, step: int) -> None:
    """The run page shows ``node`` as step ``step``: its situation and exactly its choices, in order."""
    expect(page).to_have_url(RUN_URL)
    expect(page.locator("h1")).to_have_text(f"Step {step}")
    expect(page.locator("p.breadcrumb")).to_contain_text(scenario.title)
    expect(page.locator(".situation")).to_contain_text(rendered_text(node.situation))
    if node.speaker:
        expect(page.locator(".situation .speaker")).to_have_text(node.speaker)
    expect(page.locator("input[name=step]")).to_have_value(str(step))
    expect(page.locator("input[type=radio][name=choice]")).to_have_count(len(node.choices))
    for index, choice in enumerate(node.choices):
        radio = page.locator("input[type=radio][name=choice]").nth(index)
        expect(radio).to_have_id(f"choice-{choice.id}")
        expect(page.locator(f"label[for='choice-{choice.id}']")).to_have_text(plain(choice.text))
    expect(page.get_by_role("button", name="Take back my last choice")).to_have_count(0)  # allow_back: false


def decide(page: Page, choice_id: str) -> None:
    page.locator(f"#choice-{choice_id}").check()
    page.get_by_role("button", name="Decide", exact=True).click()


def play_in_browser(page: Page, scenario: engine.Scenario, path: list[str], problems: list[str] | None,
                    stale_check: bool = False, empty_check: bool = False) -> None:
    """From step 1 of a run, make the choices of ``path``; axe-core on step 1 (and on the error it may show),
    its findings added to ``problems`` (None: no axe-core, as in a context without JavaScript).

    ``stale_check``: at step 2, a second tab holding the same step posts another choice after this tab decided;
    it is told the choice was already made and shown the current step, and the run keeps this tab's choice.
    ``empty_check``: first press Decide with nothing chosen.
    """
    node = scenario.node(scenario.start)
    for step, choice_id in enumerate(path, start=1):
        expect_node(page, scenario, node, step)
        if step == 1 and problems is not None:
            problems.extend(accessibility_problems(page))
        if empty_check and step == 1:
            page.get_by_role("button", name="Decide", exact=True).click()
            expect(page.locator(".flash--error")).to_have_text(NO_CHOICE)
            expect_node(page, scenario, node, step)
            if problems is not None:
                problems.extend(accessibility_problems(page))
        other = None
        if stale_check and step == 2:
            other = page.context.new_page()
            other.goto(page.url)
            expect_node(other, scenario, node, step)
        decide(page, choice_id)
        here, chosen = node, node.choice(choice_id)
        assert chosen is not None, f"{scenario.id}: no choice {choice_id!r} at node {node.id!r}"
        node = scenario.node(chosen.next)
        if other is not None:
            decide(other, next(c.id for c in here.choices if c.id != choice_id))
            expect(other.locator(".flash--info")).to_have_text(STALE_STEP)
            expect_node(other, scenario, node, step + 1)
            other.close()
    expect(page).to_have_url(DEBRIEF_URL)


def expect_debrief(page: Page, scenario: engine.Scenario, path: list[str], result: engine.Result,
                   labels: dict[str, str]) -> None:
    """The debrief shows the engine's result: pass or not, ending, scores, critical errors, missed indicators,
    the debrief text and the path replayed with each choice and its feedback."""
    expect(page.locator("h1")).to_have_text("Debrief")
    expect(page.locator("p.breadcrumb a")).to_have_text(scenario.title)
    card = page.locator(".card.result")
    expect(card.locator(".score")).to_have_text("Passed" if result.passed else "Not passed")
    expect(card).to_have_class(re.compile(r"\bresult--pass\b" if result.passed else r"\bresult--fail\b"))
    expect(card).to_contain_text(f"Ending: {ENDINGS[result.outcome]}")
    expect(card).to_contain_text(rendered_text(result.ending))

    expect(page.get_by_role("columnheader", name="Best possible", exact=True)).to_have_count(1)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(result.competencies))
    for index, competency in enumerate(result.competencies):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(0)).to_have_text(str(competency.score))
        expect(cells.nth(1)).to_have_text(str(competency.best))
        expect(cells.nth(3)).to_have_text(re.compile(r"✓\s*met$" if competency.met else r"✗\s*not met$"))

    criticals = page.locator("ul.criticals > li")
    expect(page.get_by_role("heading", name="Critical errors", exact=True)).to_have_count(1 if result.criticals
                                                                                          else 0)
    expect(criticals).to_have_count(len(result.criticals))
    for index, critical in enumerate(result.criticals):
        expect(criticals.nth(index)).to_have_text(f"{plain(critical.text)} — {plain(critical.reason)}")

    missed = page.locator("h2:text-is('Indicators you missed') + p + ul > li")
    if result.indicators_missed:
        expect(missed).to_have_text([labels[i] for i in result.indicators_missed])
        expect(page.locator("main")).not_to_contain_text(ALL_ACTED_ON)
    else:
        expect(missed).to_have_count(0)
        expect(page.locator("main")).to_contain_text(ALL_ACTED_ON)

    expect(page.locator(".explanation")).to_contain_text(rendered_text(result.debrief))
    steps = page.locator("ol.review > li")
    expect(steps).to_have_count(len(path))
    for index, replayed in enumerate(result.replay):
        item = steps.nth(index)
        expect(item).to_contain_text(f"You chose: {plain(replayed.choice_text)}")
        if replayed.feedback:
            expect(item.locator(".feedback")).to_have_text(plain(replayed.feedback))
        if replayed.critical:
            expect(item).to_have_class(re.compile(r"\breview-item--wrong\b"))
            expect(item.locator(".error-text")).to_have_text(f"Critical error: {plain(replayed.critical_reason)}")
        else:
            expect(item).to_have_class(re.compile(r"\breview-item--right\b"))


# --- scenarios ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("scenario_id", "javascript"), [
    ("airport-escort", True),
    ("land-crossing-workers", True),
    ("rail-crossing-child", False),
], ids=["airport-escort-js", "land-crossing-workers-js", "rail-crossing-child-nojs"])
def test_scenario_played_to_a_pass_and_to_a_critical_error(new_context, live_server, content, learner,
                                                          scenario_id, javascript):
    """From the module page: the best path passes with nothing missed; played again, a critical error fails
    with the reason and the missed indicators named. axe-core (where JavaScript is on: it needs it) on the
    intro, the first step with and without an error, and both debriefs."""
    scenario = content.scenarios[scenario_id]
    best, best_result, worst, worst_result = plan_runs(scenario)
    labels = {indicator.id: indicator.label for indicator in content.indicators.indicators}
    page = new_context(java_script_enabled=javascript).new_page()
    login(page, live_server, *learner)
    problems: list[str] | None = [] if javascript else None

    def audit() -> None:
        if problems is not None:
            problems.extend(accessibility_problems(page))

    page.goto(f"/learn/modules/{SCENARIO_MODULE}")
    listed = page.locator("h2:text-is('Interview practice') + ul > li")
    expect(listed).to_have_count(len(content.modules[SCENARIO_MODULE].scenarios))
    listed.get_by_role("link", name=scenario.title, exact=True).click()
    expect(page).to_have_url(f"{live_server}/learn/scenarios/{scenario_id}")
    expect(page.locator("h1")).to_have_text(scenario.title)
    expect(page.locator("main")).to_contain_text("You cannot go back, as at a real desk.")
    expect(page.get_by_role("heading", name="Your runs")).to_have_count(0)
    audit()

    page.get_by_role("button", name="Start the scenario", exact=True).click()
    run_id = int(RUN_URL.search(page.url)[1])
    page.goto(f"/learn/scenarios/{scenario_id}")  # an open run is continued, not started again
    page.get_by_role("button", name="Continue the scenario", exact=True).click()
    expect(page).to_have_url(f"{live_server}/learn/runs/{run_id}")
    play_in_browser(page, scenario, best, problems, stale_check=True)
    expect(page).to_have_url(f"{live_server}/learn/runs/{run_id}/debrief")
    expect_debrief(page, scenario, best, best_result, labels)
    audit()
    page.goto(f"/learn/runs/{run_id}")  # a finished run has nothing left to decide
    expect(page).to_have_url(f"{live_server}/learn/runs/{run_id}/debrief")

    page.get_by_role("link", name="Back to the scenario", exact=True).click()
    runs = page.locator("main tbody tr")
    expect(runs).to_have_count(1)
    expect(runs.get_by_role("link", name="passed", exact=True)).to_have_attribute(
        "href", f"/learn/runs/{run_id}/debrief")
    page.get_by_role("button", name="Play again", exact=True).click()
    second = int(RUN_URL.search(page.url)[1])
    assert second != run_id
    play_in_browser(page, scenario, worst, problems, empty_check=True)
    expect_debrief(page, scenario, worst, worst_result, labels)
    audit()

    page.goto(f"/learn/scenarios/{scenario_id}")
    expect(runs).to_have_count(2)
    expect(runs.nth(0)).to_contain_text(ENDINGS[worst_result.outcome])
    expect(runs.nth(0).get_by_role("link", name="not passed", exact=True)).to_have_count(1)
    page.goto(f"/learn/modules/{SCENARIO_MODULE}")  # one pass is enough to show the scenario as passed
    expect(listed.filter(has=page.get_by_role("link", name=scenario.title, exact=True))
           .locator(".done")).to_have_text("Passed")
    assert not problems, "\n".join(problems or [])


def test_someone_elses_run_is_not_found(new_context, live_server, content, learner):
    """A run id belongs to its trainee: another trainee gets 404 on it and on its debrief, and cannot post to it."""
    scenario = content.scenarios["airport-escort"]
    page = new_context().new_page()
    login(page, live_server, *learner)
    page.goto(f"/learn/scenarios/{scenario.id}")
    page.get_by_role("button", name="Start the scenario", exact=True).click()
    run_id = int(RUN_URL.search(page.url)[1])

    other = new_context().new_page()
    login(other, live_server, "trainee")
    for path in (f"/learn/runs/{run_id}", f"/learn/runs/{run_id}/debrief"):
        response = other.goto(path)
        assert response is not None and response.status == 404, f"{path}: HTTP {response and response.status}"
    other.goto("/tools/mrz")  # any form of the other trainee's own gives a valid CSRF token
    token = other.locator("main form input[name=csrf_token]").input_value()
    first_choice = scenario.node(scenario.start).choices[0].id
    response = other.request.post(f"{live_server}/learn/runs/{run_id}",
                                  form={"csrf_token": token, "step": "1", "choice": first_choice})
    assert response.status == 404
    page.reload()  # the owner's run has not moved
    expect_node(page, scenario, scenario.node(scenario.start), 1)


# --- the MRZ checker ------------------------------------------------------------------------------------------

# Doc 9303 Part 3's check digit, written out again here rather than taken from the app: 0-9 as is, A-Z as 10-35, < as 0;
# weights 7, 3, 1 repeating from the left; the check digit is the sum of the products modulo 10.
MRZ_VALUES = {**{str(d): d for d in range(10)}, **{chr(ord("A") + i): 10 + i for i in range(26)}, "<": 0}


def mrz_weight(index: int) -> int:
    return (7, 3, 1)[index % 3]


def icao_check_digit(text: str) -> int:
    return sum(MRZ_VALUES[ch] * mrz_weight(i) for i, ch in enumerate(text)) % 10


def check_mrz(page: Page, lines: tuple[str, ...] | str, on: str = "") -> None:
    """Fill in both fields (the page keeps what was checked last) and press Check."""
    page.locator("#lines").fill("\n".join(lines) if isinstance(lines, tuple) else lines)
    page.locator("#on").fill(on)
    page.get_by_role("button", name="Check", exact=True).click()


def table_rows(page: Page, heading: str):
    """The body rows of the table under the heading ``heading`` (Fields or Checks)."""
    return page.locator(f"main h2:text-is('{heading}') + .table-scroll tbody tr")


def row_of(page: Page, heading: str, name: str):
    """The row of the table under ``heading`` whose row header is ``name``."""
    return table_rows(page, heading).filter(has=page.get_by_role("rowheader", name=name, exact=True))


def test_mrz_checker_valid_wrong_digit_and_malformed(page, live_server):
    """The specimen passes with its arithmetic shown; one changed check digit is caught; junk is not an MRZ."""
    login(page, live_server, "trainee")
    page.locator("nav.main-nav").get_by_role("link", name="MRZ checker", exact=True).click()
    expect(page).to_have_url(f"{live_server}/tools/mrz")
    expect(page.locator("h1")).to_have_text("MRZ checker")

    page.get_by_role("button", name="Check", exact=True).click()  # nothing typed
    expect(page.locator("#lines")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#result-heading")).to_have_count(0)

    check_mrz(page, SPECIMEN, on="2010-01-01")
    heading = page.locator("#result-heading")
    expect(heading).to_have_text("Format and check digits are valid")
    expect(page.locator("section.result")).to_have_class(re.compile(r"\bresult--pass\b"))
    expect(page.locator("section.result")).to_contain_text("Format: TD3 (passport, 2 lines of 44)")
    expect(page.locator("#lines")).to_have_value("\n".join(SPECIMEN))  # kept, to correct and check again
    for name, value in [("Surname", "ERIKSSON"), ("Given names", "ANNA MARIA"), ("Document number", "L898902C3"),
                        ("Date of birth", "740812"), ("Date of expiry", "120415")]:
        expect(row_of(page, "Fields", name).locator("td")).to_have_text(value)
    checks = table_rows(page, "Checks")
    expect(checks).to_have_count(len(TD3_CHECK_DIGITS) + 1)  # and the expiry on the chosen date
    expect(checks.locator("td:last-child")).to_have_text(["OK"] * (len(TD3_CHECK_DIGITS) + 1))
    expect(checks.locator("th")).to_have_text([*TD3_CHECK_DIGITS, "Not expired on the chosen date"])
    expect(page.locator("main")).not_to_contain_text("Wrong")

    working = page.locator("details.working")
    expect(working.locator("summary")).to_have_text(
        [f"How the {name} check digit is computed" for name in TD3_CHECK_DIGITS])
    document_number = working.nth(0)
    expect(document_number.locator("table")).to_be_hidden()
    document_number.locator("summary").click()
    expect(document_number).to_have_attribute("open", "")
    expect(document_number.locator("table")).to_be_visible()
    number = SPECIMEN[1][:9]
    expected_rows = [[ch, str(MRZ_VALUES[ch]), str(mrz_weight(i)), str(MRZ_VALUES[ch] * mrz_weight(i))]
                     for i, ch in enumerate(number)]
    rows = document_number.locator("tbody tr")
    expect(rows).to_have_count(len(number))
    for row, cells in zip(rows.all(), expected_rows, strict=True):
        expect(row.locator("td")).to_have_text(cells)
    total = sum(int(cells[3]) for cells in expected_rows)
    assert total % 10 == icao_check_digit(number) == int(SPECIMEN[1][9])
    expect(document_number).to_contain_text(f"Sum: {total}. Check digit = sum modulo 10 = {total % 10}.")
    check_accessibility(page)  # with results and an open working table

    wrong_digit = str((int(SPECIMEN[1][9]) + 1) % 10)
    corrupted = (SPECIMEN[0], SPECIMEN[1][:9] + wrong_digit + SPECIMEN[1][10:])
    check_mrz(page, corrupted)
    expect(heading).to_have_text("A check digit is wrong")
    expect(page.locator("section.result")).to_have_class(re.compile(r"\bresult--fail\b"))
    expect(row_of(page, "Checks", "Document number").locator("td")).to_have_text(
        ["line 2, position 10", SPECIMEN[1][9], wrong_digit, "Wrong"])
    expect(row_of(page, "Checks", "Date of birth").locator("td").last).to_have_text("OK")
    # The composite digit covers the document number's check digit too, so it no longer fits either.
    expect(row_of(page, "Checks", "Composite (several fields together)").locator("td").last).to_have_text("Wrong")
    expect(page.locator("#on")).to_have_value("")
    expect(checks).to_have_count(len(TD3_CHECK_DIGITS))  # no date this time, so no expiry row
    check_accessibility(page)

    check_mrz(page, "HELLO WORLD")
    expect(heading).to_have_text("Not a well-formed MRZ")
    expect(page.locator("section.result li")).not_to_have_count(0)
    expect(page.get_by_role("heading", name="Fields", exact=True)).to_have_count(0)
    expect(page.get_by_role("heading", name="Checks", exact=True)).to_have_count(0)
    expect(working).to_have_count(0)
    check_accessibility(page)


def test_mrz_checker_without_javascript(new_context, live_server):
    """A plain form post, by someone who is no trainee; the working tables open without script too."""
    page = new_context(java_script_enabled=False).new_page()
    login(page, live_server, "coordinator")
    page.goto("/tools/mrz")
    check_mrz(page, SPECIMEN)
    expect(page.locator("#result-heading")).to_have_text("Format and check digits are valid")
    composite = page.locator("details.working").last
    expect(composite.locator("summary")).to_have_text(f"How the {TD3_CHECK_DIGITS[-1]} check digit is computed")
    composite.locator("summary").click()
    expect(composite.locator("table")).to_be_visible()
    over = SPECIMEN[1][0:10] + SPECIMEN[1][13:20] + SPECIMEN[1][21:43]  # line 2, positions 1-10, 14-20, 22-43
    expect(composite.locator("tbody tr")).to_have_count(len(over))
    expect(composite).to_contain_text(f"Check digit = sum modulo 10 = {icao_check_digit(over)}.")
    assert icao_check_digit(over) == int(SPECIMEN[1][43])


# --- document-inspection practice -----------------------------------------------------------------------------

def practice_keys(live_app, attempt_id: int) -> list[tuple[str, ...]]:
    """The right answer of each item of a practice session, from the session the live server stored."""
    with live_app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt is not None
        items = [item["question"] for item in attempt.questions]
        db.session.remove()
    keys = []
    for item in items:
        key = DocumentInspectionQuestion(**item).key()
        assert key == (tuple(item["defects"]) or (NO_DEFECT,)), "stored defects and the generator disagree"
        keys.append(key)
    return keys


def test_practice_session_of_five_documents_answered_right(page, live_server, live_app, learner):
    """Five generated data pages, each drawn as SVG marked SPECIMEN; every defect marked; 100%; listed after."""
    login(page, live_server, *learner)
    page.goto("/learn/")
    page.get_by_role("link", name="Document inspection practice", exact=True).click()
    expect(page).to_have_url(f"{live_server}/learn/practice/documents")
    expect(page.locator("h1")).to_have_text("Document inspection practice")
    expect(page.locator("input[name=size]")).to_have_count(3)
    expect(page.locator("#size-20")).to_be_checked()
    expect(page.get_by_role("heading", name="Your sessions")).to_have_count(0)
    page.locator("#size-5").check()
    page.get_by_role("button", name="Start a practice session", exact=True).click()

    expect(page).to_have_url(QUESTION_URL)
    attempt_id = int(QUESTION_URL.search(page.url)[1])
    keys = practice_keys(live_app, attempt_id)
    assert len(keys) == 5
    for position, key in enumerate(keys, start=1):
        expect(page).to_have_url(f"{live_server}/learn/attempts/{attempt_id}/questions/{position}")
        expect(page.locator("h1")).to_have_text(f"Question {position} of 5")
        drawing = page.locator("figure.specimen > svg[role=img]")
        expect(drawing).to_have_count(1)
        expect(drawing).to_have_attribute("aria-label", re.compile(r"\S"))
        expect(drawing.locator("text").filter(has_text=re.compile(r"^SPECIMEN$"))).not_to_have_count(0)
        expect(page.locator("figure.specimen figcaption")).to_contain_text("Specimen data page of a fictitious state")
        text_version = page.locator("details.specimen-text")
        expect(text_version.locator("summary")).to_have_text("Text of the data page")
        expect(text_version.locator("pre")).to_be_hidden()
        expect(page.locator(f"#opt-{NO_DEFECT}")).to_have_count(1)
        if position == 1:
            text_version.locator("summary").click()
            expect(text_version.locator("pre")).to_be_visible()  # the MRZ as text, two lines
            expect(text_version.locator("pre")).to_have_text(re.compile(r"^[A-Z0-9<]{44}\n[A-Z0-9<]{44}$"))
            check_accessibility(page)
        for option in key:
            page.locator(f"#opt-{option}").check()
        if position == 2:  # leave after two answers, then come back through the practice page
            page.locator("form.question-form button[name=go][value=next]").click()
            expect(page).to_have_url(f"{live_server}/learn/attempts/{attempt_id}/questions/3")
            page.goto("/learn/practice/documents")
            expect(page.get_by_role("button", name="Start a practice session")).to_have_count(0)
            expect(page.locator("main tbody tr")).to_contain_text("In progress: continue")
            page.get_by_role("button", name="Continue the session", exact=True).click()
        elif position < len(keys):
            page.locator("form.question-form button[name=go][value=next]").click()
        else:
            page.locator("form.question-form button[name=go][value=submit]").click()

    expect(page.locator("h1")).to_have_text("Review and submit")
    expect(page.locator("main")).to_contain_text("You have answered 5 of 5 questions.")
    page.get_by_role("button", name="Submit my answers", exact=True).click()
    expect(page).to_have_url(f"{live_server}/learn/attempts/{attempt_id}")
    expect(page.locator(".result .score")).to_contain_text("100%")
    expect(page.locator(".result .score")).to_contain_text("5 of 5 points")
    expect(page.locator(".result")).to_contain_text("Passed")
    expect(page.locator("ol.review > li")).to_have_count(5)
    expect(page.locator("ol.review > li.review-item--right")).to_have_count(5)
    check_accessibility(page)

    page.get_by_role("link", name="Back to the practice page", exact=True).click()
    expect(page).to_have_url(f"{live_server}/learn/practice/documents")
    sessions = page.locator("main tbody tr")
    expect(sessions).to_have_count(1)
    expect(sessions.locator("td").nth(1)).to_have_text("5")
    expect(sessions.get_by_role("link", name="100%", exact=True)).to_have_attribute(
        "href", f"/learn/attempts/{attempt_id}")
    expect(page.get_by_role("button", name="Start a practice session", exact=True)).to_be_visible()
