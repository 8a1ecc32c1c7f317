"""Document inspection: one specimen passport drawn from a seed, and the question which defects it shows.

The document is a function of the question (seed, forced defects, inspection date), so grading needs nothing
but the stored question: an authored item fixes its seed and is the same for everyone; practice makes a new
question per seed (``practice``), without limit. The answer key is the set of defects applied to the document.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator

from trainer.content import documents
from trainer.content.documents import DEFECTS, NO_DEFECT, NO_DEFECT_LABEL
from trainer.content.questions.base import (
    AnswerError,
    Explanation,
    Form,
    Grade,
    QuestionBase,
    QuestionType,
    register,
    require_unique,
    shuffled,
)

OPTION_IDS = (*documents.DEFECT_IDS, NO_DEFECT)  # the whole catalogue, then "no defect"
DEFAULT_STEM = ("Inspect this specimen passport data page on the inspection date given below it. "
                "Which defects does it show?")
FIRST_DAY, LAST_DAY = date(2006, 1, 1), date(2080, 12, 31)  # the inspection dates a question may fix
SEED_LIMIT = 2**63  # seeds fit a signed 64-bit integer in any database or JSON reader
NO_DEFECT_FEEDBACK = ("This document has no defect: every check digit is right, the visual zone and the MRZ "
                      "agree, the dates are possible and valid on the inspection date, and the portrait and print "
                      "are intact.")


def label(option_id: str) -> str:
    return NO_DEFECT_LABEL if option_id == NO_DEFECT else DEFECTS[option_id].label


class DocumentInspectionQuestion(QuestionBase):
    """``defects`` forces the defects (``[]`` forces none); left out, they come from the seed. ``options`` offers
    a subset of the catalogue (default: all of it plus ``no_defect``); it must contain the right answer."""

    type: Literal["document_inspection"]
    stem: str = Field(default=DEFAULT_STEM, min_length=1)
    seed: int = Field(ge=0, lt=SEED_LIMIT)
    defects: tuple[str, ...] | None = None
    options: tuple[str, ...] | None = Field(default=None, min_length=2)
    # Default: a day in 2025-2027 derived from the seed. The bounds keep every date the generator draws within the
    # centuries an MRZ can write (births 1900-2099, expiries 2000-2099), as the property tests check.
    inspection_date: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    shuffle: bool = True  # the defects only; "no defect" stays last

    @model_validator(mode="after")
    def _answerable(self):
        if self.defects is not None:
            documents.check_defects(self.defects)
        if self.options is not None:
            unknown = [o for o in self.options if o not in OPTION_IDS]
            if unknown:
                raise ValueError(f"unknown option {', '.join(map(repr, unknown))}; use {', '.join(OPTION_IDS)}")
            require_unique(self.options, "option")
        missing = [o for o in self.key() if o not in self.offered()]
        if missing:
            raise ValueError(f"the options leave out the right answer: {', '.join(missing)}")
        return self

    def document(self) -> documents.Document:
        return _document(self.seed, self.defects, self.inspection_date)

    def offered(self) -> tuple[str, ...]:
        """The options shown, in catalogue order."""
        return OPTION_IDS if self.options is None else tuple(o for o in OPTION_IDS if o in self.options)

    def key(self) -> tuple[str, ...]:
        """The right options: the defects applied, or ``no_defect``."""
        return self.document().defects or (NO_DEFECT,)


# A document is a pure function of its seed, defects and date, and each question page, grade and review
# needs it again: generate and draw each one once per process (frozen dataclasses, safe to share).
@lru_cache(maxsize=512)
def _document(seed: int, defects: tuple[str, ...] | None, inspection_date: date | None) -> documents.Document:
    return documents.generate(seed, defects, inspection_date)


@lru_cache(maxsize=256)
def _svg(seed: int, defects: tuple[str, ...] | None, inspection_date: date | None) -> str:
    return documents.render_svg(_document(seed, defects, inspection_date))


def practice_question(seed: int, **fields) -> DocumentInspectionQuestion:
    """A practice item: the document of ``seed`` with the defects the seed chooses."""
    return DocumentInspectionQuestion(id=f"practice-{seed}", type="document_inspection", seed=seed, **fields)


def practice(rng: random.Random) -> Iterator[DocumentInspectionQuestion]:
    """Practice without limit: a new document per question. Each question is defined by its seed, so store the
    seed (or the question) with the answer and grade it later."""
    while True:
        yield practice_question(rng.randrange(SEED_LIMIT))


@register
class DocumentInspection(QuestionType):
    """Partial credit as for multiple response: each right mark earns 1/(number of right options), each wrong
    mark costs 1/(number of wrong options), never below zero."""

    name = "document_inspection"
    model = DocumentInspectionQuestion
    template = "questions/document_inspection.html"

    def prepare(self, question: DocumentInspectionQuestion, rng: random.Random) -> dict:
        document = question.document()
        defects = [o for o in question.offered() if o != NO_DEFECT]
        order = shuffled(defects, rng, question.shuffle) + ([NO_DEFECT] if NO_DEFECT in question.offered() else [])
        return {"svg": _svg(question.seed, question.defects, question.inspection_date), "order": order,
                "labels": {o: label(o) for o in question.offered()}, "document": documents.summary(document)}

    def parse(self, question: DocumentInspectionQuestion, form: Form) -> dict:
        picked = [v for v in form.get("answer", ()) if v != ""]
        offered = question.offered()
        if len(set(picked)) != len(picked) or any(p not in offered for p in picked):
            raise AnswerError("unknown or repeated option")
        if NO_DEFECT in picked and len(picked) > 1:
            raise AnswerError("'no defect' marked together with a defect")
        return {"choices": [o for o in offered if o in picked]} if picked else {}

    def _picked(self, answer: dict | None) -> set[str]:
        return set(answer.get("choices", ())) if answer else set()

    def grade(self, question: DocumentInspectionQuestion, answer: dict | None) -> Grade:
        picked, right = self._picked(answer), set(question.key())
        wrong = set(question.offered()) - right
        score = len(picked & right) / len(right) - (len(picked & wrong) / len(wrong) if wrong else 0.0)
        return Grade(max(0.0, min(1.0, score)), self.feedback(question, picked))

    def feedback(self, question: DocumentInspectionQuestion, picked: set[str]) -> tuple[str, ...]:
        """What shows each defect on this document, then each wrong mark."""
        document = question.document()
        found = documents.findings(document)
        lines = [f"{label(d)}. {found[d]}" for d in document.defects]
        if not document.defects:
            lines.append(NO_DEFECT_FEEDBACK)
        lines += [f"{label(o)}: not on this document." for o in question.offered()
                  if o in picked and o not in question.key()]
        return tuple(lines)

    def explain(self, question: DocumentInspectionQuestion) -> Explanation:
        """The author's explanation when there is one; otherwise what each defect present is and where to look."""
        key = question.key()
        generated = "\n".join(f"- **{label(d)}.** {DEFECTS[d].explanation}" for d in key if d in DEFECTS)
        return Explanation(correct_answer=tuple(label(o) for o in key),
                           explanation=question.explanation or generated or NO_DEFECT_FEEDBACK,
                           option_feedback={d: DEFECTS[d].explanation for d in question.offered() if d in DEFECTS})

    def describe(self, question: DocumentInspectionQuestion, answer: dict | None) -> tuple[str, ...]:
        picked = self._picked(answer)
        return tuple(label(o) for o in question.offered() if o in picked)
