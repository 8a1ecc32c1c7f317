from __future__ import annotations

import dataclasses
import math
import statistics

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from trainer.analytics.items import (
    MIN_N,
    Flag,
    ItemSums,
    choice_rates,
    discrimination,
    facility,
    flags,
    language_gap,
    rest_score,
)

# Four responses, replicated three times (replication leaves a correlation unchanged):
#   x    = 1, 1,  0,  0      mean 0.5, Σ(x - x̄)² = 1
#   rest = 1, .5, .5, 0      mean 0.5, Σ(r - r̄)² = .5,  Σ(x - x̄)(r - r̄) = .5   →   r = .5 / √.5 = 1/√2
POSITIVE = [(1.0, 1.0), (1.0, 0.5), (0.0, 0.5), (0.0, 0.0)] * 3
NEGATIVE = [(1.0, 0.0), (1.0, 0.5), (0.0, 0.5), (0.0, 1.0)] * 3


def answered(n: int, right: int, rest: float = 0.5) -> ItemSums:
    """n responses to a right-or-wrong item, ``right`` of them right; the rest score is irrelevant here."""
    return ItemSums.of([(1.0, rest)] * right + [(0.0, rest)] * (n - right))


def weak_item() -> ItemSums:
    """n = 100, x̄ = r̄ = .5, var x = .25, var r = .04, cov = .01  →  r = .01 / (.5 · .2) = 0.1."""
    return ItemSums(n=100, sum_x=50, sum_x2=50, sum_rest=50, sum_rest2=100 * (0.04 + 0.25), sum_xrest=100 * 0.26)


# --- ItemSums ------------------------------------------------------------------------------------------------------

def test_sums_of_pairs():
    s = ItemSums.of(POSITIVE)
    assert s == ItemSums(n=12, sum_x=6, sum_x2=6, sum_rest=6, sum_rest2=4.5, sum_xrest=4.5)


def test_adding_sums_is_summing_the_responses():
    first, second = POSITIVE[:5], POSITIVE[5:]
    assert ItemSums.of(first) + ItemSums.of(second) == ItemSums.of(POSITIVE)
    assert sum([ItemSums.of(first), ItemSums.of(second)]) == ItemSums.of(POSITIVE)
    assert ItemSums() + ItemSums.of(first) == ItemSums.of(first)


def test_sums_are_frozen_and_refuse_other_operands():
    s = ItemSums.of(POSITIVE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.n = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        s + 1  # noqa: B018


@pytest.mark.parametrize("pair", [(1.5, 0.5), (-0.1, 0.5), (0.5, 1.01), (0.5, -1.0)])
def test_scores_outside_zero_to_one_are_refused(pair):
    with pytest.raises(ValueError):
        ItemSums.of([pair])


def test_rest_score():
    assert rest_score(7, 10, 1, 2) == 0.75  # (7 - 1) / (10 - 2)
    assert rest_score(2, 2, 2, 2) is None  # the item is the whole attempt: there is no rest
    assert rest_score(10, 10, 0, 2) == 1.0  # clamped: an inconsistent total cannot exceed the range


# --- facility and discrimination ----------------------------------------------------------------------------------

def test_facility_is_the_mean_score():
    assert facility(ItemSums.of(POSITIVE)) == 0.5
    assert facility(ItemSums.of([(0.5, 0.0), (1.0, 0.0), (0.0, 0.0), (0.5, 0.0)])) == 0.5
    assert facility(ItemSums()) is None


def test_discrimination_by_hand():
    assert discrimination(ItemSums.of(POSITIVE)) == pytest.approx(1 / math.sqrt(2))
    assert discrimination(ItemSums.of(NEGATIVE)) == pytest.approx(-1 / math.sqrt(2))
    assert discrimination(weak_item()) == pytest.approx(0.1)


def test_discrimination_needs_min_n_responses():
    assert discrimination(ItemSums.of(POSITIVE[: MIN_N - 1])) is None
    assert discrimination(ItemSums.of(POSITIVE[:MIN_N])) is not None


def test_discrimination_is_none_without_variance():
    assert discrimination(answered(20, 20)) is None  # everyone right
    assert discrimination(ItemSums.of([(float(i % 2), 0.5) for i in range(20)])) is None  # every rest the same


def test_a_perfect_correlation_stays_within_one():
    pairs = [(i / 19, i / 19) for i in range(20)]
    assert discrimination(ItemSums.of(pairs)) == pytest.approx(1.0)
    assert -1.0 <= discrimination(ItemSums.of(pairs)) <= 1.0


fractions = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
item_scores = st.one_of(st.sampled_from([0.0, 1.0]), st.sampled_from([0.0, 0.5, 1.0]), fractions)


@given(st.lists(st.tuples(item_scores, fractions), min_size=MIN_N, max_size=300))
def test_discrimination_from_sums_equals_pearson_on_the_responses(pairs):
    xs, rests = [x for x, _ in pairs], [r for _, r in pairs]
    assume(statistics.pvariance(xs) > 1e-4 and statistics.pvariance(rests) > 1e-4)
    assert discrimination(ItemSums.of(pairs)) == pytest.approx(statistics.correlation(xs, rests), abs=1e-9)
    assert facility(ItemSums.of(pairs)) == pytest.approx(statistics.fmean(xs), abs=1e-12)


@given(st.lists(st.tuples(item_scores, fractions), min_size=MIN_N, max_size=100), st.data())
def test_running_sums_in_any_split_give_the_same_figures(pairs, data):
    cut = data.draw(st.integers(min_value=0, max_value=len(pairs)))
    whole, parts = ItemSums.of(pairs), ItemSums.of(pairs[:cut]) + ItemSums.of(pairs[cut:])
    assert parts.n == whole.n
    assert facility(parts) == pytest.approx(facility(whole), abs=1e-12)
    d_whole, d_parts = discrimination(whole), discrimination(parts)
    if d_whole is not None and d_parts is not None:
        assert d_parts == pytest.approx(d_whole, abs=1e-9)


# --- flags ---------------------------------------------------------------------------------------------------------

def test_flags_for_easy_hard_negative_and_weak():
    assert flags(answered(20, 19)) == (Flag.too_easy,)  # 0.95, and no variance in rest: no discrimination
    assert flags(answered(20, 3)) == (Flag.too_hard,)  # 0.15
    assert flags(ItemSums.of(NEGATIVE)) == (Flag.negative,)
    assert flags(weak_item()) == (Flag.weak,)
    assert flags(ItemSums.of(POSITIVE)) == ()


def test_flag_boundaries_are_not_flagged():
    assert flags(answered(20, 18)) == ()  # exactly 0.90
    assert flags(answered(20, 4)) == ()  # exactly 0.20


def test_zero_discrimination_is_weak():
    # x and rest independent by construction: every x value meets every rest value equally often.
    pairs = [(x, r) for x in (0.0, 1.0) for r in (0.0, 0.5, 1.0)] * 2
    assert discrimination(ItemSums.of(pairs)) == pytest.approx(0.0, abs=1e-12)
    assert Flag.weak in flags(ItemSums.of(pairs))


def test_no_flags_under_min_n():
    assert flags(answered(MIN_N - 1, MIN_N - 1)) == ()
    assert flags(answered(MIN_N, MIN_N)) == (Flag.too_easy,)


def test_flags_are_strings_for_templates_and_storage():
    assert Flag.too_easy == "too_easy" and str(Flag.negative) == "negative"


# --- language gap --------------------------------------------------------------------------------------------------

def test_two_languages_name_the_harder_one():
    assert language_gap({"en": answered(40, 32), "ru": answered(40, 20)}) == ("ru", pytest.approx(-0.3))
    assert language_gap({"ru": answered(40, 20), "en": answered(40, 32)}) == ("ru", pytest.approx(-0.3))


def test_one_language_against_the_others_pooled_by_response():
    # uk 27.5 / 60 = .458 against (80 + 39) / 150 = .793 elsewhere: −.335. en .80 against (39 + 27.5) / 110 = .605:
    # +.195. fr .78 against (80 + 27.5) / 160 = .672: +.108. Pooling by response, not by averaging facilities.
    uk = ItemSums.of([(1.0, 0.5)] * 27 + [(0.5, 0.5)] + [(0.0, 0.5)] * 32)
    by_language = {"en": answered(100, 80), "fr": answered(50, 39), "uk": uk}
    language, gap = language_gap(by_language)
    assert language == "uk"
    assert gap == pytest.approx(27.5 / 60 - (80 + 39) / 150)


def test_small_gaps_and_small_samples_are_not_reported():
    assert language_gap({"en": answered(100, 80), "ru": answered(100, 65)}) is None  # 0.15 apart
    assert language_gap({"en": answered(100, 80), "uk": answered(19, 2)}) is None  # uk has 19 responses
    assert language_gap({"en": answered(100, 80)}) is None
    assert language_gap({}) is None


def test_a_gap_of_exactly_the_threshold_counts():
    # 0.7 − 0.5 is 0.19999999999999996 in floating point
    assert language_gap({"en": answered(50, 35), "ru": answered(50, 25)}) == ("ru", pytest.approx(-0.2))


def test_an_easier_language_is_reported_with_a_positive_gap():
    by_language = {"en": answered(50, 25), "fr": answered(50, 25), "ru": answered(50, 45)}
    assert language_gap(by_language) == ("ru", pytest.approx(0.4))


# --- choice rates --------------------------------------------------------------------------------------------------

def test_choice_rates():
    rates = choice_rates({"b": 3, "a": 1, "c": 0}, 5)
    assert rates == {"b": 0.6, "a": 0.2, "c": 0.0}
    assert list(rates) == ["b", "a", "c"]  # the caller's option order is kept


def test_choice_rates_of_multiple_response_items_may_add_up_past_one():
    assert sum(choice_rates({"a": 8, "b": 7}, 10).values()) == pytest.approx(1.5)


def test_choice_rates_without_responses_and_bad_input():
    assert choice_rates({"a": 0, "b": 0}, 0) == {"a": 0.0, "b": 0.0}
    with pytest.raises(ValueError):
        choice_rates({"a": 1}, -1)
    with pytest.raises(ValueError):
        choice_rates({"a": -1}, 3)
