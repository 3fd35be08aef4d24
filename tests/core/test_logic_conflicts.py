"""Recommendation logic against a stage's pass mark: every disagreement found and said in a sentence."""

from __future__ import annotations

import pytest

from desktop_app.core.logic_conflicts import find_conflicts, pass_mark_conflict, word

DIMS = ["System design", "Communication"]
HIRE = ("hire", "no_hire")
FLOOR_LOGIC = "overall >= 7 and min(dimensions) >= 5 -> hire\nelse -> no_hire"


def conflict(logic, threshold, max_score=10, labels=HIRE, stage=None):
    return pass_mark_conflict(logic, threshold, dimension_names=DIMS, labels=labels, max_score=max_score, stage=stage)


def test_hire_bar_above_the_pass_mark_reads_no_hire_yet_passes():
    text = conflict(FLOOR_LOGIC, 5, stage="Screen")
    assert text == ("Stage “Screen”: Overall scores from 5 to just under 7 pass the stage (pass mark 5) "
                    "but the profile recommends “No hire” for them.")
    [c] = find_conflicts(FLOOR_LOGIC, 5, dimension_names=DIMS, labels=HIRE, max_score=10)
    assert (c.kind, c.low, c.high) == ("pass_but_negative", 5, 7)


def test_hire_bar_below_the_pass_mark_reads_hire_yet_fails():
    text = conflict("overall >= 6 -> hire\nelse -> no_hire", 8)
    assert text == ("Overall scores from 6 to just under 8 fail the stage (pass mark 8) "
                    "but the profile recommends “Hire” for them.")


@pytest.mark.parametrize(("logic", "threshold"), [
    ("overall >= 7 -> hire\nelse -> no_hire", 7),
    ("overall >= threshold -> hire\nelse -> no_hire", 4.5),
    (None, 6),
    ("", 6),
    ('dimension("System design") >= 8 -> hire', 6),  # no else: the pass mark decides the rest
])
def test_logic_that_agrees_with_the_pass_mark_gives_none(logic, threshold):
    assert conflict(logic, threshold) is None


def test_a_dimension_floor_alone_is_not_a_conflict():
    # "No dimension below 5" is a deliberate choice the overall pass mark cannot mirror.
    assert conflict(FLOOR_LOGIC, 7) is None
    assert conflict("overall >= threshold and min(dimensions) >= 5 -> hire\nelse -> no_hire", 5) is None


def test_a_zero_pass_mark_passes_everyone():
    assert conflict(None, 0) == "A pass mark of 0 passes everyone, whatever they say: raise it (for example to 6 of 10)."


def test_other_scales_and_words():
    text = conflict("overall >= 3.5 -> ready\nelse -> needs_practice", 3, max_score=5,
                    labels=("ready", "needs_practice"))
    assert text == ("Overall scores from 3 to just under 3.5 pass the stage (pass mark 3) "
                    "but the profile recommends “Needs practice” for them.")
    text = conflict("overall >= 60 -> pass\nelse -> fail", 70, max_score=100, labels=("pass", "fail"))
    assert text == ("Overall scores from 60 to just under 70 fail the stage (pass mark 70) "
                    "but the profile recommends “Pass” for them.")


def test_a_bar_only_at_the_very_top_is_reported_to_the_top():
    text = conflict("overall >= 10 -> hire\nelse -> no_hire", 9)
    assert text == ("Overall scores from 9 to just under 10 pass the stage (pass mark 9) "
                    "but the profile recommends “No hire” for them.")
    text = conflict("overall < 9 -> no_hire\nelse -> no_hire", 9)
    assert text == ("Overall scores from 9 to 10 pass the stage (pass mark 9) "
                    "but the profile recommends “No hire” for them.")


def test_logic_that_does_not_parse_is_left_to_validation():
    assert conflict("overall >= -> hire", 5) is None


def test_word():
    assert word("no_hire") == "No hire"
    assert word("certified") == "Certified"
