"""Agreement between two raters (a person and the model) on an integer 1..K scale, standard library only.

Undefined statistics (no pairs, or a rater who gave every answer the same rating, which leaves
no variance to agree on) are None, never NaN, so reports print "n/a" and JSON holds null.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_CATEGORIES = 5  # the calibration scale 1..5


def to_category(rating: float, categories: int = DEFAULT_CATEGORIES) -> int:
    """The nearest whole rating (halves round up), clamped to 1..categories."""
    if math.isnan(rating):
        raise ValueError("rating is NaN")
    return min(categories, max(1, math.floor(rating + 0.5)))


def _check_pairs(a: Sequence[float], b: Sequence[float]) -> None:
    if len(a) != len(b):
        raise ValueError(f"the two raters rated {len(a)} and {len(b)} items; they must rate the same items")


def _check_categories(ratings: Sequence[int], categories: int) -> None:
    for r in ratings:
        if isinstance(r, bool) or int(r) != r or not 1 <= r <= categories:
            raise ValueError(f"rating {r!r} is not a whole number from 1 to {categories}")


def confusion_matrix(human: Sequence[int], model: Sequence[int], categories: int = DEFAULT_CATEGORIES
                     ) -> tuple[tuple[int, ...], ...]:
    """K×K counts: row = the first rater's rating - 1, column = the second rater's rating - 1."""
    _check_pairs(human, model)
    _check_categories(human, categories)
    _check_categories(model, categories)
    counts = [[0] * categories for _ in range(categories)]
    for h, m in zip(human, model):
        counts[int(h) - 1][int(m) - 1] += 1
    return tuple(tuple(row) for row in counts)


def quadratic_weighted_kappa(human: Sequence[int], model: Sequence[int], categories: int = DEFAULT_CATEGORIES
                             ) -> float | None:
    """Cohen's kappa with quadratic weights on 1..K; None when chance agreement leaves nothing to measure."""
    if categories < 2:
        raise ValueError("kappa needs at least two categories")
    observed = confusion_matrix(human, model, categories)
    n = len(human)
    if n == 0:
        return None
    row_totals = [sum(row) for row in observed]
    col_totals = [sum(observed[i][j] for i in range(categories)) for j in range(categories)]
    disagreement = expected = 0.0
    for i in range(categories):
        for j in range(categories):
            weight = (i - j) ** 2 / (categories - 1) ** 2
            disagreement += weight * observed[i][j] / n
            expected += weight * row_totals[i] * col_totals[j] / (n * n)
    if expected == 0:
        # Both raters used one and the same category throughout: kappa is 0/0.
        return None
    return 1.0 - disagreement / expected


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, tied values sharing the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = (start + end) / 2 + 1
        for k in range(start, end + 1):
            ranks[order[k]] = shared
        start = end + 1
    return ranks


def _pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    mean_x, mean_y = sum(x) / n, sum(y) / n
    sxy = sum((a - mean_x) * (b - mean_y) for a, b in zip(x, y))
    sxx = sum((a - mean_x) ** 2 for a in x)
    syy = sum((b - mean_y) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def spearman(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Spearman's rank correlation (ties averaged); None with fewer than two pairs or a constant rater."""
    _check_pairs(a, b)
    if len(a) < 2:
        return None
    return _pearson(average_ranks(a), average_ranks(b))


def mean_absolute_difference(a: Sequence[float], b: Sequence[float]) -> float | None:
    """The mean of |a - b| over the pairs; None when there are none."""
    _check_pairs(a, b)
    if not a:
        return None
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a)


@dataclass(frozen=True)
class DimensionAgreement:
    """How far the model agrees with people on one dimension (or on all of them pooled)."""

    dimension: str
    n: int
    qwk: float | None
    spearman: float | None
    mad: float | None
    confusion: tuple[tuple[int, ...], ...]

    @property
    def categories(self) -> int:
        """K, the number of rating categories."""
        return len(self.confusion)

    @property
    def mad_0_10(self) -> float | None:
        """The mean absolute difference restated on a 0-10 scale (the 1..K span is K-1 points)."""
        if self.mad is None or self.categories < 2:
            return None
        return self.mad * 10 / (self.categories - 1)

    def to_dict(self) -> dict:
        """JSON-ready values; undefined statistics are None."""
        return {"dimension": self.dimension, "n": self.n, "qwk": self.qwk, "spearman": self.spearman,
                "mad": self.mad, "mad_0_10": self.mad_0_10, "confusion": [list(row) for row in self.confusion]}


def dimension_agreement(dimension: str, human: Sequence[int], model: Sequence[float],
                        categories: int = DEFAULT_CATEGORIES) -> DimensionAgreement:
    """Every statistic for paired whole-number human ratings and the model's expected ratings."""
    _check_pairs(human, model)
    rounded = [to_category(m, categories) for m in model]
    return DimensionAgreement(
        dimension=dimension,
        n=len(human),
        qwk=quadratic_weighted_kappa(human, rounded, categories),
        spearman=spearman([float(h) for h in human], list(model)),
        mad=mean_absolute_difference([float(h) for h in human], list(model)),
        confusion=confusion_matrix(human, rounded, categories),
    )


POOLED = "all dimensions"


def pooled_agreement(pairs_by_dimension: Mapping[str, tuple[Sequence[int], Sequence[float]]],
                     categories: int = DEFAULT_CATEGORIES) -> DimensionAgreement:
    """The same statistics over every dimension's pairs taken together."""
    human: list[int] = []
    model: list[float] = []
    for h, m in pairs_by_dimension.values():
        _check_pairs(h, m)
        human.extend(h)
        model.extend(m)
    return dimension_agreement(POOLED, human, model, categories)
