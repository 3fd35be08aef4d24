"""A session's outcome in words: recommendation labels, pass/fail, scores and the recommendation rule.

Every screen, printed card and command line shows outcomes through this module, so a stored label such as
`no_hire` never reaches a person and a score is shortened to one decimal the same way everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

DASH = "\u2013"
PASS_WORDS = ("Pass", "Does not pass")

# Words for every label of the SuccessOutcome pairs (core.models.VOCABULARY).
LABEL_WORDS: dict[str, str] = {
    "hire": "Hire", "no_hire": "No hire",
    "admit": "Admit", "reject": "Reject",
    "pass": "Pass", "fail": "Fail",
    "ready": "Ready", "needs_practice": "Needs practice",
    "certified": "Certified", "not_certified": "Not certified",
}


def recommendation_words(label: str | None) -> str:
    """A recommendation label as people say it: 'no_hire' -> 'No hire'; a custom label keeps its own words."""
    if not label:
        return DASH
    if label in LABEL_WORDS:
        return LABEL_WORDS[label]
    text = label.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def result_words(passed: bool | None) -> str:
    """'Pass', 'Does not pass', or a dash before there is a result."""
    if passed is None:
        return DASH
    return PASS_WORDS[0] if passed else PASS_WORDS[1]


def _shortened(value: float) -> float:
    # Cut, never rounded up: 6.47 shows as 6.4, so a shown score reaches a pass mark only when the real one does.
    # The small tolerance keeps a stored 6.5 (6.4999999...) from showing as 6.4.
    return math.floor(float(value) * 10 + 1e-6) / 10


def format_score(value: float | None, top: float | None = None) -> str:
    """Every score shown to a person: one decimal ('6.5'), with the scale's top when given ('6.5 of 10')."""
    if value is None:
        return DASH
    text = f"{_shortened(value):.1f}"
    return f"{text} of {top:g}" if top is not None else text


def headline(overall: float | None, top: float, recommendation: str | None, passed: bool | None) -> str:
    """'6.5 of 10 · No hire · Does not pass' (or 'Not scored yet')."""
    if overall is None:
        return "Not scored yet"
    return f"{format_score(overall, top)} \u00b7 {recommendation_words(recommendation)} \u00b7 {result_words(passed)}"


def is_positive(label: str | None, labels: Sequence[str]) -> bool | None:
    """True for the profile's positive label, False for its negative one, None when unknown."""
    if not label or len(labels) != 2:
        return None
    if label == labels[0]:
        return True
    if label == labels[1]:
        return False
    return None


def disagreement(recommendation: str | None, passed: bool | None, labels: Sequence[str], *, threshold: float,
                 top: float, basis: str | None = None) -> str | None:
    """A plain warning when the recommendation and the pass/fail result point different ways, else None."""
    positive = is_positive(recommendation, labels)
    if positive is None or passed is None or positive == passed:
        return None
    source = "the profile's recommendation rule" if basis in (None, "recommendation_logic") else "the profile"
    mark = format_score(threshold, top)
    reaches = "reaches" if passed else "does not reach"
    return (f"The two rules disagree: {source} recommends \u201c{recommendation_words(recommendation)}\u201d, but the "
            f"overall score {reaches} the stage's pass mark ({mark}), so the result is "
            f"\u201c{result_words(passed)}\u201d.")


# ------------------------------------------------------------------ the recommendation rule in words

_COMPARISONS = {">=": "is at least", ">": "is above", "<=": "is at most", "<": "is below", "==": "is", "!=": "is not"}
_AGGREGATES = {"min": "lowest", "max": "highest", "avg": "average"}


def _number(value: float) -> str:
    return f"{value:g}"


def _expr(node: Any, threshold: float | None) -> str:
    op = node.op
    if op == "num":
        return _number(node.value)
    if op == "bool":
        return "always" if node.value else "never"
    if op == "var":
        if node.value == "threshold":
            return "the pass mark" + (f" ({_number(threshold)})" if threshold is not None else "")
        return "the overall score"
    if op == "dim":
        return f"the \u201c{node.value}\u201d score"
    if op == "neg":
        return f"minus {_expr(node.args[0], threshold)}"
    if op == "bin":
        left, right = (_expr(a, threshold) for a in node.args)
        return f"{left} {node.value} {right}"
    if op == "agg":
        word = _AGGREGATES.get(node.value, node.value)
        if not node.args:
            return f"the {word} dimension score"
        return f"the {word} of " + ", ".join(_expr(a, threshold) for a in node.args)
    if op == "cmp":
        left, right = (_expr(a, threshold) for a in node.args)
        return f"{left} {_COMPARISONS.get(node.value, node.value)} {right}"
    if op in ("and", "or"):
        return f" {op} ".join(_expr(a, threshold) for a in node.args)
    if op == "not":
        return f"not ({_expr(node.args[0], threshold)})"
    raise ValueError(op)


def describe_rule(logic: str | None, labels: Sequence[str], *, threshold: float, top: float,
                  dimension_names: Sequence[str] = ()) -> str:
    """The profile's recommendation logic as one plain sentence for the scorecard.

    'Hire when the overall score is at least 7 and the lowest dimension score is at least 5; otherwise No hire.'
    Without logic the pass mark decides. Text that does not parse is quoted as it is, never guessed at.
    """
    positive, negative = (recommendation_words(x) for x in labels) if len(labels) == 2 else ("Positive", "Negative")
    mark = format_score(threshold, top)
    by_mark = f"{positive} when the overall score reaches the pass mark ({mark}); otherwise {negative}."
    if not logic or not logic.strip():
        return by_mark
    from desktop_app.core.recommendation_logic import parse_logic

    try:
        rules = parse_logic(logic, list(dimension_names), list(labels), top)
        parts = []
        for rule in rules:
            words = recommendation_words(rule.label)
            if rule.condition is None:
                parts.append(f"otherwise {words}")
            else:
                parts.append(f"{words} when {_expr(rule.condition, threshold)}")
    except Exception:  # the rule language may grow; an unknown shape is shown verbatim rather than misread
        flat = " ; ".join(line.strip() for line in logic.splitlines() if line.strip())
        return f"Recommendation rule (as written in the profile): {flat}"
    sentence = "; ".join(parts)
    if rules[-1].condition is not None:
        sentence += f"; otherwise by the pass mark: {positive} at {mark} or above, else {negative}"
    return sentence[:1].upper() + sentence[1:] + "."
