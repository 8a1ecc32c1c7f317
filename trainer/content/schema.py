"""The shape of modules and quizzes in ``quizzes/``. See quizzes/README.md for the format with an example."""
from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal, Union

from pydantic import Field, HttpUrl, TypeAdapter, model_validator

from trainer.content.questions import REGISTRY
from trainer.content.questions.base import ID_PATTERN, Strict, require_unique

# One discriminated union over every registered question type: adding a type adds it here.
Question = Annotated[Union[tuple(t.model for t in REGISTRY.values())], Field(discriminator="type")]  # noqa: UP007
QUESTION_ADAPTER = TypeAdapter(Question)


class Pool(Strict):
    id: str = Field(pattern=ID_PATTERN)
    draw: int = Field(ge=1)
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _enough_questions(self):
        if self.draw > len(self.questions):
            raise ValueError(f"draws {self.draw} questions but has only {len(self.questions)}")
        return self


class GradingMethod(StrEnum):
    HIGHEST = "highest"
    LAST = "last"


class ReviewWhen(StrEnum):
    IMMEDIATELY = "immediately"  # after each submitted attempt
    AFTER_PASS = "after_pass"  # once the trainee has passed
    AFTER_LAST_ATTEMPT = "after_last_attempt"  # when no attempts are left, or after passing
    NEVER = "never"


class ReviewPolicy(Strict):
    when: ReviewWhen = ReviewWhen.IMMEDIATELY
    show_correct_answers: bool = True
    show_feedback: bool = True


class FeedbackBand(Strict):
    min_percent: float = Field(ge=0, le=100)
    text: str = Field(min_length=1)

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("text",)


class Quiz(Strict):
    id: str = Field(pattern=ID_PATTERN)
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    instructions: str | None = None
    pass_mark: float = Field(ge=0, le=100, description="percent needed to pass")
    attempts_allowed: int | None = Field(default=None, ge=1, description="none means unlimited")
    grading: GradingMethod = GradingMethod.HIGHEST
    time_limit_minutes: int | None = Field(default=None, ge=1, le=600)
    review: ReviewPolicy = ReviewPolicy()
    feedback_bands: tuple[FeedbackBand, ...] = ()
    pools: tuple[Pool, ...] = Field(min_length=1)

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("title", "instructions")
    SEPARATE: ClassVar[tuple[str, ...]] = ("pools",)  # questions have contexts of their own

    @model_validator(mode="after")
    def _unique_ids(self):
        require_unique([p.id for p in self.pools], "pool")
        require_unique([q.id for p in self.pools for q in p.questions], "question")
        return self

    @property
    def questions_per_attempt(self) -> int:
        return sum(p.draw for p in self.pools)

    def band(self, percent: float) -> FeedbackBand | None:
        fitting = [b for b in self.feedback_bands if percent >= b.min_percent]
        return max(fitting, key=lambda b: b.min_percent) if fitting else None


class Reference(Strict):
    title: str = Field(min_length=1)
    url: HttpUrl | None = None
    note: str | None = None


class LessonRef(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    file: str = Field(pattern=r"^lessons/[A-Za-z0-9._-]+\.md$")

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("title",)


class CompletionRule(Strict):
    """A module is complete when the required lessons are read and the required assessments and scenarios
    passed."""

    lessons: Literal["all", "none"] = "all"
    assessments: Literal["all", "none"] = "all"
    scenarios: Literal["all", "none"] = "all"


class Module(Strict):
    id: str = Field(pattern=ID_PATTERN)
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    objectives: tuple[str, ...] = Field(min_length=1)
    estimated_minutes: int = Field(ge=1, le=6000)
    prerequisites: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    content_warning: str | None = None
    references: tuple[Reference, ...] = Field(min_length=1)
    lessons: tuple[LessonRef, ...] = Field(min_length=1)
    assessments: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()  # interview scenarios, in scenarios/<id>.yaml
    completion: CompletionRule = CompletionRule()
    order: int = 100  # position in the catalogue

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("title", "summary", "objectives", "audience", "content_warning")

    @model_validator(mode="after")
    def _unique_lessons(self):
        require_unique([lesson.id for lesson in self.lessons], "lesson")
        return self

    def lesson(self, lesson_id: str) -> LessonRef | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)


class IndicatorGroup(Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("label",)


class Indicator(Strict):
    id: str = Field(pattern=ID_PATTERN)
    group: str
    label: str = Field(min_length=1)

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("label",)


class IndicatorList(Strict):
    """quizzes/indicators.yaml: the one list of indicator ids that questions and scenario choices tag."""

    groups: tuple[IndicatorGroup, ...] = Field(min_length=1)
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self):
        require_unique([g.id for g in self.groups], "group")
        require_unique([i.id for i in self.indicators], "indicator")
        groups = {g.id for g in self.groups}
        unknown = sorted({i.group for i in self.indicators} - groups)
        if unknown:
            raise ValueError(f"indicators name groups that are not listed: {', '.join(unknown)}")
        return self
