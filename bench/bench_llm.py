"""Benchmark of coach's LLM path against a loopback fake OpenAI server.

What: (1) the library's own cost per LLM grade, next to a bare openai SDK call sending the same
request and validating the reply with pydantic; (2) how close a batch (`agrade_many`) comes to
the ideal wall time when the server takes 100 ms per reply, at 8, 32 and 64 in flight, next to
the same requests sent with a bare `AsyncOpenAI` client under a semaphore and POSTed with a raw
`httpx.AsyncClient` (same bodies, same pydantic validation of the reply), and the client CPU
per item of the three (`time.process_time` over the batch, divided by the items); (3) the
batch at 32 in flight again, both sides over the SDK's aiohttp transport, when it is installed.

How: the server is tests/llm/fake_openai.py with the judge of bench/_fake.py (a valid full-marks
reply built from each request's JSON Schema), run in a separate process pinned to another CPU
than this one, so its threads share neither our GIL nor our core. The requests coach sends are
first captured on an in-process server (messages, `response_format`, temperature, max_tokens).
(1) On a zero-latency server, `coach.Grader(base_url=..., api_key="x")` grades one question's
model answer N times, and `openai.OpenAI(...).chat.completions.create(**captured)` followed by
`Model.model_validate_json(reply)` (a pydantic model with the same schema) runs N times; each
side reuses one client, both run in alternating rounds after a warm-up, each call timed on its
own. (2) Every built-in question with its model answer, cycled to 1,000 items; CPU seconds of
this process and of the server process are reported beside the wall time, to show which side
limits the rate.

Each batch runs `--repeats` times per side (3 by default), coach, the bare SDK, raw httpx and
raw httpx2 (openai 3's HTTP stack, which coach's batches post through) in turn, and the tables
show medians; the targets at 32 in flight list every run.

Why: a grade should cost little more than the request it sends (target: coach's median at most
1.2x the bare call), and a batch should be bound by the server, not by the library: at 32 in
flight a batch item should cost the client at most 2.5 ms of CPU (the target proper), so that
1,000 answers at 100 ms latency finish within 15% of n / in_flight x latency where a core is
free (on a busy machine the wall time is information). Beside it, coach's CPU per item against
the bare SDK's (at most 1.2x) and raw httpx's (information: what any SDK adds).

Run from a checkout with coach installed: ``python bench/bench_llm.py`` (``--quick`` for a
short run, ``--strict`` to exit 1 when a target fails). Standard library, coach, openai; the
raw rows need httpx (in coach's test extra), the aiohttp rows `openai[aiohttp]`; each says so
when it is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib
import json
import math
import os
import platform
import shlex
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai

import coach
from coach.llm.reply_schema import output_schema

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fake

OVERHEAD_TARGET = 1.2
BATCH_TARGET_PCT = 15.0  # wall of the batch at 32 in flight over n / 32 x latency
CPU_TARGET_MS = 2.5  # client CPU per batch item at 32 in flight
CASE = ("finance-cs-manager", "s2")  # the question of the per-grade comparison


@dataclass(frozen=True)
class Case:
    bank: coach.Bank
    question: coach.Question
    request: dict[str, Any]  # the body coach sent for this question's model answer
    model: Any  # pydantic model of output_schema(question)


def median_run(runs: Sequence[BatchRun]) -> BatchRun:
    """The median of each measure of repeated runs; the fewest items done, the most requests."""
    servers = [r.server_cpu for r in runs if r.server_cpu is not None]
    return BatchRun(
        wall=statistics.median(r.wall for r in runs),
        client_cpu=statistics.median(r.client_cpu for r in runs),
        server_cpu=statistics.median(servers) if len(servers) == len(runs) else None,
        done=min(r.done for r in runs),
        requests=max(r.requests for r in runs),
    )


@dataclass(frozen=True)
class BatchRun:
    wall: float
    client_cpu: float
    server_cpu: float | None
    done: int  # items graded by the LLM (coach) or replies validated (bare SDK)
    requests: int = 0  # requests sent in the timed run (coach: retries would show here)


def pin_cpus() -> tuple[int | None, str]:
    """This process on one CPU, the server on another (returned), where there are two."""
    if not hasattr(os, "sched_getaffinity"):
        return None, "not pinned (no sched_setaffinity)"
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, f"not pinned (only CPU {cpus[0]} allowed)"
    os.sched_setaffinity(0, {cpus[0]})
    return cpus[1], f"client pinned to CPU {cpus[0]}, server process to CPU {cpus[1]}"


def capture(pairs: Sequence[tuple[coach.Bank, coach.Question]]) -> list[Case]:
    """The request coach sends for each question's model answer (an in-process server)."""
    cases = []
    with (
        _fake.FakeOpenAI(_fake.Judge()) as server,
        coach.Grader(base_url=server.base_url, api_key="x", mode="llm") as grader,
    ):
        for bank, question in pairs:
            seen = len(server.completion_requests)
            grader.grade(bank, question, question.model_answer)
            body = dict(server.completion_requests[seen].body)
            model = _fake.model_from_schema(output_schema(question))
            cases.append(Case(bank, question, body, model))
    return cases


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


def overhead(base_url: str, case: Case, calls: int, rounds: int) -> dict[str, list[float]]:
    """Per-call times of coach grades, bare SDK calls and the keyword grader alone."""
    bank, question, answer = case.bank, case.question, case.question.model_answer
    grader = coach.Grader(base_url=base_url, api_key="x", mode="llm")
    client = openai.OpenAI(base_url=base_url, api_key="x", max_retries=0)
    keyword = coach.KeywordGrader()

    def with_coach() -> object:
        result = grader.grade(bank, question, answer)
        assert result.method == "llm" and result.usage.requests == 1, result
        return result

    def with_sdk() -> object:
        completion = client.chat.completions.create(**case.request)
        return case.model.model_validate_json(completion.choices[0].message.content or "")

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


async def measured(
    server: _fake.Served, warm_up: Callable[[], Awaitable[int]], run: Callable[[], Awaitable[int]]
) -> BatchRun:
    """Wall and CPU seconds (ours and the server's) of `run`, after `warm_up`."""
    await warm_up()
    server_start, cpu_start, start = server.cpu_seconds(), time.process_time(), time.perf_counter()
    done = await run()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    server_end = server.cpu_seconds()
    server_cpu = None if server_start is None or server_end is None else server_end - server_start
    return BatchRun(wall, cpu, server_cpu, done, done)


def async_client(base_url: str, transport: str) -> openai.AsyncOpenAI:
    """A bare client: the SDK's default transport, or its aiohttp one (`openai[aiohttp]`)."""
    extra = {"http_client": openai.DefaultAioHttpClient()} if transport == "aiohttp" else {}
    return openai.AsyncOpenAI(base_url=base_url, api_key="x", max_retries=0, **extra)


def aiohttp_missing() -> str | None:
    """Why the aiohttp transport cannot be measured here, or None when it can."""
    try:
        openai.DefaultAioHttpClient().is_closed  # noqa: B018 -- raises without the extra
    except (AttributeError, ImportError, RuntimeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


async def coach_batch(
    server: _fake.Served,
    cases: list[Case],
    warm: list[Case],
    in_flight: int,
    transport: str = "default",
) -> BatchRun:
    """`agrade_many` over `cases`, after one pass over `warm` (every distinct question, so
    per-question caches are filled and connections are open before the clock starts)."""
    warm_items = [(c.bank, c.question, c.question.model_answer) for c in warm]
    items = [
        (c.bank, c.question, c.question.model_answer, f"item-{i}") for i, c in enumerate(cases)
    ]
    sent = [0]
    client = None if transport == "default" else async_client(server.base_url, transport)
    grader = (
        coach.Grader(base_url=server.base_url, api_key="x", mode="llm")
        if client is None
        else coach.Grader(async_client=client, mode="llm")
    )
    async with grader:

        async def grade(some: list[Any]) -> int:
            results = await grader.agrade_many(some, concurrency=in_flight, progress=False)
            graded = [r.result for r in results if r.result is not None]
            sent[0] = sum(result.usage.requests for result in graded)
            return sum(1 for result in graded if result.method == "llm")

        run = await measured(server, lambda: grade(warm_items), lambda: grade(items))
    if client is not None:
        await client.close()
    return dataclasses.replace(run, requests=sent[0])


async def sdk_batch(
    server: _fake.Served,
    cases: list[Case],
    warm: list[Case],
    in_flight: int,
    transport: str = "default",
) -> BatchRun:
    """The same requests with a bare AsyncOpenAI client, `in_flight` at a time."""
    client = async_client(server.base_url, transport)
    gate = asyncio.Semaphore(in_flight)

    async def one(case: Case) -> int:
        async with gate:
            completion = await client.chat.completions.create(**case.request)
        case.model.model_validate_json(completion.choices[0].message.content or "")
        return 1

    async def send(some: list[Case]) -> int:
        return sum(await asyncio.gather(*(one(c) for c in some)))

    try:
        return await measured(server, lambda: send(warm), lambda: send(cases))
    finally:
        await client.close()


def httpx_missing(module: str = "httpx") -> str | None:
    """Why raw `module` cannot be measured here, or None: httpx comes with coach's test extra,
    httpx2 with openai 3 (its HTTP stack, which coach's batches post through directly)."""
    try:
        importlib.import_module(module)
    except ImportError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def reply_content(raw: bytes) -> str:
    """The message text of a chat completion read as plain JSON, as coach reads it."""
    content: str = json.loads(raw)["choices"][0]["message"]["content"]
    return content


async def httpx_batch(
    server: _fake.Served, cases: list[Case], warm: list[Case], in_flight: int, module: str = "httpx"
) -> BatchRun:
    """The same request bodies POSTed with a bare `httpx.AsyncClient` (or httpx2's),
    `in_flight` at a time, each reply validated with the same pydantic model: the exchange
    without an SDK."""
    httpx: Any = importlib.import_module(module)

    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
    client = httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=60.0)
    gate = asyncio.Semaphore(in_flight)

    async def one(case: Case) -> int:
        async with gate:
            response = await client.post("/chat/completions", json=case.request)
        response.raise_for_status()
        case.model.model_validate_json(reply_content(response.content))
        return 1

    async def send(some: list[Case]) -> int:
        return sum(await asyncio.gather(*(one(c) for c in some)))

    try:
        return await measured(server, lambda: send(warm), lambda: send(cases))
    finally:
        await client.aclose()


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
    parser.add_argument(
        "--repeats", type=int, help="batch runs per side and level, medians reported (default 3)"
    )
    args = parser.parse_args(argv)
    args.repeats = max(1, args.repeats or 3)
    args.calls = args.calls or (100 if args.quick else 500)
    args.answers = args.answers or (200 if args.quick else 1000)
    return args


def cpu_note(run: BatchRun) -> str:
    server = "n/a" if run.server_cpu is None else f"{run.server_cpu:.2f}"
    return f"{run.client_cpu:.2f} | {server}"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    server_cpu, pinning = pin_cpus()
    _fake.provision_tiktoken()  # real token counts for truncation budgets, as when installed

    banks = coach.builtin_banks()
    pairs = [(bank, question) for bank in banks for question in bank.questions]
    cases = capture(pairs)
    case = next(c for c in cases if (c.bank.id, c.question.id) == CASE)
    batch = [cases[i % len(cases)] for i in range(args.answers)]

    with _fake.serve_in_subprocess(0.0, server_cpu) as server:
        samples = overhead(server.base_url, case, args.calls, rounds=5)
    runs: dict[int, tuple[BatchRun, BatchRun]] = {}
    raw_runs: dict[int, BatchRun] = {}
    no_httpx = httpx_missing()
    no_httpx2 = httpx_missing("httpx2")
    raw2_runs: dict[int, BatchRun] = {}
    no_aiohttp = aiohttp_missing()
    aiohttp_runs: dict[int, tuple[BatchRun, BatchRun]] = {}
    each: dict[int, dict[str, list[BatchRun]]] = {}  # every run, by level and side
    with _fake.serve_in_subprocess(args.latency, server_cpu) as server:
        for in_flight in args.in_flight:
            seen: dict[str, list[BatchRun]] = {"coach": [], "sdk": [], "raw": [], "raw2": []}
            for _ in range(args.repeats):  # the sides alternate, so drift hits them alike
                seen["coach"].append(asyncio.run(coach_batch(server, batch, cases, in_flight)))
                seen["sdk"].append(asyncio.run(sdk_batch(server, batch, cases, in_flight)))
                if not no_httpx:
                    seen["raw"].append(asyncio.run(httpx_batch(server, batch, cases, in_flight)))
                if not no_httpx2:
                    raw2 = httpx_batch(server, batch, cases, in_flight, "httpx2")
                    seen["raw2"].append(asyncio.run(raw2))
            each[in_flight] = seen
            runs[in_flight] = (median_run(seen["coach"]), median_run(seen["sdk"]))
            if seen["raw"]:
                raw_runs[in_flight] = median_run(seen["raw"])
            if seen["raw2"]:
                raw2_runs[in_flight] = median_run(seen["raw2"])
        for in_flight in [] if no_aiohttp else [n for n in args.in_flight if n == 32]:
            ours = asyncio.run(coach_batch(server, batch, cases, in_flight, "aiohttp"))
            bare = asyncio.run(sdk_batch(server, batch, cases, in_flight, "aiohttp"))
            aiohttp_runs[in_flight] = (ours, bare)

    medians = {side: statistics.median(values) for side, values in samples.items()}
    ratio = medians["coach"] / medians["sdk"]
    command = shlex.join(["python", "bench/bench_llm.py", *sys.argv[1:]])
    print("## coach LLM-path benchmark (loopback fake server)\n")
    print(f"- command: `{command}`")
    print(f"- Python {platform.python_version()}, openai {openai.__version__}, ", end="")
    print(f"{platform.platform()}, {os.cpu_count()} CPUs; {pinning}")
    print("- server: tests/llm/fake_openai.py with the bench/_fake.py judge, in a subprocess")
    print(f"- {len(cases)} questions from {len(banks)} built-in banks, model answers\n")
    bank_id, question_id = CASE
    print(f"### Per-grade overhead ({bank_id} {question_id}, zero server latency)\n")
    print(f"{len(samples['coach'])} timed calls per side in 5 alternating rounds, after warm-up.\n")
    print("| path | median ms | p90 ms | vs bare SDK |")
    print("|---|---:|---:|---:|")
    rows = [
        ("coach `Grader.grade` (LLM, verified)", "coach"),
        ("bare `chat.completions.create` + pydantic", "sdk"),
        ("keyword grader alone (runs inside every LLM grade)", "keyword"),
    ]
    for label, side in rows:
        print(
            f"| {label} | {medians[side]:.2f} | {percentile(samples[side], 90):.2f} "
            f"| {medians[side] / medians['sdk']:.2f}x |"
        )
    print()
    print(f"### Batch: {args.answers} answers, {args.latency * 1000:.0f} ms server latency\n")
    print(
        "ideal = n / in_flight x latency; floor = ceil(n / in_flight) x latency. Every figure "
        f"is the median of {args.repeats} runs per side, the sides alternating.\n"
    )
    print(
        "| in flight | ideal s | floor s | coach wall s | over ideal | client CPU s | server CPU s "
        "| bare SDK wall s | over ideal | client CPU s | server CPU s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    overs: dict[int, float] = {}
    for in_flight, (ours, bare) in runs.items():
        ideal = args.answers / in_flight * args.latency
        floor = math.ceil(args.answers / in_flight) * args.latency
        overs[in_flight] = (ours.wall / ideal - 1) * 100
        missing, extra = args.answers - ours.done, ours.requests - args.answers
        note = f" ({missing} not LLM-graded)" if missing else ""
        note += f" ({extra} extra requests)" if extra else ""
        print(
            f"| {in_flight} | {ideal:.2f} | {floor:.2f} | {ours.wall:.2f} "
            f"| {overs[in_flight]:+.0f}%{note} | {cpu_note(ours)} | {bare.wall:.2f} "
            f"| {(bare.wall / ideal - 1) * 100:+.0f}% | {cpu_note(bare)} |"
        )
    print()
    per_grade = {
        k: (o.client_cpu / args.answers * 1000, b.client_cpu / args.answers * 1000)
        for k, (o, b) in runs.items()
    }
    spent = ", ".join(f"{c:.1f} vs {s:.1f}" for c, s in per_grade.values())
    print(f"client CPU per item, coach vs bare SDK (ms, by in flight): {spent}\n")
    print("#### Client CPU per item, the same batches\n")
    print(
        "`time.process_time()` of this process over the timed batch, divided by the items: "
        "what each client spends to send a request, read the reply and validate it. Raw httpx "
        "posts the same bodies with `httpx.AsyncClient` and validates each reply with the same "
        "pydantic model: the exchange and the validation without an SDK"
        + (f" (not measured: {no_httpx})" if no_httpx else "")
        + "; raw httpx2 the same with httpx2, the HTTP stack of openai 3, through which coach "
        "posts a batch's requests" + (f" (not measured: {no_httpx2})" if no_httpx2 else "") + ".\n"
    )
    print(
        "| in flight | coach ms/item | bare SDK ms/item | raw httpx ms/item | raw httpx2 ms/item "
        f"| coach / SDK | <= {OVERHEAD_TARGET}x | coach / raw (info) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    cpu_ok = True
    for in_flight, (ours, bare) in runs.items():
        coach_ms = ours.client_cpu / args.answers * 1000
        sdk_ms = bare.client_cpu / args.answers * 1000
        raw = raw_runs.get(in_flight)
        raw_ms = None if raw is None else raw.client_cpu / args.answers * 1000
        ok = coach_ms <= OVERHEAD_TARGET * sdk_ms
        cpu_ok = cpu_ok and ok
        raw_cell = "n/a" if raw_ms is None else f"{raw_ms:.2f}"
        raw_ratio = "n/a" if raw_ms is None else f"{coach_ms / raw_ms:.2f}x"
        raw2 = raw2_runs.get(in_flight)
        raw2_cell = "n/a" if raw2 is None else f"{raw2.client_cpu / args.answers * 1000:.2f}"
        print(
            f"| {in_flight} | {coach_ms:.2f} | {sdk_ms:.2f} | {raw_cell} | {raw2_cell} "
            f"| {coach_ms / sdk_ms:.2f}x | {'PASS' if ok else 'FAIL'} | {raw_ratio} |"
        )
    print()
    print("#### The same batch over the SDK's aiohttp transport\n")
    if no_aiohttp:
        print(f"not measured: `pip install 'openai[aiohttp]'` ({no_aiohttp})\n")
    else:
        print("`openai.AsyncOpenAI(http_client=openai.DefaultAioHttpClient())`, for both sides.\n")
        print(
            "| in flight | coach wall s | over ideal | client CPU ms/item | bare SDK wall s ",
            end="",
        )
        print("| over ideal | client CPU ms/item |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for in_flight, (ours, bare) in aiohttp_runs.items():
            ideal = args.answers / in_flight * args.latency
            print(
                f"| {in_flight} | {ours.wall:.2f} | {(ours.wall / ideal - 1) * 100:+.0f}% "
                f"| {ours.client_cpu / args.answers * 1000:.1f} | {bare.wall:.2f} "
                f"| {(bare.wall / ideal - 1) * 100:+.0f}% "
                f"| {bare.client_cpu / args.answers * 1000:.1f} |"
            )
        print()
    verdict = {True: "PASS", False: "FAIL"}
    ok_ratio = ratio <= OVERHEAD_TARGET
    print(f"overhead target <= {OVERHEAD_TARGET}x bare SDK: {verdict[ok_ratio]} ({ratio:.2f}x)")
    print(
        f"client CPU per item <= {OVERHEAD_TARGET}x bare SDK at every in-flight level: "
        f"{verdict[cpu_ok]}"
    )
    ok_batch = ok_cpu = True
    if 32 in runs:
        ok_cpu, ok_batch = targets_at_32(args, runs[32][0], runs[32][1], raw_runs.get(32), each[32])
    return 1 if args.strict and not (ok_ratio and ok_batch and cpu_ok and ok_cpu) else 0


def targets_at_32(
    args: argparse.Namespace,
    ours: BatchRun,
    bare: BatchRun,
    raw: BatchRun | None,
    each: dict[str, list[BatchRun]],
) -> tuple[bool, bool]:
    """The batch targets at 32 in flight: client CPU per item (the target proper) and the wall
    time against the ideal (information on a machine whose cores are busy)."""
    verdict = {True: "PASS", False: "FAIL"}
    per_item = {
        side: [r.client_cpu / args.answers * 1000 for r in found] for side, found in each.items()
    }
    print(f"\n### Targets at 32 in flight ({args.answers} answers, {args.repeats} runs per side)\n")
    print("| client | CPU ms/item (median) | each run |")
    print("|---|---:|---|")
    labels = {
        "coach": "coach `agrade_many`",
        "sdk": "bare AsyncOpenAI",
        "raw": "raw httpx",
        "raw2": "raw httpx2",
    }
    for side, values in per_item.items():
        if values:
            shown = ", ".join(f"{v:.2f}" for v in values)
            print(f"| {labels[side]} | {statistics.median(values):.2f} | {shown} |")
    print()
    coach_ms = ours.client_cpu / args.answers * 1000
    ok_cpu = coach_ms <= CPU_TARGET_MS and ours.done == args.answers
    print(
        f"client CPU per item <= {CPU_TARGET_MS} ms at 32 in flight: {verdict[ok_cpu]} "
        f"(coach {coach_ms:.2f}, bare SDK {bare.client_cpu / args.answers * 1000:.2f}"
        + ("" if raw is None else f", raw httpx {raw.client_cpu / args.answers * 1000:.2f}")
        + " ms)"
    )
    ideal = args.answers / 32 * args.latency
    over = (ours.wall / ideal - 1) * 100
    ok_batch = over <= BATCH_TARGET_PCT and ours.done == args.answers
    print(
        f"batch wall within {BATCH_TARGET_PCT:.0f}% of ideal at 32 in flight: "
        f"{verdict[ok_batch]} ({ours.wall:.2f} s vs {ideal:.2f} s ideal, {over:+.1f}%; "
        f"the client's CPU alone needs {ours.client_cpu:.2f} s)"
    )
    return ok_cpu, ok_batch


if __name__ == "__main__":
    sys.exit(main())
