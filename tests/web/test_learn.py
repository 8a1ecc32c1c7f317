"""The trainee's path in the browser's terms: pages, forms, redirects, messages."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.helpers import post_form, sign_in, text_of
from tests.services.test_attempts import right_form
from trainer.content.store import ContentStore
from trainer.extensions import db
from trainer.models import LessonProgress, QuestionResponse, QuizAttempt
from trainer.services import attempts


@pytest.fixture
def trainee(as_role):
    return as_role("trainee")


def start_quiz(client, quiz_id="basics-quiz"):
    response = post_form(client, f"/learn/quizzes/{quiz_id}/start", token_from=f"/learn/quizzes/{quiz_id}")
    assert response.status_code == 302, text_of(response)
    match = re.match(r"/learn/attempts/(\d+)/questions/(\d+)", response.headers["Location"])
    return int(match.group(1)), int(match.group(2))


def test_my_training_lists_modules_with_status(trainee):
    page = text_of(trainee.get("/learn/"))
    assert "Basics of document checks" in page and "Timed practice" in page
    assert "Not started" in page and "Locked" in page and "First complete" in page


def test_module_page(trainee):
    page = text_of(trainee.get("/learn/modules/basics"))
    for text in ("Tell a counterfeit from a forgery", "Kinds of fraud", "Basics quiz", "ICAO Doc 9303, Part 3"):
        assert text in page
    assert trainee.get("/learn/modules/nope").status_code == 404


def test_lesson_is_rendered_safely_and_recorded(trainee, users):
    page = text_of(trainee.get("/learn/modules/basics/lessons/kinds"))
    assert '<h2 id="forgery">Forgery</h2>' in page
    assert 'src="/learn/media/basics/specimen.svg"' in page
    assert "Reading time: about 1 min" in page and 'rel="next"' in page
    read = db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == users["trainee"]))
    assert (read.module_id, read.lesson_id, read.module_version) == ("basics", "kinds", 2)
    trainee.get("/learn/modules/basics/lessons/kinds")
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1
    assert trainee.get("/learn/modules/basics/lessons/none").status_code == 404


def test_lesson_in_russian_marks_what_is_not_yet_translated(trainee):
    trainee.set_cookie("lang", "ru")
    page = text_of(trainee.get("/learn/modules/basics/lessons/kinds"))
    assert "Поддельный документ изготавливается" in page
    assert '<h2 id="forgery">Подделка</h2>' in page
    assert '<div lang="en" class="untranslated"><p>A forgery is a genuine document' in page
    assert "Основы проверки документов" in page


def test_locked_module_sends_back_with_a_reason(trainee):
    response = trainee.get("/learn/modules/timed/lessons/only", follow_redirects=True)
    assert "Complete the prerequisite modules first." in text_of(response)
    refused = post_form(trainee, "/learn/quizzes/timed-quiz/start", token_from="/learn/", follow_redirects=True)
    assert "Complete the prerequisite modules first." in text_of(refused)


def test_media_is_cached_and_confined(trainee):
    with trainee.get("/learn/media/basics/specimen.svg") as response:
        assert response.status_code == 200 and response.cache_control.max_age == 86400
        assert response.mimetype == "image/svg+xml"
    for path in ("/learn/media/basics/../module.yaml", "/learn/media/basics/%2e%2e/module.yaml",
                 "/learn/media/nope/specimen.svg", "/learn/media/basics/none.png"):
        with trainee.get(path) as response:
            assert response.status_code == 404, path


def test_whole_attempt_with_resume_and_double_submit(trainee, users):
    attempt_id, first = start_quiz(trainee)
    assert first == 1
    attempt = db.session.get(QuizAttempt, attempt_id)
    drawn = attempts.drawn(attempt)
    page = text_of(trainee.get(f"/learn/attempts/{attempt_id}/questions/1"))
    assert "Question 1 of 7" in page
    for item in drawn[:3]:
        saved = post_form(trainee, f"/learn/attempts/{attempt_id}/questions/{item.position}",
                          {**right_form(item.question), "go": "next"})
        assert saved.headers["Location"].endswith(f"/questions/{item.position + 1}")
    # the connection drops; later, on another device, starting again resumes at the first open question
    assert start_quiz(trainee) == (attempt_id, 4)
    for item in drawn[3:]:
        post_form(trainee, f"/learn/attempts/{attempt_id}/questions/{item.position}", right_form(item.question))
    summary = text_of(trainee.get(f"/learn/attempts/{attempt_id}/submit"))
    assert "You have answered 7 of 7 questions." in summary
    first_submit = post_form(trainee, f"/learn/attempts/{attempt_id}/submit")
    second_submit = post_form(trainee, f"/learn/attempts/{attempt_id}/submit", token_from="/learn/")
    assert first_submit.headers["Location"] == second_submit.headers["Location"] == f"/learn/attempts/{attempt_id}"
    result = text_of(trainee.get(f"/learn/attempts/{attempt_id}"))
    assert "100%" in result and "Passed" in result and "Well done." in result
    assert "Right answer:" in result and "It imitates a genuine document." in result
    assert 'href="/learn/modules/basics/lessons/kinds#forgery"' in result or "/lessons/kinds" in result
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt_id).percent == 100.0
    late = post_form(trainee, f"/learn/attempts/{attempt_id}/questions/1", {"answer": ["made"]},
                     token_from="/learn/", follow_redirects=True)
    assert "Question by question" in text_of(late)  # a finished attempt shows its result, not the question


def test_tampered_answer_gets_a_message_and_nothing_is_stored(trainee):
    attempt_id, _ = start_quiz(trainee)
    attempt = db.session.get(QuizAttempt, attempt_id)
    single = next(d for d in attempts.drawn(attempt) if d.question.type == "single_choice")
    response = post_form(trainee, f"/learn/attempts/{attempt_id}/questions/{single.position}",
                         {"answer": ["<script>"]})
    assert response.status_code == 400
    assert "That answer does not fit this question." in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(QuestionResponse)) == 0
    assert trainee.get(f"/learn/attempts/{attempt_id}/questions/99").status_code == 404


def test_someone_elses_attempt_is_not_found(trainee, client, users, app):
    attempt_id, _ = start_quiz(trainee)
    other = app.test_client()
    sign_in(other, "trainer")
    assert other.get(f"/learn/attempts/{attempt_id}").status_code == 404
    assert post_form(other, f"/learn/attempts/{attempt_id}/questions/1", {"answer": ["made"]},
                     token_from="/learn/").status_code == 404
    assert post_form(other, f"/learn/attempts/{attempt_id}/submit", token_from="/learn/").status_code == 404


def test_autosave_answers_in_json(trainee):
    attempt_id, _ = start_quiz(trainee)
    attempt = db.session.get(QuizAttempt, attempt_id)
    item = attempts.drawn(attempt)[0]
    saved = post_form(trainee, f"/learn/attempts/{attempt_id}/autosave/1", right_form(item.question),
                      token_from="/learn/")
    assert saved.status_code == 200 and saved.json["saved"] and saved.json["message"].startswith("Saved at")
    bad = post_form(trainee, f"/learn/attempts/{attempt_id}/autosave/1", {"answer": ["zz"], "match-zz": ["q"],
                                                                          "position-zz": ["1"]},
                    token_from="/learn/")
    assert bad.status_code == 400 and not bad.json["saved"]
    no_token = trainee.post(f"/learn/attempts/{attempt_id}/autosave/1", data=right_form(item.question))
    assert no_token.status_code == 400


def test_history_lists_attempts(trainee):
    attempt_id, _ = start_quiz(trainee)
    page = text_of(trainee.get("/learn/history"))
    assert "Basics quiz" in page and f"/learn/attempts/{attempt_id}/questions/1" in page


def test_broken_content_is_not_served(app, trainee, tmp_path, monkeypatch):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "module.yaml").write_text("id: broken\nversion: [\n", encoding="utf-8")
    monkeypatch.setitem(app.extensions, "content", ContentStore(tmp_path, tmp_path))
    client = trainee
    response = client.get("/learn/")
    assert response.status_code == 503 and "Course content unavailable" in text_of(response)
    assert client.get("/profile").status_code == 200


def test_scenario_played_as_plain_form_posts(trainee):
    page = text_of(trainee.get("/learn/modules/interview"))
    assert "Interview practice" in page and "A traveller and her companion" in page
    intro = text_of(trainee.get("/learn/scenarios/airport-companion"))
    assert "Chinggis Khaan International Airport, departures" in intro and "Mentions of coercion" in intro
    started = post_form(trainee, "/learn/scenarios/airport-companion/start",
                        token_from="/learn/scenarios/airport-companion")
    run_path = started.headers["Location"]
    assert re.fullmatch(r"/learn/runs/\d+", run_path)
    first = text_of(trainee.get(run_path))
    assert "Step 1" in first and "She's my cousin." in first and 'value="separate"' in first
    for step, choice in enumerate(["ask-in-front", "separate-late", "open"], start=1):
        moved = post_form(trainee, run_path, {"choice": choice, "step": str(step)})
        assert moved.status_code == 302 and moved.headers["Location"] == run_path
    again = post_form(trainee, run_path, {"choice": "open", "step": "3"}, follow_redirects=True)
    assert "That choice was already made" in text_of(again) and "Step 4" in text_of(again)
    bad = post_form(trainee, run_path, {"choice": "fly-away", "step": "4"})
    assert bad.status_code == 400 and "That choice is not offered here." in text_of(bad)
    done = post_form(trainee, run_path, {"choice": "refer", "step": "4"}, follow_redirects=True)
    debrief = text_of(done)
    assert "Debrief" in debrief and "Not passed" in debrief and "Critical errors" in debrief
    assert "Questioning a possible victim in front of a possible controller." in debrief
    assert "Your path" in debrief and "You chose:" in debrief and "Best possible" in debrief
    # The same page again (the CSRF tokens carry a timestamp, so they may differ between two requests)
    assert without_tokens(text_of(trainee.get(run_path + "/debrief"))) == without_tokens(debrief)
    assert trainee.get(run_path).headers["Location"] == run_path + "/debrief"


def test_debrief_names_missed_indicators(trainee):
    started = post_form(trainee, "/learn/scenarios/airport-companion/start",
                        token_from="/learn/scenarios/airport-companion")
    run_path = started.headers["Location"]
    post_form(trainee, run_path, {"choice": "stamp", "step": "1"})
    debrief = text_of(trainee.get(run_path + "/debrief"))
    assert "Indicators you missed" in debrief
    assert "A companion holds the documents or tickets" in debrief  # the label from indicators.yaml
    assert "Released" in debrief


def test_deciding_without_a_choice_says_so(trainee):
    started = post_form(trainee, "/learn/scenarios/airport-companion/start",
                        token_from="/learn/scenarios/airport-companion")
    response = post_form(trainee, started.headers["Location"], {"step": "1"})
    assert response.status_code == 400 and "Choose one of the options, then press Decide." in text_of(response)


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrf_token"(?: type="hidden")? value="[^"]+"', 'name="csrf_token"', page)
