"""The coordinators' reports in a real browser, on a realistic data set: the questions of issue 8's "Done when".

Once per module a few hundred trainees are added with ``seed_scale`` (the generator behind ``flask seed-scale``,
with its built-in patterns: posts weak at documents held by someone else, questions hard in one language,
questions that discriminate badly, runs that release the likely victim at the first node of airport-escort).
The live database is shared by every browser test, so nothing here relies on a fixed total: each figure read off
a page is compared with one computed from the database in the test, after the page was shown.

Every answer is found as a coordinator would find it: the "Reports" link, the filter forms, the report links.
"""
from __future__ import annotations

import csv
import io
import math
import re
import time
import uuid
from collections import defaultdict
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, or_, select

from tests.browser.helpers import (
    accessibility_problems,
    check_accessibility,
    complete_modules,
    enrol,
    login,
    make_account,
    make_cohort,
)
from trainer.analytics import items as item_stats
from trainer.extensions import db
from trainer.models import (
    AttemptStat,
    ChoiceStat,
    Cohort,
    CohortTrainer,
    DutyStation,
    Enrolment,
    EnrolmentStat,
    IndicatorStat,
    ItemStat,
    Province,
    Role,
    User,
)
from trainer.services import scale
from trainer.web.certificates.common import issuer

pytestmark = pytest.mark.browser

TRAINEES = 400
INDICATOR = "documents-held-by-other"
SCENARIO, FIRST_NODE, RELEASE = "airport-escort", "desk", "stamp"
TRANSLATION_FLAG = re.compile(r"Much harder or easier in (\w+): check the translation")
COMPLETION_COLUMNS = ["Province", "Enrolled", "Completed", "Completion rate", "Quiz attempts", "Attempts passed",
                      "Pass rate"]


# --- the data --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scale_data(live_app) -> dict:
    """Add TRAINEES officers and all they did through ``seed_scale``, inside a request context (the certificate
    issuer reads the app's keyring and content), committed; returns what was written and how long it took."""
    started = time.perf_counter()
    with live_app.test_request_context():
        content = live_app.extensions["content"].get()
        report = scale.seed_scale(db.session, content, issuer(), TRAINEES, seed=2608, online_share=0.6,
                                  echo=lambda _line: None)
        db.session.commit()
        db.session.remove()
    seconds = time.perf_counter() - started
    assert report["people"]["user_account"] == TRAINEES
    assert seconds < 20, f"seed_scale took {seconds:.1f} s for {TRAINEES} trainees"
    return {"report": report, "seconds": seconds}


def query(live_app, work):
    """Run ``work(session)`` against the live database, on a session of its own, and close it."""
    with live_app.app_context():
        try:
            return work(db.session)
        finally:
            db.session.remove()


# --- reading tables off the page -------------------------------------------------------------------------------


def report_table(page: Page, caption: str) -> Locator:
    return page.locator("table.report").filter(has=page.locator("caption", has_text=caption))


def header(table: Locator) -> list[str]:
    return [" ".join(t.split()) for t in table.locator("thead th").all_inner_texts()]


def body(table: Locator) -> list[list[str]]:
    """Each body row's cells (its <th> and <td>s) as shown."""
    return [[" ".join(t.split()) for t in row.locator("th, td").all_inner_texts()]
            for row in table.locator("tbody tr").all()]


def number(text: str) -> int | None:
    return None if text in ("–", "") else int(text.replace(",", "").replace("\u202f", "").replace("\xa0", ""))


def percent(text: str) -> float | None:
    """'45%' -> 45.0 (the page rounds to whole percent)."""
    return None if text in ("–", "") else float(text.rstrip("%").replace(",", "").strip())


def assert_percent(shown: str, share: float | None, what: str) -> None:
    if share is None:
        assert shown == "–", f"{what}: {shown!r} shown, no figure expected"
        return
    value = percent(shown)
    assert value is not None and abs(value - 100 * share) <= 0.5 + 1e-9, f"{what}: {shown} shown, {share:.4f} expected"


def open_reports(page: Page) -> None:
    """The header's "Reports" link, as a coordinator gets there from any page."""
    page.locator("nav.main-nav").get_by_role("link", name="Reports", exact=True).click()
    expect(page.locator("h1")).to_have_text("Completion dashboard")


def report_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Reports").get_by_role("link", name=name, exact=True).click()


# --- 1. completion by province this year -----------------------------------------------------------------------


def show_completion_by_province_this_year(page: Page, year: int) -> None:
    open_reports(page)
    page.locator("#from").fill(f"{year}-01-01")
    page.locator("#by").select_option(label="Province")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]from={year}-01-01(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]by=province(&|$)"))
    expect(page.locator("#from")).to_have_value(f"{year}-01-01")


def completion_by_province(live_app, year: int) -> dict[str, tuple]:
    """Province label -> (enrolled, completed, attempts, passed) for cohorts starting this year (or, undated,
    enrolled this year), from the raw enrolments (where each person worked when enrolled) and the attempt totals;
    "All" -> the totals over every province."""
    first = date(year, 1, 1)

    def work(session):
        names = {p.id: p.display_name("en") for p in session.scalars(select(Province))}
        province_of = dict(session.execute(select(DutyStation.id, DutyStation.province_id)).all())
        undated = Cohort.start_on.is_(None) & (Enrolment.enrolled_at >= datetime(year, 1, 1, tzinfo=timezone.utc))
        started = or_(Cohort.start_on >= first, undated)
        counts: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
        for station, done in session.execute(select(Enrolment.duty_station_id, Enrolment.completed_at)
                                             .join(Cohort, Cohort.id == Enrolment.cohort_id).where(started)):
            key = province_of.get(station)
            counts[key][0] += 1
            counts[key][1] += done is not None
        attempts: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
        for station, n, passed in session.execute(
                select(AttemptStat.duty_station_id, func.sum(AttemptStat.attempts), func.sum(AttemptStat.passed))
                .where(AttemptStat.month >= f"{year}-01").group_by(AttemptStat.duty_station_id)):
            attempts[province_of.get(station)][0] += int(n or 0)
            attempts[province_of.get(station)][1] += int(passed or 0)
        found = {}
        for key, (enrolled, completed) in counts.items():
            a = attempts.get(key)  # (None: people without a duty station, whose attempts count too)
            found[names.get(key, "—")] = (enrolled, completed, a[0] if a else None, a[1] if a else None)
        for key, (n, passed) in attempts.items():  # attempts this year where no cohort started this year
            if key not in counts:
                found[names.get(key, "—")] = (0, 0, n, passed)
        found["All"] = (sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values()),
                        sum(a[0] for a in attempts.values()), sum(a[1] for a in attempts.values()))
        return found

    return query(live_app, work)


def check_completion_rows(rows: list[list[str]], expected: dict[str, tuple]) -> None:
    shown = {}
    for row in rows:
        label, enrolled, completed, rate, attempts, passed, pass_rate = row
        shown[label] = (number(enrolled), number(completed), number(attempts), number(passed))
        e, c, a, p = shown[label]
        assert_percent(rate, c / e if e else None, f"completion rate of {label}")
        assert_percent(pass_rate, p / a if a else None, f"pass rate of {label}")
    assert shown == expected
    assert rows[-1][0] == "All"
    rates = [percent(row[3]) or 0 for row in rows[:-1]]
    assert rates == sorted(rates, reverse=True), "provinces are not ordered by completion rate, highest first"


def test_completion_by_province_this_year_matches_the_enrolments(page, live_server, live_app, scale_data):
    year = date.today().year
    login(page, live_server, "coordinator")
    show_completion_by_province_this_year(page, year)
    table = report_table(page, "Completion and pass rates")
    expect(table).to_have_count(1)
    assert header(table) == COMPLETION_COLUMNS
    rows = body(table)
    expected = completion_by_province(live_app, year)
    check_completion_rows(rows, expected)
    assert len(rows) >= 5, "the seeded trainees work in many provinces"
    # the summary above the table gives the same totals
    all_row = expected["All"]
    expect(page.locator("ul.stats li").first).to_have_text(f"{all_row[0]:,} enrolled")
    # the chart is an SVG image drawn on the server, from the same query string
    chart = page.locator("img.chart").first
    expect(chart).to_have_attribute("alt", re.compile("same figures are in the table"))
    response = page.request.get(chart.get_attribute("src"))
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()[:400]
    check_accessibility(page)


def test_the_province_csv_has_the_rows_of_the_screen(page, live_server, live_app, scale_data):
    login(page, live_server, "coordinator")
    show_completion_by_province_this_year(page, date.today().year)
    table = report_table(page, "Completion and pass rates")
    screen_header, screen = header(table), body(table)
    with page.expect_download() as download_info:
        table.locator("caption").get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert re.fullmatch(r"completion-by-province-\d{4}-\d{2}-\d{2}-\d{4}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8-sig") as file:
        text = file.read()
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == screen_header
    assert len(lines) - 1 == len(screen)
    for row, shown in zip(lines[1:], screen, strict=True):
        assert row[0] == shown[0]
        for index in (1, 2, 4, 5):  # counts: exactly the same numbers
            assert (int(row[index]) if row[index] else None) == number(shown[index]), (row, shown)
        for index in (3, 6):  # shares: the file's exact share is what the screen rounds
            assert_percent(shown[index], float(row[index]) if row[index] else None, f"{row[0]} column {index}")
    # the workbook: the same rows, numbers as numbers
    with page.expect_download() as download_info:
        table.locator("caption").get_by_role("link", name="XLSX", exact=True).click()
    download = download_info.value
    assert re.fullmatch(r"completion-by-province-\d{4}-\d{2}-\d{2}-\d{4}\.xlsx", download.suggested_filename)
    with open(download.path(), "rb") as file:
        book = load_workbook(io.BytesIO(file.read()), read_only=True)
    try:
        # read-only mode leaves out empty cells at the end of a row (a group without attempts): pad them back
        sheet = [[*row, *[None] * (len(screen_header) - len(row))]
                 for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    assert sheet[0] == screen_header
    assert [row[0] for row in sheet[1:]] == [shown[0] for shown in screen]
    for row, shown in zip(sheet[1:], screen, strict=True):
        assert [row[i] for i in (1, 2, 4, 5)] == [number(shown[i]) for i in (1, 2, 4, 5)]
        assert all(isinstance(row[i], int) for i in (1, 2)), row
        assert_percent(shown[3], row[3], f"{row[0]} completion rate in the workbook")


def test_the_rows_attempts_add_up_to_the_all_row(page, live_server, scale_data):
    login(page, live_server, "coordinator")
    show_completion_by_province_this_year(page, date.today().year)
    rows = body(report_table(page, "Completion and pass rates"))
    assert sum(number(row[4]) or 0 for row in rows[:-1]) == number(rows[-1][4])


def test_the_dashboard_works_without_javascript(new_context, live_server, live_app, scale_data):
    page = new_context(java_script_enabled=False).new_page()
    login(page, live_server, "coordinator")
    year = date.today().year
    show_completion_by_province_this_year(page, year)
    check_completion_rows(body(report_table(page, "Completion and pass rates")), completion_by_province(live_app, year))
    # another filter of the same form, submitted without a script: one agency, grouped by agency
    page.locator("#agency").select_option(label="General Authority for Border Protection")
    page.locator("#by").select_option(label="Agency")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"by=agency"))
    rows = body(report_table(page, "Completion and pass rates"))
    assert [row[0] for row in rows] == ["General Authority for Border Protection", "All"]
    assert rows[0][1:3] == rows[1][1:3]
    charts = [img.get_attribute("src") for img in page.locator("img.chart").all()]
    assert charts, "no chart on the dashboard"
    for src in charts:
        assert page.request.get(src).status == 200, src


# --- 2. the post weakest at recognising documents held by someone else ----------------------------------------


def test_the_weakest_post_at_documents_held_by_someone_else(page, live_server, live_app, scale_data):
    login(page, live_server, "coordinator")
    open_reports(page)
    report_nav(page, "Indicator mastery")
    expect(page.locator("h1")).to_have_text("Indicator mastery")
    page.locator("#indicator").select_option(INDICATOR)
    page.locator("#by").select_option(label="Duty station")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(rf"indicator={INDICATOR}"))
    table = report_table(page, "Indicator mastery")
    assert header(table) == ["Indicator", "Duty station", "Answers", "Answered correctly"]
    rows = body(table)
    label = page.locator("#indicator option:checked").inner_text()
    assert {row[0] for row in rows} == {label}

    def work(session):
        names = {s.id: s.display_name("en") for s in session.scalars(select(DutyStation))}
        found = session.execute(select(IndicatorStat.duty_station_id, func.sum(IndicatorStat.n),
                                       func.sum(IndicatorStat.correct))
                                .where(IndicatorStat.indicator == INDICATOR)
                                .group_by(IndicatorStat.duty_station_id)).all()
        return {names.get(station, "—"): (int(n), right / n) for station, n, right in found if n}

    shares = query(live_app, work)
    lowest = min(share for _n, share in shares.values())
    weakest = {name for name, (_n, share) in shares.items() if math.isclose(share, lowest, abs_tol=1e-12)}
    first = rows[0]
    assert first[1] in weakest, f"{first[1]} shown first; the lowest share in the totals is at {sorted(weakest)}"
    assert number(first[2]) == shares[first[1]][0]
    assert_percent(first[3], shares[first[1]][1], f"share at {first[1]}")
    assert len(rows) == min(50, len(shares))
    shown = [percent(row[3]) for row in rows]
    assert shown == sorted(shown), "not weakest first"
    check_accessibility(page)


# --- 3. the questions that discriminate worst, and a translation problem ----------------------------------------


def quiz_links(page: Page) -> list[tuple[str, str]]:
    """(title, quiz id) of each quiz listed on the item-analysis index."""
    found = []
    for link in page.locator("main ul li a").all():
        quiz = re.search(r"[?&]quiz=([\w-]+)", link.get_attribute("href"))
        if quiz:
            found.append((link.inner_text(), quiz[1]))
    return found


def item_sums(live_app, quiz_id: str) -> dict[str, dict[str, item_stats.ItemSums]]:
    def work(session):
        found: dict[str, dict[str, item_stats.ItemSums]] = defaultdict(dict)
        for row in session.scalars(select(ItemStat).where(ItemStat.quiz_id == quiz_id)):
            found[row.question_id][row.language] = item_stats.ItemSums(row.n, row.sum_x, row.sum_x2, row.sum_rest,
                                                                       row.sum_rest2, row.sum_xrest)
        return found

    return query(live_app, work)


def pearson(s: item_stats.ItemSums) -> float | None:
    """The item-rest correlation from the sums, as the page's hint defines it (None under 10 responses)."""
    if s.n < 10:
        return None
    var_x = s.sum_x2 / s.n - (s.sum_x / s.n) ** 2
    var_r = s.sum_rest2 / s.n - (s.sum_rest / s.n) ** 2
    if var_x <= 1e-9 or var_r <= 1e-9:
        return None
    return (s.sum_xrest / s.n - s.sum_x / s.n * s.sum_rest / s.n) / math.sqrt(var_x * var_r)


def test_the_three_worst_discriminating_questions_and_a_translation_problem(page, live_server, live_app, content,
                                                                             scale_data):
    login(page, live_server, "coordinator")
    open_reports(page)
    report_nav(page, "Item analysis")
    expect(page.locator("h1")).to_have_text("Item analysis")
    quizzes = quiz_links(page)
    assert {quiz for _title, quiz in quizzes} == set(content.quizzes)
    title, quiz_id = next((t, q) for t, q in quizzes if q == "border-indicators-quiz")
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1")).to_have_text(f"Item analysis: {title}")
    table = report_table(page, "Questions")
    columns = header(table)
    assert columns[:5] == ["Question", "Pool", "Responses", "Facility", "Discrimination"]
    rows = body(table)
    worst_three = [row[0].split(":", 1)[0] for row in rows[:3]]

    sums = item_sums(live_app, quiz_id)
    in_quiz = {q.id for pool in content.quizzes[quiz_id].pools for q in pool.questions}
    totals = {q: sum(sums.get(q, {}).values(), item_stats.ItemSums()) for q in in_quiz}
    ranked = sorted((pearson(s), q) for q, s in totals.items() if pearson(s) is not None)
    assert len(ranked) >= 3, "too few responses for item analysis"
    assert worst_three == [q for _d, q in ranked[:3]], (worst_three, ranked[:5])
    for row, (d, q) in zip(rows[:3], ranked[:3], strict=True):
        assert float(row[4]) == pytest.approx(d, abs=0.005 + 1e-9), q
        assert number(row[2]) == totals[q].n
    assert ranked[0][0] < item_stats.WEAK_BELOW, "the seeded badly discriminating questions are not the worst"
    check_accessibility(page)

    # a question flagged as a translation problem: look through the quizzes as a coordinator would
    flagged = None
    for title, quiz_id in quizzes:
        report_nav(page, "Item analysis")
        page.get_by_role("link", name=title, exact=True).click()
        expect(page.locator("h1")).to_have_text(f"Item analysis: {title}")
        row = report_table(page, "Questions").locator("tbody tr").filter(has_text=TRANSLATION_FLAG)
        if row.count():
            flagged = (quiz_id, header(report_table(page, "Questions")),
                       [" ".join(t.split()) for t in row.first.locator("th, td").all_inner_texts()])
            break
    assert flagged, "no question of any quiz is flagged as a translation problem"
    quiz_id, columns, cells = flagged
    question_id = cells[0].split(":", 1)[0]
    language = TRANSLATION_FLAG.search(cells[columns.index("Flags")])[1]
    by_language = item_sums(live_app, quiz_id)[question_id]
    own = by_language[language]
    others = sum((s for lang, s in by_language.items() if lang != language), item_stats.ItemSums())
    assert own.n >= item_stats.GAP_MIN_N and others.n >= item_stats.GAP_MIN_N
    gap = own.sum_x / own.n - others.sum_x / others.n
    assert abs(gap) >= item_stats.GAP_MIN_DIFFERENCE - 1e-12, (question_id, language, gap)
    assert_percent(cells[columns.index(f"Facility ({language})")], own.sum_x / own.n,
                   f"facility of {question_id} in {language}")


# --- 4. the share that released the likely victim at the first node --------------------------------------------


def release_at_the_desk(page: Page, live_server: str, account: tuple[str, str]) -> None:
    """A trainee starts airport-escort and, at its first node, stamps the passports and lets them board."""
    login(page, live_server, *account)
    page.goto(f"/learn/scenarios/{SCENARIO}")
    page.get_by_role("button", name="Start the scenario", exact=True).click()
    expect(page).to_have_url(re.compile(r"/learn/runs/\d+$"))
    page.locator(f"#choice-{RELEASE}").check()
    page.get_by_role("button", name="Decide", exact=True).click()
    expect(page.locator(f"#choice-{RELEASE}")).to_have_count(0)


def released_row(page: Page, release_text: str) -> list[str]:
    table = report_table(page, "Choices at each node")
    row = table.locator("tbody tr").filter(has=page.locator("th", has_text=f"{FIRST_NODE}:")) \
        .filter(has=page.locator("td", has_text=release_text))
    expect(row).to_have_count(1)
    return [" ".join(t.split()) for t in row.locator("th, td").all_inner_texts()]


def test_the_share_that_released_the_likely_victim_at_the_first_node(new_context, live_server, live_app, content,
                                                                      learner, scale_data):
    """The seeded runs rarely take the release (a few per thousand, often none among a few hundred trainees), so a
    trainee of this test's own takes it in the browser too: the page must count it at once."""
    scenario = content.scenarios[SCENARIO]
    node = next(n for n in scenario.nodes if n.id == FIRST_NODE)
    assert scenario.start == FIRST_NODE
    release = next(c for c in node.choices if c.id == RELEASE)
    release_text = " ".join(release.text.split())

    page = new_context().new_page()
    login(page, live_server, "coordinator")
    open_reports(page)
    report_nav(page, "Scenarios")
    expect(page.locator("h1")).to_have_text("Scenario analytics")
    page.get_by_role("link", name=scenario.title, exact=True).click()
    expect(page.locator("h1")).to_have_text(f"Scenario analytics: {scenario.title}")
    assert header(report_table(page, "Choices at each node")) == ["Node", "Reached", "Choice", "Chosen", "Share",
                                                                  "Critical error"]
    before = released_row(page, release_text)

    release_at_the_desk(new_context().new_page(), live_server, learner)
    page.reload()
    _node, reached, _choice, chosen, share, critical = released_row(page, release_text)

    def work(session):
        return {(r.node_id, r.choice_id): r.count for r in session.scalars(
            select(ChoiceStat).where(ChoiceStat.scenario_id == SCENARIO))}

    counts = query(live_app, work)
    at_node = sum(counts.get((FIRST_NODE, c.id), 0) for c in node.choices)
    released = counts.get((FIRST_NODE, RELEASE), 0)
    assert at_node >= TRAINEES // 4, "the seeded runs are missing"
    assert number(reached) == at_node == number(before[1]) + 1
    assert number(chosen) == released == number(before[3]) + 1
    assert_percent(share, released / at_node, "share releasing the likely victim")
    assert critical == "yes"

    # most common critical errors: first the critical choice taken most often, with its count
    critical_choices = {(n.id, c.id) for n in scenario.nodes for c in n.choices if c.critical}
    most = max(count for key, count in counts.items() if key in critical_choices)
    first = page.locator("h2:text-is('Most common critical errors') + ol > li").first
    expect(first).to_contain_text(re.compile(rf": {most:,} runs?$"))
    released_item = page.locator("h2:text-is('Most common critical errors') + ol > li").filter(
        has_text=f"{release_text} ({FIRST_NODE})")
    top = sorted((c for k, c in counts.items() if k in critical_choices), reverse=True)
    if len(top) < 10 or released > top[9]:  # the list holds the ten most common
        expect(released_item).to_contain_text(f": {released:,} run")
    check_accessibility(page)


# --- bad filters, and who sees what ----------------------------------------------------------------------------


def test_bad_filters_give_a_clear_message(page, live_server, scale_data):
    login(page, live_server, "coordinator")
    open_reports(page)
    page.locator("#from").fill("2026-06-30")
    page.locator("#to").fill("2026-01-01")
    with page.expect_response(re.compile(r"/coordinate/\?")) as response:
        page.get_by_role("button", name="Show", exact=True).click()
    assert response.value.status == 400
    expect(page.get_by_role("alert")).to_have_text("The end date is before the start date.")
    expect(page.locator("table.report")).to_have_count(0)
    expect(page.locator("#to")).to_have_value("2026-01-01")  # the form keeps what was asked, to correct it
    check_accessibility(page)

    for path, message in [("/coordinate/?from=31-12-2026", "31-12-2026 is not a date: use YYYY-MM-DD."),
                          ("/coordinate/?agency=999999", "There is no such agency."),
                          ("/coordinate/?province=abc", "abc is not a valid choice."),
                          ("/coordinate/?by=planet", "planet is not a valid choice."),
                          ("/coordinate/indicators?indicator=no-such-indicator", "There is no such indicator."),
                          ("/coordinate/audit?from=yesterday", "yesterday is not a date: use YYYY-MM-DD.")]:
        response = page.goto(path)
        assert response is not None and response.status == 400, f"{path}: HTTP {response and response.status}"
        expect(page.get_by_role("alert")).to_have_text(message)
    response = page.goto("/coordinate/export/completion.csv?from=2026-06-30&to=2026-01-01")
    assert response is not None and response.status == 400
    expect(page.locator("main")).to_contain_text("The end date is before the start date.")


def test_a_trainer_sees_only_their_cascade(new_context, live_server, live_app, scale_data):
    suffix = uuid.uuid4().hex[:6]
    trainer = make_account(live_app, "trainer", f"Report Trainer {suffix}", {Role.TRAINER}, agency="GABP")
    officers = [make_account(live_app, "officer", f"Report Officer {n} {suffix}", agency="GABP") for n in (1, 2)]
    cohort = make_cohort(live_app, trainer[2], f"Report course {suffix}", "course", {"trafficking-basics": None})
    enrol(live_app, trainer[2], cohort, [officer[0] for officer in officers])
    complete_modules(live_app, officers[0][2], ["trafficking-basics"])

    page = new_context().new_page()
    login(page, live_server, trainer[0], trainer[1])
    page.locator("nav.main-nav").get_by_role("link", name="Reports", exact=True).click()
    expect(page.locator("h1")).to_have_text("Completion dashboard")
    expect(page.locator("main")).to_contain_text("Figures for the cohorts you train and the cohorts below them")
    expect(page.get_by_role("navigation", name="Reports").get_by_role("link")).to_have_text(["Completion"])
    page.locator("#by").select_option(label="Cohort")
    page.get_by_role("button", name="Show", exact=True).click()
    rows = body(report_table(page, "Completion and pass rates"))
    no_attempts = ["–", "–", "–"]  # pass rates are not available by cohort
    assert rows == [[f"Report course {suffix}", "2", "1", "50%", *no_attempts], ["All", "2", "1", "50%", *no_attempts]]
    check_accessibility(page)

    for path in ["/coordinate/items", "/coordinate/items?quiz=border-indicators-quiz", "/coordinate/indicators",
                 f"/coordinate/scenarios?scenario={SCENARIO}", "/coordinate/audit",
                 "/coordinate/export/items.csv?quiz=border-indicators-quiz"]:
        response = page.goto(path)
        assert response is not None and response.status == 403, f"{path}: HTTP {response and response.status}"
        expect(page.locator("h1")).to_have_text("Access denied")
    # the download of their own dashboard holds their cohort and nothing else
    response = page.request.get("/coordinate/export/completion.csv?by=cohort")
    assert response.status == 200
    lines = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig"))))
    assert [line[:3] for line in lines[1:]] == [[f"Report course {suffix}", "2", "1"], ["All", "2", "1"]]


def test_the_demo_master_trainer_sees_the_seeded_cascade_below_them(page, live_server, live_app, scale_data):
    """The demo trainer leads the seeded master ToT: their figures are those of their subtree, not national."""
    login(page, live_server, "trainer")
    page.goto("/coordinate/")
    all_row = body(report_table(page, "Completion and pass rates"))[-1]

    def work(session):
        me = session.scalar(select(User.id).where(User.username == "trainer"))
        children = defaultdict(list)
        for cohort_id, parent in session.execute(select(Cohort.id, Cohort.parent_id)):
            children[parent].append(cohort_id)
        mine, stack = set(), list(session.scalars(select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == me)))
        while stack:
            cohort_id = stack.pop()
            if cohort_id not in mine:
                mine.add(cohort_id)
                stack += children[cohort_id]
        enrolled = session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.cohort_id.in_(mine)))
        completed = session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.cohort_id.in_(mine), Enrolment.completed_at.is_not(None)))
        national = session.scalar(select(func.sum(EnrolmentStat.count)))
        return enrolled, completed, national

    enrolled, completed, national = query(live_app, work)
    assert all_row[0] == "All"
    assert (number(all_row[1]), number(all_row[2])) == (enrolled, completed)
    assert TRAINEES <= enrolled <= national


def test_the_audit_log_filters(page, live_server, scale_data):
    login(page, live_server, "coordinator")
    open_reports(page)
    report_nav(page, "Audit log")
    expect(page.locator("h1")).to_have_text("Audit log")
    actions = [value for value in page.locator("#action option").evaluate_all("os => os.map(o => o.value)") if value]
    assert actions, "the audit log has no actions to filter by"
    page.locator("#action").select_option(actions[0])
    page.locator("#from").fill(date.today().replace(day=1).isoformat())
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(rf"action={re.escape(actions[0])}"))
    label = page.locator("#action option:checked").inner_text()
    rows = body(report_table(page, "entr"))
    assert all(row[2] == label for row in rows if len(row) > 1), rows[:3]
    problems = accessibility_problems(page)
    assert not problems, "\n".join(problems)
