"""The confusion matrix of human and model scores rounded onto a question's integer scale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Confusion:
    """`counts[i][j]`: pairs the human put at `levels[i]` and the model at `levels[j]`.

    The levels are the whole points of the scale, the ones QWK, exact and adjacent agreement
    compare, so the matrix shows where those figures come from; its cells sum to the pairs.
    """

    levels: tuple[int, ...]
    counts: tuple[tuple[int, ...], ...]

    def to_dict(self) -> dict[str, list[int] | list[list[int]]]:
        return {"levels": list(self.levels), "counts": [list(row) for row in self.counts]}


def confusion(human: Sequence[int], model: Sequence[int], low: int, high: int) -> Confusion:
    """Counts of (human, model) levels, both given as levels already on ``low..high``."""
    size = high - low + 1
    counts = [[0] * size for _ in range(size)]
    for a, b in zip(human, model, strict=True):
        counts[a - low][b - low] += 1
    return Confusion(tuple(range(low, high + 1)), tuple(tuple(row) for row in counts))
