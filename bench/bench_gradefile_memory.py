"""Benchmark of `coach grade-file`'s memory: peak resident memory against the input's size.

What: the peak resident set size (RSS) of one `coach grade-file IN.jsonl --out OUT.jsonl
--offline` process for job files of growing length, and of a second run on the same finished
output (a resume that reads every line back and finds nothing left to do).

How: job files are generated into a temporary directory: one answer a line, cycling through
every question of the built-in banks, each answer a different cut of the question's model
answer with the line number in it (so no two lines are alike), about 150 characters on average.
Each command runs as a child process, and its own peak RSS is read from `os.wait4`'s resource
usage (Linux reports kilobytes, macOS bytes). Grading is offline: no network, no LLM.

Why: the input used to be read whole and held (236 MB at 100,000 lines); it is now streamed,
so memory should stay flat in the input's size. Target: at most 150 MB at 100,000 lines.

Run from a checkout with coach importable: ``python bench/bench_gradefile_memory.py``
(``--quick`` stops at 10,000 lines, ``--strict`` exits 1 when the target fails, ``--csv``
writes the same jobs as CSV files graded into a CSV output, streamed the same way). POSIX
only (`os.wait4`). Standard library plus coach only.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import coach

TARGET_MB = 150.0
SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)


def write_job(path: Path, lines: int, as_csv: bool = False) -> None:
    """`lines` gradable answers, every built-in question in turn; as CSV rows under a header
    with `as_csv`."""
    questions = [
        (bank.id, question.id, question.model_answer or question.prompt)
        for bank in coach.builtin_banks()
        for question in bank.questions
    ]
    with path.open("w", encoding="utf-8", newline="") as out:
        table = csv.writer(out) if as_csv else None
        if table is not None:
            table.writerow(["id", "bank", "question", "answer"])
        for n in range(lines):
            bank_id, question_id, model = questions[n % len(questions)]
            cut = max(20, len(model) * (1 + n % 4) // 4)
            answer = f"第{n}条回答：{model[:cut]}"
            record = {"id": f"r{n}", "bank": bank_id, "question": question_id, "answer": answer}
            if table is not None:
                table.writerow(record.values())
            else:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


def peak_rss_mb(command: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """The child's peak RSS in MB and its wall time in seconds; it must succeed. It runs in
    `cwd` (a scratch directory): `python -m` puts the working directory first on the import
    path, and a checkout there would shadow the coach chosen by PYTHONPATH."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({child.returncode}): {errors[-500:]}")
    scale = 1 if platform.system() == "Darwin" else 1024  # ru_maxrss: bytes on macOS, else KB
    return usage.ru_maxrss * scale / 1e6, elapsed


def offline_child_env() -> dict[str, str]:
    """This environment for a child `coach` process: the coach this script imports (on
    PYTHONPATH), and no LLM configured, so nothing reaches for the network."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(coach.__file__).resolve().parents[1]), env.get("PYTHONPATH")])
    )
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES} only")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target fails")
    parser.add_argument("--csv", action="store_true", help="CSV in, CSV out")
    args = parser.parse_args()
    sizes = QUICK_SIZES if args.quick else SIZES
    env = offline_child_env()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for lines in sizes:
            suffix = ".csv" if args.csv else ".jsonl"
            source, out = (
                Path(scratch, f"in-{lines}{suffix}"),
                Path(scratch, f"out-{lines}{suffix}"),
            )
            write_job(source, lines, args.csv)
            command = [sys.executable, "-m", "coach", "grade-file", str(source), "--out", str(out)]
            command.append("--offline")
            first, first_s = peak_rss_mb(command, env, scratch)
            again, again_s = peak_rss_mb(command, env, scratch)
            sizes_mb = (source.stat().st_size / 1e6, out.stat().st_size / 1e6)
            rows.append((lines, *sizes_mb, first, first_s, again, again_s))
            source.unlink()
            out.unlink()
    flags = f"{' --quick' if args.quick else ''}{' --csv' if args.csv else ''}"
    print(f"`python bench/bench_gradefile_memory.py{flags}`")
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}\n")
    print("| lines | input MB | output MB | peak RSS MB | s | resume: peak RSS MB | resume s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for lines, size_in, size_out, first, first_s, again, again_s in rows:
        print(
            f"| {lines:,} | {size_in:.1f} | {size_out:.0f} | {first:.0f} | {first_s:.1f} "
            f"| {again:.0f} | {again_s:.1f} |"
        )
    worst = max(max(row[3], row[5]) for row in rows)
    verdict = "met" if worst <= TARGET_MB else "MISSED"
    print(f"\ntarget: peak RSS <= {TARGET_MB:.0f} MB at every size: {verdict} ({worst:.0f} MB)")
    return 1 if args.strict and worst > TARGET_MB else 0


if __name__ == "__main__":
    sys.exit(main())
