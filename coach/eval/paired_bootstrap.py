"""The bootstrap of `coach.eval.agreement`: resample counts of distinct pairs, not the pairs.

Scores take few distinct values (whole points and a few fractions), so n human-model pairs
collapse into K distinct pairs, each with a count. A resample only changes those counts, and
every statistic of `coach.eval.statistics` is a function of sums over the K distinct pairs
weighted by their counts: QWK of the moments of the rounded levels, Spearman of average ranks
read from cumulative counts, Pearson, MAE, exact and adjacent agreement of weighted sums. So a
resample costs one draw of n indices and O(K) arithmetic, shared by the six statistics,
instead of six draws and two sorts of n scores.

The point estimates stay those of `coach.eval.statistics` on the pairs themselves; the
statistics here are only read in resamples, where they equal those functions on the
expanded resample (`tests/eval` checks both ways agree).
"""

from __future__ import annotations

import itertools
import math
import operator
import random
from collections import Counter
from collections.abc import Iterable, Sequence

NAMES = ("qwk", "spearman", "pearson", "mae", "exact", "adjacent")


class DistinctPairs:
    """The distinct (human, model) pairs of a set of pairs, and which one each pair is.

    Per distinct pair it keeps the terms the statistics sum (scores, their squares and
    product, rounded levels and theirs), so that a resample's sums are dot products with its
    counts.
    """

    def __init__(
        self,
        human: Sequence[float],
        model: Sequence[float],
        level_h: Sequence[int],
        level_m: Sequence[int],
    ) -> None:
        index: dict[tuple[float, float], int] = {}
        self.of_item = [index.setdefault(p, len(index)) for p in zip(human, model, strict=True)]
        levels = dict(zip(self.of_item, zip(level_h, level_m, strict=True), strict=True))
        h = [x for x, _ in index]
        m = [y for _, y in index]
        a = [levels[k][0] for k in range(len(index))]
        b = [levels[k][1] for k in range(len(index))]
        self.terms: dict[str, Sequence[float]] = {
            "h": h,
            "m": m,
            "hh": [x * x for x in h],
            "mm": [y * y for y in m],
            "hm": [x * y for x, y in zip(h, m, strict=True)],
            "error": [abs(x - y) for x, y in zip(h, m, strict=True)],
            "a": a,
            "b": b,
            "aa": [x * x for x in a],
            "bb": [y * y for y in b],
            "gap2": [(x - y) ** 2 for x, y in zip(a, b, strict=True)],
            "exact": [int(x == y) for x, y in zip(a, b, strict=True)],
            "adjacent": [int(abs(x - y) <= 1) for x, y in zip(a, b, strict=True)],
        }
        # the place of each distinct pair's score among the sorted distinct scores, for ranks
        self.value_h = _places(h)
        self.value_m = _places(m)

    def draw(self, rng: random.Random) -> dict[int, int]:
        """A resample of the n pairs with replacement, as counts of the distinct pairs.

        It draws the indices `random.choices(range(n), k=n)` would, without its overhead.
        """
        n, of_item, uniform = len(self.of_item), self.of_item, rng.random
        return Counter([of_item[int(uniform() * n)] for _ in itertools.repeat(None, n)])

    def counts(self, indices: Iterable[int]) -> Counter[int]:
        """The counts of the distinct pairs among the pairs at these indices."""
        return Counter(map(self.of_item.__getitem__, indices))

    def statistics(self, counts: dict[int, int]) -> dict[str, float | None]:
        """The six statistics of the pairs with these counts (None where undefined)."""
        n = sum(counts.values())
        if n < 2:
            return dict.fromkeys(NAMES)
        keys, weights = list(counts), list(counts.values())

        def total(name: str) -> float:
            terms = map(self.terms[name].__getitem__, keys)
            found: float = sum(map(operator.mul, terms, weights))
            return found

        # QWK: expected = sum_ij H_i M_j (i - j)^2 / n, expanded into the level moments; all
        # integers, so "no expected disagreement" is an exact zero
        s1a, s1b = total("a"), total("b")
        expected_n = n * total("aa") - 2 * s1a * s1b + n * total("bb")
        varies_h = len({self.value_h[k] for k in keys}) > 1
        varies_m = len({self.value_m[k] for k in keys}) > 1
        pearson = None
        if varies_h and varies_m:
            pearson = _r(n, total("h"), total("m"), total("hh"), total("mm"), total("hm"))
        return {
            "qwk": None if expected_n == 0 else 1.0 - total("gap2") * n / expected_n,
            "spearman": self._spearman(keys, weights, n) if varies_h and varies_m else None,
            "pearson": pearson,
            "mae": total("error") / n,
            "exact": total("exact") / n,
            "adjacent": total("adjacent") / n,
        }

    def _spearman(self, keys: list[int], weights: list[int], n: int) -> float | None:
        x = _average_ranks([self.value_h[k] for k in keys], weights)
        y = _average_ranks([self.value_m[k] for k in keys], weights)
        wx = list(map(operator.mul, x, weights))
        wy = list(map(operator.mul, y, weights))
        return _r(
            n,
            sum(wx),
            sum(wy),
            sum(map(operator.mul, wx, x)),
            sum(map(operator.mul, wy, y)),
            sum(map(operator.mul, wx, y)),
        )


def draw_indices(rng: random.Random, n: int) -> list[int]:
    """The n indices `rng.choices(range(n), k=n)` would draw, without its overhead."""
    uniform = rng.random
    return [int(uniform() * n) for _ in itertools.repeat(None, n)]


def _places(values: list[float]) -> list[int]:
    order = {v: i for i, v in enumerate(sorted(set(values)))}
    return [order[v] for v in values]


def _average_ranks(places: list[int], weights: list[int]) -> list[float]:
    """1-based rank of each entry in the expanded sample, ties at their span's average."""
    totals: Counter[int] = Counter()
    for place, weight in zip(places, weights, strict=True):
        totals[place] += weight
    ranks, before = {}, 0
    for place in sorted(totals):
        ranks[place] = before + (totals[place] + 1) / 2
        before += totals[place]
    return [ranks[place] for place in places]


def _r(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    """Pearson's r from weighted sums; the caller has checked that x and y vary."""
    cov = sxy - sx * sy / n
    var = (sxx - sx * sx / n) * (syy - sy * sy / n)
    if var <= 0:  # both vary, so only cancellation can bring this here: call it undefined
        return None
    return max(-1.0, min(1.0, cov / math.sqrt(var)))
