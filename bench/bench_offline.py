"""Benchmark of the deterministic offline (keyword) grader.

Grades every question of every built-in bank against its own model answer, fitted (trimmed or
repeated) so the median answer is about 300 characters, on one pinned core after a warm-up, and
prints a markdown table of:

* throughput: grades per second over all questions (median, min and max of --repeat runs);
* latency: p50 and p99 of individually timed grades, in microseconds;
* scaling: time per grade with the answers made 4x and 16x longer, next to the length ratio.

Run it from a checkout with coach installed: ``python bench/bench_offline.py`` (``--quick`` for
a short CI run, ``--strict`` to exit 1 when a target fails). Standard library plus coach only.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence

import coach

TARGET_MEDIAN_CHARS = 300
TARGET_GRADES_PER_S = 5000
SCALES = (1, 4, 16)
SEPARATOR = {"zh": "。", "en": ". "}

Case = tuple[coach.Bank, coach.Question, str]


def pin_to_one_core() -> str:
    """Pin this process to its first allowed CPU, where the OS supports it."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def load_banks() -> tuple[list[coach.Bank], list[str]]:
    """Every built-in bank that loads; the ones that do not are reported, not fatal."""
    banks, skipped = [], []
    for bank_id in coach.builtin_bank_ids():
        try:
            banks.append(coach.load_bank(bank_id))
        except coach.RubricError as exc:
            skipped.append(f"{bank_id} ({exc})")
    return banks, skipped


def fit(text: str, length: int, sep: str) -> str:
    """`text` repeated with sentence breaks between copies, then cut to `length` characters."""
    copies = length // (len(text) + len(sep)) + 1
    return sep.join([text] * copies)[: max(1, length)]


def make_cases(banks: Sequence[coach.Bank]) -> list[Case]:
    """One case per question: its model answer scaled so the median length is the target."""
    pairs = [(bank, question) for bank in banks for question in bank.questions]
    median = statistics.median(len(q.model_answer) for _, q in pairs)
    scale = TARGET_MEDIAN_CHARS / median
    return [
        (bank, q, fit(q.model_answer, round(len(q.model_answer) * scale), SEPARATOR[bank.language]))
        for bank, q in pairs
    ]


def lengthen(cases: Sequence[Case], factor: int) -> list[Case]:
    """The same cases with each answer repeated `factor` times, sentence breaks between copies."""
    return [(b, q, SEPARATOR[b.language].join([a] * factor)) for b, q, a in cases]


def timed_passes(grader: coach.KeywordGrader, cases: Sequence[Case], passes: int) -> float:
    """Seconds per grade over `passes` passes through all cases."""
    grade = grader.grade
    start = time.perf_counter()
    for _ in range(passes):
        for bank, question, answer in cases:
            grade(bank, question, answer)
    return (time.perf_counter() - start) / (passes * len(cases))


def latencies_us(grader: coach.KeywordGrader, cases: Sequence[Case], passes: int) -> list[float]:
    """Each grade timed on its own, in microseconds."""
    samples = []
    clock, grade = time.perf_counter_ns, grader.grade
    for _ in range(passes):
        for bank, question, answer in cases:
            start = clock()
            grade(bank, question, answer)
            samples.append((clock() - start) / 1000)
    return samples


def reference_loop_us() -> float:
    """Median time of a fixed pure-Python loop: how fast this interpreter is, for comparing runs.

    CPython builds differ (one built without profile-guided optimization runs some code up to
    twice as slowly), and the grader is mostly Python, so its speed follows this figure.
    """
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        total = 0
        for i in range(100_000):
            total += i & 7
        runs.append((time.perf_counter() - start) * 1e6 / 100)
    return statistics.median(runs)


def percentile(samples: Sequence[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, help="timed runs per measurement (default 5)")
    parser.add_argument("--quick", action="store_true", help="fewer runs and passes, for CI")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = 3 if args.quick else 5
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    pinning = pin_to_one_core()
    banks, skipped = load_banks()
    if not banks:
        print("no built-in bank could be loaded: " + "; ".join(skipped), file=sys.stderr)
        return 1
    base = make_cases(banks)
    scaled = {factor: lengthen(base, factor) for factor in SCALES}
    grades_per_run = 500 if args.quick else 2000
    passes = max(1, grades_per_run // len(base))

    grader = coach.KeywordGrader()
    for cases in scaled.values():  # warm-up: compiled rubrics, folding and regex caches
        timed_passes(grader, cases, 3)

    per_grade = [timed_passes(grader, base, passes) for _ in range(args.repeat)]
    rates = [1 / seconds for seconds in per_grade]
    samples = latencies_us(grader, base, passes * (1 if args.quick else 2))
    scale_times = {
        factor: statistics.median(
            timed_passes(grader, cases, max(1, passes // factor)) for _ in range(args.repeat)
        )
        for factor, cases in scaled.items()
    }
    lengths = {f: statistics.median(len(a) for _, _, a in cases) for f, cases in scaled.items()}

    rate = statistics.median(rates)
    reference_us = reference_loop_us()
    worst_ratio = max(scale_times[f] / scale_times[1] / f for f in SCALES)
    ratio16 = scale_times[SCALES[-1]] / scale_times[1]
    rate_ok, scaling_ok = rate >= TARGET_GRADES_PER_S, worst_ratio <= 1.0

    print("## coach offline (keyword) grader benchmark\n")
    print(f"- Python {platform.python_version()} ({platform.python_implementation()}), ", end="")
    print(f"{platform.platform()}; {pinning}, single process, no threads")
    print(f"- interpreter build: {' '.join(sys.version.split())}; reference loop ", end="")
    print(f"{reference_us:.2f} us per 1,000 iterations (lower is faster)")
    print(f"- {len(base)} questions from {len(banks)} banks: {', '.join(b.id for b in banks)}")
    if skipped:
        print(f"- skipped (invalid): {'; '.join(skipped)}")
    lens = sorted(len(a) for _, _, a in base)
    print(f"- answers: model answers fitted to a median of {lengths[1]:.0f} chars ", end="")
    print(f"(min {lens[0]}, max {lens[-1]})")
    print(f"- {args.repeat} timed runs x {passes * len(base)} grades each, after warm-up\n")
    print("| measure | value |\n|---|---:|")
    print(f"| throughput, median | {rate:,.0f} grades/s |")
    print(f"| throughput, min / max | {min(rates):,.0f} / {max(rates):,.0f} grades/s |")
    print(f"| latency p50 ({len(samples)} grades) | {percentile(samples, 50):.1f} us |")
    print(f"| latency p99 ({len(samples)} grades) | {percentile(samples, 99):.1f} us |\n")
    print("| answer | median chars | time/grade (us) | time ratio | length ratio |")
    print("|---|---:|---:|---:|---:|")
    for factor in SCALES:
        print(
            f"| {factor}x | {lengths[factor]:,.0f} | {scale_times[factor] * 1e6:.1f} "
            f"| {scale_times[factor] / scale_times[1]:.2f} | {lengths[factor] / lengths[1]:.2f} |"
        )
    print()
    verdict = {True: "PASS", False: "FAIL"}
    print(f"target >= {TARGET_GRADES_PER_S} grades/s per core: {verdict[rate_ok]} ({rate:,.0f})")
    print(
        f"time grows no faster than length: {verdict[scaling_ok]} "
        f"(time ratio {ratio16:.2f} at {SCALES[-1]}x length)"
    )
    return 1 if args.strict and not (rate_ok and scaling_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
