"""The recommendation rule language: parsing, errors with positions, evaluation, and no eval ever."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.models import AgentProfile
from desktop_app.core.recommendation_logic import check_logic, evaluate_logic

DIMS = ["System design", "Communication"]
LABELS = ("hire", "no_hire")
LOGIC = """# gated on the weakest dimension
overall >= 7 and min(dimensions) >= 5 -> hire
dimension("System design") >= 8 and not (communication < 4) -> hire
else -> no_hire"""


@pytest.mark.parametrize("overall,dims,label", [
    (7.5, {"System design": 6, "Communication": 5}, "hire"),
    (7.5, {"System design": 6, "Communication": 4}, "no_hire"),
    (6.0, {"System design": 8, "Communication": 4}, "hire"),
    (6.0, {"System design": 8, "Communication": 3.9}, "no_hire"),
])
def test_first_matching_rule_wins(overall, dims, label):
    check_logic(LOGIC, DIMS, LABELS, 10)
    assert evaluate_logic(LOGIC, overall, dims, labels=LABELS) == label


def test_arithmetic_aggregates_threshold_and_no_match():
    text = "avg(dimensions) - 1 >= threshold and max(dim(\"system design\"), 2 * 3) > 6 -> hire"
    check_logic(text, DIMS, LABELS, 10)
    assert evaluate_logic(text, 0, {"System design": 9, "Communication": 7}, threshold=6) == "hire"
    assert evaluate_logic(text, 0, {"System design": 6, "Communication": 6}, threshold=6) is None


@pytest.mark.parametrize("text,message", [
    ("overall >= 7 and min(dimensions) >= -> hire", "position 37: expected a number after '>='"),
    ("overall >= 70 -> hire", "position 12: 70 is above the top of the scale"),
    ("overall -> hire", "position 1: a rule needs a condition"),
    ("overall >= 7 -> hired", "position 17: unknown label 'hired'; use hire or no_hire"),
    ('dimension("Charm") > 2 -> hire', "unknown dimension 'Charm'"),
    ("else -> hire\noverall > 1 -> hire", "no rule can follow 'else'"),
    ("__import__('os').system('x') -> hire", "position 17: unexpected character '.'"),
    ('__import__("os") > 1 -> hire', "position 1: unknown name '__import__'"),
    ("overall > 1 > 0 -> hire", "chained comparisons"),
    ("overall >= 7 hire", "expected '->'"),
    ("overall >= 7 -> hire; $", "unexpected character '$'"),
    ("", "is empty"),
    ("(overall >= 7 -> hire", "expected ')'"),
    ("overall + (overall > 1) > 2 -> hire", "works on numbers"),
])
def test_errors_name_the_field_and_position(text, message):
    with pytest.raises(ValueError) as err:
        check_logic(text, DIMS, LABELS, 10)
    assert str(err.value).startswith("recommendation_logic: ")
    assert message in str(err.value)


def test_profile_validation_uses_the_checker():
    with pytest.raises(ValueError, match="recommendation_logic: position 12"):
        AgentProfile(name="p", rubric=[{"name": "A", "weight": 100}], scoring={"recommendation_logic": "overall >= x -> hire"})
    p = AgentProfile(name="p", use_case="training", rubric=[{"name": "A", "weight": 100}],
                     scoring={"scale": "0-5", "recommendation_logic": "A >= 4 -> ready\nelse -> needs_practice"})
    assert evaluate_logic(p.scoring.recommendation_logic, 4, {"A": 4.5}, labels=p.labels) == "ready"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="overal dimensionsmx()\"'<>=!-+*/,;.0123456789 \nhire_no&|#", max_size=60))
def test_any_text_either_parses_or_raises_valueerror(text):
    try:
        check_logic(text, DIMS, LABELS, 10)
    except ValueError as exc:
        assert str(exc).startswith("recommendation_logic: ")
        return
    assert evaluate_logic(text, 5, {"System design": 5, "Communication": 5}, labels=LABELS) in (*LABELS, None)
