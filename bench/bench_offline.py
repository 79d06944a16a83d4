"""Benchmark of the offline (keyword) grader in CPU time: three ways in, and answer length.

What, for the sample answers of `tests/data/answers_*.yaml` (real answers of every quality,
each graded against its own question):

* CPU time per grade (`time.process_time`, this process on one pinned core) of
  `KeywordGrader.grade` in a plain loop (the baseline), of
  `Grader(mode="keyword").grade_many(...)` over the same answers, and of
  `coach grade-file --offline` in a child process (its CPU from
  `resource.getrusage(RUSAGE_CHILDREN)`: a job of the samples followed by the answers the
  other paths grade (`FILE_PASSES` times over), minus a job of the samples alone, run in the
  same round, so what is left is the cost per line without the start-up, the bank loading and
  the patterns a process compiles on first use, all paid once per job);
* grades per CPU-second and the ratio of each to the plain loop;
* length scaling: answers of 100 to 3,000 characters, each built from different sentences of
  the sample answers (the question's own first, then the bank's others; no sentence twice, so
  no answer is flagged `repetition`, which the benchmark checks and prints), and the CPU per
  character at each length.

Each figure is the median of --repeat timed runs; wall time is printed beside it as
information only. Why CPU time: on a shared machine the wall time of the same loop swung from
710 to 3,557 grades/s within an hour; CPU time counts what the grader spent, and a ratio to the
plain loop measured in the same run cancels most of what remains.

Targets: >= 5,000 grades per CPU-second on each path; each path <= 1.2x the plain loop's CPU
per answer; CPU per character roughly constant over length (see `SCALING_LIMIT`).

Run from a checkout with coach installed: ``python bench/bench_offline.py`` (``--quick``: about
20 s; ``--strict``: exit 1 on any FAIL). Needs PyYAML (a coach dependency) and coach.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

import coach

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data"
TARGET_PER_CPU_S = 5000.0
TARGET_RATIO = 1.2
LENGTHS = (100, 300, 1000, 3000)
# Roughly linear: the CPU per character at a length is at most this multiple of its value at
# the length before (a fixed cost per grade makes it fall; only a superlinear cost, such as a
# pass over pairs of sentences, makes it rise by more than noise).
SCALING_LIMIT = 1.25
SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]*")
# grade-file's job holds the other paths' answers this many times over: its figure is the
# difference of two processes whose start-up alone varies by 0.1 s of CPU or more on a shared
# machine, which over the 696 answers of one pass was +-150 us a line (1.02x to 2.11x of the
# same code within minutes); five passes cut that fivefold.
FILE_PASSES = 5

Case = tuple[coach.Bank, coach.Question, str]


@dataclass
class Timing:
    cpu: float  # seconds per grade
    wall: float


def pin_to_one_core() -> str:
    """Pin this process (and the children it starts) to its first allowed CPU."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def sample_answers() -> list[Case]:
    """Every sample answer with the bank and question it answers."""
    cases = []
    for path in sorted(SAMPLES.glob("answers_*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        bank = coach.load_bank(data["bank"])
        questions = {q.id: q for q in bank.questions}
        for entry in data["answers"]:
            cases.append((bank, questions[entry["question"]], entry["text"].strip()))
    return cases


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.findall(text) if len(s.strip()) > 1]


def scaling_set(cases: Sequence[Case], length: int) -> list[Case]:
    """For each question with sample answers, one answer of `length` characters made of
    different sentences: the question's own sample answers and model answer first, then the
    rest of its bank's, then those of the other banks (the samples of one bank hold about
    2,500 characters)."""
    own: dict[tuple[str, str], list[str]] = {}
    by_bank: dict[str, list[str]] = {}
    for bank, question, text in cases:
        own.setdefault((bank.id, question.id), []).extend(sentences(text))
    for bank, question, _ in cases:
        key = (bank.id, question.id)
        if sentences(question.model_answer)[0] not in own[key]:
            own[key].extend(sentences(question.model_answer))
    for (bank_id, _), found in own.items():
        by_bank.setdefault(bank_id, []).extend(found)
    built = []
    for bank, question, _ in cases:
        key = (bank.id, question.id)
        if any(b.id == bank.id and q.id == question.id for b, q, _ in built):
            continue
        others = [s for bank_id, found in by_bank.items() if bank_id != bank.id for s in found]
        picked: list[str] = []
        size = 0
        for sentence in dict.fromkeys((*own[key], *by_bank[bank.id], *others)):  # each once
            if size >= length:
                break
            picked.append(sentence)
            size += len(sentence)
        answer = "".join(picked)
        if len(answer) < length:
            raise RuntimeError(f"the samples hold fewer than {length} characters")
        built.append((bank, question, answer[:length]))
    return built


def cpu_loop(run: Callable[[], object], count: int) -> Timing:
    """CPU and wall seconds per grade of `run`, which grades `count` answers."""
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return Timing((time.process_time() - cpu) / count, (time.perf_counter() - wall) / count)


def plain_loop(grader: coach.KeywordGrader, cases: Sequence[Case]) -> Callable[[], object]:
    def run() -> None:
        grade = grader.grade
        for bank, question, answer in cases:
            grade(bank, question, answer)

    return run


def batch(grader: coach.Grader, cases: Sequence[Case]) -> Callable[[], object]:
    def run() -> None:
        results = grader.grade_many(cases)
        if not all(r.ok for r in results):
            raise RuntimeError("grade_many: an item ended in an error")

    return run


def coach_command() -> list[str]:
    """The `coach` console script beside this interpreter, else `python -m coach`."""
    script = Path(sys.executable).with_name("coach")
    if script.exists():
        return [str(script)]
    found = shutil.which("coach")
    return [found] if found else [sys.executable, "-m", "coach"]


def child_env() -> dict[str, str]:
    """No LLM configured (nothing can reach for the network); PYTHONPATH made absolute."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    if env.get("PYTHONPATH"):
        parts = env["PYTHONPATH"].split(os.pathsep)
        env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in parts if p)
    return env


def grade_file(cases: Sequence[Case], workdir: Path) -> tuple[float, float]:
    """CPU and wall seconds of one `coach grade-file --offline` job over `cases`."""
    lines = [
        json.dumps({"id": str(i), "bank": b.id, "question": q.id, "answer": a}, ensure_ascii=False)
        for i, (b, q, a) in enumerate(cases)
    ]
    source, out = workdir / "job.jsonl", workdir / "job.out.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out.unlink(missing_ok=True)  # a fresh job, not a resumed one
    command = [*coach_command(), "grade-file", str(source), "--out", str(out), "--offline"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(command, env=child_env(), cwd=workdir, check=True, capture_output=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    written = out.read_text(encoding="utf-8").count("\n")
    if written != len(lines):
        raise RuntimeError(f"grade-file wrote {written} lines for {len(lines)}")
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, help="timed runs per measurement (default 5)")
    parser.add_argument("--quick", action="store_true", help="fewer runs and answers (~20 s)")
    parser.add_argument("--strict", action="store_true", help="exit 1 on any FAIL")
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = 3 if args.quick else 5
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    pinning = pin_to_one_core()
    samples = sample_answers()
    passes = 2 if args.quick else 8  # the sample set, graded this many times per timed run
    cases = samples * passes
    keyword = coach.KeywordGrader()
    batcher = coach.Grader(mode="keyword")
    scaling = {length: scaling_set(samples, length) for length in LENGTHS}
    flagged = {
        length: sum(
            any(f.code == "repetition" for f in keyword.grade(b, q, a).flags) for b, q, a in built
        )
        for length, built in scaling.items()
    }
    plain_loop(keyword, cases)()  # warm-up: compiled rubrics, folding caches, screening patterns
    batch(batcher, samples)()

    runs: dict[str, list[Timing]] = {"plain": [], "batch": [], "file": []}
    starts: list[float] = []
    per_length: dict[int, list[float]] = {length: [] for length in LENGTHS}
    with tempfile.TemporaryDirectory() as workdir:
        grade_file(samples[:2], Path(workdir))  # warm-up: .pyc files, page cache
        for _ in range(args.repeat):  # interleaved, so drift hits every path alike
            runs["plain"].append(cpu_loop(plain_loop(keyword, cases), len(cases)))
            runs["batch"].append(cpu_loop(batch(batcher, cases), len(cases)))
            # One job over the samples, and one over them and `cases` after: the difference is
            # what `cases` cost, without the start, the banks' loading and first-use patterns.
            cpu_once, wall_once = grade_file(samples, Path(workdir))
            cpu_more, wall_more = grade_file([*samples, *cases * FILE_PASSES], Path(workdir))
            count = len(cases) * FILE_PASSES
            runs["file"].append(
                Timing((cpu_more - cpu_once) / count, (wall_more - wall_once) / count)
            )
            starts.append(cpu_once)
            for length, built in scaling.items():
                timing = cpu_loop(plain_loop(keyword, built * passes), len(built) * passes)
                per_length[length].append(timing.cpu)

    cpu = {name: statistics.median(t.cpu for t in timings) for name, timings in runs.items()}
    wall = {name: statistics.median(t.wall for t in timings) for name, timings in runs.items()}
    chars = statistics.median(len(a) for _, _, a in samples)

    command = " ".join(["python", "bench/bench_offline.py", *sys.argv[1:]])
    print("## coach offline (keyword) grader: CPU time per grade\n")
    print(f"- command: `{command}`")
    print(f"- Python {platform.python_version()}, {platform.platform()}; {pinning}")
    print(f"- load average {os.getloadavg()[0]:.1f} when the runs ended")
    print(
        f"- {len(samples)} sample answers (tests/data/answers_*.yaml, median {chars:.0f} "
        f"characters), each path grading them {passes} times per run, {args.repeat} runs, "
        "interleaved, after a warm-up; medians"
    )
    print(
        f"- grade-file: a job of the {len(samples)} samples followed by the {len(cases)} graded "
        f"on the other paths, {FILE_PASSES} times over, minus a job of the samples alone "
        f"(start-up, bank loading and first-use patterns: median "
        f"{statistics.median(starts):.2f} s CPU), divided by {len(cases) * FILE_PASSES}\n"
    )
    labels = {
        "plain": "`KeywordGrader.grade`, plain loop (baseline)",
        "batch": '`Grader(mode="keyword").grade_many`',
        "file": "`coach grade-file --offline` (child process)",
    }
    print(
        "| path | CPU us/grade | grades per CPU-s | >= 5,000 | vs plain loop | <= 1.2x "
        "| wall us/grade (info) |"
    )
    print("|---|---:|---:|---|---:|---|---:|")
    failed = []
    for name, label in labels.items():
        rate = 1 / cpu[name]
        ratio = cpu[name] / cpu["plain"]
        rate_ok, ratio_ok = rate >= TARGET_PER_CPU_S, ratio <= TARGET_RATIO
        failed += [f"{name} rate"] * (not rate_ok) + [f"{name} ratio"] * (not ratio_ok)
        print(
            f"| {label} | {cpu[name] * 1e6:.0f} | {rate:,.0f} | {verdict(rate_ok)} "
            f"| {ratio:.2f}x | {verdict(ratio_ok)} | {wall[name] * 1e6:.0f} |"
        )
    print()
    print(
        f"Length scaling, plain loop: one answer per question ({len(scaling[LENGTHS[0]])} "
        "questions), built from different sample sentences; CPU per character at most "
        f"{SCALING_LIMIT}x its value at the length before\n"
    )
    print("| characters | answers | flagged repetition | CPU us/grade | CPU us/char | vs before |")
    print("|---:|---:|---:|---:|---:|---|")
    previous = None
    for length in LENGTHS:
        per_grade = statistics.median(per_length[length])
        per_char = per_grade / length
        cell = ""
        if previous is not None:
            ok = per_char <= SCALING_LIMIT * previous
            cell = f"{per_char / previous:.2f}x {verdict(ok)}"
            if not ok:
                failed.append(f"scaling at {length}")
        previous = per_char
        if flagged[length]:
            failed.append(f"repetition at {length}")
        print(
            f"| {length:,} | {len(scaling[length])} | {flagged[length]} "
            f"| {per_grade * 1e6:.0f} | {per_char * 1e6:.3f} | {cell} |"
        )
    print()
    print(
        f"no scaling answer flagged repetition: {verdict(not any(flagged.values()))}; "
        f"all targets: {verdict(not failed)}"
        + (f" (failed: {', '.join(failed)})" if failed else "")
    )
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
