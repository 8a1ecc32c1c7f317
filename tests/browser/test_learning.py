"""The trainee's learning path in a real browser: lessons, quizzes with and without JavaScript, resuming an
attempt, autosave, a double submit, the review policies, and axe-core on every learning page.

Tests that start attempts or read lessons use an account of their own (``learner``, from conftest), so that
what one test does (attempts used, lessons read) never changes what another sees. The two full attempts use the demo
trainee, as the requirement says; each at its own quiz.
"""
from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest
from babel.numbers import format_decimal, format_percent
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.helpers import SIGN_OUT, accessibility_problems, login, switch_language
from trainer.content import markdown
from trainer.content.questions import REGISTRY
from trainer.extensions import db
from trainer.models import AttemptStatus, QuestionResponse, QuizAttempt, User
from trainer.services import attempts as attempt_service

pytestmark = pytest.mark.browser

FRAUD_MODULE, FRAUD_QUIZ = "fraudulent-documents", "fraudulent-documents-quiz"  # review immediately, no limit
BORDER_QUIZ = "border-indicators-quiz"  # 20 minutes, review after the last attempt (or a pass)
IMAGE_LESSON = "security-features"  # the lesson of fraudulent-documents with an image from media/
ATTEMPT_URL = re.compile(r"/learn/attempts/(\d+)/questions/(\d+)$")
# Question types answered with one change event, so one background save holds the whole answer.
ONE_CHANGE_TYPES = {"single_choice", "true_false", "numeric", "short_text"}
# Counts the quiz page's background saves: those sent, and those in flight (fetch resolves once the server
# has answered, so the answer is stored by then).
COUNT_AUTOSAVES = """
window.__autosaves = 0;
window.__autosavesSent = 0;
const originalFetch = window.fetch;
window.fetch = function (...args) {
  window.__autosaves += 1;
  window.__autosavesSent += 1;
  return originalFetch.apply(this, args).finally(() => { window.__autosaves -= 1; });
};
"""


# --- answering questions from the YAML ------------------------------------------------------------------------

def _plain(text: str) -> str:
    return " ".join(text.split())


def _stem_text(stem: str) -> str:
    """A stem as the page's text shows it: Markdown rendered, tags dropped, entities decoded."""
    return _plain(html.unescape(re.sub(r"<[^>]+>", "", markdown.render(stem))))


class AnswerKey:
    """The questions of one quiz, found on a page by their stem (the page never shows a question's id)."""

    def __init__(self, quiz) -> None:
        self.by_stem = {_stem_text(q.stem): q for pool in quiz.pools for q in pool.questions}
        assert len(self.by_stem) == sum(len(pool.questions) for pool in quiz.pools), "two questions share a stem"

    def question_on(self, page: Page):
        shown = _plain(page.locator("legend.stem").text_content() or "")
        assert shown in self.by_stem, f"no question of the quiz has the stem shown on {page.url}: {shown!r}"
        return self.by_stem[shown]


def answer(page: Page, question, correct: bool = True) -> None:
    """Fill in the question's inputs with its right answer, or with one that scores nothing."""
    kind = question.type
    if kind == "single_choice":
        option = next(o for o in question.options if o.correct == correct)
        page.locator(f"#opt-{option.id}").check()
    elif kind == "multiple_response":
        picks = [o for o in question.options if o.correct] if correct else [next(o for o in question.options
                                                                                 if not o.correct)]
        for option in picks:
            page.locator(f"#opt-{option.id}").check()
    elif kind == "true_false":
        page.locator(f"#tf-{'true' if question.correct == correct else 'false'}").check()
    elif kind == "matching":
        for prompt in question.prompts:
            match = prompt.match if correct else next(m.id for m in question.matches if m.id != prompt.match)
            page.locator(f"#match-{prompt.id}").select_option(match)
    elif kind == "ordering":
        items = question.items if correct else question.items[::-1]  # reversed scores nothing
        for place, item in enumerate(items, start=1):
            page.locator(f"#position-{item.id}").select_option(str(place))
    elif kind == "numeric":
        value = question.answer if correct else question.answer + question.tolerance + 1
        page.locator("#answer-number").fill(f"{value:g}")
    elif kind == "short_text":
        page.locator("#answer-text").fill(question.accepted[0] if correct else "not the answer")
    elif kind == "document_inspection":
        key = set(question.key())
        picks = key if correct else {next(o for o in question.offered() if o not in key)}
        for option in picks:
            page.locator(f"#opt-{option}").check()
    else:
        raise AssertionError(f"no way to answer a {kind} question yet: add it here")


def expect_answered(page: Page, question) -> None:
    """The page shows the right answer to ``question`` as already chosen (saved earlier)."""
    kind = question.type
    if kind in ("single_choice", "multiple_response"):
        for option in question.options:
            box = page.locator(f"#opt-{option.id}")
            expect(box).to_be_checked() if option.correct else expect(box).not_to_be_checked()
    elif kind == "true_false":
        expect(page.locator(f"#tf-{str(question.correct).lower()}")).to_be_checked()
        expect(page.locator(f"#tf-{str(not question.correct).lower()}")).not_to_be_checked()
    elif kind == "matching":
        for prompt in question.prompts:
            expect(page.locator(f"#match-{prompt.id}")).to_have_value(prompt.match)
    elif kind == "ordering":
        for place, item in enumerate(question.items, start=1):
            expect(page.locator(f"#position-{item.id}")).to_have_value(str(place))
    elif kind == "numeric":
        expect(page.locator("#answer-number")).to_have_value(f"{question.answer:g}")
    elif kind == "short_text":
        expect(page.locator("#answer-text")).to_have_value(question.accepted[0])
    elif kind == "document_inspection":
        for option in question.offered():
            box = page.locator(f"#opt-{option}")
            expect(box).to_be_checked() if option in question.key() else expect(box).not_to_be_checked()


def position_of(page: Page) -> tuple[int, int]:
    """(attempt id, question position) from a question page's URL."""
    found = ATTEMPT_URL.search(page.url)
    assert found, f"not a question page: {page.url}"
    return int(found[1]), int(found[2])


def click_action(page: Page, go: str) -> None:
    """One of the question form's buttons: previous, next, submit (or qN)."""
    page.locator(f"form.question-form button[name=go][value={go}]").click()


def wait_for_autosaves(page: Page) -> None:
    """Let background saves finish, so a slower partial save never lands after the form's full one."""
    page.wait_for_function("() => !window.__autosaves")


def start_quiz(page: Page, quiz_id: str, button: str) -> int:
    page.goto(f"/learn/quizzes/{quiz_id}")
    page.get_by_role("button", name=button, exact=True).click()
    expect(page).to_have_url(ATTEMPT_URL)
    return position_of(page)[0]


def expected_score(earned: float, available: float) -> tuple[str, str, str]:
    """The result page's percent and points, formatted as the English page formats them."""
    percent = round(100 * earned / available, 2)
    return (format_percent(percent / 100, locale="en"), format_decimal(earned, "#,##0.##", locale="en"),
            format_decimal(available, "#,##0.##", locale="en"))


def visit(page: Page, path: str, lang: str = "en") -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)


# --- tests ----------------------------------------------------------------------------------------------------

def test_every_learning_page_is_accessible_and_speaks_russian(page, live_server, content, learner, monkeypatch):
    """axe-core on each page of the path, a question page of every type included; then each page in Russian."""
    quiz = content.quizzes[FRAUD_QUIZ]
    # One attempt draws 11 of 27 questions: choose the draw (the attempt's seed) so that every type shows up,
    # and the last question, left unanswered, is not the ordering one (which this test answers in steps).
    seed = next(s for s in range(10_000)
                if {item["question"]["type"] for item in attempt_service.draw(quiz, s)} == set(REGISTRY)
                and attempt_service.draw(quiz, s)[-1]["question"]["type"] != "ordering")
    monkeypatch.setattr(attempt_service, "secrets", SimpleNamespace(randbelow=lambda _bound: seed))
    key = AnswerKey(quiz)
    page.add_init_script(COUNT_AUTOSAVES)
    login(page, live_server, *learner)

    problems: list[str] = []
    pages: list[str] = []
    by_type: dict[str, tuple[str, object]] = {}  # the page (and question) where each type was first seen

    def check(path: str | None = None) -> None:
        if path is not None:
            visit(page, path)
        pages.append(page.url)
        problems.extend(accessibility_problems(page))

    check("/learn/")
    expect(page.locator(".module-card")).to_have_count(len(content.modules))
    check(f"/learn/modules/{FRAUD_MODULE}")
    check(f"/learn/modules/{FRAUD_MODULE}/lessons/{IMAGE_LESSON}")
    image = page.locator("article.lesson img")
    expect(image).to_have_count(1)
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle()), "image not shown"
    check(f"/learn/quizzes/{FRAUD_QUIZ}")

    start_quiz(page, FRAUD_QUIZ, "Start the quiz")
    count = len(attempt_service.draw(quiz, seed))
    for position in range(1, count + 1):
        assert position_of(page)[1] == position
        question = key.question_on(page)
        if question.type not in by_type:
            by_type[question.type] = (page.url, question)
            check()
        if question.type == "ordering":  # one item placed is no answer yet: nothing is sent, no error is said
            page.locator(f"#position-{question.items[-1].id}").select_option("1")
            assert page.evaluate("window.__autosavesSent") == 0
            expect(page.locator(".autosave-status")).to_have_text("")
        if position < count:  # the last stays unanswered, so the submit page lists it
            answer(page, question)
            if question.type == "ordering":  # every item placed: now it is saved in the background
                expect(page.locator(".autosave-status")).to_have_text(re.compile(r"^Saved at \d"))
            wait_for_autosaves(page)
            click_action(page, "next")
        else:
            click_action(page, "submit")
    assert set(by_type) == set(REGISTRY)
    expect(page.locator("h1")).to_have_text("Review and submit")
    expect(page.locator("main ul.inline-list li")).to_have_count(1)
    check()

    switch_language(page, "ru")  # every page so far, quickly, in Russian: lang="ru" (content falls back to en)
    for url in pages:
        visit(page, url, "ru")
        expect(page.locator("form.logout button")).to_have_text(SIGN_OUT["ru"])
        if url == by_type["matching"][0]:  # a match still in English says so, like every other content string
            matching = by_type["matching"][1]
            for match in matching.matches:
                option = page.locator(f"select#match-{matching.prompts[0].id} option[value='{match.id}']")
                if _plain(option.text_content() or "") == match.text:
                    expect(option).to_have_attribute("lang", "en")
    switch_language(page, "en")  # from the submit page, the last one visited

    page.get_by_role("button", name="Submit my answers", exact=True).click()
    expect(page.locator("h1")).to_have_text("Result of attempt 1")
    expect(page.locator("ol.review > li")).to_have_count(count)
    check()
    check("/learn/history")
    expect(page.locator("main tbody tr")).to_have_count(1)
    switch_language(page, "ru")
    for url in pages[-2:]:
        visit(page, url, "ru")
    assert not problems, "\n".join(problems)


def test_full_attempt_with_javascript_resumes_after_a_dropped_connection(new_context, live_server, content):
    """The demo trainee answers everything right, loses the browser halfway, signs in again and finishes."""
    quiz = content.quizzes[FRAUD_QUIZ]
    key = AnswerKey(quiz)
    context = new_context()
    context.add_init_script(COUNT_AUTOSAVES)
    page = context.new_page()
    login(page, live_server, "trainee")
    attempt_id = start_quiz(page, FRAUD_QUIZ, "Start the quiz")

    answered = []
    for position in range(1, 5):
        question = key.question_on(page)
        answer(page, question)
        wait_for_autosaves(page)
        click_action(page, "next")
        expect(page).to_have_url(re.compile(rf"/learn/attempts/{attempt_id}/questions/{position + 1}$"))
        answered.append(question)
    context.close()  # the connection drops on question 5, before it was answered

    context = new_context()
    context.add_init_script(COUNT_AUTOSAVES)
    page = context.new_page()
    login(page, live_server, "trainee")
    page.goto(f"/learn/quizzes/{FRAUD_QUIZ}")
    expect(page.get_by_role("button", name="Start a new attempt")).to_have_count(0)
    page.get_by_role("button", name="Continue your attempt", exact=True).click()
    expect(page).to_have_url(f"{live_server}/learn/attempts/{attempt_id}/questions/5")
    for position, question in enumerate(answered, start=1):  # what was saved before the drop is still there
        page.goto(f"/learn/attempts/{attempt_id}/questions/{position}")
        assert key.question_on(page) == question
        expect_answered(page, question)
        expect(page.locator(f"button[value=q{position}]")).to_have_class(re.compile(r"\bqnav--answered\b"))
    page.goto(f"/learn/attempts/{attempt_id}/questions/5")

    count = sum(pool.draw for pool in quiz.pools)
    autosave_checked = False
    for position in range(5, count + 1):
        question = key.question_on(page)
        answer(page, question)
        if not autosave_checked and question.type in ONE_CHANGE_TYPES:
            # Autosave: no button clicked; leaving a typed answer's box is what commits it (a change event).
            if question.type in ("numeric", "short_text"):
                page.keyboard.press("Tab")
            status = page.locator(".autosave-status")
            expect(status).to_have_attribute("aria-live", "polite")
            expect(status).to_have_text(re.compile(r"^Saved at \d"))
            page.reload()
            expect(page).to_have_url(f"{live_server}/learn/attempts/{attempt_id}/questions/{position}")
            expect_answered(page, question)
            autosave_checked = True
        wait_for_autosaves(page)
        click_action(page, "next" if position < count else "submit")
    assert autosave_checked, "no question answered with one change after question 4"

    expect(page.locator("h1")).to_have_text("Review and submit")
    expect(page.locator("main")).to_contain_text(f"You have answered {count} of {count} questions.")
    page.get_by_role("button", name="Submit my answers", exact=True).click()
    expect(page).to_have_url(f"{live_server}/learn/attempts/{attempt_id}")
    expect(page.locator(".result .score")).to_contain_text("100%")
    expect(page.locator(".result")).to_contain_text("Passed")
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    # Review "immediately": every question, right, with the right answer, the explanation and a lesson link.
    items = page.locator("ol.review > li")
    expect(items).to_have_count(count)
    expect(page.locator("ol.review > li.review-item--right")).to_have_count(count)
    expect(items.filter(has_text="Right answer:")).to_have_count(count)
    expect(items.locator(".explanation")).to_have_count(count)
    expect(items.get_by_role("link", name="Read the lesson section that covers this")).to_have_count(count)

    page.goto(f"/learn/quizzes/{FRAUD_QUIZ}")  # the quiz page now lists the attempt, passed
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody tr")).to_contain_text("100% — passed")


def test_full_attempt_without_javascript_hides_the_review_until_the_last_attempt(new_context, live_server,
                                                                                 content):
    """Plain form posts only: some answers wrong, one left out; the score shows, the review waits."""
    quiz = content.quizzes[BORDER_QUIZ]
    key = AnswerKey(quiz)
    page = new_context(java_script_enabled=False).new_page()
    login(page, live_server, "trainee")
    attempt_id = start_quiz(page, BORDER_QUIZ, "Start the quiz")
    expect(page.locator("p.timer")).to_have_text(re.compile(r"^\s*Time left: (19|20) min\s*$"))

    count = sum(pool.draw for pool in quiz.pools)
    shown, earned = [], 0.0
    for position in range(1, count + 1):
        question = key.question_on(page)
        shown.append(question)
        if position == 2:  # answered right, then back and forth: without JavaScript both answers are kept
            answer(page, question)
            click_action(page, "previous")
            expect(page).to_have_url(f"{live_server}/learn/attempts/{attempt_id}/questions/1")
            expect_answered(page, shown[0])
            click_action(page, "next")
            expect_answered(page, question)
            earned += question.points
        elif position < count:  # otherwise odd positions right, even ones wrong; the last one left out
            answer(page, question, correct=position % 2 == 1)
            earned += question.points if position % 2 == 1 else 0
        click_action(page, "next" if position < count else "submit")

    expect(page.locator("h1")).to_have_text("Review and submit")
    expect(page.locator("p.timer")).to_have_text(re.compile(r"Time left: (19|20) min"))
    expect(page.locator("main")).to_contain_text(f"You have answered {count - 1} of {count} questions.")
    expect(page.locator("main ul.inline-list").get_by_role("link")).to_have_text([f"Question {count}"])
    page.get_by_role("button", name="Submit my answers", exact=True).click()

    expect(page).to_have_url(f"{live_server}/learn/attempts/{attempt_id}")
    available = sum(question.points for question in shown)
    assert earned / available < quiz.pass_mark / 100, "this test needs a failing score"
    percent, earned_text, available_text = expected_score(earned, available)
    expect(page.locator(".result .score")).to_contain_text(percent)
    expect(page.locator(".result .score")).to_contain_text(f"{earned_text} of {available_text} points")
    expect(page.locator(".result")).to_contain_text("Not passed")
    expect(page.locator("ol.review")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(
        "Question-by-question results are shown once you have passed or used all your attempts.")
    expect(page.get_by_role("button", name="Try again", exact=True)).to_be_visible()
    page.goto(f"/learn/quizzes/{BORDER_QUIZ}")
    expect(page.locator("main")).to_contain_text("2 attempts left.")


def test_a_double_submit_grades_the_attempt_once(page, live_server, live_app, content, learner):
    """Two submits racing (two posts at once), then two in a row: each attempt graded once, one row a question."""
    login(page, live_server, *learner)
    count = sum(pool.draw for pool in content.quizzes[FRAUD_QUIZ].pools)
    submit_twice = """async () => {
        const form = document.querySelector("main form[method=post]");
        const send = () => fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin"});
        const responses = await Promise.all([send(), send()]);
        return responses.map(r => [r.status, new URL(r.url).pathname]);
    }"""

    first = start_quiz(page, FRAUD_QUIZ, "Start the quiz")
    question = AnswerKey(content.quizzes[FRAUD_QUIZ]).question_on(page)
    answer(page, question)
    click_action(page, "submit")
    expect(page.locator("h1")).to_have_text("Review and submit")
    assert page.evaluate(submit_twice) == [[200, f"/learn/attempts/{first}"]] * 2

    page.goto(f"/learn/attempts/{first}/submit")  # a finished attempt's submit page leads to its result
    expect(page).to_have_url(f"{live_server}/learn/attempts/{first}")
    page.get_by_role("button", name="Try again", exact=True).click()
    second = position_of(page)[0]
    click_action(page, "submit")
    token = page.locator("main form input[name=csrf_token]").input_value()
    for _ in range(2):  # one after the other, as a second click on a slow connection would
        response = page.request.post(f"{live_server}/learn/attempts/{second}/submit", form={"csrf_token": token})
        assert response.ok and response.url == f"{live_server}/learn/attempts/{second}"
    page.reload()
    expect(page).to_have_url(f"{live_server}/learn/attempts/{second}")
    expect(page.locator("h1")).to_have_text("Result of attempt 2")

    with live_app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == learner[0]))
        tries = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user_id)
                                   .order_by(QuizAttempt.number)).all()
        assert [(a.id, a.number, a.status) for a in tries] == [(first, 1, AttemptStatus.SUBMITTED),
                                                                (second, 2, AttemptStatus.SUBMITTED)]
        for attempt in tries:
            rows = db.session.scalars(select(QuestionResponse).where(QuestionResponse.attempt_id == attempt.id)).all()
            assert sorted(r.position for r in rows) == list(range(1, count + 1)), f"attempt {attempt.number}"
            assert all(r.score is not None for r in rows), "every row graded"
            assert attempt.score == sum(r.points for r in rows)
        assert (tries[0].score, tries[1].score) == (question.points, 0)
        db.session.remove()
    page.goto("/learn/history")
    expect(page.locator("main tbody tr")).to_have_count(2)


def test_lessons_in_order_are_marked_read(page, live_server, content, learner):
    """Next and previous links walk the module's lessons; the module page then shows each as read."""
    module = content.modules[FRAUD_MODULE]
    titles = [lesson.title for lesson in module.lessons]
    login(page, live_server, *learner)
    page.goto(f"/learn/modules/{FRAUD_MODULE}")
    expect(page.locator("main .badge")).to_have_text("Not started")
    expect(page.locator("ol.steps .done")).to_have_count(0)

    page.locator("ol.steps").get_by_role("link", name=titles[0], exact=True).click()
    expect(page.locator("h1")).to_have_text(titles[0])
    expect(page.locator("a[rel=prev]")).to_have_count(0)
    for title in titles[1:]:
        page.locator("a[rel=next]").click()
        expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("a[rel=next]")).to_have_count(0)
    page.locator("a[rel=prev]").click()
    expect(page.locator("h1")).to_have_text(titles[-2])
    page.locator("a[rel=next]").click()
    page.get_by_role("link", name="Back to the module", exact=True).click()

    expect(page).to_have_url(f"{live_server}/learn/modules/{FRAUD_MODULE}")
    expect(page.locator("main .badge")).to_have_text("In progress")
    lessons = page.locator("ol.steps > li")
    expect(lessons).to_have_count(len(titles))
    expect(lessons.filter(has=page.locator(".done", has_text="Read"))).to_have_count(len(titles))
    page.goto("/learn/")  # lessons count towards the module: 4 of 4 lessons, 0 of 1 quiz
    card = page.locator(".module-card").filter(has_text=module.title)
    expect(card.locator("progress")).to_have_attribute("value", "80")
