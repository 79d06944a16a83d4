"""Agreement of derived and calibrated keyword rubrics with human scores on ads-zh.

    python bench/ads_zh.py PATH/TO/ads-zh/train.jsonl [--folds 5] [--seed 0] [--bootstrap 1000]
    python bench/ads_zh.py --train TRAIN.jsonl --test TEST.jsonl [--seed 0] [--bootstrap 1000]
    python bench/ads_zh.py PATH/TO/ads-zh/train.jsonl --questions dev test [--bootstrap 0]

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

With `--train` and `--test` (files in ads-zh's format) there is no folding: every condition is
built from the train file (the mean, the calibration, the full-mark answers; the references
of its questions) and reported on the test file, whose answers to questions the train file
lacks are counted and left out.

With `--questions` only the uncalibrated derived condition is reported (it uses no label, so
no folding is needed), once per group of questions: `dev` is the first 8 question ids in
sorted order, `test` the other 7, and any other word is a comma-separated list of ids.
`--full-share F` derives with count bands that give full points at that share of the key
points (`coach derive --full-share`); `--rubric FILE` grades with that rubric instead (a bank
whose question ids are ads-zh's q_ids, such as `bench/ads_blind.yaml`, written blind). The
rubric is derived once from every question's references; only the answers reported differ.
Each group's table is followed by its per-question QWKs.

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

from coach import KeywordGrader, load_file
from coach.authoring.calibrate import ScoredAnswer, calibrate_bank
from coach.authoring.draft import QuestionSource, derive_bank
from coach.eval.agreement import agreement
from coach.eval.statistics import Estimate, quadratic_weighted_kappa
from coach.rubric.model import Bank

TOP_SCORE = 10
DEV_QUESTIONS = 8  # the first ids in sorted order tune; the rest are looked at once
NAMES = ["mean", "derived", "derived+weights", "derived+bands", "derived+top+weights"]


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


def predict(
    train: list[dict[str, str]],
    test: list[dict[str, str]],
    questions: list[dict[str, str]],
    seed: int,
    flags: Counter[str],
) -> dict[str, list[float]]:
    """Every condition's grades of `test`, built from `train` (and the references of the
    `questions` rows); the derived draft's flags on `test` are added to `flags`."""
    grader = KeywordGrader()
    labels = [ScoredAnswer(r["q_id"], r["answer"], float(r["score"])) for r in train]
    means = {
        q: statistics.fmean(float(r["score"]) for r in train if r["q_id"] == q)
        for q in {r["q_id"] for r in train}
    }
    derived = derive_bank(sources(questions, []), bank_id="ads-zh", title="ads-zh")
    top = [r for r in train if float(r["score"]) >= TOP_SCORE]
    with_top = derive_bank(sources(questions, top), bank_id="ads-zh", title="ads-zh")
    banks = {
        "derived": derived,
        "derived+weights": calibrate_bank(derived, labels, seed=seed),
        "derived+bands": calibrate_bank(derived, labels, method="bands"),
        "derived+top+weights": calibrate_bank(with_top, labels, seed=seed),
    }
    predicted = {"mean": [means[r["q_id"]] for r in test]}
    predicted |= {name: grade(grader, bank, test) for name, bank in banks.items()}
    for r in test:
        result = grader.grade(derived, derived.question(r["q_id"]), r["answer"])
        flags.update(flag.code for flag in result.flags)
    return predicted


def cross_validated(
    rows: list[dict[str, str]], folds: int, seed: int, flags: Counter[str]
) -> dict[str, list[float]]:
    """Each condition's grade of every row by a rubric built without the row's fold."""
    fold = folds_of(rows, folds, seed)
    predicted: dict[str, list[float]] = {name: [0.0] * len(rows) for name in NAMES}
    for k in range(folds):
        train = [r for r, f in zip(rows, fold, strict=True) if f != k]
        held = [i for i, f in enumerate(fold) if f == k]
        found = predict(train, [rows[i] for i in held], rows, seed, flags)
        for name in NAMES:
            for i, score in zip(held, found[name], strict=True):
                predicted[name][i] = score
    return predicted


def cell(e: Estimate, pct: bool = False) -> str:
    def fmt(v: float) -> str:
        return f"{v:.0%}" if pct else f"{v:.2f}"

    if e.value is None:
        return "-"
    if e.low is None or e.high is None:
        return fmt(e.value)
    return f"{fmt(e.value)} [{fmt(e.low)}, {fmt(e.high)}]"


def table(
    rows: list[dict[str, str]], predicted: dict[str, list[float]], resamples: int, seed: int
) -> None:
    human = [float(r["score"]) for r in rows]
    print("| condition | QWK | QWK/q | Spearman | MAE | exact | adjacent |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in NAMES:
        model = predicted[name]
        found = agreement(human, model, 0, 10, resamples=resamples, seed=seed)
        per_q = []
        for q_id in sorted({r["q_id"] for r in rows}):
            at = [i for i, r in enumerate(rows) if r["q_id"] == q_id]
            value = quadratic_weighted_kappa([human[i] for i in at], [model[i] for i in at], 0, 10)
            per_q.append(value.value or 0.0)
        print(
            f"| {name} | {cell(found.qwk)} | {statistics.fmean(per_q):.2f} | "
            f"{cell(found.spearman)} | {cell(found.mae)} | {cell(found.exact, True)} | "
            f"{cell(found.adjacent, True)} |"
        )


def question_groups(rows: list[dict[str, str]], names: list[str]) -> dict[str, list[str]]:
    """The question ids of each named group: `dev`, `test` or a comma-separated id list."""
    ids = sorted({r["q_id"] for r in rows})
    groups = {}
    for name in names:
        if name == "dev":
            groups[name] = ids[:DEV_QUESTIONS]
        elif name == "test":
            groups[name] = ids[DEV_QUESTIONS:]
        else:
            wanted = [q for q in name.split(",") if q]
            unknown = sorted(set(wanted) - set(ids))
            if unknown:
                raise SystemExit(f"no such question in the file: {', '.join(unknown)}")
            groups[name] = wanted
    return groups


def derived_by_group(
    rows: list[dict[str, str]],
    names: list[str],
    resamples: int,
    seed: int,
    full_share: float | None = None,
    rubric: Path | None = None,
) -> None:
    """The uncalibrated derived rubric's agreement on each group of questions, with the
    per-question QWKs; with `rubric`, that file's (a bank whose question ids are the q_ids)."""
    if rubric is not None:
        bank, what = load_file(rubric), f"rubric {rubric.name}, uncalibrated"
    else:
        bank = derive_bank(
            sources(rows, []), bank_id="ads-zh", title="ads-zh", full_share=full_share
        )
        what = "derived, uncalibrated"
    grader = KeywordGrader()
    for name, ids in question_groups(rows, names).items():
        chosen = [r for r in rows if r["q_id"] in set(ids)]
        human = [float(r["score"]) for r in chosen]
        model = grade(grader, bank, chosen)
        found = agreement(human, model, 0, 10, resamples=resamples, seed=seed)
        print(f"{name} ({len(chosen)} answers, questions {' '.join(ids)}): {what}")
        print(
            f"QWK {cell(found.qwk)}  Spearman {cell(found.spearman)}  MAE {cell(found.mae)}  "
            f"exact {cell(found.exact, True)}  adjacent {cell(found.adjacent, True)}"
        )
        print("| question | answers | QWK | Spearman | MAE | mean human | mean coach |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for q_id in ids:
            at = [i for i, r in enumerate(chosen) if r["q_id"] == q_id]
            h, m = [human[i] for i in at], [model[i] for i in at]
            one = agreement(h, m, 0, 10, resamples=0, seed=seed)
            print(
                f"| {q_id} | {len(at)} | {cell(one.qwk)} | {cell(one.spearman)} | "
                f"{cell(one.mae)} | {statistics.fmean(h):.2f} | {statistics.fmean(m):.2f} |"
            )
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, nargs="?", help="ads-zh's train.jsonl (CV mode)")
    parser.add_argument("--train", type=Path, metavar="FILE", help="derive and calibrate on it")
    parser.add_argument("--test", type=Path, metavar="FILE", help="report on it (with --train)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument(
        "--questions",
        nargs="+",
        metavar="GROUP",
        help="only the derived rubric, uncalibrated, on each group: dev, test or ids a,b,c",
    )
    parser.add_argument(
        "--full-share",
        type=float,
        metavar="F",
        help="with --questions: derive with full points at this share of the key points",
    )
    parser.add_argument(
        "--rubric",
        type=Path,
        metavar="FILE",
        help="with --questions: this rubric file (question ids as q_id) instead of the derived",
    )
    args = parser.parse_args(argv)
    if bool(args.train) != bool(args.test) or bool(args.path) == bool(args.train):
        parser.error("give one file for cross-validation, or --train FILE and --test FILE")
    started = time.perf_counter()
    if args.questions:
        if not args.path:
            parser.error("--questions takes the one-file form")
        derived_by_group(
            load(args.path), args.questions, args.bootstrap, args.seed, args.full_share, args.rubric
        )
        print(f"time: {time.perf_counter() - started:.1f} s")
        return 0
    flags: Counter[str] = Counter()
    if args.path:
        rows = load(args.path)
        predicted = cross_validated(rows, args.folds, args.seed, flags)
        print(
            f"ads-zh: {len(rows)} answers, {len({r['q_id'] for r in rows})} questions, "
            f"{args.folds}-fold cross-validation by question, seed {args.seed}\n"
        )
    else:
        train = load(args.train)
        known = {r["q_id"] for r in train}
        tested = load(args.test)
        rows = [r for r in tested if r["q_id"] in known]
        predicted = predict(train, rows, train, args.seed, flags)
        print(
            f"ads-zh: derived and calibrated on {args.train.name} ({len(train)} answers, "
            f"{len(known)} questions), reported on {args.test.name} ({len(rows)} answers, "
            f"{len({r['q_id'] for r in rows})} questions), seed {args.seed}\n"
        )
        if len(rows) < len(tested):
            print(f"left out: {len(tested) - len(rows)} test answers to questions not in train\n")
    table(rows, predicted, args.bootstrap, args.seed)
    print(f"\nflags on held-out answers, derived rubric: {dict(sorted(flags.items()))}")
    print(f"time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
