"""Where `coach eval --offline` spends its time, and the bootstrap before and after sharing
resamples, in the same run.

    python bench/bench_eval.py LABELS.jsonl [--lines N] [--bootstrap 1000] [--quick] [--strict]

Reads LABELS.jsonl (the `coach eval` format; `--lines N` repeats its lines, with new ids, up to
N lines), grades it with the keyword grader, then computes the agreement figures twice with the
same resample count: the previous scheme (one bootstrap per statistic, six draws of n indices
and two sorts per resample, through `coach.eval.statistics.bootstrap`) and `evaluate` (one
draw per resample shared by the six statistics, computed from counts of distinct pairs). It
prints the seconds of each step and the overall intervals of both, and of `evaluate` with
another seed, so the change in the intervals can be set against the bootstrap's own noise.
`--strict` exits 1 when `evaluate` takes 5 CPU seconds or more (the target for 2,229 lines).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from coach.cli.labels import Label, read_labels
from coach.eval.agreement import Pair, evaluate
from coach.eval.statistics import (
    Estimate,
    adjacent_agreement,
    bootstrap,
    exact_agreement,
    mean_absolute_error,
    pearson,
    quadratic_weighted_kappa,
    spearman,
)
from coach.grading.offline import KeywordGrader

TARGET_SECONDS = 5.0
NAMES = ("qwk", "spearman", "pearson", "mae", "exact", "adjacent")


def repeated(path: Path, lines: int, folder: Path) -> Path:
    """A copy of the labels file with its lines repeated up to `lines`, each with a new id."""
    records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    out = folder / path.name
    with out.open("w", encoding="utf-8") as handle:
        for n in range(lines):
            record = dict(records[n % len(records)], id=f"copy-{n}")
            bank = record.get("bank")
            if isinstance(bank, str) and (path.parent / bank).is_file():
                record["bank"] = str((path.parent / bank).resolve())
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def previous(pairs: list[Pair], resamples: int, seed: int) -> dict[str, dict[str, Estimate]]:
    """The figures as computed before: one seeded bootstrap per statistic and group."""
    groups: dict[str, list[Pair]] = {}
    for one in pairs:
        groups.setdefault(one.group, []).append(one)
    groups["overall"] = pairs
    return {
        name: _previous_group(members, resamples, f"{seed}/{name}")
        for name, members in groups.items()
    }


def _previous_group(members: list[Pair], resamples: int, seed: str) -> dict[str, Estimate]:
    human = [p.human for p in members]
    model = [p.model for p in members]
    low = min(p.min_score for p in members)
    high = max(p.max_score for p in members)

    def pick(values: list[float], at: Any) -> list[float]:
        return [values[i] for i in at]

    statistics = {
        "qwk": lambda at: quadratic_weighted_kappa(pick(human, at), pick(model, at), low, high),
        "spearman": lambda at: spearman(pick(human, at), pick(model, at)),
        "pearson": lambda at: pearson(pick(human, at), pick(model, at)),
        "mae": lambda at: mean_absolute_error(pick(human, at), pick(model, at)),
        "exact": lambda at: exact_agreement(pick(human, at), pick(model, at), low, high),
        "adjacent": lambda at: adjacent_agreement(pick(human, at), pick(model, at), low, high),
    }
    return {
        stat: bootstrap(f, len(members), resamples=resamples, rng=random.Random(f"{seed}/{stat}"))
        for stat, f in statistics.items()
    }


class Timer:
    """CPU seconds of this process (what the target is about: the machine may be shared) and
    wall seconds of a block."""

    def __enter__(self) -> Timer:
        self.cpu = self.wall = 0.0
        self._cpu, self._wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu = time.process_time() - self._cpu
        self.wall = time.perf_counter() - self._wall


def cell(estimate: Estimate) -> str:
    if estimate.value is None:
        return "-"
    if estimate.low is None or estimate.high is None:
        return f"{estimate.value:.3f}"
    return f"{estimate.value:.3f} [{estimate.low:.3f}, {estimate.high:.3f}]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labels", type=Path, metavar="LABELS.jsonl")
    parser.add_argument("--lines", type=int, metavar="N", help="repeat the lines up to N")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="N")
    parser.add_argument("--quick", action="store_true", help="200 resamples")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target fails")
    args = parser.parse_args()
    resamples = 200 if args.quick else args.bootstrap
    with tempfile.TemporaryDirectory() as folder:
        path = repeated(args.labels, args.lines, Path(folder)) if args.lines else args.labels
        with Timer() as read_s:
            labels, failures, _ = read_labels(path)
    grader = KeywordGrader()
    with Timer() as grade_s:
        scores = [grader.grade(x.bank, x.question, x.answer).score for x in labels]
    pairs = [pair(x, s) for x, s in zip(labels, scores, strict=True)]
    with Timer() as before_s:
        before = previous(pairs, resamples, seed=0)
    with Timer() as after_s:
        after = evaluate(pairs, resamples=resamples, seed=0)
    other = evaluate(pairs, resamples=resamples, seed=1)
    print(f"command: python bench/bench_eval.py {args.labels.name}" + _options(args))
    print(
        f"{len(labels)} lines evaluated ({len(failures)} unusable), {len(after.groups)} "
        f"questions, {resamples} resamples\n"
    )
    print("| step | CPU seconds | wall seconds |\n|---|---:|---:|")
    print(f"| read and resolve the labels | {read_s.cpu:.2f} | {read_s.wall:.2f} |")
    print(f"| keyword grading | {grade_s.cpu:.2f} | {grade_s.wall:.2f} |")
    print(
        "| statistics, previous bootstrap (six draws per resample) | "
        f"{before_s.cpu:.2f} | {before_s.wall:.2f} |"
    )
    print(
        "| statistics, `evaluate` (one shared draw, distinct pairs) | "
        f"{after_s.cpu:.2f} | {after_s.wall:.2f} |"
    )
    print(f"\nspeed-up of the statistics (CPU): {before_s.cpu / after_s.cpu:.1f}x\n")
    print("| overall | previous, seed 0 | evaluate, seed 0 | evaluate, seed 1 |")
    print("|---|---|---|---|")
    for name in NAMES:
        print(
            f"| {name} | {cell(before['overall'][name])} | {cell(getattr(after.overall, name))} "
            f"| {cell(getattr(other.overall, name))} |"
        )
    passed = after_s.cpu < TARGET_SECONDS
    print(f"\ntarget: statistics < {TARGET_SECONDS:g} s: {'met' if passed else 'MISSED'}")
    return 1 if args.strict and not passed else 0


def pair(label: Label, score: float) -> Pair:
    group = f"{label.bank.id}/{label.question.id}"
    return Pair(human=label.score, model=score, max_score=label.question.points, group=group)


def _options(args: argparse.Namespace) -> str:
    text = f" --lines {args.lines}" if args.lines else ""
    text += " --quick" if args.quick else f" --bootstrap {args.bootstrap}"
    return text


if __name__ == "__main__":
    sys.exit(main())
