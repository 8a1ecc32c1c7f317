"""Document-inspection practice: generated sessions graded by the defects each document carries."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.helpers import post_form, text_of
from trainer.content import documents
from trainer.content.questions.inspection import NO_DEFECT
from trainer.extensions import db
from trainer.models import QuizAttempt
from trainer.services import attempts, practice


def test_every_answer_key_matches_the_injected_defects():
    for item in practice.items(seed=12345, count=20):
        question = item["question"]
        document = documents.generate(question["seed"], defects=question["defects"])
        assert set(question["defects"]) == set(document.defects) == documents.detect(document)


def test_a_session_of_20_documents_end_to_end(as_role, users):
    client = as_role("trainee")
    intro = text_of(client.get("/learn/practice/documents"))
    assert "Document inspection practice" in intro and "Start a practice session" in intro
    started = post_form(client, "/learn/practice/documents", {"size": "20"})
    match = re.fullmatch(r"/learn/attempts/(\d+)/questions/1", started.headers["Location"])
    attempt_id = int(match.group(1))
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert len(attempt.questions) == 20 and attempt.quiz_id == practice.PRACTICE_QUIZ
    page = text_of(client.get(started.headers["Location"]))
    assert "<svg" in page and "SPECIMEN" in page and "Question 1 of 20" in page
    for item in attempts.drawn(attempt):
        key = item.question.key()
        assert set(key) - {NO_DEFECT} == set(item.question.document().defects)
        saved = post_form(client, f"/learn/attempts/{attempt_id}/questions/{item.position}", {"answer": list(key)},
                          token_from="/learn/")
        assert saved.status_code == 302
    post_form(client, f"/learn/attempts/{attempt_id}/submit")
    result = text_of(client.get(f"/learn/attempts/{attempt_id}"))
    assert "100%" in result and "Back to the practice page" in result
    # practice never completes a module, and a new session is always possible
    again = post_form(client, "/learn/practice/documents", {"size": "5"})
    assert re.fullmatch(r"/learn/attempts/\d+/questions/1", again.headers["Location"])
    assert len(practice.history(db.session, users["trainee"])) == 2


def test_contradictory_or_unknown_marks_are_refused(as_role):
    client = as_role("trainee")
    started = post_form(client, "/learn/practice/documents", {"size": "5"})
    attempt_id = int(re.search(r"/attempts/(\d+)/", started.headers["Location"]).group(1))
    bad = post_form(client, f"/learn/attempts/{attempt_id}/questions/1",
                    {"answer": [NO_DEFECT, "wrong_check_digit"]}, token_from="/learn/")
    assert bad.status_code == 400 and "That answer does not fit this question." in text_of(bad)
    unknown = post_form(client, f"/learn/attempts/{attempt_id}/questions/1", {"answer": ["looks_fishy"]},
                        token_from="/learn/")
    assert unknown.status_code == 400


def test_session_size_must_be_offered(as_role):
    client = as_role("trainee")
    page = post_form(client, "/learn/practice/documents", {"size": "999"}, follow_redirects=True)
    assert "Choose one of the session sizes offered." in text_of(page)
    assert db.session.scalars(select(QuizAttempt)).first() is None
