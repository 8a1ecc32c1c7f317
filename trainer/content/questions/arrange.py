"""Questions about structure: matching items to categories, and putting steps in order."""
from __future__ import annotations

import random
from itertools import combinations
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from trainer.content.i18n import joined
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


class Prompt(Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)
    match: str  # id of the right entry in ``matches``

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("text",)


class Match(Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("text",)


class MatchingQuestion(QuestionBase):
    """Prompts matched to entries; several prompts may share an entry (e.g. indicator -> category), and
    entries no prompt uses act as distractors."""

    type: Literal["matching"]
    prompts: tuple[Prompt, ...] = Field(min_length=2, max_length=12)
    matches: tuple[Match, ...] = Field(min_length=2, max_length=12)

    @model_validator(mode="after")
    def _keys_point_at_matches(self):
        match_ids = [m.id for m in self.matches]
        require_unique([p.id for p in self.prompts], "prompt")
        require_unique(match_ids, "match")
        for prompt in self.prompts:
            if prompt.match not in match_ids:
                raise ValueError(f"prompt {prompt.id!r} matches {prompt.match!r}, which is not among the matches")
        return self


@register
class Matching(QuestionType):
    """Score: the share of prompts matched rightly."""

    name = "matching"
    model = MatchingQuestion
    template = "questions/matching.html"

    def prepare(self, question: MatchingQuestion, rng: random.Random) -> dict:
        return {"prompts": shuffled([p.id for p in question.prompts], rng),
                "matches": shuffled([m.id for m in question.matches], rng)}

    def parse(self, question: MatchingQuestion, form: Form) -> dict:
        known = {m.id for m in question.matches}
        pairs = {}
        for prompt in question.prompts:
            value = single(form, f"match-{prompt.id}")
            if value is None:
                continue
            if value not in known:
                raise AnswerError("unknown match")
            pairs[prompt.id] = value
        unexpected = {k for k in form if k.startswith("match-")} - {f"match-{p.id}" for p in question.prompts}
        if unexpected:
            raise AnswerError("unknown prompt")
        return {"pairs": pairs} if pairs else {}

    def grade(self, question: MatchingQuestion, answer: dict | None) -> Grade:
        pairs = (answer or {}).get("pairs", {})
        right = sum(pairs.get(p.id) == p.match for p in question.prompts)
        return Grade(right / len(question.prompts))

    def explain(self, question: MatchingQuestion) -> Explanation:
        names = {m.id: m.text for m in question.matches}
        return Explanation(correct_answer=tuple(joined(p.text, "→", names[p.match]) for p in question.prompts),
                           explanation=question.explanation)

    def describe(self, question: MatchingQuestion, answer: dict | None) -> tuple[str, ...]:
        pairs = (answer or {}).get("pairs", {})
        names = {m.id: m.text for m in question.matches}
        return tuple(joined(p.text, "→", names[pairs[p.id]]) for p in question.prompts if p.id in pairs)


class Item(Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("text",)


class OrderingQuestion(QuestionBase):
    """Items listed in their right order; the page shows them shuffled."""

    type: Literal["ordering"]
    items: tuple[Item, ...] = Field(min_length=3, max_length=10)

    @model_validator(mode="after")
    def _unique(self):
        require_unique([i.id for i in self.items], "item")
        return self


@register
class Ordering(QuestionType):
    """Score: the share of item pairs placed in the right relative order, so one slip costs a little and a
    reversed list scores nothing."""

    name = "ordering"
    model = OrderingQuestion
    template = "questions/ordering.html"

    def prepare(self, question: OrderingQuestion, rng: random.Random) -> dict:
        ids = [i.id for i in question.items]
        order = shuffled(ids, rng)
        if order == ids:  # never show the answer as the starting order
            order = order[1:] + order[:1]
        return {"order": order}

    def parse(self, question: OrderingQuestion, form: Form) -> dict:
        """Without JavaScript each item has a position select (1..n); positions must form a permutation."""
        n = len(question.items)
        positions = {}
        for item in question.items:
            value = single(form, f"position-{item.id}")
            if value is None:
                continue
            if not value.isdigit() or not 1 <= int(value) <= n:
                raise AnswerError("position out of range")
            positions[item.id] = int(value)
        if not positions:
            return {}
        if len(positions) != n or sorted(positions.values()) != list(range(1, n + 1)):
            raise AnswerError("each position must be used exactly once")
        return {"order": sorted(positions, key=positions.get)}

    def grade(self, question: OrderingQuestion, answer: dict | None) -> Grade:
        order = (answer or {}).get("order")
        ids = [i.id for i in question.items]
        if not order or sorted(order) != sorted(ids):
            return Grade(0.0)
        rank = {item_id: order.index(item_id) for item_id in ids}
        pairs = list(combinations(ids, 2))
        return Grade(sum(rank[a] < rank[b] for a, b in pairs) / len(pairs))

    def explain(self, question: OrderingQuestion) -> Explanation:
        return Explanation(correct_answer=tuple(i.text for i in question.items), explanation=question.explanation)

    def describe(self, question: OrderingQuestion, answer: dict | None) -> tuple[str, ...]:
        texts = {i.id: i.text for i in question.items}
        return tuple(texts[i] for i in (answer or {}).get("order", ()) if i in texts)
