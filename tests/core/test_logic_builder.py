"""Plain recommendation choices to rule text and back; text the builder cannot show is refused."""

from __future__ import annotations

import pytest

from desktop_app.core.logic_builder import SimpleLogic, from_text
from desktop_app.core.recommendation_logic import evaluate_logic


def test_choices_write_logic_that_the_rule_language_accepts():
    simple = SimpleLogic("hire", "no_hire", 7.0, 5.0)
    text = simple.to_text()
    assert text == "overall >= 7 and min(dimensions) >= 5 -> hire\nelse -> no_hire"
    dims = {"A": 8.0, "B": 4.0}
    assert evaluate_logic(text, 7.5, dims, labels=("hire", "no_hire")) == "no_hire"
    assert evaluate_logic(text, 7.5, {"A": 8.0, "B": 6.0}, labels=("hire", "no_hire")) == "hire"
    assert from_text(text, "hire", "no_hire") == simple


@pytest.mark.parametrize("simple", [
    SimpleLogic("hire", "no_hire", 6.5, None),
    SimpleLogic("ready", "needs_practice", None, 2.5),
    SimpleLogic("pass", "fail", 60.0, 40.0),
])
def test_round_trip(simple):
    assert from_text(simple.to_text(), simple.positive, simple.negative) == simple


def test_following_the_pass_mark_needs_no_logic():
    assert SimpleLogic("hire", "no_hire").to_text() == ""
    assert from_text("", "hire", "no_hire") == SimpleLogic("hire", "no_hire")
    assert from_text(None, "hire", "no_hire").follows_pass_mark


def test_spacing_comments_and_semicolons_are_read():
    text = "# the bar\n  OVERALL>=7   and min( dimensions )>=5 -> hire ; else -> no_hire"
    assert from_text(text, "hire", "no_hire") == SimpleLogic("hire", "no_hire", 7.0, 5.0)


@pytest.mark.parametrize("text", [
    'dimension("System design") >= 6 -> hire\nelse -> no_hire',
    "overall >= 7 -> hire",  # no else
    "overall >= 7 -> hire\noverall >= 5 -> no_hire\nelse -> no_hire",
    "overall >= 7 -> no_hire\nelse -> hire",  # labels the wrong way round
    "overall >= 7 or min(dimensions) >= 5 -> hire\nelse -> no_hire",
])
def test_logic_the_builder_cannot_show(text):
    assert from_text(text, "hire", "no_hire") is None
