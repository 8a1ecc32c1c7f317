"""The interface every question type implements, and the registry that holds them.

A type receives already-parsed data (the question's definition, the submitted form values) and returns
plain results; it never reads a request and never touches the database.
"""
from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Content models reject unknown fields, so a typo in a file is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    # Fields holding English text that translators translate (walked by content.i18n).
    TRANSLATABLE: ClassVar[tuple[str, ...]] = ()


ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class QuestionBase(Strict):
    id: str = Field(pattern=ID_PATTERN)
    type: str
    stem: str = Field(min_length=1)
    points: float = Field(default=1, gt=0, le=100)
    explanation: str | None = None
    # "lesson-id" or "lesson-id#section-anchor": where the review sends someone who got it wrong.
    lesson: str | None = None
    indicators: tuple[str, ...] = ()

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("stem", "explanation")


class AnswerError(ValueError):
    """The submitted answer does not fit the question (tampered or malformed form data)."""


@dataclass(frozen=True)
class Grade:
    score: float  # 0..1 of the question's points
    feedback: tuple[str, ...] = ()  # per-part feedback for the chosen answer, in display order

    @property
    def correct(self) -> bool:
        return self.score >= 1 - 1e-9

    @property
    def partial(self) -> bool:
        return 0 < self.score < 1 - 1e-9


@dataclass(frozen=True)
class Explanation:
    """What the review shows: the right answer, as lines of text, plus the question's explanation."""

    correct_answer: tuple[str, ...]
    explanation: str | None = None
    option_feedback: Mapping[str, str] = field(default_factory=dict)


Form = Mapping[str, Sequence[str]]


class QuestionType:
    """One kind of question. Subclasses set ``name``, ``model`` and ``template`` and implement the methods."""

    name: ClassVar[str]
    model: ClassVar[type[QuestionBase]]
    template: ClassVar[str]

    def prepare(self, question: QuestionBase, rng: random.Random) -> dict:
        """What the page shows, e.g. the options in this attempt's shuffled order."""
        return {}

    def parse(self, question: QuestionBase, form: Form) -> dict:
        """Turn submitted form values into the stored answer, or raise AnswerError."""
        raise NotImplementedError

    def grade(self, question: QuestionBase, answer: dict | None) -> Grade:
        raise NotImplementedError

    def explain(self, question: QuestionBase) -> Explanation:
        raise NotImplementedError

    def describe(self, question: QuestionBase, answer: dict | None) -> tuple[str, ...]:
        """The given answer in words, for the review page."""
        raise NotImplementedError


REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    REGISTRY[cls.name] = cls()
    return cls


def get(name: str) -> QuestionType:
    return REGISTRY[name]


def single(form: Form, key: str = "answer") -> str | None:
    values = [v for v in form.get(key, ()) if v != ""]
    if len(values) > 1:
        raise AnswerError("more than one value")
    return values[0] if values else None


def require_unique(ids: Sequence[str], what: str) -> None:
    """Raise the validation error for repeated ids (options, prompts, items, lessons, pools...)."""
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if repeated:
        raise ValueError(f"{what} ids must be unique: {', '.join(repeated)}")


def shuffled(ids: Sequence[str], rng: random.Random, shuffle: bool = True) -> list[str]:
    order = list(ids)
    if shuffle:
        rng.shuffle(order)
    return order

