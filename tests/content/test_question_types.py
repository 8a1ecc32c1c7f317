"""Grading of every question type, partial credit included; answers that do not fit are refused."""
from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.content import questions
from trainer.content.questions import AnswerError
from trainer.content.schema import QUESTION_ADAPTER


def q(**data):
    return QUESTION_ADAPTER.validate_python({"id": "q", "stem": "Stem", **data})


def options(*correct: bool):
    return [{"id": f"o{i}", "text": f"Option {i}", "correct": c, "feedback": f"About {i}"} for i, c in
            enumerate(correct)]


SINGLE = q(type="single_choice", options=options(False, True, False))
MULTI = q(type="multiple_response", options=options(True, True, False, False, False))
TF = q(type="true_false", correct=False, feedback_true="No.", feedback_false="Yes.")
MATCH = q(type="matching", prompts=[{"id": "a", "text": "A", "match": "x"}, {"id": "b", "text": "B", "match": "x"},
                                    {"id": "c", "text": "C", "match": "y"}, {"id": "d", "text": "D", "match": "z"}],
          matches=[{"id": "x", "text": "X"}, {"id": "y", "text": "Y"}, {"id": "z", "text": "Z"},
                   {"id": "w", "text": "W"}])
ORDER = q(type="ordering", items=[{"id": i, "text": i.upper()} for i in "abcd"])
NUM = q(type="numeric", answer=2.5, tolerance=0.1, unit="cm")
TEXT = q(type="short_text", accepted=["UTO", "Utopia"])


def grade(question, form):
    qtype = questions.get(question.type)
    return qtype.grade(question, qtype.parse(question, form))


def test_single_choice():
    assert grade(SINGLE, {"answer": ["o1"]}).correct
    wrong = grade(SINGLE, {"answer": ["o0"]})
    assert wrong.score == 0 and wrong.feedback == ("About 0",)
    assert grade(SINGLE, {}).score == 0
    with pytest.raises(AnswerError):
        grade(SINGLE, {"answer": ["o9"]})
    with pytest.raises(AnswerError):
        grade(SINGLE, {"answer": ["o0", "o1"]})


@pytest.mark.parametrize("picked, score", [
    (["o0", "o1"], 1.0),
    (["o0"], 0.5),
    (["o0", "o2"], 0.5 - 1 / 3),
    (["o0", "o1", "o2"], 1 - 1 / 3),
    (["o2", "o3", "o4"], 0.0),  # never below zero
    (["o0", "o1", "o2", "o3", "o4"], 0.0),  # ticking everything earns nothing
    ([], 0.0),
])
def test_multiple_response_partial_credit(picked, score):
    assert grade(MULTI, {"answer": picked}).score == pytest.approx(score)


def test_multiple_response_refuses_unknown_and_repeated_options():
    for bad in (["o0", "o0"], ["zz"]):
        with pytest.raises(AnswerError):
            grade(MULTI, {"answer": bad})


@given(st.sets(st.sampled_from(["o0", "o1", "o2", "o3", "o4"])))
def test_multiple_response_score_is_bounded_and_monotone_in_right_picks(picked):
    score = grade(MULTI, {"answer": sorted(picked)}).score
    assert 0 <= score <= 1
    if picked & {"o0", "o1"} and not picked & {"o2", "o3", "o4"}:
        assert score > 0


def test_true_false():
    assert grade(TF, {"answer": ["false"]}).correct
    wrong = grade(TF, {"answer": ["true"]})
    assert not wrong.correct and wrong.feedback == ("No.",)
    with pytest.raises(AnswerError):
        grade(TF, {"answer": ["maybe"]})


def test_matching_partial_credit_and_shared_matches():
    form = {"match-a": ["x"], "match-b": ["x"], "match-c": ["z"], "match-d": ["z"]}
    assert grade(MATCH, form).score == pytest.approx(0.75)
    assert grade(MATCH, {"match-a": ["x"]}).score == pytest.approx(0.25)
    for bad in ({"match-a": ["nope"]}, {"match-zz": ["x"]}):
        with pytest.raises(AnswerError):
            grade(MATCH, bad)


def positions(order: str) -> dict:
    return {f"position-{item}": [str(order.index(item) + 1)] for item in order}


@pytest.mark.parametrize("order, score", [("abcd", 1.0), ("bacd", 5 / 6), ("dcba", 0.0), ("abdc", 5 / 6)])
def test_ordering_counts_pairs_in_the_right_order(order, score):
    assert grade(ORDER, positions(order)).score == pytest.approx(score)


def test_ordering_refuses_incomplete_or_repeated_positions():
    for bad in ({"position-a": ["1"], "position-b": ["1"], "position-c": ["2"], "position-d": ["3"]},
                {"position-a": ["1"], "position-b": ["2"]},
                {"position-a": ["9"], "position-b": ["2"], "position-c": ["3"], "position-d": ["4"]},
                {"position-a": ["x"], "position-b": ["2"], "position-c": ["3"], "position-d": ["4"]}):
        with pytest.raises(AnswerError):
            grade(ORDER, bad)


@given(st.permutations("abcd"))
def test_ordering_reversal_is_the_complement(order):
    forward = grade(ORDER, positions("".join(order))).score
    backward = grade(ORDER, positions("".join(reversed(order)))).score
    assert forward + backward == pytest.approx(1.0)


@pytest.mark.parametrize("typed, right", [("2.5", True), ("2,5", True), (" 2.58 ", True), ("2.61", False),
                                          ("1 234,5", False), ("-2.5", False)])
def test_numeric_tolerance_and_decimal_comma(typed, right):
    assert grade(NUM, {"answer": [typed]}).correct is right


@pytest.mark.parametrize("typed", ["two", "2.5.5", "inf", "nan", "1e400", "x" * 500])
def test_numeric_refuses_what_is_not_a_number(typed):
    with pytest.raises(AnswerError):
        grade(NUM, {"answer": [typed]})


@pytest.mark.parametrize("typed, right", [("UTO", True), (" uto. ", True), ("Utopia", True), ("ＵＴＯ", True),
                                          ("UTA", False), ("", False)])
def test_short_text_normalises(typed, right):
    assert grade(TEXT, {"answer": [typed]}).correct is right


def test_prepare_shuffles_by_seed_and_never_shows_an_ordering_solved():
    single = questions.get("single_choice")
    first = single.prepare(SINGLE, random.Random("seed/q"))["order"]
    assert first == single.prepare(SINGLE, random.Random("seed/q"))["order"]
    assert sorted(first) == ["o0", "o1", "o2"]
    ordering = questions.get("ordering")
    for seed in range(200):
        assert ordering.prepare(ORDER, random.Random(seed))["order"] != list("abcd")


def test_explanations_give_the_right_answer():
    assert questions.get("single_choice").explain(SINGLE).correct_answer == ("Option 1",)
    assert questions.get("matching").explain(MATCH).correct_answer[0] == "A → X"
    assert questions.get("numeric").explain(NUM).correct_answer == ("2.5 ± 0.1 cm",)


@pytest.mark.parametrize("bad, message", [
    ({"type": "single_choice", "options": options(True, True)}, "exactly one option"),
    ({"type": "multiple_response", "options": options(False, False)}, "at least one option"),
    ({"type": "matching", "prompts": [{"id": "a", "text": "A", "match": "q"}, {"id": "b", "text": "B", "match": "x"}],
      "matches": [{"id": "x", "text": "X"}, {"id": "y", "text": "Y"}]}, "not among the matches"),
    ({"type": "single_choice", "options": [{"id": "a", "text": "A", "correct": True}, {"id": "a", "text": "B"}]},
     "unique"),
    ({"type": "short_text", "accepted": ["  "]}, "blank"),
])
def test_definitions_check_their_answer_keys(bad, message):
    with pytest.raises(ValueError, match=message):
        q(**bad)
