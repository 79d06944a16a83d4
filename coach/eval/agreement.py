"""How well a grader agrees with human raters, and with itself: pure functions, standard library.

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

`evaluate` computes all of them per group (per question) and overall, where the groups are
pooled on one scale from the lowest minimum to the highest maximum. `retest` measures how far
repeated grades of the same answers agree with each other. Bootstrap intervals resample pairs
(items, for `retest`) with replacement from a `random.Random` seeded with the seed and the
group's name, so they are reproducible and do not depend on the order of the groups.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Agreement",
    "AgreementReport",
    "Estimate",
    "Pair",
    "Retest",
    "adjacent_agreement",
    "agreement",
    "bootstrap",
    "evaluate",
    "exact_agreement",
    "mean_absolute_error",
    "pearson",
    "quadratic_weighted_kappa",
    "rank",
    "retest",
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


@dataclass(frozen=True, slots=True)
class Pair:
    """One answer scored by a human and by the model, on the scale of its question."""

    human: float
    model: float
    max_score: float
    group: str = ""
    min_score: float = 0.0


@dataclass(frozen=True, slots=True)
class Agreement:
    """Human-model agreement over a set of pairs; `group` is None for the overall figures."""

    group: str | None
    n: int
    min_score: int
    max_score: int
    qwk: Estimate
    spearman: Estimate
    pearson: Estimate
    mae: Estimate
    exact: Estimate
    adjacent: Estimate


@dataclass(frozen=True, slots=True)
class Retest:
    """Agreement of repeated grades of the same answers with each other.

    `qwk` and `pearson` are averaged over every pair of runs (run 1 with run 2 when there are
    two); `mean_spread` is the mean over items of the highest minus the lowest grade, in
    points; `identical` the share of items whose runs all gave exactly the same grade.
    """

    items: int
    runs: int
    min_score: int
    max_score: int
    qwk: Estimate
    pearson: Estimate
    mean_spread: Estimate
    identical: Estimate


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """Overall and per-group agreement, and test-retest agreement when grades were repeated."""

    overall: Agreement
    groups: tuple[Agreement, ...]
    retest: Retest | None
    resamples: int
    confidence: float
    seed: int

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts, lists, numbers, strings and None: ready for `json.dumps`."""
        document = dataclasses.asdict(self)
        document["groups"] = list(document["groups"])  # a list, as it reads back from JSON
        return document

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


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


def _scale_bounds(min_score: float, max_score: float) -> tuple[int, int]:
    low, high = math.floor(min_score + 0.5), math.floor(max_score + 0.5)
    if high <= low:
        raise ValueError(f"the scale {min_score:g}..{max_score:g} has fewer than two points")
    return low, high


def _check_lengths(human: Scores, model: Scores) -> None:
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
    _check_lengths(human, model)
    low, high = _scale_bounds(min_score, max_score)
    if len(human) < 2:
        return Estimate.undefined("fewer than 2 pairs")
    a = [to_scale(x, low, high) - low for x in human]
    b = [to_scale(x, low, high) - low for x in model]
    return _kappa(a, b, high - low + 1)


def _kappa(a: Sequence[int], b: Sequence[int], categories: int) -> Estimate:
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
    _check_lengths(human, model)
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
    _check_lengths(human, model)
    if len(human) < 2:
        return Estimate.undefined("fewer than 2 pairs")
    return pearson(rank(human), rank(model))


def mean_absolute_error(human: Scores, model: Scores) -> Estimate:
    """Mean of ``|human - model|`` in points, on the scores as given."""
    _check_lengths(human, model)
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
    _check_lengths(human, model)
    low, high = _scale_bounds(min_score, max_score)
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
    if len(values) < MIN_DEFINED_SHARE * resamples:
        return dataclasses.replace(
            point,
            reason=f"no interval: undefined in {resamples - len(values)} of {resamples} resamples",
        )
    values.sort()
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


def _rng(seed: int, name: str) -> random.Random:
    # A str seed is hashed with SHA-512 by `random`, so it is the same in every process.
    return random.Random(f"{seed}/{name}")


# --- agreement over a set of pairs -----------------------------------------------------------


def agreement(
    human: Scores,
    model: Scores,
    min_score: float,
    max_score: float,
    *,
    group: str | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> Agreement:
    """Every human-model statistic of these pairs, each with its bootstrap interval."""
    _check_lengths(human, model)
    low, high = _scale_bounds(min_score, max_score)
    rounded_h = [to_scale(x, low, high) - low for x in human]
    rounded_m = [to_scale(y, low, high) - low for y in model]
    categories = high - low + 1
    n = len(human)

    def picked(values: Sequence[float], at: Sequence[int]) -> list[float]:
        return [values[i] for i in at]

    def qwk(at: Sequence[int]) -> Estimate:
        if len(at) < 2:
            return Estimate.undefined("fewer than 2 pairs")
        return _kappa([rounded_h[i] for i in at], [rounded_m[i] for i in at], categories)

    def share(gap: int) -> Statistic:
        def within(at: Sequence[int]) -> Estimate:
            if not at:
                return Estimate.undefined("no pairs")
            return Estimate(sum(abs(rounded_h[i] - rounded_m[i]) <= gap for i in at) / len(at))

        return within

    statistics: dict[str, Statistic] = {
        "qwk": qwk,
        "spearman": lambda at: spearman(picked(human, at), picked(model, at)),
        "pearson": lambda at: pearson(picked(human, at), picked(model, at)),
        "mae": lambda at: mean_absolute_error(picked(human, at), picked(model, at)),
        "exact": share(0),
        "adjacent": share(1),
    }
    estimates = {
        name: bootstrap(
            statistic,
            n,
            resamples=resamples,
            confidence=confidence,
            rng=_rng(seed, f"{group or ''}/{name}"),
        )
        for name, statistic in statistics.items()
    }
    return Agreement(group=group, n=n, min_score=low, max_score=high, **estimates)


def retest(
    grades: Sequence[Sequence[float]],
    min_score: float,
    max_score: float,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> Retest:
    """Test-retest agreement: `grades[i]` holds every run's grade of item i (at least two).

    QWK (on the rounded integer scale) and Pearson are computed between each pair of runs and
    averaged; a run pair whose statistic is undefined (a run that never varies) is left out of
    the average, and the statistic is undefined when every pair is.
    """
    low, high = _scale_bounds(min_score, max_score)
    runs = min((len(row) for row in grades), default=0)
    if grades and runs != max(len(row) for row in grades):
        raise ValueError("every item needs the same number of runs")
    if grades and runs < 2:
        raise ValueError("test-retest agreement needs at least two runs per item")
    rounded = [[to_scale(x, low, high) - low for x in row] for row in grades]
    categories = high - low + 1
    run_pairs = list(itertools.combinations(range(runs), 2))

    def averaged(one: Callable[[Sequence[int], int, int], Estimate]) -> Statistic:
        def statistic(at: Sequence[int]) -> Estimate:
            found = [one(at, r, s) for r, s in run_pairs]
            values = [e.value for e in found if e.value is not None]
            if not values:
                return Estimate.undefined((found[0].reason or "") if found else "fewer than 2 runs")
            return Estimate(math.fsum(values) / len(values))

        return statistic

    def qwk(at: Sequence[int], r: int, s: int) -> Estimate:
        if len(at) < 2:
            return Estimate.undefined("fewer than 2 items")
        return _kappa([rounded[i][r] for i in at], [rounded[i][s] for i in at], categories)

    def corr(at: Sequence[int], r: int, s: int) -> Estimate:
        found = pearson([grades[i][r] for i in at], [grades[i][s] for i in at])
        if found.reason is not None:  # say "run 1", not "human", between two runs
            reason = found.reason.replace("the human", f"run {r + 1}'s")
            return Estimate.undefined(reason.replace("the model", f"run {s + 1}'s"))
        return found

    def spread(at: Sequence[int]) -> Estimate:
        if not at:
            return Estimate.undefined("no items")
        return Estimate(math.fsum(max(grades[i]) - min(grades[i]) for i in at) / len(at))

    def identical(at: Sequence[int]) -> Estimate:
        if not at:
            return Estimate.undefined("no items")
        return Estimate(sum(min(grades[i]) == max(grades[i]) for i in at) / len(at))

    statistics: dict[str, Statistic] = {
        "qwk": averaged(qwk),
        "pearson": averaged(corr),
        "mean_spread": spread,
        "identical": identical,
    }
    estimates = {
        name: bootstrap(
            statistic,
            len(grades),
            resamples=resamples,
            confidence=confidence,
            rng=_rng(seed, f"retest/{name}"),
        )
        for name, statistic in statistics.items()
    }
    return Retest(items=len(grades), runs=runs, min_score=low, max_score=high, **estimates)


def evaluate(
    pairs: Iterable[Pair],
    *,
    repeats: Sequence[Sequence[float]] | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> AgreementReport:
    """Agreement per group (in order of first appearance) and overall, on pooled pairs.

    The overall figures pool every pair on one scale, from the lowest `min_score` to the
    highest `max_score`, and resample pairs regardless of group. `repeats[i]`, when given,
    holds every run's grade of pair i and adds `retest` on that pooled scale.
    """
    pairs = list(pairs)
    if repeats is not None and len(repeats) != len(pairs):
        raise ValueError(f"{len(repeats)} rows of repeats for {len(pairs)} pairs")
    options: dict[str, Any] = {"resamples": resamples, "confidence": confidence, "seed": seed}
    by_group: dict[str, list[Pair]] = {}
    for pair in pairs:
        by_group.setdefault(pair.group, []).append(pair)
    groups = tuple(
        agreement(
            [p.human for p in members],
            [p.model for p in members],
            min(p.min_score for p in members),
            max(p.max_score for p in members),
            group=name,
            **options,
        )
        for name, members in by_group.items()
    )
    low = min((p.min_score for p in pairs), default=0.0)
    high = max((p.max_score for p in pairs), default=1.0)
    overall = agreement([p.human for p in pairs], [p.model for p in pairs], low, high, **options)
    tested = retest(repeats, low, high, **options) if repeats is not None else None
    return AgreementReport(
        overall=overall,
        groups=groups,
        retest=tested,
        resamples=resamples,
        confidence=confidence,
        seed=seed,
    )
