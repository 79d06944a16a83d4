"""`coach.eval.statistics` and `coach.eval.agreement` against small examples worked out by hand."""

from __future__ import annotations

import json
import math
import random

import pytest

from coach.eval.agreement import Pair, agreement, evaluate, retest
from coach.eval.statistics import (
    Estimate,
    adjacent_agreement,
    bootstrap,
    exact_agreement,
    mean_absolute_error,
    pearson,
    quadratic_weighted_kappa,
    rank,
    spearman,
    to_scale,
)


def value(estimate: Estimate) -> float:
    assert estimate.value is not None, estimate.reason
    return estimate.value


def textbook_qwk(a: list[int], b: list[int], k: int) -> float:
    """QWK straight from the definition: weights (i-j)^2/(k-1)^2, observed and expected
    matrices normalised to proportions. An independent check of the counting shortcut."""
    n = len(a)
    observed = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b, strict=True):
        observed[x][y] += 1 / n
    row = [sum(observed[i]) for i in range(k)]
    col = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    w = [[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]
    num = sum(w[i][j] * observed[i][j] for i in range(k) for j in range(k))
    den = sum(w[i][j] * row[i] * col[j] for i in range(k) for j in range(k))
    return 1 - num / den


# --- hand-computed values ---------------------------------------------------------------------


def test_qwk_by_hand() -> None:
    # scale 0..2, human [0, 0, 1, 2], model [0, 1, 1, 2]
    # observed disagreement: sum (h - m)^2 = 0 + 1 + 0 + 0 = 1
    # histograms: human [2, 1, 1], model [1, 2, 1]; expected = sum_ij H_i M_j (i - j)^2 / n
    #   i=0: 2*1*0 + 2*2*1 + 2*1*4 = 12
    #   i=1: 1*1*1 + 1*2*0 + 1*1*1 = 2
    #   i=2: 1*1*4 + 1*2*1 + 1*1*0 = 6      -> 20 / 4 = 5
    # kappa = 1 - 1 / 5 = 0.8 (the 1/(k-1)^2 of the weights cancels)
    assert value(quadratic_weighted_kappa([0, 0, 1, 2], [0, 1, 1, 2], 0, 2)) == pytest.approx(0.8)
    assert textbook_qwk([0, 0, 1, 2], [0, 1, 1, 2], 3) == pytest.approx(0.8)


def test_qwk_on_a_wider_scale_and_offset_scale() -> None:
    # human [2, 5, 7], model [3, 5, 6] on 0..10: observed 1 + 0 + 1 = 2;
    # expected = sum over all item pairs (h_i - m_j)^2 / n
    #   h=2: 1 + 9 + 16 = 26;  h=5: 4 + 0 + 1 = 5;  h=7: 16 + 4 + 1 = 21  -> 52 / 3
    # kappa = 1 - 2 / (52/3) = 1 - 6/52 = 46/52
    assert value(quadratic_weighted_kappa([2, 5, 7], [3, 5, 6], 0, 10)) == pytest.approx(46 / 52)
    # shifting the scale and the scores together changes nothing
    assert value(quadratic_weighted_kappa([12, 15, 17], [13, 15, 16], 10, 20)) == pytest.approx(
        46 / 52
    )


def test_qwk_matches_the_textbook_formula_on_random_data() -> None:
    rng = random.Random(7)
    for _ in range(50):
        k = rng.randrange(2, 13)
        n = rng.randrange(2, 40)
        a = [rng.randrange(k) for _ in range(n)]
        b = [min(k - 1, max(0, x + rng.randrange(-2, 3))) for x in a]
        got = quadratic_weighted_kappa(a, b, 0, k - 1)
        if got.value is None:
            continue
        assert got.value == pytest.approx(textbook_qwk(a, b, k))


def test_qwk_rounds_model_scores_half_up_onto_the_scale() -> None:
    # 0.5 -> 1, 1.4 -> 1, 1.6 -> 2: the same as [0, 1, 1, 2] against [0, 1, 1, 2] -> perfect
    assert value(quadratic_weighted_kappa([0, 1, 1, 2], [0.4, 0.5, 1.4, 1.6], 0, 2)) == 1.0
    assert to_scale(2.5, 0, 10) == 3  # not banker's rounding
    assert to_scale(0.49, 0, 10) == 0
    with pytest.raises(ValueError, match="outside the scale"):
        to_scale(10.6, 0, 10)


def test_pearson_by_hand() -> None:
    # h [1, 2, 3, 4] (mean 2.5), m [2, 4, 5, 9] (mean 5)
    # dh [-1.5, -0.5, 0.5, 1.5], dm [-3, -1, 0, 4]
    # cov = 4.5 + 0.5 + 0 + 6 = 11; ss_h = 5; ss_m = 9 + 1 + 0 + 16 = 26
    # r = 11 / sqrt(5 * 26)
    assert value(pearson([1, 2, 3, 4], [2, 4, 5, 9])) == pytest.approx(11 / math.sqrt(130))


def test_spearman_with_ties_by_hand() -> None:
    # h [1, 2, 2, 3] -> ranks [1, 2.5, 2.5, 4]; m [1, 3, 2, 4] -> ranks [1, 3, 2, 4]
    # deviations from 2.5: [-1.5, 0, 0, 1.5] and [-1.5, 0.5, -0.5, 1.5]
    # cov = 2.25 + 2.25 = 4.5; ss = 4.5 and 5 -> rho = 4.5 / sqrt(22.5) = sqrt(0.9)
    assert rank([1, 2, 2, 3]) == [1, 2.5, 2.5, 4]
    assert rank([30, 10, 20, 10, 10]) == [5, 2, 4, 2, 2]
    assert value(spearman([1, 2, 2, 3], [1, 3, 2, 4])) == pytest.approx(math.sqrt(0.9))


def test_mae_and_exact_and_adjacent_by_hand() -> None:
    # |0 - 1| + |5 - 5| + |10 - 7.5| = 3.5 over 3 pairs
    assert value(mean_absolute_error([0, 5, 10], [1, 5, 7.5])) == pytest.approx(3.5 / 3)
    # model rounded: 0.4 -> 0, 5.5 -> 6, 8 -> 8, 4.6 -> 5; diffs 0, 1, 2, 2
    human, model = [0, 5, 10, 3], [0.4, 5.5, 8, 4.6]
    assert value(exact_agreement(human, model, 0, 10)) == pytest.approx(1 / 4)
    assert value(adjacent_agreement(human, model, 0, 10)) == pytest.approx(2 / 4)
    # MAE reads the scores as given, not rounded: (0.4 + 0.5 + 2 + 1.6) / 4
    assert value(mean_absolute_error(human, model)) == pytest.approx(4.5 / 4)


# --- perfect, anti, symmetric -----------------------------------------------------------------


def test_perfect_agreement() -> None:
    scores = [0, 3, 3, 7, 10, 5]
    assert value(quadratic_weighted_kappa(scores, scores, 0, 10)) == 1.0
    assert value(pearson(scores, scores)) == pytest.approx(1.0)
    assert value(spearman(scores, scores)) == pytest.approx(1.0)
    assert value(mean_absolute_error(scores, scores)) == 0.0
    assert value(exact_agreement(scores, scores, 0, 10)) == 1.0
    assert value(adjacent_agreement(scores, scores, 0, 10)) == 1.0


def test_anti_agreement() -> None:
    # [0, 1, 2] against [2, 1, 0]: observed 4 + 0 + 4 = 8; uniform histograms give expected
    # (0+1+4 + 1+0+1 + 4+1+0) / 3 = 4; kappa = 1 - 8/4 = -1
    assert value(quadratic_weighted_kappa([0, 1, 2], [2, 1, 0], 0, 2)) == pytest.approx(-1.0)
    assert value(pearson([0, 1, 2], [2, 1, 0])) == pytest.approx(-1.0)
    assert value(spearman([1, 5, 9, 12], [40, 30, 20, 10])) == pytest.approx(-1.0)
    full_scale = list(range(11))
    assert value(exact_agreement(full_scale, full_scale[::-1], 0, 10)) == pytest.approx(1 / 11)


def test_symmetric_statistics() -> None:
    rng = random.Random(3)
    h = [rng.randrange(11) for _ in range(30)]
    m = [rng.randrange(11) for _ in range(30)]
    for stat in (pearson, spearman, mean_absolute_error):
        assert value(stat(h, m)) == pytest.approx(value(stat(m, h)))
    for scaled in (quadratic_weighted_kappa, exact_agreement, adjacent_agreement):
        assert value(scaled(h, m, 0, 10)) == pytest.approx(value(scaled(m, h, 0, 10)))


def test_invariances() -> None:
    h, m = [1, 4, 2, 8, 5], [2, 3, 3, 9, 4]
    # Pearson: positive linear maps; Spearman: any increasing map
    assert value(pearson(h, [3 * y + 1 for y in m])) == pytest.approx(value(pearson(h, m)))
    assert value(spearman(h, [y**3 for y in m])) == pytest.approx(value(spearman(h, m)))


# --- degenerate input --------------------------------------------------------------------------


def test_degenerate_input_is_none_with_a_reason() -> None:
    assert pearson([], []) == Estimate(None, reason="fewer than 2 pairs")
    assert spearman([3], [4]).reason == "fewer than 2 pairs"
    assert quadratic_weighted_kappa([3], [4], 0, 10).reason == "fewer than 2 pairs"
    assert mean_absolute_error([], []).reason == "no pairs"
    assert exact_agreement([], [], 0, 10).reason == "no pairs"
    assert value(mean_absolute_error([3], [4])) == 1.0  # one pair has an error, not a spread
    assert pearson([5, 5, 5], [1, 2, 3]).reason == "the human scores do not vary"
    assert spearman([1, 2, 3], [7, 7, 7]).reason == "the model scores do not vary"
    # both raters put everything in one category: kappa is 0/0
    both = quadratic_weighted_kappa([10, 10, 10], [10, 10, 10], 0, 10)
    assert both.value is None and "one category" in (both.reason or "")
    # one rater constant: the formula is defined and says "no better than chance"
    assert value(quadratic_weighted_kappa([10, 10, 10], [8, 9, 10], 0, 10)) == 0.0


def test_bad_input_raises() -> None:
    with pytest.raises(ValueError, match="2 human scores but 3"):
        pearson([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="outside the scale"):
        quadratic_weighted_kappa([1, 12], [1, 2], 0, 10)
    with pytest.raises(ValueError, match="fewer than two points"):
        quadratic_weighted_kappa([1, 1], [1, 1], 0, 0)


# --- bootstrap ---------------------------------------------------------------------------------


def noisy(seed: int, n: int = 60) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    human = [float(rng.randrange(11)) for _ in range(n)]
    model = [min(10.0, max(0.0, x + rng.choice((-2, -1, 0, 0, 1, 2)) + 0.3)) for x in human]
    return human, model


def test_bootstrap_interval_contains_the_estimate_and_is_reproducible() -> None:
    human, model = noisy(1)
    first = agreement(human, model, 0, 10, resamples=400, seed=11)
    again = agreement(human, model, 0, 10, resamples=400, seed=11)
    other = agreement(human, model, 0, 10, resamples=400, seed=12)
    assert first == again
    assert first != other
    for name in ("qwk", "spearman", "pearson", "mae", "exact", "adjacent"):
        estimate: Estimate = getattr(first, name)
        assert estimate.low is not None and estimate.high is not None, name
        assert estimate.low <= value(estimate) <= estimate.high, name
        assert estimate.resamples == 400
        # the point estimate is that of all pairs, not of a resample
        assert estimate.value == getattr(agreement(human, model, 0, 10, resamples=0), name).value


def test_bootstrap_interval_narrows_with_more_data_and_widens_with_confidence() -> None:
    small = agreement(*noisy(2, 30), 0, 10, resamples=300)
    large = agreement(*noisy(2, 600), 0, 10, resamples=300)
    assert small.mae.low is not None and small.mae.high is not None
    assert large.mae.low is not None and large.mae.high is not None
    assert large.mae.high - large.mae.low < small.mae.high - small.mae.low
    narrow = agreement(*noisy(2, 60), 0, 10, resamples=300, confidence=0.5)
    wide = agreement(*noisy(2, 60), 0, 10, resamples=300, confidence=0.99)
    assert narrow.qwk.high is not None and narrow.qwk.low is not None
    assert wide.qwk.high is not None and wide.qwk.low is not None
    assert narrow.qwk.high - narrow.qwk.low < wide.qwk.high - wide.qwk.low


def test_bootstrap_degenerate_cases() -> None:
    rng = random.Random(0)

    def mean_of_first(at: object) -> Estimate:
        return Estimate(1.0)

    assert bootstrap(mean_of_first, 1, rng=rng).reason == "no interval: fewer than 2 pairs"
    assert bootstrap(mean_of_first, 5, resamples=0, rng=rng) == Estimate(1.0)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap(mean_of_first, 5, confidence=1.0, rng=rng)
    # each rater varies on one item only (a different one): a resample has variance in both
    # only if it draws both items, which about 40% do -> no interval
    human = [2.0] + [1.0] * 19
    model = [1.0, 2.0] + [1.0] * 18
    result = agreement(human, model, 0, 10, resamples=200)
    assert result.pearson.value == pytest.approx(-1 / 19)
    assert result.pearson.low is None and "resamples" in (result.pearson.reason or "")


# --- reports -----------------------------------------------------------------------------------


def test_evaluate_groups_overall_and_json() -> None:
    pairs = (
        [
            Pair(human=h, model=m, max_score=12, group="bank/s2")
            for h, m in [(11, 12), (9, 9), (7, 4), (4, 0.15), (0, 0)]
        ]
        + [
            Pair(human=h, model=m, max_score=10, group="bank/b1")
            for h, m in [(10, 10), (7, 7), (5, 2), (2, 0)]
        ]
        + [Pair(human=5, model=5, max_score=10, group="bank/k1")]
    )  # a group of one pair
    report = evaluate(pairs, resamples=200, seed=5)
    assert [g.group for g in report.groups] == ["bank/s2", "bank/b1", "bank/k1"]
    assert [g.n for g in report.groups] == [5, 4, 1]
    assert (report.overall.n, report.overall.min_score, report.overall.max_score) == (10, 0, 12)
    assert report.overall.group is None
    s2 = report.groups[0]
    assert value(s2.mae) == pytest.approx((1 + 0 + 3 + 3.85 + 0) / 5)
    lonely = report.groups[2]
    assert lonely.qwk.value is None and lonely.qwk.reason == "fewer than 2 pairs"
    assert value(lonely.mae) == 0.0 and lonely.mae.reason == "no interval: fewer than 2 pairs"
    # JSON without NaN or infinities, and the same report for the same seed
    text = json.dumps(report.to_dict(), allow_nan=False)
    assert json.loads(text)["groups"][2]["qwk"]["value"] is None
    assert report.to_json() == evaluate(pairs, resamples=200, seed=5).to_json()
    assert report.retest is None


def test_retest_by_hand() -> None:
    # two runs of three items: [2, 3], [5, 5], [7, 6]
    # spread: (1 + 0 + 1) / 3; identical: 1 of 3
    # QWK run 1 [2, 5, 7] vs run 2 [3, 5, 6]: 46/52 (see test_qwk_on_a_wider_scale...)
    # Pearson: deviations [-8, 1, 7]/3 and [-5, 1, 4]/3 -> 69 / sqrt(114 * 42)
    tested = retest([[2, 3], [5, 5], [7, 6]], 0, 10, resamples=0)
    assert (tested.items, tested.runs) == (3, 2)
    assert value(tested.qwk) == pytest.approx(46 / 52)
    assert value(tested.pearson) == pytest.approx(69 / math.sqrt(114 * 42))
    assert value(tested.mean_spread) == pytest.approx(2 / 3)
    assert value(tested.identical) == pytest.approx(1 / 3)


def test_retest_with_three_runs_averages_run_pairs() -> None:
    grades = [[2, 3, 2], [5, 5, 6], [7, 6, 7], [9, 9, 9]]
    three = retest(grades, 0, 10, resamples=0)
    pairs = [(0, 1), (0, 2), (1, 2)]
    expected = [
        value(quadratic_weighted_kappa([g[r] for g in grades], [g[s] for g in grades], 0, 10))
        for r, s in pairs
    ]
    assert value(three.qwk) == pytest.approx(sum(expected) / 3)
    assert value(three.mean_spread) == pytest.approx((1 + 1 + 1 + 0) / 4)


def test_retest_identical_runs_are_perfect_and_bad_shapes_raise() -> None:
    tested = retest([[1, 1], [4, 4], [8, 8]], 0, 10, resamples=100, seed=1)
    assert value(tested.qwk) == 1.0 and value(tested.pearson) == pytest.approx(1.0)
    assert value(tested.mean_spread) == 0.0 and value(tested.identical) == 1.0
    assert tested.identical.low == tested.identical.high == 1.0
    constant = retest([[3, 3], [3, 3]], 0, 10, resamples=0)
    assert constant.pearson.value is None and "run 1" in (constant.pearson.reason or "")
    with pytest.raises(ValueError, match="two runs"):
        retest([[1], [2]], 0, 10)
    with pytest.raises(ValueError, match="same number"):
        retest([[1, 2], [2]], 0, 10)
    report = evaluate(
        [Pair(1, 1, 10), Pair(4, 5, 10), Pair(8, 8, 10)],
        repeats=[[1, 2], [5, 5], [8, 8]],
        resamples=50,
    )
    assert report.retest is not None and report.retest.runs == 2
