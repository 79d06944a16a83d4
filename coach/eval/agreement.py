"""How well a grader agrees with human raters, and with itself: the figures of a report.

`agreement` gives every statistic of `coach.eval.statistics` for one set of human-model pairs,
each with its bootstrap interval. `evaluate` computes them per group (per question) and overall,
where the groups are pooled on one scale from the lowest minimum to the highest maximum.
`retest` measures how far repeated grades of the same answers agree with each other. Bootstrap
intervals resample pairs (items, for `retest`) with replacement from a `random.Random` seeded
with the seed and the group's name, so they are reproducible and do not depend on the order of
the groups; the statistics of a group (or of `retest`) share each resample, and are computed
from counts of distinct score pairs (`coach.eval.paired_bootstrap`).
Each `Agreement` also carries its confusion matrix of rounded levels.
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

from coach.eval.confusion import Confusion, confusion
from coach.eval.paired_bootstrap import DistinctPairs, draw_indices
from coach.eval.statistics import (
    DEFAULT_CONFIDENCE,
    DEFAULT_RESAMPLES,
    Estimate,
    Scores,
    Statistic,
    adjacent_agreement,
    check_lengths,
    exact_agreement,
    interval,
    kappa,
    mean_absolute_error,
    pearson,
    scale_bounds,
    spearman,
    to_scale,
)

__all__ = [
    "Agreement",
    "AgreementReport",
    "Pair",
    "Retest",
    "agreement",
    "evaluate",
    "retest",
]


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
    confusion: Confusion | None = None  # human levels x model levels


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
        for found, agreed in zip(
            [*document["groups"], document["overall"]], [*self.groups, self.overall], strict=True
        ):
            found["confusion"] = agreed.confusion.to_dict() if agreed.confusion else None
        return document

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


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
    check_lengths(human, model)
    low, high = scale_bounds(min_score, max_score)
    levels_h = [to_scale(x, low, high) for x in human]
    levels_m = [to_scale(y, low, high) for y in model]
    rounded_h = [x - low for x in levels_h]
    rounded_m = [y - low for y in levels_m]
    n = len(human)
    points = {
        "qwk": kappa(rounded_h, rounded_m, high - low + 1)
        if n >= 2
        else Estimate.undefined("fewer than 2 pairs"),
        "spearman": spearman(human, model),
        "pearson": pearson(human, model),
        "mae": mean_absolute_error(human, model),
        "exact": exact_agreement(human, model, low, high),
        "adjacent": adjacent_agreement(human, model, low, high),
    }
    pairs = DistinctPairs(human, model, rounded_h, rounded_m)
    estimates = _with_intervals(
        points,
        n,
        lambda rng: pairs.statistics(pairs.draw(rng)),
        resamples=resamples,
        confidence=confidence,
        rng=_rng(seed, group or ""),
    )
    return Agreement(
        group=group,
        n=n,
        min_score=low,
        max_score=high,
        confusion=confusion(levels_h, levels_m, low, high),
        **estimates,
    )


def _with_intervals(
    points: dict[str, Estimate],
    n: int,
    resample: Callable[[random.Random], dict[str, float | None]],
    *,
    resamples: int,
    confidence: float,
    rng: random.Random,
) -> dict[str, Estimate]:
    """The point estimates of `n` items with percentile intervals from `resamples` resamples,
    each drawn once by `resample` for every statistic."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    wanted = [name for name, point in points.items() if point.value is not None]
    if resamples <= 0 or not wanted:
        return points
    if n < 2:
        return {
            name: dataclasses.replace(point, reason="no interval: fewer than 2 pairs")
            if name in wanted
            else point
            for name, point in points.items()
        }
    values: dict[str, list[float]] = {name: [] for name in wanted}
    for _ in range(resamples):
        found = resample(rng)
        for name in wanted:
            value = found[name]
            if value is not None:
                values[name].append(value)
    return {
        name: interval(point, values[name], resamples, confidence) if name in wanted else point
        for name, point in points.items()
    }


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
    low, high = scale_bounds(min_score, max_score)
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
        return kappa([rounded[i][r] for i in at], [rounded[i][s] for i in at], categories)

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
    n = len(grades)
    points = {name: statistic(range(n)) for name, statistic in statistics.items()}
    # resamples: each run pair's QWK and Pearson from counts of distinct grade pairs
    by_run_pair = [
        DistinctPairs(
            [row[r] for row in grades],
            [row[s] for row in grades],
            [row[r] for row in rounded],
            [row[s] for row in rounded],
        )
        for r, s in run_pairs
    ]
    spreads = [max(row) - min(row) for row in grades]
    same = [int(min(row) == max(row)) for row in grades]

    def resample(rng: random.Random) -> dict[str, float | None]:
        at = draw_indices(rng, n)
        found = [pairs.statistics(pairs.counts(at)) for pairs in by_run_pair]
        return {
            "qwk": _mean_defined(f["qwk"] for f in found),
            "pearson": _mean_defined(f["pearson"] for f in found),
            "mean_spread": sum(map(spreads.__getitem__, at)) / n,
            "identical": sum(map(same.__getitem__, at)) / n,
        }

    estimates = _with_intervals(
        points,
        n,
        resample,
        resamples=resamples,
        confidence=confidence,
        rng=_rng(seed, "retest"),
    )
    return Retest(items=len(grades), runs=runs, min_score=low, max_score=high, **estimates)


def _mean_defined(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return math.fsum(defined) / len(defined) if defined else None


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
