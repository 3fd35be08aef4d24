"""Adverse-impact screening: pass rates per group and the four-fifths rule, with its limits stated plainly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FOUR_FIFTHS = 0.8
MIN_GROUP_SIZE = 30
UNSPECIFIED = "unspecified"


@dataclass(frozen=True)
class GroupRate:
    """One group's outcomes at one stage and its pass rate against the best-passing group."""

    group: str
    n: int
    passed: int
    rate: float
    ratio: float | None  # rate / the highest group's rate; None when no group passed anyone
    flagged: bool  # ratio under the four-fifths threshold
    small: bool  # fewer people than the reliable minimum

    def to_dict(self) -> dict:
        """JSON-ready values."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class AdverseImpact:
    """The screening result for one selection step: every group's rate, ratio and the caveats."""

    groups: tuple[GroupRate, ...]
    reference_group: str | None
    threshold: float
    min_group_size: int
    warning: str

    @property
    def total(self) -> int:
        """People counted (someone in two groups counts in each)."""
        return sum(g.n for g in self.groups)

    @property
    def flagged(self) -> tuple[GroupRate, ...]:
        """Groups whose ratio is under the threshold."""
        return tuple(g for g in self.groups if g.flagged)

    def to_dict(self) -> dict:
        """JSON-ready values."""
        return {"groups": [g.to_dict() for g in self.groups], "reference_group": self.reference_group,
                "threshold": self.threshold, "min_group_size": self.min_group_size, "warning": self.warning}


def groups_of(tags: Sequence[str], *, prefix: str | None = None, groups: Sequence[str] | None = None) -> list[str]:
    """The groups a participant's tags put them in: tags starting with `prefix` (the rest of the tag names the
    group) or tags in the explicit `groups` list (case-insensitive); ["unspecified"] when none match."""
    if (prefix is None) == (groups is None):
        raise ValueError("give either a tag prefix or a list of group tags")
    found: list[str] = []
    if prefix is not None:
        key = prefix.casefold()
        for tag in tags:
            if tag.casefold().startswith(key) and tag[len(prefix):].strip():
                found.append(tag[len(prefix):].strip())
    else:
        wanted = {g.casefold(): g for g in groups or ()}
        found = [wanted[t.casefold()] for t in tags if t.casefold() in wanted]
    unique: dict[str, str] = {}
    for g in found:
        unique.setdefault(g.casefold(), g)
    return list(unique.values()) or [UNSPECIFIED]


def warning_text(small: Sequence[GroupRate], *, threshold: float = FOUR_FIFTHS, min_group_size: int = MIN_GROUP_SIZE,
                 no_passes: bool = False, multi_group: int = 0) -> str:
    """The caveats every adverse-impact table must carry, naming the small groups and their sizes."""
    parts = [
        f"This is a screening statistic: a group whose pass rate is under {threshold:.0%} of the highest group's "
        "rate (the four-fifths rule) deserves a closer look at the questions, the rubric and the scoring."
    ]
    if small:
        listed = ", ".join(f"{g.group} (n={g.n})" for g in small)
        parts.append(f"Groups under {min_group_size} people give unreliable rates, where one person more or less "
                     f"changes the ratio a lot: {listed}.")
    if no_passes:
        parts.append("Nobody passed, so there are no ratios to compare.")
    if multi_group:
        parts.append(f"{multi_group} participant(s) carry more than one group tag and are counted in each group.")
    parts.append("A ratio under the threshold is not proof of discrimination, and a ratio above it is not proof "
                 "of its absence.")
    return " ".join(parts)


def adverse_impact(rows: Iterable[tuple[str, bool]], *, threshold: float = FOUR_FIFTHS,
                   min_group_size: int = MIN_GROUP_SIZE, multi_group: int = 0) -> AdverseImpact:
    """Pass rate, ratio to the highest rate and flags per group, from (group, passed) rows of one selection step.

    The "unspecified" group is shown but never taken as the reference: it is not a group, only the
    people whose group is unknown.
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    counts: dict[str, list[int]] = {}
    for group, did_pass in rows:
        tally = counts.setdefault(group, [0, 0])
        tally[0] += 1
        tally[1] += bool(did_pass)
    rates = {g: p / n for g, (n, p) in counts.items()}
    candidates = [g for g in counts if g != UNSPECIFIED] or list(counts)
    reference = max(candidates, key=lambda g: (rates[g], counts[g][0]), default=None)
    best = rates[reference] if reference is not None else 0.0
    out = []
    for group in sorted(counts, key=lambda g: (g == UNSPECIFIED, g.casefold())):
        n, passed = counts[group]
        ratio = rates[group] / best if best > 0 else None
        out.append(GroupRate(group=group, n=n, passed=passed, rate=rates[group], ratio=ratio,
                             flagged=ratio is not None and ratio < threshold, small=n < min_group_size))
    small = [g for g in out if g.small]
    warning = warning_text(small, threshold=threshold, min_group_size=min_group_size,
                           no_passes=bool(counts) and best == 0, multi_group=multi_group)
    return AdverseImpact(groups=tuple(out), reference_group=reference if best > 0 else None, threshold=threshold,
                         min_group_size=min_group_size, warning=warning)
