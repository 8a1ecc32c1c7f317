"""Typed answers: a number with a tolerance, and short text compared after normalising."""
from __future__ import annotations

import math
import re
import unicodedata
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from trainer.content.i18n import joined
from trainer.content.questions.base import (
    AnswerError,
    Explanation,
    Form,
    Grade,
    QuestionBase,
    QuestionType,
    register,
    single,
)

MAX_TYPED = 200


def typed(form: Form) -> str | None:
    """The typed answer, stripped; None when the box was left empty."""
    text = single(form)
    if text is None or not text.strip():
        return None
    if len(text) > MAX_TYPED:
        raise AnswerError("too long")
    return text.strip()


class NumericQuestion(QuestionBase):
    type: Literal["numeric"]
    answer: float
    tolerance: float = Field(default=0, ge=0)
    unit: str | None = None

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("stem", "explanation", "unit")


def parse_number(text: str) -> float:
    """Accept "1 234,5" and "1,234.5" alike: Mongolian and Russian write a decimal comma."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        raise AnswerError("not a number")
    value = float(cleaned)
    if not math.isfinite(value):
        raise AnswerError("not a number")
    return value


@register
class Numeric(QuestionType):
    name = "numeric"
    model = NumericQuestion
    template = "questions/numeric.html"

    def parse(self, question: NumericQuestion, form: Form) -> dict:
        text = typed(form)
        return {"value": parse_number(text)} if text else {}

    def grade(self, question: NumericQuestion, answer: dict | None) -> Grade:
        if not answer or "value" not in answer:
            return Grade(0.0)
        return Grade(1.0 if abs(float(answer["value"]) - question.answer) <= question.tolerance + 1e-9 else 0.0)

    def explain(self, question: NumericQuestion) -> Explanation:
        shown = f"{question.answer:g}" + (f" ± {question.tolerance:g}" if question.tolerance else "")
        return Explanation(correct_answer=(joined(shown, question.unit) if question.unit else shown,),
                           explanation=question.explanation)

    def describe(self, question: NumericQuestion, answer: dict | None) -> tuple[str, ...]:
        return (f"{answer['value']:g}",) if answer and "value" in answer else ()


def normalise(text: str, case_sensitive: bool = False) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = " ".join(text.split()).strip(" .,;:!?\"'«»")
    return text if case_sensitive else text.casefold()


class ShortTextQuestion(QuestionBase):
    type: Literal["short_text"]
    # Accepted answers; translations of each are accepted too (they add to the list, never replace it).
    accepted: tuple[str, ...] = Field(min_length=1)
    case_sensitive: bool = False

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("stem", "explanation", "accepted")
    ADDITIVE: ClassVar[tuple[str, ...]] = ("accepted",)

    @model_validator(mode="after")
    def _non_blank(self):
        if any(not normalise(a) for a in self.accepted):
            raise ValueError("accepted answers must not be blank")
        return self


@register
class ShortText(QuestionType):
    name = "short_text"
    model = ShortTextQuestion
    template = "questions/short_text.html"

    def parse(self, question: ShortTextQuestion, form: Form) -> dict:
        text = typed(form)
        return {"text": text} if text else {}

    def grade(self, question: ShortTextQuestion, answer: dict | None) -> Grade:
        if not answer or not answer.get("text"):
            return Grade(0.0)
        given = normalise(answer["text"], question.case_sensitive)
        accepted = {normalise(a, question.case_sensitive) for a in question.accepted}
        return Grade(1.0 if given in accepted else 0.0)

    def explain(self, question: ShortTextQuestion) -> Explanation:
        return Explanation(correct_answer=question.accepted[:1], explanation=question.explanation)

    def describe(self, question: ShortTextQuestion, answer: dict | None) -> tuple[str, ...]:
        return (answer["text"],) if answer and answer.get("text") else ()
