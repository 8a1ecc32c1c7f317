"""Classical test theory for one question, from running sums.

The app keeps one ``ItemSums`` row per question (and per question and language) and adds
``ItemSums.of([(x, rest)])`` to it at each quiz submission, so item analysis is a read of a few numbers, never a
scan of responses. For one response:

* ``x`` is the item score as a fraction of the item's maximum, 0..1 (partial credit allowed);
* ``rest`` is the score of the rest of that attempt as a fraction of the rest's maximum, 0..1 (see
  ``rest_score``). Correlating with the rest rather than the total keeps the item from correlating with itself,
  which inflates the figure on short quizzes (the "corrected item-total" or item-rest correlation).

Thresholds, and where they come from:

* Facility (mean score, "p-value") outside 0.20..0.90 is flagged. Items answered right by more than 90 % or
  fewer than 20 % of trainees carry little information about who knows more. These are the usual bands of
  item-analysis guides; Moodle's quiz statistics report, for one, calls items from 90 % "very easy".
* Discrimination below 0 is flagged ``negative`` (stronger trainees do worse on the item: usually a wrong key
  or an ambiguous stem) and 0..0.15 ``weak``. Ebel's guidelines (Ebel & Frisbie, *Essentials of Educational
  Measurement*, 5th ed., 1991) read an index of 0.40 and up as very good, 0.30-0.39 reasonably good,
  0.20-0.29 marginal and below 0.20 poor. We flag only below 0.15 because the item-rest correlation runs lower
  than the uncorrected item-total one Ebel's bands were written for, and because a flag should mean "look at
  this question", not "most questions".
* Nothing is flagged under ``MIN_N`` responses: a correlation from a handful of attempts is noise.
* A language gap needs a difference in facility of at least 0.20 with ``GAP_MIN_N`` responses on each side; at
  n = 20 the standard error of a proportion near 0.5 is about 0.11, so smaller gaps are within chance.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum

MIN_N = 10
GAP_MIN_N = 20
GAP_MIN_DIFFERENCE = 0.20
TOO_EASY_ABOVE = 0.90
TOO_HARD_BELOW = 0.20
WEAK_BELOW = 0.15
# Population variances (per response squared) below this count as zero: scores are fractions in 0..1, so any real
# spread is many orders of magnitude larger than the rounding left by the running sums.
_VARIANCE_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class ItemSums:
    """Running sums over the responses to one question: add new responses with ``+``."""

    n: int = 0
    sum_x: float = 0.0
    sum_x2: float = 0.0
    sum_rest: float = 0.0
    sum_rest2: float = 0.0
    sum_xrest: float = 0.0

    @classmethod
    def of(cls, pairs: Iterable[tuple[float, float]]) -> ItemSums:
        """The sums of (item score, rest score) pairs, each a fraction in 0..1; ValueError otherwise."""
        n = 0
        sx = sx2 = sr = sr2 = sxr = 0.0
        for x, rest in pairs:
            if not (0.0 <= x <= 1.0 and 0.0 <= rest <= 1.0):
                raise ValueError(f"scores must be fractions in 0..1, got x={x!r}, rest={rest!r}")
            n += 1
            sx += x
            sx2 += x * x
            sr += rest
            sr2 += rest * rest
            sxr += x * rest
        return cls(n, sx, sx2, sr, sr2, sxr)

    def __add__(self, other: object) -> ItemSums:
        if not isinstance(other, ItemSums):
            return NotImplemented
        return ItemSums(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __radd__(self, other: object) -> ItemSums:
        # Lets the builtin sum() start from 0.
        if other == 0:
            return self
        return NotImplemented


class Flag(StrEnum):
    too_easy = "too_easy"
    too_hard = "too_hard"
    negative = "negative"
    weak = "weak"


def rest_score(attempt_score: float, attempt_max: float, item_score: float, item_max: float) -> float | None:
    """The rest of an attempt's score as a fraction of the rest's maximum, or None when the item is all there is.

    Example: 7 of 10 points overall with 1 of 2 on this item gives (7 - 1) / (10 - 2) = 0.75."""
    rest_max = attempt_max - item_max
    if rest_max <= 0:
        return None
    return min(1.0, max(0.0, (attempt_score - item_score) / rest_max))


def facility(s: ItemSums) -> float | None:
    """The mean item score (0..1; higher is easier), or None without responses."""
    if s.n <= 0:
        return None
    return s.sum_x / s.n


def discrimination(s: ItemSums) -> float | None:
    """Pearson's correlation of item score with rest score, from the sums; None when n < MIN_N or a variance ~ 0.

    r = (n·Σxr − Σx·Σr) / √((n·Σx² − (Σx)²)(n·Σr² − (Σr)²)), each bracket being n² times a population
    (co)variance."""
    if s.n < MIN_N:
        return None
    n = s.n
    var_x = n * s.sum_x2 - s.sum_x * s.sum_x
    var_rest = n * s.sum_rest2 - s.sum_rest * s.sum_rest
    if var_x <= _VARIANCE_EPSILON * n * n or var_rest <= _VARIANCE_EPSILON * n * n:
        return None
    cov = n * s.sum_xrest - s.sum_x * s.sum_rest
    r = cov / math.sqrt(var_x * var_rest)
    return max(-1.0, min(1.0, r))  # rounding can push a perfect correlation a hair past ±1


def flags(s: ItemSums) -> tuple[Flag, ...]:
    """The flags a question earns, in Flag order; none under MIN_N responses."""
    if s.n < MIN_N:
        return ()
    found: list[Flag] = []
    p = facility(s)
    if p is not None and p > TOO_EASY_ABOVE:
        found.append(Flag.too_easy)
    if p is not None and p < TOO_HARD_BELOW:
        found.append(Flag.too_hard)
    d = discrimination(s)
    if d is not None and d < 0:
        found.append(Flag.negative)
    elif d is not None and d < WEAK_BELOW:
        found.append(Flag.weak)
    return tuple(found)


def language_gap(by_language: Mapping[str, ItemSums]) -> tuple[str, float] | None:
    """The language whose facility differs most from that of all other languages pooled, with the signed gap.

    Returns (language, facility there − facility elsewhere) when the gap is at least GAP_MIN_DIFFERENCE and
    both sides have GAP_MIN_N responses, else None. A negative gap means "hard only in this language": check
    the translation. With two languages the gaps are mirror images; the harder language is named. Remaining
    ties go to the first language in alphabetical order, so the answer does not depend on dict order."""
    candidates: list[tuple[float, float, str]] = []
    for language, own in by_language.items():
        others = sum((s for other, s in by_language.items() if other != language), ItemSums())
        if own.n < GAP_MIN_N or others.n < GAP_MIN_N:
            continue
        # Pool the others by summing their scores, not by averaging their facilities: a language with 20
        # responses must not weigh as much as one with 2,000.
        gap = own.sum_x / own.n - others.sum_x / others.n
        candidates.append((-abs(gap), gap, language))
    if not candidates:
        return None
    _, gap, language = min(candidates)
    if abs(gap) < GAP_MIN_DIFFERENCE - 1e-12:  # tolerate rounding on a gap of exactly 0.20
        return None
    return language, gap


def choice_rates(counts: Mapping[str, int], n: int) -> dict[str, float]:
    """Each option's share of the n responses (distractor analysis), in the order of ``counts``.

    ``n`` is the number of responses to the question, not the sum of the counts: blank answers count in n, and
    on multiple-response questions the rates may add up to more than 1. With n = 0 every rate is 0.0, so a
    table can still list the options; show n beside it. A distractor nobody chooses is doing no work; one
    chosen more than the key by strong trainees (see ``discrimination``) may be a second right answer."""
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    if any(c < 0 for c in counts.values()):
        raise ValueError("counts must not be negative")
    if n == 0:
        return {key: 0.0 for key in counts}
    return {key: count / n for key, count in counts.items()}
