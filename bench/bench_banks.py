"""Benchmark: does loading more banks slow offline grading down?

What: offline (keyword) grading throughput on one fixed workload while 1, 3 and 5 built-in
banks are loaded into the grader, and then 5 built-in banks plus 20 renamed copies of each
(105 banks), next to the time it took to load and compile them.

How: the workload is every question of the first built-in bank graded against its own model
answer, always the same cases. For each configuration a fresh `coach.KeywordGrader` first
grades every question of every loaded bank once (so each bank's rubric is compiled into the
grader's cache, as in a long-running service that serves them all), then the workload is timed
over --repeat runs on one pinned core, the configurations taking turns run by run. The copies
are the built-in YAML files with their `id:` renamed, written to a temporary directory and
loaded by path.

Why: a grader that keeps many banks should grade each answer as fast as one that keeps one:
lookups are per question, so throughput should not depend on how many banks are loaded (target:
no configuration more than 10% slower than one bank, comparing each row's best run, which is
the least disturbed by other work on a shared machine; medians are shown beside).

Run from a checkout with coach installed: ``python bench/bench_banks.py`` (``--quick`` for a
short run, ``--strict`` to exit 1 when the target fails). Standard library plus coach only.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import coach
from coach.resources import data_dir

TOLERANCE = 0.10
COPIES = 20
_ID_LINE = re.compile(r"^id:.*$", re.MULTILINE)


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def write_copies(folder: Path, copies: int) -> list[Path]:
    """`copies` renamed copies of every built-in bank file, as YAML files in `folder`."""
    paths = []
    for source in sorted((data_dir() / "rubrics").glob("*.yaml")):
        text = source.read_text(encoding="utf-8")
        for n in range(copies):
            bank_id = f"copy{n:02d}-{source.stem}"
            target = folder / f"{bank_id}.yaml"
            target.write_text(_ID_LINE.sub(f"id: {bank_id}", text, count=1), encoding="utf-8")
            paths.append(target)
    return paths


def workload(bank: coach.Bank) -> list[tuple[coach.Bank, coach.Question, str]]:
    return [(bank, q, q.model_answer) for q in bank.questions]


def grades_per_second(
    grader: coach.KeywordGrader, cases: Sequence[tuple[coach.Bank, coach.Question, str]], n: int
) -> float:
    """Grades per second over `n` passes through `cases`."""
    grade = grader.grade
    start = time.perf_counter()
    for _ in range(n):
        for bank, question, answer in cases:
            grade(bank, question, answer)
    return n * len(cases) / (time.perf_counter() - start)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, help="timed runs per configuration (default 15)")
    parser.add_argument("--copies", type=int, default=COPIES, help="copies of each built-in bank")
    parser.add_argument("--quick", action="store_true", help="fewer runs and copies")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target fails")
    args = parser.parse_args(argv)
    args.repeat = args.repeat or (5 if args.quick else 15)
    if args.quick:
        args.copies = min(args.copies, 4)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    pinning = pin_to_one_core()
    builtins = coach.builtin_banks()
    cases = workload(builtins[0])
    passes = max(1, (150 if args.quick else 600) // len(cases))

    rows: list[tuple[str, int, int, float, list[float]]] = []
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        copies = [coach.load_bank(path) for path in write_copies(Path(folder), args.copies)]
        copy_load_s = time.perf_counter() - start
        configurations = [
            ("1 built-in", builtins[:1]),
            ("3 built-in", builtins[:3]),
            ("5 built-in", builtins),
            (f"5 built-in + {len(copies)} copies", builtins + copies),
        ]
        graders = []
        for label, banks in configurations:
            grader = coach.KeywordGrader()
            start = time.perf_counter()
            for bank in banks:  # compile every loaded bank's rubrics into this grader
                for question in bank.questions:
                    grader.grade(bank, question, question.model_answer)
            compile_s = time.perf_counter() - start
            grades_per_second(grader, cases, 1)  # warm-up
            questions = sum(len(b.questions) for b in banks)
            graders.append(grader)
            rows.append((label, len(banks), questions, compile_s, []))
        for _ in range(args.repeat):  # round robin, so the machine's drift hits every row alike
            for grader, row in zip(graders, rows, strict=True):
                row[4].append(grades_per_second(grader, cases, passes))

    base, base_best = statistics.median(rows[0][4]), max(rows[0][4])
    command = shlex.join(["python", "bench/bench_banks.py", *sys.argv[1:]])
    print("## coach offline grading vs number of banks loaded\n")
    print(f"- command: `{command}`")
    print(f"- Python {platform.python_version()}, {platform.platform()}; {pinning}")
    print(f"- workload: the {len(cases)} questions of `{builtins[0].id}` with their model ", end="")
    print(f"answers, {passes * len(cases)} grades per run, {args.repeat} runs per row")
    print(f"- {len(copies)} copies parsed and validated from YAML in {copy_load_s:.2f} s\n")
    print(
        "| banks loaded | banks | questions | first grade of each, s | grades/s median "
        "| grades/s best | slowest run | median vs 1 bank | best vs 1 bank |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    slowdown = 0.0
    for label, count, questions, compile_s, rates in rows:
        rate, best = statistics.median(rates), max(rates)
        slowdown = max(slowdown, 1 - best / base_best)
        print(
            f"| {label} | {count} | {questions} | {compile_s:.2f} | {rate:,.0f} | {best:,.0f} "
            f"| {min(rates):,.0f} | {rate / base:.2f} | {best / base_best:.2f} |"
        )
    print()
    ok = slowdown <= TOLERANCE
    verdict = "PASS" if ok else "FAIL"
    print(
        f"target: no configuration more than {TOLERANCE:.0%} slower than one bank, best runs "
        f"compared (the least disturbed on a shared machine): {verdict} "
        f"(largest slowdown {max(slowdown, 0):.1%})"
    )
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
