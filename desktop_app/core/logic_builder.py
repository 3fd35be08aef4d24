"""Recommendation logic from plain choices: an overall bar and a floor for every dimension, to and from rule text.

The builder writes the same text core.recommendation_logic parses, so power users can still edit it; text the
builder cannot represent is left alone and `from_text` says so by returning None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"(\d+(?:\.\d+)?|\.\d+)"
_WORD = r"""["']?([A-Za-z_][A-Za-z0-9_]*)["']?"""
_RULE = re.compile(
    rf"^overall\s*>=\s*(?:{_NUMBER}|(threshold))"
    rf"(?:\s+and\s+min\s*\(\s*dimensions\s*\)\s*>=\s*{_NUMBER})?\s*(?:->|=>)\s*{_WORD}$",
    re.IGNORECASE,
)
_ELSE = re.compile(rf"^else\s*(?:->|=>)\s*{_WORD}$", re.IGNORECASE)


@dataclass(frozen=True)
class SimpleLogic:
    """'Recommend <positive> when overall >= bar (or the stage's pass mark) and no dimension < floor; else <negative>'."""

    positive: str
    negative: str
    overall_at_least: float | None = None  # None: the stage's pass mark
    dimension_floor: float | None = None  # None: no floor

    @property
    def follows_pass_mark(self) -> bool:
        """True when the recommendation is exactly the stage's pass/fail (no logic text needed)."""
        return self.overall_at_least is None and self.dimension_floor is None

    def to_text(self) -> str:
        """The rule text, or '' when the stage's pass mark alone decides (the profile then needs no logic)."""
        if self.follows_pass_mark:
            return ""
        bar = "threshold" if self.overall_at_least is None else f"{self.overall_at_least:g}"
        condition = f"overall >= {bar}"
        if self.dimension_floor is not None:
            condition += f" and min(dimensions) >= {self.dimension_floor:g}"
        return f"{condition} -> {self.positive}\nelse -> {self.negative}"


def _lines(text: str) -> list[str]:
    """Rules without comments and blank lines, whitespace collapsed."""
    out = []
    for chunk in text.replace(";", "\n").splitlines():
        rule = " ".join(chunk.split("#", 1)[0].split())
        if rule:
            out.append(rule)
    return out


def from_text(text: str | None, positive: str, negative: str) -> SimpleLogic | None:
    """The plain choices that `text` expresses with these labels, or None when the builder cannot show it."""
    rules = _lines(text or "")
    if not rules:
        return SimpleLogic(positive, negative)
    if len(rules) != 2:
        return None
    first, last = _RULE.match(rules[0]), _ELSE.match(rules[1])
    if first is None or last is None:
        return None
    bar, uses_threshold, floor, label = first.groups()
    if label != positive or last.group(1) != negative:
        return None
    return SimpleLogic(positive, negative, None if uses_threshold else float(bar),
                       None if floor is None else float(floor))
