"""Where a profile's recommendation logic and a stage's pass mark disagree, said in a plain sentence.

The pass mark decides pass or fail from the overall score; the logic decides the recommendation word. When they
disagree an assessor reads a headline such as "No hire · passes". The check walks the overall score over the
whole scale for an even candidate (every dimension at the overall score) and evaluates both exactly as scoring
does (core.scoring.recommend and passes). A floor on single dimensions ("no dimension below 5") is a choice the
pass mark cannot mirror, so it is not reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.core.recommendation_logic import Rule, first_label, parse_logic

if TYPE_CHECKING:
    from desktop_app.core.models import AgentProfile

STEPS = 1000  # points across the scale: 0.01 on a 0-10 scale


@dataclass(frozen=True)
class Conflict:
    """One disagreement: `kind` is pass_but_negative, fail_but_positive or passes_everyone."""

    kind: str
    low: float
    high: float
    sentence: str


def word(label: str) -> str:
    """A recommendation label as people read it: no_hire -> 'No hire'."""
    text = label.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _label(rules: list[Rule], overall: float, dims: dict[str, float], threshold: float,
           positive: str, negative: str) -> str:
    """The recommendation as core.scoring.recommend gives it (first matching rule, else the pass mark)."""
    label = first_label(rules, overall, dims, threshold)
    if label is not None:
        return label
    return positive if overall >= threshold - 1e-9 else negative


def _ranges(flags: list[bool], points: list[float]) -> list[tuple[float, float | None]]:
    """(first point, first point after) of each run of True; None when the run reaches the top."""
    out: list[tuple[float, float | None]] = []
    start = None
    for i, flag in enumerate(flags):
        if flag and start is None:
            start = i
        if not flag and start is not None:
            out.append((points[start], points[i]))
            start = None
    if start is not None:
        out.append((points[start], None))
    return out


def _span(low: float, high: float | None, top: float) -> str:
    return f"from {low:g} to {top:g}" if high is None else f"from {low:g} to just under {high:g}"


def find_conflicts(logic: str | None, threshold: float, *, dimension_names: Sequence[str], labels: tuple[str, str],
                   max_score: float) -> list[Conflict]:
    """Every way the logic's recommendation and the pass mark disagree on the same scale (empty when they agree)."""
    positive, negative = labels
    found: list[Conflict] = []
    if threshold <= 0:
        found.append(Conflict("passes_everyone", 0.0, max_score,
                              f"A pass mark of 0 passes everyone, whatever they say: raise it (for example to "
                              f"{max_score * 0.6:g} of {max_score:g})."))
    if not (logic or "").strip():
        return found  # the recommendation follows the pass mark
    rules = parse_logic(logic or "", list(dimension_names), labels, None)
    names = list(dimension_names) or ["overall"]
    points = [round(max_score * i / STEPS, 6) for i in range(STEPS + 1)]
    even = [_label(rules, p, dict.fromkeys(names, p), threshold, positive, negative) for p in points]
    passing = [p >= threshold - 1e-9 for p in points]
    for low, high in _ranges([ok and lab != positive for ok, lab in zip(passing, even)], points):
        found.append(Conflict("pass_but_negative", low, high if high is not None else max_score,
                              f"Overall scores {_span(low, high, max_score)} pass the stage (pass mark {threshold:g}) "
                              f"but the profile recommends “{word(negative)}” for them."))
    for low, high in _ranges([not ok and lab == positive for ok, lab in zip(passing, even)], points):
        found.append(Conflict("fail_but_positive", low, high if high is not None else max_score,
                              f"Overall scores {_span(low, high, max_score)} fail the stage (pass mark {threshold:g}) "
                              f"but the profile recommends “{word(positive)}” for them."))
    return found


def pass_mark_conflict(logic: str | None, threshold: float, *, dimension_names: Sequence[str],
                       labels: tuple[str, str], max_score: float, stage: str | None = None) -> str | None:
    """The disagreements as one plain paragraph naming the stage, or None when logic and pass mark agree."""
    try:
        conflicts = find_conflicts(logic, threshold, dimension_names=dimension_names, labels=labels,
                                   max_score=max_score)
    except ValueError:
        return None  # logic that does not parse is reported by validation, not here
    if not conflicts:
        return None
    head = f"Stage “{stage}”: " if stage else ""
    return head + " ".join(c.sentence for c in conflicts)


def stage_conflict(profile: AgentProfile, threshold: float, stage: str | None = None) -> str | None:
    """pass_mark_conflict for a profile and one stage's pass mark on the profile's scale."""
    return pass_mark_conflict(profile.scoring.recommendation_logic, threshold, dimension_names=profile.dimension_names,
                              labels=profile.labels, max_score=profile.max_score, stage=stage)
