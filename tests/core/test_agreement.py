"""Agreement statistics checked against values worked out by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.agreement import (
    POOLED,
    DimensionAgreement,
    average_ranks,
    confusion_matrix,
    dimension_agreement,
    mean_absolute_difference,
    pooled_agreement,
    quadratic_weighted_kappa,
    spearman,
    to_category,
)

ratings = st.lists(st.integers(1, 5), min_size=1, max_size=30)


def test_perfect_agreement_is_kappa_one_and_rho_one():
    human = [1, 2, 3, 4, 5, 3]
    assert quadratic_weighted_kappa(human, human) == pytest.approx(1.0)
    assert spearman(human, human) == pytest.approx(1.0)
    assert mean_absolute_difference(human, human) == 0


def test_kappa_of_a_small_example_worked_by_hand():
    # K=3, weights (i-j)^2/4. Observed: (1,1), (2,2), (3,2) -> weighted disagreement 0.25 * 1/3 = 1/12.
    # Marginals: human [1,1,1], model [1,2,0] -> expected weighted disagreement (1.25*1 + 0.5*2) / 9 = 0.25.
    # kappa = 1 - (1/12) / 0.25 = 2/3.
    assert quadratic_weighted_kappa([1, 2, 3], [1, 2, 2], categories=3) == pytest.approx(2 / 3)


def test_complete_reversal_is_kappa_minus_one():
    # Human 1,5 against model 5,1: every pair maximally apart; with these marginals kappa = 1 - 1 / 0.5 = -1.
    assert quadratic_weighted_kappa([1, 5], [5, 1]) == pytest.approx(-1.0)


def test_kappa_is_none_when_both_raters_use_one_category_only():
    assert quadratic_weighted_kappa([3, 3, 3], [3, 3, 3]) is None
    assert quadratic_weighted_kappa([], []) is None


def test_kappa_is_zero_when_each_rater_is_constant_but_they_differ():
    # Observed and chance disagreement are the same single cell, so there is no agreement beyond chance.
    assert quadratic_weighted_kappa([2, 2, 2], [4, 4, 4]) == pytest.approx(0.0)


def test_spearman_by_hand_without_and_with_ties():
    # Ranks equal the values; d = 0,1,1,0 -> rho = 1 - 6*2 / (4*15) = 0.8.
    assert spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    # Ties averaged: ranks 1, 2.5, 2.5, 4 against 1..4 -> Pearson on ranks = 4.5 / sqrt(4.5*5) = 3/sqrt(10).
    assert average_ranks([1, 2, 2, 3]) == [1, 2.5, 2.5, 4]
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(3 / math.sqrt(10))
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)


def test_spearman_is_none_for_a_constant_rater_or_too_few_pairs():
    assert spearman([3, 3, 3], [1, 2, 3]) is None
    assert spearman([1, 2, 3], [4.2, 4.2, 4.2]) is None
    assert spearman([2], [3]) is None
    assert spearman([], []) is None


def test_mean_absolute_difference_and_empty():
    assert mean_absolute_difference([1, 3, 5], [2, 3, 3.5]) == pytest.approx((1 + 0 + 1.5) / 3)
    assert mean_absolute_difference([], []) is None


def test_confusion_rows_are_human_columns_model():
    m = confusion_matrix([1, 1, 2, 3], [1, 2, 2, 1], categories=3)
    assert m == ((1, 1, 0), (0, 1, 0), (1, 0, 0))


def test_bad_input_is_a_value_error_naming_the_rule():
    with pytest.raises(ValueError, match="same items"):
        spearman([1, 2], [1])
    with pytest.raises(ValueError, match="whole number from 1 to 5"):
        confusion_matrix([0], [1])
    with pytest.raises(ValueError, match="whole number"):
        confusion_matrix([2.5], [1])


def test_rounding_to_a_category_rounds_halves_up_and_clamps():
    assert [to_category(x) for x in (0.2, 1.49, 1.5, 2.5, 4.51, 7.0)] == [1, 1, 2, 3, 5, 5]
    with pytest.raises(ValueError):
        to_category(float("nan"))


def test_dimension_agreement_rounds_for_kappa_but_not_for_rho_and_mad():
    d = dimension_agreement("Ownership", [1, 3, 5], [1.4, 2.6, 4.6])
    assert d.confusion[0][0] == 1 and d.confusion[2][2] == 1 and d.confusion[4][4] == 1
    assert d.qwk == pytest.approx(1.0)
    assert d.spearman == pytest.approx(1.0)
    assert d.mad == pytest.approx((0.4 + 0.4 + 0.4) / 3)
    assert d.mad_0_10 == pytest.approx(d.mad * 10 / 4)
    data = d.to_dict()
    assert data["n"] == 3 and data["confusion"][4] == [0, 0, 0, 0, 1]


def test_constant_ratings_give_none_not_nan_and_do_not_crash():
    d = dimension_agreement("Empathy", [3, 3, 3], [3.1, 2.9, 3.0])
    assert d.qwk is None and d.spearman is None and d.mad == pytest.approx(0.2 / 3)
    empty = dimension_agreement("Empathy", [], [])
    assert (empty.n, empty.qwk, empty.spearman, empty.mad, empty.mad_0_10) == (0, None, None, None, None)


def test_pooled_figures_take_every_pair_together():
    pooled = pooled_agreement({"A": ([1, 2], [1.0, 2.0]), "B": ([4, 5], [4.0, 5.0])})
    assert pooled.dimension == POOLED and pooled.n == 4 and pooled.qwk == pytest.approx(1.0)
    assert isinstance(pooled, DimensionAgreement)


@given(ratings, st.data())
def test_statistics_stay_in_range(human, data):
    model = data.draw(st.lists(st.floats(1, 5), min_size=len(human), max_size=len(human)))
    d = dimension_agreement("x", human, model)
    assert sum(map(sum, d.confusion)) == len(human)
    assert d.qwk is None or -1 - 1e-9 <= d.qwk <= 1 + 1e-9
    assert d.spearman is None or -1 <= d.spearman <= 1
    assert 0 <= d.mad <= 4
