"""`coach.eval.paired_bootstrap` against `coach.eval.statistics` on expanded resamples, and the
confusion matrices `agreement` attaches."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from coach.eval.agreement import Pair, agreement, evaluate, retest
from coach.eval.confusion import confusion
from coach.eval.paired_bootstrap import NAMES, DistinctPairs, draw_indices
from coach.eval.statistics import (
    adjacent_agreement,
    exact_agreement,
    mean_absolute_error,
    pearson,
    quadratic_weighted_kappa,
    spearman,
    to_scale,
)


def pairs_of(seed: int, n: int) -> tuple[list[float], list[float]]:
    """Scores on 0..10 with many ties and some halves and quarters, as graders give."""
    rng = random.Random(seed)
    human = [float(rng.randrange(11)) for _ in range(n)]
    model = [
        min(10.0, max(0.0, h + rng.choice((-3, -1, 0, 0, 1)) + rng.choice((0, 0.25, 0.5))))
        for h in human
    ]
    return human, model


def distinct(human: list[float], model: list[float]) -> DistinctPairs:
    levels_h = [to_scale(x, 0, 10) for x in human]
    levels_m = [to_scale(y, 0, 10) for y in model]
    return DistinctPairs(human, model, levels_h, levels_m)


def expected(human: list[float], model: list[float]) -> dict[str, float | None]:
    return {
        "qwk": quadratic_weighted_kappa(human, model, 0, 10).value,
        "spearman": spearman(human, model).value,
        "pearson": pearson(human, model).value,
        "mae": mean_absolute_error(human, model).value,
        "exact": exact_agreement(human, model, 0, 10).value,
        "adjacent": adjacent_agreement(human, model, 0, 10).value,
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_statistics_from_counts_equal_those_of_the_expanded_resample(seed: int) -> None:
    human, model = pairs_of(seed, 300)
    pairs = distinct(human, model)
    assert len(set(pairs.of_item)) < len(human) / 2  # the point: fewer distinct pairs than pairs
    rng = random.Random(seed)
    for _ in range(20):
        at = rng.choices(range(len(human)), k=len(human))
        counts = Counter(pairs.of_item[i] for i in at)
        found = pairs.statistics(counts)
        wanted = expected([human[i] for i in at], [model[i] for i in at])
        assert set(found) == set(NAMES)
        for name in NAMES:
            assert found[name] == pytest.approx(wanted[name], abs=1e-9), name


def test_the_draw_is_that_of_random_choices() -> None:
    human, model = pairs_of(4, 57)
    pairs = distinct(human, model)
    drawn = pairs.draw(random.Random("s"))
    at = random.Random("s").choices(range(57), k=57)
    assert drawn == Counter(pairs.of_item[i] for i in at)
    assert sum(drawn.values()) == 57
    assert draw_indices(random.Random("t"), 57) == random.Random("t").choices(range(57), k=57)
    assert pairs.counts(at) == drawn


def test_undefined_statistics_in_a_resample_are_none() -> None:
    human = [3.0, 3.0, 3.0, 5.0]
    model = [3.0, 3.0, 4.0, 6.0]
    pairs = distinct(human, model)
    constant_human = Counter({pairs.of_item[0]: 2, pairs.of_item[2]: 2})  # human 3, 3, 3, 3
    found = pairs.statistics(constant_human)
    assert found["pearson"] is None and found["spearman"] is None
    assert found["qwk"] == pytest.approx(0.0)  # one rater never varies: no agreement beyond chance
    one_level = Counter({pairs.of_item[0]: 4})  # both raters at 3 every time
    assert pairs.statistics(one_level)["qwk"] is None
    assert pairs.statistics(Counter({pairs.of_item[0]: 1})) == dict.fromkeys(NAMES)


def test_bootstrap_is_deterministic_with_its_seed_and_close_to_the_point() -> None:
    human, model = pairs_of(5, 400)
    first = agreement(human, model, 0, 10, resamples=300, seed=3)
    assert first == agreement(human, model, 0, 10, resamples=300, seed=3)
    other = agreement(human, model, 0, 10, resamples=300, seed=4)
    assert first.spearman.low != other.spearman.low
    for name in NAMES:
        one, two = getattr(first, name), getattr(other, name)
        assert one.low <= one.value <= one.high, name
        # two seeds give intervals that differ by bootstrap noise, not by their width
        assert abs(one.low - two.low) < (one.high - one.low) / 4, name


def test_confusion_matrix_counts_rounded_levels_and_sums_to_the_pairs() -> None:
    found = confusion([0, 0, 1, 2], [0, 1, 1, 2], 0, 2)
    assert found.levels == (0, 1, 2)
    assert found.counts == ((1, 1, 0), (0, 1, 0), (0, 0, 1))
    human, model = pairs_of(6, 120)
    result = agreement(human, model, 0, 10, resamples=0)
    assert result.confusion is not None
    assert result.confusion.levels == tuple(range(11))
    assert sum(map(sum, result.confusion.counts)) == 120
    exact = sum(result.confusion.counts[i][i] for i in range(11))
    assert exact / 120 == result.exact.value
    report = evaluate(
        [Pair(5, 4.5, 10, group="a"), Pair(2, 2, 10, group="a"), Pair(1, 0, 3, group="b")],
        resamples=0,
    )
    document = report.to_dict()
    assert document["groups"][1]["confusion"] == {
        "levels": [0, 1, 2, 3],
        "counts": [[0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
    }
    overall = document["overall"]["confusion"]
    assert overall["levels"] == list(range(11)) and sum(map(sum, overall["counts"])) == 3
    assert overall["counts"][5][5] == 1  # 4.5 rounds half up to 5


def test_retest_intervals_share_resamples_and_are_seeded() -> None:
    rng = random.Random(7)
    grades = [
        [g, min(10.0, g + rng.choice((0, 0, 1))), max(0.0, g - rng.choice((0, 1)))]
        for g in pairs_of(7, 200)[1]
    ]
    first = retest(grades, 0, 10, resamples=300, seed=2)
    assert first == retest(grades, 0, 10, resamples=300, seed=2)
    assert first != retest(grades, 0, 10, resamples=300, seed=3)
    for name in ("qwk", "pearson", "mean_spread", "identical"):
        estimate = getattr(first, name)
        assert estimate.low <= estimate.value <= estimate.high, name
        assert estimate.resamples == 300
    # the point values are those of every item, with or without intervals
    assert first.qwk.value == retest(grades, 0, 10, resamples=0).qwk.value
    spread = sum(max(row) - min(row) for row in grades) / len(grades)
    assert first.mean_spread.value == pytest.approx(spread)
