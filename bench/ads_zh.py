"""Agreement of derived and calibrated keyword rubrics with human scores on ads-zh.

    python bench/ads_zh.py PATH/TO/ads-zh/train.jsonl [--folds 5] [--seed 0] [--bootstrap 1000]

ads-zh (the ADS folder of the public aleversn/SAS-Datasets repository, Apache-2.0) holds
1,107 Chinese answers to 15 data-structure questions, each scored 0-10 by one rater, with
reference answers. Only a training split exists, so every number here is
cross-validated inside it: the answers of each question are shuffled (fixed seed) and dealt
into k folds; each fold is graded by a rubric built without it. Conditions:

* mean: the training folds' mean score of the question, for every answer (the baseline);
* derived: `derive_bank` from the reference answers only, uncalibrated;
* +weights / +bands: that rubric calibrated on the training folds (`calibrate_bank`);
* derived+top: the training folds' full-mark answers added as extra references, then
  calibrated by weights.

The statistics come from `coach.eval.agreement`, on the pooled held-out grades, with percentile
bootstrap intervals; "QWK/q" is the mean of the per-question QWKs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from coach import KeywordGrader
from coach.authoring.calibrate import ScoredAnswer, calibrate_bank
from coach.authoring.draft import QuestionSource, derive_bank
from coach.eval.agreement import agreement
from coach.eval.statistics import quadratic_weighted_kappa
from coach.rubric.model import Bank

TOP_SCORE = 10


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def folds_of(rows: list[dict[str, str]], k: int, seed: int) -> list[int]:
    """Fold number of every row, dealt per question after a seeded shuffle."""
    fold = [0] * len(rows)
    by_question: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_question[row["q_id"]].append(i)
    for q_id in sorted(by_question):
        members = by_question[q_id]
        random.Random(f"{seed}/{q_id}").shuffle(members)
        for n, i in enumerate(members):
            fold[i] = n % k
    return fold


def sources(rows: list[dict[str, str]], extra: list[dict[str, str]]) -> list[QuestionSource]:
    first: dict[str, dict[str, str]] = {}
    for row in rows:
        first.setdefault(row["q_id"], row)
    good: dict[str, list[str]] = defaultdict(list)
    for row in extra:
        good[row["q_id"]].append(row["answer"])
    return [
        QuestionSource(
            q_id,
            row["question"],
            [row.get(f"reference{n}", "") for n in (1, 2, 3)],
            good.get(q_id, []),
        )
        for q_id, row in sorted(first.items())
    ]


def grade(grader: KeywordGrader, bank: Bank, rows: list[dict[str, str]]) -> list[float]:
    return [grader.grade(bank, bank.question(r["q_id"]), r["answer"]).score for r in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="ads-zh's train.jsonl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = load(args.path)
    fold = folds_of(rows, args.folds, args.seed)
    names = ["mean", "derived", "derived+weights", "derived+bands", "derived+top+weights"]
    predicted: dict[str, list[float]] = {name: [0.0] * len(rows) for name in names}
    flags: Counter[str] = Counter()
    grader = KeywordGrader()
    for k in range(args.folds):
        train = [r for r, f in zip(rows, fold, strict=True) if f != k]
        held = [i for i, f in enumerate(fold) if f == k]
        test = [rows[i] for i in held]
        labels = [ScoredAnswer(r["q_id"], r["answer"], float(r["score"])) for r in train]
        means = {
            q: statistics.fmean(float(r["score"]) for r in train if r["q_id"] == q)
            for q in {r["q_id"] for r in train}
        }
        derived = derive_bank(sources(rows, []), bank_id="ads-zh", title="ads-zh")
        top = [r for r in train if float(r["score"]) >= TOP_SCORE]
        with_top = derive_bank(sources(rows, top), bank_id="ads-zh", title="ads-zh")
        banks = {
            "derived": derived,
            "derived+weights": calibrate_bank(derived, labels, seed=args.seed),
            "derived+bands": calibrate_bank(derived, labels, method="bands"),
            "derived+top+weights": calibrate_bank(with_top, labels, seed=args.seed),
        }
        for i, r in zip(held, test, strict=True):
            predicted["mean"][i] = means[r["q_id"]]
        for name, bank in banks.items():
            for i, score in zip(held, grade(grader, bank, test), strict=True):
                predicted[name][i] = score
        for r in test:
            result = grader.grade(derived, derived.question(r["q_id"]), r["answer"])
            flags.update(flag.code for flag in result.flags)
    human = [float(r["score"]) for r in rows]
    print(
        f"ads-zh: {len(rows)} answers, {len({r['q_id'] for r in rows})} questions, "
        f"{args.folds}-fold cross-validation by question, seed {args.seed}\n"
    )
    print("| condition | QWK | QWK/q | Spearman | MAE | exact | adjacent |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
        model = predicted[name]
        found = agreement(human, model, 0, 10, resamples=args.bootstrap, seed=args.seed)
        per_q = []
        for q_id in sorted({r["q_id"] for r in rows}):
            at = [i for i, r in enumerate(rows) if r["q_id"] == q_id]
            value = quadratic_weighted_kappa([human[i] for i in at], [model[i] for i in at], 0, 10)
            per_q.append(value.value or 0.0)

        def cell(e: object, pct: bool = False) -> str:
            value, low, high = e.value, e.low, e.high  # type: ignore[attr-defined]
            fmt = (lambda v: f"{v:.0%}") if pct else (lambda v: f"{v:.2f}")
            return fmt(value) + (f" [{fmt(low)}, {fmt(high)}]" if low is not None else "")

        print(
            f"| {name} | {cell(found.qwk)} | {statistics.fmean(per_q):.2f} | "
            f"{cell(found.spearman)} | {cell(found.mae)} | {cell(found.exact, True)} | "
            f"{cell(found.adjacent, True)} |"
        )
    print(f"\nflags on held-out answers, derived rubric: {dict(sorted(flags.items()))}")
    print(f"time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
