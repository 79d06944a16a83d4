"""CPU per offline grade on the sample answers, the same three ways a user grades offline.

Grades every labelled sample answer of the built-in banks (tests/data/answers_*.yaml) offline
and prints a markdown table of the CPU time (`time.process_time`, so other processes on the
machine count less than in wall time) per answer:

* the plain loop: `KeywordGrader.grade` over the same answers, one after another, results
  dropped;
* `Grader(mode="keyword").grade_many` over a batch of the answers repeated `--copies` times,
  results kept (a young-generation collection after it is counted: the kept results cost it);
* `run_job`, what `coach grade-file --offline` runs, from a JSON-lines file to another.

The three are timed in turn within each round (plain, batch, file, then again), so a change
in the machine's load while the benchmark runs weighs on all three alike, not on the one that
happened to run then; each timing covers the same answers x copies, and "x plain" is the
median over rounds of a path's time over the plain loop's in the same round.

Targets (issue 17): at least 5,000 grades per CPU-second in the plain loop, and the batch and
file paths at most 1.2x the plain loop's CPU per answer. Run from a checkout with coach
installed: ``python bench/bench_cpu.py`` (``--quick``: fewer runs; ``--strict``: exit 1 when
a target fails).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

import coach
from coach.batch.jobs import run_job

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TARGET_GRADES_PER_CPU_S = 5000
TARGET_RATIO = 1.2

Case = tuple[coach.Bank, str, str]


def sample_cases() -> list[Case]:
    """Every labelled sample answer, with its bank and question."""
    cases = []
    for path in sorted(DATA.glob("answers_*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        bank = coach.load_bank(data["bank"])
        cases += [(bank, a["question"], a["text"]) for a in data["answers"]]
    return cases


def cpu_per_answer(
    runs: dict[str, Callable[[], object]], answers: int, repeat: int
) -> dict[str, list[float]]:
    """CPU microseconds per answer of each of `repeat` rounds of every run, taken in turn."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.process_time()
            run()
            gc.collect(1)  # what the run left for the young generations is its cost too
            times[name].append((time.process_time() - start) * 1e6 / answers)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=None, help="timed runs (default 9)")
    parser.add_argument("--copies", type=int, default=10, help="batch = answers x copies")
    parser.add_argument("--quick", action="store_true", help="fewer runs, for CI")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 9)
    cases = sample_cases()
    batch = cases * args.copies
    keyword, grader = coach.KeywordGrader(), coach.Grader(mode="keyword")

    def plain() -> None:
        for bank, question, answer in batch:
            keyword.grade(bank, question, answer)

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        lines = [
            {"id": str(i), "bank": b.id, "question": q, "answer": a}
            for i, (b, q, a) in enumerate(batch)
        ]
        source.write_text(
            "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), "utf-8"
        )
        runs = iter(range(1_000_000))

        def file_job() -> None:
            run_job(grader, source, Path(tmp) / f"out{next(runs)}.jsonl", progress=False)

        plain()  # warm-up
        grader.grade_many(batch[: len(cases)])
        file_job()
        paths: dict[str, Callable[[], object]] = {
            f"plain loop (KeywordGrader.grade), {len(batch):,} answers": plain,
            f"grade_many, {len(batch):,} answers": lambda: grader.grade_many(batch),
            f"grade-file --offline (run_job), {len(batch):,} lines": file_job,
        }
        measured = cpu_per_answer(paths, len(batch), repeat)

    medians = {name: statistics.median(times) for name, times in measured.items()}
    plain_us = next(iter(medians.values()))
    plain_times = next(iter(measured.values()))
    # Each path against the plain loop of its own round: the ratio a load change spares.
    ratios = {
        name: statistics.median(t / p for t, p in zip(times, plain_times, strict=True))
        for name, times in measured.items()
    }
    print("## coach offline grading: CPU per answer\n")
    print(f"- command: `python bench/bench_cpu.py{' --quick' if args.quick else ''}`")
    print(f"- Python {sys.version.split()[0]}; {len(cases)} sample answers of the built-in banks")
    print(f"- {repeat} rounds of the three in turn, after a warm-up; CPU time of this process\n")
    print("| path | CPU/answer median (us) | best (us) | grades per CPU-s | x plain, per round |")
    print("|---|---:|---:|---:|---:|")
    for name, times in measured.items():
        us = medians[name]
        print(f"| {name} | {us:.1f} | {min(times):.1f} | {1e6 / us:,.0f} | {ratios[name]:.2f} |")
    rate_ok = 1e6 / plain_us >= TARGET_GRADES_PER_CPU_S
    ratios_ok = all(ratio <= TARGET_RATIO for ratio in ratios.values())
    verdict = {True: "PASS", False: "FAIL"}
    print(f"\nplain loop >= {TARGET_GRADES_PER_CPU_S:,} grades per CPU-s: {verdict[rate_ok]}")
    print(f"batch and file paths <= {TARGET_RATIO}x the plain loop: {verdict[ratios_ok]}")
    return 1 if args.strict and not (rate_ok and ratios_ok) else 0


if __name__ == "__main__":
    raise SystemExit(main())
