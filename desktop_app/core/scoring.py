"""Pure score arithmetic: sample medians, AI/rule blending, AI/human combining, weighted totals, pass/fail.

The model never computes a total: per-dimension numbers come in, this module adds them up.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.models import AgentProfile
from desktop_app.core.recommendation_logic import evaluate_logic

PROMPT_VERSION = "ai-dim-v3"
RULES_VERSION = "rules-v1"
# How far the model may move a dimension away from the rule-based evidence, as a share of the
# scale. A 270M model misreads answers often; the rules are measurable, so they bound it.
BLEND_BAND = 0.2
BLEND_BAND_LOW_CONFIDENCE = 0.1
COMBINE_MODES = ("ai", "human", "mean")


def rubric_version(profile: AgentProfile) -> str:
    """A short hash of the rubric JSON and scale: scores made under another rubric are not comparable."""
    body = {"rubric": [d.dump() for d in profile.rubric], "scale": profile.scoring.scale}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"rubric-{digest[:16]}"


def clamp(value: float, low: float, high: float) -> float:
    """value limited to [low, high]."""
    return max(low, min(high, value))


def sample_summary(samples: Sequence[float], max_score: float) -> dict[str, float]:
    """Median, spread (max - min) and agreement (1 - spread / scale) of repeated samples."""
    if not samples:
        raise ValueError("no samples")
    spread = max(samples) - min(samples)
    return {"median": float(statistics.median(samples)), "spread": float(spread),
            "agreement": round(1 - spread / max_score, 3) if max_score else 1.0}


def blend_with_rules(model_score: float, rule_score: float, max_score: float, *, low_confidence: bool) -> tuple[float, float]:
    """The model's score kept within a band around the rule score; returns (score, band)."""
    band = (BLEND_BAND_LOW_CONFIDENCE if low_confidence else BLEND_BAND) * max_score
    low, high = max(0.0, rule_score - band), min(max_score, rule_score + band)
    return round(clamp(model_score, low, high), 2), band


def weighted_total(scores: dict[str, float], profile: AgentProfile) -> float:
    """sum(weight * score) / 100 over the rubric; every dimension must have a score."""
    missing = [d.name for d in profile.rubric if d.name not in scores]
    if missing:
        raise ValueError(f"no score for {', '.join(repr(m) for m in missing)}")
    total = sum(d.weight * scores[d.name] for d in profile.rubric) / 100
    return round(clamp(total, 0.0, float(profile.max_score)), 2)


def passes(overall: float, threshold: float) -> bool:
    """Pass when the overall score reaches the stage's threshold."""
    return overall >= threshold - 1e-9


def recommend(profile: AgentProfile, overall: float, dimensions: dict[str, float], threshold: float) -> tuple[str, str]:
    """(label, basis): the profile's recommendation_logic when a rule matches, else pass/fail vs threshold."""
    positive, negative = profile.labels
    logic = profile.scoring.recommendation_logic
    if logic:
        label = evaluate_logic(logic, overall, dimensions, labels=profile.labels, threshold=threshold)
        if label is not None:
            return label, "recommendation_logic"
    return (positive if passes(overall, threshold) else negative), "threshold"


@dataclass(frozen=True)
class ScoreEntry:
    """One stored score of one dimension by one source and rater."""

    dimension: str
    source: str  # ai | rules | human | override
    rater: str
    score: float
    confidence: str | None = None
    created_at: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None


@dataclass(frozen=True)
class DimensionOutcome:
    """How one dimension's final score came about."""

    name: str
    weight: int
    final: float
    basis: str  # override | ai | rules | human | mean
    machine: float | None
    machine_source: str | None
    human: float | None
    human_raters: int
    override: float | None
    confidence: str | None
    agreement_ai_human: float | None
    sample_agreement: float | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Outcome:
    """The session's result: per-dimension outcomes, the weighted total, pass/fail and the label."""

    dimensions: tuple[DimensionOutcome, ...]
    overall: float | None
    passed: bool | None
    recommendation: str | None
    recommendation_basis: str | None
    threshold: float
    combine: str
    missing: tuple[str, ...]


def latest(entries: Iterable[ScoreEntry]) -> list[ScoreEntry]:
    """The newest entry per (dimension, source, rater)."""
    newest: dict[tuple[str, str, str], ScoreEntry] = {}
    for e in sorted(entries, key=lambda e: e.created_at):
        newest[(e.dimension.casefold(), e.source, e.rater)] = e
    return list(newest.values())


def combine_dimension(name: str, weight: int, entries: Sequence[ScoreEntry], *, method: str, mode: str,
                      max_score: float) -> DimensionOutcome | None:
    """One dimension: override wins; otherwise machine and human raters combined by `mode`."""
    mine = [e for e in entries if e.dimension.casefold() == name.casefold()]
    machine_source = "rules" if method == "rule_based" else "ai"
    machine_entry = next((e for e in mine if e.source == machine_source), None)
    if machine_entry is None:  # e.g. an AI scorer was unavailable and rules were recorded instead
        machine_entry = next((e for e in mine if e.source in ("ai", "rules")), None)
    humans = [e for e in mine if e.source == "human"]
    overrides = sorted((e for e in mine if e.source == "override"), key=lambda e: e.created_at)
    machine = machine_entry.score if machine_entry else None
    human = statistics.fmean(e.score for e in humans) if humans else None
    override = overrides[-1].score if overrides else None
    if override is not None:
        final, basis = override, "override"
    elif mode == "human" and human is not None:
        final, basis = human, "human"
    elif mode == "mean" and human is not None and machine is not None:
        final, basis = (machine + human) / 2, "mean"
    elif machine_entry is not None:
        final, basis = machine_entry.score, machine_entry.source
    elif human is not None:
        final, basis = human, "human"
    else:
        return None
    agreement = None
    if machine is not None and human is not None and max_score:
        agreement = round(1 - abs(machine - human) / max_score, 3)
    sample_agreement = machine_entry.details.get("agreement") if machine_entry else None
    return DimensionOutcome(
        name, weight, round(clamp(final, 0.0, max_score), 2), basis, machine,
        machine_entry.source if machine_entry else None, human, len(humans), override,
        machine_entry.confidence if machine_entry else None, agreement, sample_agreement,
    )


def compute_outcome(profile: AgentProfile, threshold: float, entries: Iterable[ScoreEntry], *,
                    combine: str | None = None) -> Outcome:
    """Combines all stored scores of a session into its outcome (overall None while a dimension lacks a score)."""
    mode = combine or profile.scoring.combine
    if mode not in COMBINE_MODES:
        raise ValueError(f"combine must be one of {', '.join(COMBINE_MODES)}")
    current = latest(entries)
    outcomes: list[DimensionOutcome] = []
    missing: list[str] = []
    for dim in profile.rubric:
        out = combine_dimension(dim.name, dim.weight, current, method=profile.scoring.method, mode=mode,
                                max_score=profile.max_score)
        if out is None:
            missing.append(dim.name)
        else:
            outcomes.append(out)
    if missing:
        return Outcome(tuple(outcomes), None, None, None, None, threshold, mode, tuple(missing))
    finals = {o.name: o.final for o in outcomes}
    overall = weighted_total(finals, profile)
    label, basis = recommend(profile, overall, finals, threshold)
    return Outcome(tuple(outcomes), overall, passes(overall, threshold), label, basis, threshold, mode, ())
