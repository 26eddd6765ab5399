"""A table's learned ai_score: utilisation and a Bayesian average of ratings."""

from __future__ import annotations

import pytest

from app.domain.table_score import PRIOR, PRIOR_WEIGHT, ai_score, rating_score, utilisation


def test_a_table_with_no_history_is_neutral() -> None:
    assert (PRIOR, PRIOR_WEIGHT) == (0.5, 5)
    assert rating_score([]) == PRIOR
    assert utilisation(0, 0) == PRIOR
    assert ai_score(0, 0, []) == 0.5


def test_utilisation_is_occupied_over_open_and_capped() -> None:
    assert utilisation(300, 600) == 0.5
    assert utilisation(0, 600) == 0.0
    assert utilisation(900, 600) == 1.0
    assert utilisation(10, -5) == PRIOR


def test_ratings_map_one_to_five_onto_zero_to_one_with_a_prior() -> None:
    # Two fives: (1 + 1 + 5 * 0.5) / 7
    assert rating_score([5, 5]) == pytest.approx(4.5 / 7)
    assert rating_score([1]) == pytest.approx(2.5 / 6)
    assert rating_score([3] * 10) == pytest.approx(0.5)
    # Many good reviews approach 1 but a few do not decide alone.
    assert rating_score([5] * 1000) > 0.99
    assert rating_score([5]) < rating_score([5] * 10) < 1.0
    assert rating_score([1] * 10) < rating_score([2] * 10) < rating_score([4] * 10)


def test_ai_score_is_the_average_of_both_halves_in_range() -> None:
    assert ai_score(600, 600, [5] * 1000) == pytest.approx(1.0, abs=0.005)
    assert ai_score(0, 600, [1] * 1000) == pytest.approx(0.0, abs=0.005)
    assert ai_score(300, 600, []) == 0.5
    value = ai_score(123, 456, [4, 2, 5])
    assert value == round(value, 4) and 0.0 <= value <= 1.0
    assert value == round(0.5 * (123 / 456) + 0.5 * rating_score([4, 2, 5]), 4)
    # Busier and better-rated tables score higher.
    assert ai_score(500, 600, [4]) > ai_score(100, 600, [4])
    assert ai_score(300, 600, [5, 5]) > ai_score(300, 600, [2, 2])
