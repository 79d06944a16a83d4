"""Benchmark of `coach grade-file --offline --workers N`: CPU per answer, wall time and memory.

What: for N = 1 and 2 worker processes, one `coach grade-file IN.jsonl --out OUT.jsonl
--offline --workers N` run on the same generated job file: its wall time, the CPU seconds it
spent in all (the parent's own, `time.process_time()`, plus its worker processes',
`resource.getrusage(RUSAGE_CHILDREN)`), that CPU per answer, and the peak resident memory of the
parent and of its largest worker. Then one run at 100,000 lines with 2 workers for the memory.

How: each run is a fresh child process that calls `coach`'s command line in-process and reports
its own usage as JSON once the command has returned (its workers have been waited for by then,
so their usage is in RUSAGE_CHILDREN). The job file is `bench_gradefile_memory.py`'s: one
answer a line, cycling through every question of the built-in banks, no two lines alike.
Runs alternate between the N values for `--rounds` rounds; each N's best run (least CPU) is
shown, as the machine may be shared. Grading is offline: no network, no LLM.

Why: a worker process costs its start-up (Python, coach, the banks, the compiled rubrics)
and the pickling of chunks of items and result lines; the parent only reads, parses and
writes. Targets: CPU per answer at N=2 at most 1.2x that at N=1 (the work is split, not
grown), and peak RSS at most 150 MB per process at 100,000 lines (memory flat in the input).

The ratio is taken on the CPU per answer *after start-up*: each round also runs a job of the
first `SMALL_LINES` lines (every question several times, more than one chunk, so N=2 starts
its pool too), and a run's cost past that job, over its lines past it, is what an answer
costs. The start-up (a Python, coach, the banks, the rules, per process) is shown apart: it
is paid once per job, and over the 4,000 lines of --quick two workers' start-ups alone made
the total per answer 1.4x that of one process while the full run measured 1.11x.

Run from a checkout with coach importable: ``python bench/bench_workers.py`` (``--quick``:
4,000 lines and 10,000 for the memory; ``--strict`` exits 1 when a target fails). POSIX only
(`resource`). Standard library plus coach only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_gradefile_memory import offline_child_env, write_job

CPU_RATIO_TARGET = 1.2
SMALL_LINES = 600  # every built-in question 8 times over, in 3 chunks (the pool starts)
RSS_TARGET_MB = 150.0
LINES, QUICK_LINES = 20_000, 4_000
MEMORY_LINES, QUICK_MEMORY_LINES = 100_000, 10_000

# Runs the command in this process and prints what it cost; the workers are children of it.
DRIVER = """
import json, platform, resource, sys, time
from coach.cli.main import main
wall = time.perf_counter()
code = main(sys.argv[1:])
wall = time.perf_counter() - wall
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
scale = 1 if platform.system() == "Darwin" else 1024
print(json.dumps({
    "code": code, "wall": wall, "parent_cpu": time.process_time(),
    "workers_cpu": kids.ru_utime + kids.ru_stime,
    "parent_mb": own.ru_maxrss * scale / 1e6, "worker_mb": kids.ru_maxrss * scale / 1e6,
}))
"""


def run(source: Path, out: Path, workers: int, env: dict[str, str], cwd: str) -> dict[str, float]:
    """One fresh grade-file run into an empty output; what it cost."""
    out.unlink(missing_ok=True)
    command = [sys.executable, "-c", DRIVER, "grade-file", str(source), "--out", str(out)]
    command += ["--offline", "--workers", str(workers)]
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[3:])} failed: {done.stderr[-500:]}")
    report: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    if report["code"] != 0:
        raise RuntimeError(f"grade-file exited {report['code']}: {done.stderr[-500:]}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a shorter run")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--rounds", type=int, default=2, help="runs per N, alternating (2)")
    args = parser.parse_args()
    lines = QUICK_LINES if args.quick else LINES
    memory_lines = QUICK_MEMORY_LINES if args.quick else MEMORY_LINES
    env = offline_child_env()
    best: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        source, out = Path(scratch, "in.jsonl"), Path(scratch, "out.jsonl")
        small_source = Path(scratch, "small.jsonl")
        write_job(source, lines)
        write_job(small_source, SMALL_LINES)
        small: dict[int, float] = {}  # each N's least CPU on the small job
        for _ in range(args.rounds):
            for workers in (1, 2):
                report = run(source, out, workers, env, scratch)
                cpu = report["parent_cpu"] + report["workers_cpu"]
                kept = best.get(workers)
                if kept is None or cpu < kept["parent_cpu"] + kept["workers_cpu"]:
                    best[workers] = report
                once = run(small_source, out, workers, env, scratch)
                cpu = once["parent_cpu"] + once["workers_cpu"]
                small[workers] = min(cpu, small.get(workers, cpu))
        write_job(source, memory_lines)
        memory = run(source, out, 2, env, scratch)

    quick = " --quick" if args.quick else ""
    print(f"`python bench/bench_workers.py{quick}`")
    print(
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; best of {args.rounds} runs per N (least CPU), and of as "
        f"many runs of the first {SMALL_LINES} lines (the start-up: see the docstring)\n"
    )
    print(f"#### {lines:,} lines, fresh output each run\n")
    print(
        "| workers | wall s | answers/s | parent CPU s | workers CPU s | CPU ms/answer "
        "| start-up CPU s | CPU ms/answer after start-up | parent peak RSS MB "
        "| largest worker peak RSS MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    per_answer = {}
    for workers, r in sorted(best.items()):
        cpu = r["parent_cpu"] + r["workers_cpu"]
        per_answer[workers] = (cpu - small[workers]) / (lines - SMALL_LINES) * 1000
        start = small[workers] - SMALL_LINES * per_answer[workers] / 1000
        worker_mb = f"{r['worker_mb']:.0f}" if workers > 1 else "-"
        print(
            f"| {workers} | {r['wall']:.1f} | {lines / r['wall']:,.0f} | {r['parent_cpu']:.1f} "
            f"| {r['workers_cpu']:.1f} | {cpu / lines * 1000:.3f} | {start:.1f} "
            f"| {per_answer[workers]:.3f} | {r['parent_mb']:.0f} | {worker_mb} |"
        )
    print(f"\n#### {memory_lines:,} lines, 2 workers\n")
    print("| wall s | CPU ms/answer | parent peak RSS MB | largest worker peak RSS MB |")
    print("|---:|---:|---:|---:|")
    memory_cpu = (memory["parent_cpu"] + memory["workers_cpu"]) / memory_lines * 1000
    print(
        f"| {memory['wall']:.1f} | {memory_cpu:.3f} | {memory['parent_mb']:.0f} "
        f"| {memory['worker_mb']:.0f} |\n"
    )
    ratio = per_answer[2] / per_answer[1]
    peak = max(memory["parent_mb"], memory["worker_mb"])
    cpu_ok, rss_ok = ratio <= CPU_RATIO_TARGET, peak <= RSS_TARGET_MB
    print(
        f"CPU per answer after start-up, 2 workers vs 1 <= {CPU_RATIO_TARGET}x: "
        f"{'PASS' if cpu_ok else 'FAIL'} ({ratio:.2f}x)"
    )
    print(
        f"peak RSS per process at {memory_lines:,} lines <= {RSS_TARGET_MB:.0f} MB: "
        f"{'PASS' if rss_ok else 'FAIL'} ({peak:.0f} MB)"
    )
    return 1 if args.strict and not (cpu_ok and rss_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
