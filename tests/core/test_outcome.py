"""Outcome words: labels, pass/fail, the one score format, disagreements and the rule stated as a sentence."""

from __future__ import annotations

import pytest

from desktop_app.core.models import VOCABULARY, SuccessOutcome
from desktop_app.core.outcome import (
    LABEL_WORDS,
    describe_rule,
    disagreement,
    format_score,
    headline,
    recommendation_words,
    result_words,
)


def test_every_outcome_label_has_words_without_underscores():
    for outcome in SuccessOutcome:
        for label in VOCABULARY.get(outcome, ()):
            words = recommendation_words(label)
            assert label in LABEL_WORDS and "_" not in words and words[0].isupper(), (outcome, label, words)
    assert recommendation_words("no_hire") == "No hire"
    assert recommendation_words("needs_practice") == "Needs practice"
    assert recommendation_words("not_certified") == "Not certified"
    assert recommendation_words("strong_yes") == "Strong yes"  # a custom label keeps its own words
    assert recommendation_words(None) == "–"


def test_result_words():
    assert (result_words(True), result_words(False), result_words(None)) == ("Pass", "Does not pass", "–")


@pytest.mark.parametrize("value,text", [(6.5, "6.5"), (6.47, "6.4"), (8.19, "8.1"), (7, "7.0"), (0, "0.0"),
                                        (10, "10.0"), (6.4999999999, "6.5"), (0.1 + 0.2, "0.3"), (99.99, "99.9")])
def test_one_decimal_never_rounded_up(value, text):
    assert format_score(value) == text


def test_score_of_scale_and_headline():
    assert format_score(6.47, 10) == "6.4 of 10"
    assert format_score(None, 10) == "–"
    assert headline(6.5, 10, "no_hire", True) == "6.5 of 10 · No hire · Pass"
    assert headline(None, 10, None, None) == "Not scored yet"


def test_a_shown_score_reaches_the_mark_only_when_the_real_one_does():
    for hundredths in range(0, 1001):
        value = hundredths / 100
        for mark in (5.0, 6.5, 7.5):
            assert (float(format_score(value)) >= mark) == (value >= mark - 1e-9), (value, mark)


def test_disagreement_names_both_rules_and_is_silent_when_they_agree():
    labels = ("hire", "no_hire")
    note = disagreement("no_hire", True, labels, threshold=6.5, top=10)
    assert note is not None
    assert "“No hire”" in note and "pass mark (6.5 of 10)" in note and "“Pass”" in note and "no_hire" not in note
    note = disagreement("hire", False, labels, threshold=6.5, top=10)
    assert note is not None and "does not reach" in note and "“Does not pass”" in note
    assert disagreement("hire", True, labels, threshold=6.5, top=10) is None
    assert disagreement("no_hire", False, labels, threshold=6.5, top=10) is None
    assert disagreement(None, None, labels, threshold=6.5, top=10) is None


def test_describe_rule_in_plain_words():
    labels = ("hire", "no_hire")
    text = describe_rule('overall >= 7 and min(dimensions) >= 5 -> hire\nelse -> no_hire', labels, threshold=6.5,
                         top=10, dimension_names=["Communication"])
    assert text == ("Hire when the overall score is at least 7 and the lowest dimension score is at least 5; "
                    "otherwise No hire.")
    text = describe_rule('dimension("Communication") >= 9 or overall > threshold -> hire', labels, threshold=6.5,
                         top=10, dimension_names=["Communication"])
    assert text == ("Hire when the “Communication” score is at least 9 or the overall score is above the pass mark "
                    "(6.5); otherwise by the pass mark: Hire at 6.5 of 10 or above, else No hire.")
    assert describe_rule(None, labels, threshold=5, top=10) == (
        "Hire when the overall score reaches the pass mark (5.0 of 10); otherwise No hire.")
    assert describe_rule("", ("ready", "needs_practice"), threshold=3, top=5) == (
        "Ready when the overall score reaches the pass mark (3.0 of 5); otherwise Needs practice.")


def test_describe_rule_quotes_text_it_cannot_read_rather_than_guess():
    text = describe_rule("overall >>> 7 -> hire", ("hire", "no_hire"), threshold=5, top=10)
    assert text == "Recommendation rule (as written in the profile): overall >>> 7 -> hire"
