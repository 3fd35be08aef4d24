"""Pure score arithmetic: totals, blending, combining AI and human scores, thresholds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.models import AgentProfile
from desktop_app.core.scoring import (
    ScoreEntry,
    blend_with_rules,
    compute_outcome,
    rubric_version,
    sample_summary,
    weighted_total,
)


def _profile(scale="0-10", **scoring):
    return AgentProfile(name="p", rubric=[{"name": "A", "weight": 70}, {"name": "B", "weight": 30}],
                        scoring={"scale": scale, **scoring})


@given(st.floats(0, 10), st.floats(0, 10))
def test_weighted_total_applies_weights_and_stays_on_scale(a, b):
    total = weighted_total({"A": a, "B": b}, _profile())
    assert total == pytest.approx(round(0.7 * a + 0.3 * b, 2), abs=0.011)
    assert 0 <= total <= 10


def test_missing_dimension_is_an_error():
    with pytest.raises(ValueError, match="no score for 'B'"):
        weighted_total({"A": 5}, _profile())


@given(st.floats(0, 100), st.floats(0, 100), st.booleans())
def test_blend_stays_within_band_of_rules_and_on_scale(model, rules, low):
    score, band = blend_with_rules(model, rules, 100, low_confidence=low)
    assert 0 <= score <= 100
    assert abs(score - rules) <= band + 0.01  # scores are rounded to 2 decimals


def test_sample_summary_median_and_agreement():
    s = sample_summary([3, 9, 4], 10)
    assert s == {"median": 4.0, "spread": 6.0, "agreement": 0.4}


def test_combine_modes_override_and_threshold():
    entries = [ScoreEntry("A", "ai", "m", 8, "high", "1"), ScoreEntry("B", "ai", "m", 6, "high", "1"),
               ScoreEntry("A", "human", "h1", 4, None, "2"), ScoreEntry("A", "human", "h2", 6, None, "3")]
    p = _profile()
    mean = compute_outcome(p, 6, entries)
    assert mean.dimensions[0].final == 6.5 and mean.dimensions[0].basis == "mean"
    assert mean.dimensions[0].agreement_ai_human == pytest.approx(0.7)
    assert compute_outcome(p, 6, entries, combine="ai").dimensions[0].final == 8
    human = compute_outcome(p, 6, entries, combine="human")
    assert human.dimensions[0].final == 5 and human.dimensions[1].basis == "ai"
    assert human.overall == pytest.approx(0.7 * 5 + 0.3 * 6) and human.passed is False
    assert human.recommendation == "no_hire"
    over = compute_outcome(p, 6, entries + [ScoreEntry("A", "override", "boss", 10, None, "9", reason="r")])
    assert over.dimensions[0].final == 10 and over.passed is True and over.recommendation == "hire"


def test_incomplete_scores_give_no_outcome():
    out = compute_outcome(_profile(), 5, [ScoreEntry("A", "ai", "m", 8)])
    assert out.overall is None and out.passed is None and out.missing == ("B",)


def test_rubric_version_changes_with_rubric_only():
    assert rubric_version(_profile()) == rubric_version(_profile(samples=2))
    assert rubric_version(_profile()) != rubric_version(_profile(scale="0-5"))
