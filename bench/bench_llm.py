"""Benchmark of coach's LLM path against a loopback fake OpenAI server.

What: (1) the library's own cost per LLM grade, next to a bare openai SDK call sending the same
request and validating the reply with pydantic; (2) how close a batch (`agrade_many`) comes to
the ideal wall time when the server takes 100 ms per reply, at 8, 32 and 64 in flight.

How: the server is tests/fake_openai.py with the judge of bench/_fake.py (a valid full-marks
reply built from each request's JSON Schema), run in a separate process pinned to another CPU
than this one, so its threads neither share our GIL nor our core. (1) one grade is captured on
an in-process server to get the exact messages, `response_format`, temperature and max_tokens
coach sends; then, on a zero-latency server, `coach.Grader(base_url=..., api_key="x")` grades
that question's model answer N times and `openai.OpenAI(...).chat.completions.create(**request)`
plus `Model.model_validate_json(reply)` (a pydantic model with the same schema) runs N times,
each side with one client reused, in alternating rounds after a warm-up; each call is timed on
its own. (2) the built-in banks' questions with their model answers, cycled to 1,000 items.

Why: a grade should cost little more than the request it sends (target: coach's median at most
1.2x the bare call), and a batch should be bound by the server, not by the library (target:
within 10% of n / in_flight x latency at 32 in flight).

Run from a checkout with coach installed: ``python bench/bench_llm.py`` (``--quick`` for a
short run, ``--strict`` to exit 1 when a target fails). Standard library, coach, openai.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openai

import coach
from coach._reply import output_schema

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fake

OVERHEAD_TARGET = 1.2
BATCH_TARGET_PCT = 10.0
BATCH_BANK, BATCH_QUESTION = "finance-cs-manager", "s2"  # the overhead case


def pin_cpus() -> tuple[int | None, int | None, str]:
    """This process on one CPU and the server on another, where there are two."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None, "not pinned (no sched_setaffinity)"
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None, f"not pinned (only CPU {cpus[0]} allowed)"
    os.sched_setaffinity(0, {cpus[0]})
    return cpus[0], cpus[1], f"client pinned to CPU {cpus[0]}, server process to CPU {cpus[1]}"


def capture_request(bank: coach.Bank, question: coach.Question) -> dict[str, Any]:
    """The request body coach sends for one grade (an in-process server records it)."""
    with _fake.FakeOpenAI(_fake.Judge()) as server:
        with coach.Grader(base_url=server.base_url, api_key="x", mode="llm") as grader:
            grader.grade(bank, question, question.model_answer)
        return dict(server.completion_requests[0].body)


def percentile(samples: Sequence[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(call: Callable[[], object], count: int) -> list[float]:
    """`count` calls, each timed on its own, in milliseconds."""
    samples = []
    clock = time.perf_counter
    for _ in range(count):
        start = clock()
        call()
        samples.append((clock() - start) * 1000)
    return samples


def overhead(base_url: str, calls: int, rounds: int) -> dict[str, list[float]]:
    """Per-call times of coach grades, bare SDK calls and the keyword grader alone."""
    bank = coach.load_bank(BATCH_BANK)
    question = coach.find_question(bank, BATCH_QUESTION)
    answer = question.model_answer
    request = capture_request(bank, question)
    model = _fake.model_from_schema(output_schema(question))

    grader = coach.Grader(base_url=base_url, api_key="x", mode="llm")
    client = openai.OpenAI(base_url=base_url, api_key="x", max_retries=0)
    keyword = coach.KeywordGrader()

    def with_coach() -> object:
        result = grader.grade(bank, question, answer)
        assert result.method == "llm" and result.usage.requests == 1, result
        return result

    def with_sdk() -> object:
        completion = client.chat.completions.create(**request)
        return model.model_validate_json(completion.choices[0].message.content or "")

    def keyword_only() -> object:
        return keyword.grade(bank, question, answer)

    for call in (with_coach, with_sdk, keyword_only):  # warm-up: connections, caches
        timed(call, max(20, calls // 10))
    samples: dict[str, list[float]] = {"coach": [], "sdk": [], "keyword": []}
    per_round = max(1, calls // rounds)
    for _ in range(rounds):  # alternate, so drift on a noisy machine hits both sides
        samples["coach"] += timed(with_coach, per_round)
        samples["sdk"] += timed(with_sdk, per_round)
        samples["keyword"] += timed(keyword_only, per_round)
    grader.close()
    client.close()
    return samples


def batch_items(count: int) -> list[tuple[str, str, str, str]]:
    """`count` items: every built-in question with its model answer, cycled."""
    pairs = [(b.id, q.id, q.model_answer) for b in coach.builtin_banks() for q in b.questions]
    return [(*pairs[i % len(pairs)], f"item-{i}") for i in range(count)]


async def run_batch(base_url: str, items: list[Any], in_flight: int) -> tuple[float, int]:
    """Wall seconds of one `agrade_many` (after a warm-up batch on the same loop and client),
    and how many items were graded by the LLM."""
    async with coach.Grader(base_url=base_url, api_key="x", mode="llm") as grader:
        await grader.agrade_many(items[: 2 * in_flight], concurrency=in_flight, progress=False)
        start = time.perf_counter()
        results = await grader.agrade_many(items, concurrency=in_flight, progress=False)
        wall = time.perf_counter() - start
    graded = sum(1 for r in results if r.ok and r.result and r.result.method == "llm")
    return wall, graded


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls and answers")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--calls", type=int, help="sequential calls per side (default 500)")
    parser.add_argument("--answers", type=int, help="answers per batch (default 1000)")
    parser.add_argument("--latency", type=float, default=0.1, help="batch server latency, s")
    parser.add_argument(
        "--in-flight", type=int, nargs="+", default=[8, 32, 64], help="concurrency levels"
    )
    args = parser.parse_args(argv)
    args.calls = args.calls or (100 if args.quick else 500)
    args.answers = args.answers or (200 if args.quick else 1000)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    _, server_cpu, pinning = pin_cpus()
    _fake.provision_tiktoken()  # real token counts for truncation budgets, as when installed

    with _fake.serve_in_subprocess(0.0, server_cpu) as base_url:
        samples = overhead(base_url, args.calls, rounds=5)
    items = batch_items(args.answers)
    batches = {}
    with _fake.serve_in_subprocess(args.latency, server_cpu) as base_url:
        for in_flight in args.in_flight:
            batches[in_flight] = asyncio.run(run_batch(base_url, items, in_flight))

    medians = {side: statistics.median(values) for side, values in samples.items()}
    ratio = medians["coach"] / medians["sdk"]
    print("## coach LLM-path benchmark (loopback fake server)\n")
    print(f"- command: `{shlex.join(['python', 'bench/bench_llm.py', *sys.argv[1:]])}`")
    print(f"- Python {platform.python_version()}, openai {openai.__version__}, ", end="")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs; {pinning}")
    print("- server: tests/fake_openai.py + bench/_fake.py judge in a subprocess, 127.0.0.1\n")
    print(f"### Per-grade overhead ({BATCH_BANK} {BATCH_QUESTION}, zero server latency)\n")
    print(f"{len(samples['coach'])} timed calls per side in 5 alternating rounds, after warm-up.\n")
    print("| path | median ms | p90 ms | vs bare SDK |")
    print("|---|---:|---:|---:|")
    rows = [
        ("coach `Grader.grade` (LLM, verified)", "coach"),
        ("bare `chat.completions.create` + pydantic", "sdk"),
        ("keyword grader alone (runs beside the LLM)", "keyword"),
    ]
    for label, side in rows:
        print(
            f"| {label} | {medians[side]:.2f} | {percentile(samples[side], 90):.2f} "
            f"| {medians[side] / medians['sdk']:.2f}x |"
        )
    print()
    print(f"### Batch: {args.answers} answers, {args.latency * 1000:.0f} ms server latency\n")
    print("| in flight | wall s | ideal s (n/c x lat) | floor s (ceil(n/c) x lat) | over ideal |")
    print("|---:|---:|---:|---:|---:|")
    overs = {}
    for in_flight, (wall, graded) in batches.items():
        ideal = args.answers / in_flight * args.latency
        floor = math.ceil(args.answers / in_flight) * args.latency
        overs[in_flight] = (wall / ideal - 1) * 100
        note = "" if graded == args.answers else f" ({args.answers - graded} not LLM-graded!)"
        print(
            f"| {in_flight} | {wall:.2f} | {ideal:.2f} | {floor:.2f} "
            f"| {overs[in_flight]:+.1f}%{note} |"
        )
    print()
    verdict = {True: "PASS", False: "FAIL"}
    ok_ratio = ratio <= OVERHEAD_TARGET
    print(f"overhead target <= {OVERHEAD_TARGET}x bare SDK: {verdict[ok_ratio]} ({ratio:.2f}x)")
    ok_batch = True
    if 32 in overs:
        ok_batch = overs[32] <= BATCH_TARGET_PCT and batches[32][1] == args.answers
        print(
            f"batch target within {BATCH_TARGET_PCT:.0f}% of ideal at 32 in flight: "
            f"{verdict[ok_batch]} ({overs[32]:+.1f}%)"
        )
    return 1 if args.strict and not (ok_ratio and ok_batch) else 0


if __name__ == "__main__":
    sys.exit(main())
