"""The course in Mongolian and Russian in a real browser: a trainee reads and answers in Mongolian, switches to
Russian halfway through the module's quiz and finds the same attempt, answer and progress."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SIGN_OUT, login, switch_language
from tests.browser.test_learning import (
    ATTEMPT_URL,
    _plain,
    _stem_text,
    answer,
    click_action,
    expect_answered,
    position_of,
)

pytestmark = pytest.mark.browser


def expect_fully_translated(page: Page, lang: str) -> None:
    """The page is in ``lang``, and no content string on it fell back to English."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("main .untranslated, main .untranslated-note")).to_have_count(0)
    expect(page.locator("main [lang=en]")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Not yet translated")


def localized_stems(live_app, quiz_id: str, quiz, lang: str) -> dict[str, object]:
    """Each question of the quiz by its stem as the page shows it in ``lang``."""
    store = live_app.extensions["content"]
    with live_app.app_context():
        return {_stem_text(store.localize_question(quiz_id, q, lang).stem): q
                for pool in quiz.pools for q in pool.questions}


def test_trainee_takes_the_first_module_in_mongolian_and_switches_to_russian_mid_module(
        page, live_server, live_app, content, learner):
    module = content.ordered_modules()[0]
    quiz_id = next(q for q, m in content.quiz_module.items() if m == module.id)
    quiz = content.quizzes[quiz_id]
    store = live_app.extensions["content"]
    with live_app.app_context():
        titles = {lang: store.module(module.id, lang) for lang in ("mn", "ru")}
    lesson = module.lessons[0]

    login(page, live_server, *learner)
    switch_language(page, "mn")
    expect(page.locator("form.logout button")).to_have_text(SIGN_OUT["mn"])

    # My training, the first module and its first lesson, all in Mongolian.
    page.goto("/learn/")
    expect_fully_translated(page, "mn")
    page.locator(".module-card h2 a").first.click()
    expect(page).to_have_url(f"{live_server}/learn/modules/{module.id}")
    expect(page.locator("h1")).to_have_text(titles["mn"].title)
    assert titles["mn"].title != module.title, "the module's title is the English one"
    expect_fully_translated(page, "mn")
    mn_lesson_title = titles["mn"].lessons[0].title
    page.locator("ol.steps").get_by_role("link", name=mn_lesson_title, exact=True).click()
    expect(page).to_have_url(f"{live_server}/learn/modules/{module.id}/lessons/{lesson.id}")
    expect(page.locator("h1")).to_have_text(mn_lesson_title)
    expect_fully_translated(page, "mn")
    expect(page.locator("article.lesson")).to_contain_text(re.compile(r"[А-ЯӨҮа-яөү]{4}"))  # Cyrillic text

    # The module's quiz: start it and answer the first question.
    page.goto(f"/learn/modules/{module.id}")
    expect(page.locator("ol.steps > li").first.locator(".done")).to_have_count(1)  # the lesson is marked read
    page.locator("ul.steps").first.locator(f"a[href$='/learn/quizzes/{quiz_id}']").click()
    expect_fully_translated(page, "mn")
    page.locator(f"main form[action$='/learn/quizzes/{quiz_id}/start'] button[type=submit]").click()
    expect(page).to_have_url(ATTEMPT_URL)
    attempt_id, position = position_of(page)
    assert position == 1
    expect_fully_translated(page, "mn")
    stems = localized_stems(live_app, quiz_id, quiz, "mn")
    shown = _plain(page.locator("legend.stem").text_content() or "")
    assert shown in stems, f"the question's stem is not the Mongolian one: {shown!r}"
    first = stems[shown]
    answer(page, first)
    click_action(page, "next")
    expect(page).to_have_url(re.compile(rf"/learn/attempts/{attempt_id}/questions/2$"))

    # Switching to Russian mid-module: the same attempt, the same question, the answer kept.
    switch_language(page, "ru")
    expect(page).to_have_url(re.compile(rf"/learn/attempts/{attempt_id}/questions/2$"))
    expect_fully_translated(page, "ru")
    click_action(page, "previous")
    expect(page).to_have_url(f"{live_server}/learn/attempts/{attempt_id}/questions/1")
    ru_stems = localized_stems(live_app, quiz_id, quiz, "ru")
    shown = _plain(page.locator("legend.stem").text_content() or "")
    assert ru_stems.get(shown) is first, f"question 1 is not the same question, in Russian: {shown!r}"
    expect_answered(page, first)
    expect(page.locator("button[value=q1]")).to_have_class(re.compile(r"\bqnav--answered\b"))
    expect_fully_translated(page, "ru")

    # The module page in Russian: the lesson read in Mongolian is still read; the quiz offers to continue.
    page.goto(f"/learn/modules/{module.id}")
    expect(page.locator("h1")).to_have_text(titles["ru"].title)
    expect_fully_translated(page, "ru")
    expect(page.locator("ol.steps > li").first.locator(".done")).to_have_count(1)
    expect(page.locator("ol.steps .done")).to_have_count(1)
    expect(page.locator("main .badge").first).to_have_class(re.compile(r"\bbadge--in_progress\b"))
    page.goto(f"/learn/quizzes/{quiz_id}")
    page.locator(f"main form[action$='/learn/quizzes/{quiz_id}/start'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/learn/attempts/{attempt_id}/questions/\d+$"))  # no new attempt
