"""Agreement statistics of paired scores (QWK, Spearman, Pearson, MAE, exact and adjacent
agreement) and their bootstrap intervals: pure functions, standard library.

Inputs are paired scores in a question's points, the human's first and the model's second.
Every statistic comes back as an `Estimate`: a value, an optional percentile bootstrap
interval, and a `reason` whenever the value or the interval is missing. A statistic that is
undefined for the data (fewer than two pairs, scores that do not vary, every score in one
category) is `None` with that reason, never NaN and never an exception, because a report over
many small per-question groups must go on when one group is degenerate.

Which scores each statistic reads:

* quadratic weighted kappa (QWK), exact agreement and adjacent agreement (``|diff| <= 1``) are
  defined on an integer scale, so both the human and the model score are first rounded to the
  nearest integer (halves up) on the question's scale ``min_score..max_score``;
* Spearman (ties take their average rank), Pearson and the mean absolute error (MAE) use the
  scores as given.

`bootstrap` puts a percentile interval around any of them. They know nothing of questions,
groups or reports, which `coach.eval.agreement` assembles from them, so each can be checked on
its own against examples worked out by hand.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "Estimate",
    "adjacent_agreement",
    "bootstrap",
    "check_lengths",
    "exact_agreement",
    "interval",
    "kappa",
    "mean_absolute_error",
    "pearson",
    "quadratic_weighted_kappa",
    "rank",
    "scale_bounds",
    "spearman",
    "to_scale",
]

DEFAULT_RESAMPLES = 1000
DEFAULT_CONFIDENCE = 0.95
# An interval is only given when the statistic is defined in at least this share of the
# resamples; the undefined ones (a resample with no variance) are left out of the percentiles.
MIN_DEFINED_SHARE = 0.5

Scores = Sequence[float]
Statistic = Callable[[Sequence[int]], "Estimate"]  # a statistic of the pairs at these indices


@dataclass(frozen=True, slots=True)
class Estimate:
    """A statistic: its value, its bootstrap interval and, when either is missing, why.

    `resamples` counts the bootstrap resamples the interval was read from (those in which the
    statistic was defined); it is 0 when no interval was computed.
    """

    value: float | None
    low: float | None = None
    high: float | None = None
    reason: str | None = None
    resamples: int = 0

    @classmethod
    def undefined(cls, reason: str) -> Estimate:
        return cls(None, reason=reason)


# --- scales ----------------------------------------------------------------------------------


def to_scale(score: float, min_score: int, max_score: int) -> int:
    """`score` rounded to the nearest integer (halves up) and checked against the scale.

    Raises ValueError for a score outside ``min_score..max_score`` after rounding: that is a
    mislabelled input, not a degenerate one.
    """
    value = math.floor(score + 0.5)
    if not min_score <= value <= max_score:
        raise ValueError(f"score {score:g} is outside the scale {min_score}..{max_score}")
    return value


def scale_bounds(min_score: float, max_score: float) -> tuple[int, int]:
    low, high = math.floor(min_score + 0.5), math.floor(max_score + 0.5)
    if high <= low:
        raise ValueError(f"the scale {min_score:g}..{max_score:g} has fewer than two points")
    return low, high


def check_lengths(human: Scores, model: Scores) -> None:
    if len(human) != len(model):
        raise ValueError(f"{len(human)} human scores but {len(model)} model scores")


# --- point statistics ------------------------------------------------------------------------


def quadratic_weighted_kappa(
    human: Scores, model: Scores, min_score: float, max_score: float
) -> Estimate:
    """Cohen's kappa with quadratic weights on the integer scale ``min_score..max_score``.

    Both score lists are rounded to the scale first (see `to_scale`). Undefined for fewer than
    two pairs and when the expected disagreement is zero (both raters put every answer in the
    same single category). One rater that never varies gives 0: no agreement beyond chance.
    """
    check_lengths(human, model)
    low, high = scale_bounds(min_score, max_score)
    if len(human) < 2:
        return Estimate.undefined("fewer than 2 pairs")
    a = [to_scale(x, low, high) - low for x in human]
    b = [to_scale(x, low, high) - low for x in model]
    return kappa(a, b, high - low + 1)


def kappa(a: Sequence[int], b: Sequence[int], categories: int) -> Estimate:
    """Quadratic weighted kappa of category indices ``0..categories - 1`` (scale applied)."""
    n = len(a)
    hist_a = [0] * categories
    hist_b = [0] * categories
    observed = 0.0
    for x, y in zip(a, b, strict=True):
        hist_a[x] += 1
        hist_b[y] += 1
        observed += (x - y) ** 2
    # sum_ij w_ij E_ij with E_ij = hist_a[i] * hist_b[j] / n; the (k - 1)^2 of the weights
    # cancels between numerator and denominator.
    expected = (
        sum(
            hist_a[i] * hist_b[j] * (i - j) ** 2
            for i in range(categories)
            if hist_a[i]
            for j in range(categories)
            if hist_b[j]
        )
        / n
    )
    if expected == 0:
        return Estimate.undefined("every score of both raters is in one category")
    return Estimate(1.0 - observed / expected)


def rank(values: Scores) -> list[float]:
    """1-based ranks; tied values share the average of the ranks they span."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        average = (start + end) / 2 + 1
        for k in range(start, end + 1):
            ranks[order[k]] = average
        start = end + 1
    return ranks


def pearson(human: Scores, model: Scores) -> Estimate:
    """Pearson's r; undefined for fewer than two pairs or scores that do not vary."""
    check_lengths(human, model)
    if len(human) < 2:
        return Estimate.undefined("fewer than 2 pairs")
    if min(human) == max(human):
        return Estimate.undefined("the human scores do not vary")
    if min(model) == max(model):
        return Estimate.undefined("the model scores do not vary")
    n = len(human)
    mean_h = math.fsum(human) / n
    mean_m = math.fsum(model) / n
    dh = [x - mean_h for x in human]
    dm = [y - mean_m for y in model]
    cov = math.fsum(x * y for x, y in zip(dh, dm, strict=True))
    var = math.fsum(x * x for x in dh) * math.fsum(y * y for y in dm)
    r = cov / math.sqrt(var)
    return Estimate(max(-1.0, min(1.0, r)))  # rounding can step just past +-1


def spearman(human: Scores, model: Scores) -> Estimate:
    """Spearman's rho: Pearson's r of the ranks, ties at their average rank."""
    check_lengths(human, model)
    if len(human) < 2:
        return Estimate.undefined("fewer than 2 pairs")
    return pearson(rank(human), rank(model))


def mean_absolute_error(human: Scores, model: Scores) -> Estimate:
    """Mean of ``|human - model|`` in points, on the scores as given."""
    check_lengths(human, model)
    if not human:
        return Estimate.undefined("no pairs")
    return Estimate(math.fsum(abs(x - y) for x, y in zip(human, model, strict=True)) / len(human))


def exact_agreement(human: Scores, model: Scores, min_score: float, max_score: float) -> Estimate:
    """Share of pairs with the same score once both are rounded to the integer scale."""
    return _within(human, model, min_score, max_score, 0)


def adjacent_agreement(
    human: Scores, model: Scores, min_score: float, max_score: float
) -> Estimate:
    """Share of pairs at most one point apart once both are rounded to the integer scale."""
    return _within(human, model, min_score, max_score, 1)


def _within(human: Scores, model: Scores, min_score: float, max_score: float, gap: int) -> Estimate:
    check_lengths(human, model)
    low, high = scale_bounds(min_score, max_score)
    if not human:
        return Estimate.undefined("no pairs")
    hits = sum(
        abs(to_scale(x, low, high) - to_scale(y, low, high)) <= gap
        for x, y in zip(human, model, strict=True)
    )
    return Estimate(hits / len(human))


# --- bootstrap -------------------------------------------------------------------------------


def bootstrap(
    statistic: Statistic,
    n: int,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    rng: random.Random,
) -> Estimate:
    """The statistic of all `n` items with a percentile bootstrap interval.

    `statistic` takes the indices of the items to use; each resample draws `n` indices with
    replacement from `rng`. Resamples in which the statistic is undefined are left out; the
    interval is missing (with a reason) when fewer than half of them are defined, when the
    point value itself is undefined, or with fewer than two items.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    point = statistic(range(n))
    if point.value is None or resamples <= 0:
        return point
    if n < 2:
        return dataclasses.replace(point, reason="no interval: fewer than 2 pairs")
    values = []
    population = range(n)
    for _ in range(resamples):
        value = statistic(rng.choices(population, k=n)).value
        if value is not None:
            values.append(value)
    return interval(point, values, resamples, confidence)


def interval(point: Estimate, values: list[float], resamples: int, confidence: float) -> Estimate:
    """`point` with the percentile interval of `values`, the statistic in each of `resamples`
    resamples where it was defined; no interval when fewer than half of them were."""
    if len(values) < MIN_DEFINED_SHARE * resamples:
        return dataclasses.replace(
            point,
            reason=f"no interval: undefined in {resamples - len(values)} of {resamples} resamples",
        )
    values = sorted(values)
    tail = (1 - confidence) / 2
    return dataclasses.replace(
        point,
        low=_percentile(values, tail),
        high=_percentile(values, 1 - tail),
        resamples=len(values),
    )


def _percentile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values, linearly interpolated (numpy's default)."""
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
