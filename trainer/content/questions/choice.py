"""Choice questions: single choice, multiple response, true/false."""
from __future__ import annotations

import random
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from trainer.content.questions.base import (
    ID_PATTERN,
    AnswerError,
    Explanation,
    Form,
    Grade,
    QuestionBase,
    QuestionType,
    Strict,
    register,
    require_unique,
    shuffled,
    single,
)


class Option(Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str | None = None

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("text", "feedback")


class _Options(QuestionBase):
    options: tuple[Option, ...] = Field(min_length=2, max_length=12)
    shuffle: bool = True

    @model_validator(mode="after")
    def _unique_ids(self):
        require_unique([o.id for o in self.options], "option")
        return self

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class SingleChoiceQuestion(_Options):
    type: Literal["single_choice"]

    @model_validator(mode="after")
    def _one_correct(self):
        if sum(o.correct for o in self.options) != 1:
            raise ValueError("a single-choice question needs exactly one option with correct: true")
        return self


class MultipleResponseQuestion(_Options):
    type: Literal["multiple_response"]

    @model_validator(mode="after")
    def _some_correct(self):
        if not any(o.correct for o in self.options):
            raise ValueError("a multiple-response question needs at least one option with correct: true")
        return self


class _ChoiceType(QuestionType):
    def prepare(self, question: _Options, rng: random.Random) -> dict:
        return {"order": shuffled([o.id for o in question.options], rng, question.shuffle)}

    def explain(self, question: _Options) -> Explanation:
        return Explanation(
            correct_answer=tuple(o.text for o in question.options if o.correct),
            explanation=question.explanation,
            option_feedback={o.id: o.feedback for o in question.options if o.feedback},
        )

    def _picked(self, question: _Options, answer: dict | None) -> list[str]:
        raise NotImplementedError

    def describe(self, question: _Options, answer: dict | None) -> tuple[str, ...]:
        return tuple(o.text for o in question.options if o.id in self._picked(question, answer))

    def feedback(self, question: _Options, picked: list[str]) -> tuple[str, ...]:
        return tuple(o.feedback for o in question.options if o.id in picked and o.feedback)


@register
class SingleChoice(_ChoiceType):
    name = "single_choice"
    model = SingleChoiceQuestion
    template = "questions/single_choice.html"

    def parse(self, question: SingleChoiceQuestion, form: Form) -> dict:
        choice = single(form)
        if choice is None:
            return {}
        if question.option(choice) is None:
            raise AnswerError("unknown option")
        return {"choice": choice}

    def _picked(self, question, answer):
        return [answer["choice"]] if answer and answer.get("choice") else []

    def grade(self, question: SingleChoiceQuestion, answer: dict | None) -> Grade:
        picked = self._picked(question, answer)
        option = question.option(picked[0]) if picked else None
        return Grade(1.0 if option is not None and option.correct else 0.0, self.feedback(question, picked))


@register
class MultipleResponse(_ChoiceType):
    """Each right pick earns 1/(number of right options); each wrong pick costs 1/(number of wrong options),
    never below zero. Ticking every box therefore scores nothing, and so does ticking none."""

    name = "multiple_response"
    model = MultipleResponseQuestion
    template = "questions/multiple_response.html"

    def parse(self, question: MultipleResponseQuestion, form: Form) -> dict:
        picked = [v for v in form.get("answer", ()) if v != ""]
        if len(set(picked)) != len(picked) or any(question.option(p) is None for p in picked):
            raise AnswerError("unknown or repeated option")
        return {"choices": sorted(picked)} if picked else {}

    def _picked(self, question, answer):
        return list(answer.get("choices", ())) if answer else []

    def grade(self, question: MultipleResponseQuestion, answer: dict | None) -> Grade:
        picked = set(self._picked(question, answer))
        right = {o.id for o in question.options if o.correct}
        wrong = {o.id for o in question.options if not o.correct}
        score = len(picked & right) / len(right) - (len(picked & wrong) / len(wrong) if wrong else 0.0)
        return Grade(max(0.0, min(1.0, score)), self.feedback(question, sorted(picked)))


class TrueFalseQuestion(QuestionBase):
    type: Literal["true_false"]
    correct: bool
    feedback_true: str | None = None
    feedback_false: str | None = None

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("stem", "explanation", "feedback_true", "feedback_false")


@register
class TrueFalse(QuestionType):
    name = "true_false"
    model = TrueFalseQuestion
    template = "questions/true_false.html"
    VALUES: ClassVar[dict[str, bool]] = {"true": True, "false": False}

    def parse(self, question: TrueFalseQuestion, form: Form) -> dict:
        value = single(form)
        if value is None:
            return {}
        if value not in self.VALUES:
            raise AnswerError("true or false expected")
        return {"value": self.VALUES[value]}

    def grade(self, question: TrueFalseQuestion, answer: dict | None) -> Grade:
        if not answer or "value" not in answer:
            return Grade(0.0)
        chosen = answer["value"]
        feedback = question.feedback_true if chosen else question.feedback_false
        return Grade(1.0 if chosen == question.correct else 0.0, (feedback,) if feedback else ())

    def explain(self, question: TrueFalseQuestion) -> Explanation:
        return Explanation(correct_answer=("true" if question.correct else "false",),
                           explanation=question.explanation)

    def describe(self, question: TrueFalseQuestion, answer: dict | None) -> tuple[str, ...]:
        if not answer or "value" not in answer:
            return ()
        return ("true" if answer["value"] else "false",)
