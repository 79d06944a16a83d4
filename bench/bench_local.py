"""Benchmark of the LLM path against a local OpenAI-compatible server running a small model.

What: over answers to the seed banks' questions, how each grade ends (graded by the LLM, after a
re-ask, with parts of the reply repaired or quotes rejected, or fallen back to keywords, and
why), the tokens it took and the seconds it took, in three set-ups: the standard prompt with
coaching, `--grade-only`, and `--grade-only --prompt compact`.

How: the answers are the labelled samples of tests/data/answers_*.yaml (strong, adequate, weak,
harmful, ...), taken round-robin over the banks, the first --answers of them; every set-up grades
the same ones, one at a time, through `coach.Grader` with an `on_exchange` hook that records
every request. The server must already run (see the README, "Running with a local model").

Why: a local model on a CPU is slow and writes malformed, cut-off and invented output; this shows
what coach makes of it. With SmolLM2-135M it is a plumbing test, not a measure of grading quality.

Run: ``python bench/bench_local.py --base-url http://127.0.0.1:8765/v1 --model smollm2``.
Standard library plus coach and PyYAML.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import coach

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SETUPS = {  # fastest first, so a run cut short still reports the cheap set-ups
    "--grade-only --prompt compact": {"coaching": False, "prompt": "compact"},
    "--grade-only": {"coaching": False, "prompt": "standard"},
    "standard, coaching": {"coaching": True, "prompt": "standard"},
}


@dataclass
class Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    fallbacks: Counter[str] = field(default_factory=Counter)
    prompt_tokens: list[int] = field(default_factory=list)
    completion_tokens: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def answers(count: int) -> list[tuple[str, str, str]]:
    """(bank, question, answer) triples, round-robin over the banks' sample files."""
    per_bank = []
    for path in sorted(DATA.glob("answers_*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        per_bank.append(
            [(document["bank"], a["question"], a["text"].strip()) for a in document["answers"]]
        )
    picked: list[tuple[str, str, str]] = []
    for round_ in range(max(len(b) for b in per_bank)):
        picked += [b[round_] for b in per_bank if round_ < len(b)]
    return picked[:count]


def outcome(result: coach.GradeResult, events: list[coach.ExchangeEvent]) -> str:
    if result.method != "llm":
        return "fell back"
    answered = sum(1 for e in events if e.status == 200)
    kinds = ["re-asked"] if answered > 1 else []
    if result.has_flag("reply_repaired") or result.has_flag("points_clamped"):
        kinds.append("repaired")
    if result.has_flag("unverified_evidence"):
        kinds.append("quotes rejected")
    return "graded" + (f" ({', '.join(kinds)})" if kinds else "")


def reason(text: str | None) -> str:
    """A fallback reason without its per-grade numbers, so alike reasons count together."""
    words = (text or "?").split(":")[-1].strip()
    return "".join("N" if ch.isdigit() else ch for ch in words)[:70]


def run(args: argparse.Namespace) -> dict[str, Tally]:
    policy = coach.RetryPolicy(
        deadline=args.request_timeout * 2, request_timeout=args.request_timeout
    )
    picked = answers(args.skip + args.answers)[args.skip :]
    tallies: dict[str, Tally] = {}
    for name, options in SETUPS.items():
        if args.setup and name != args.setup:
            continue
        tally = tallies[name] = Tally()
        events: list[coach.ExchangeEvent] = []
        with coach.Grader(
            base_url=args.base_url,
            model=args.model,
            policy=policy,
            on_exchange=events.append,
            **options,
        ) as grader:
            for bank, question, answer in picked:
                events.clear()
                started = time.perf_counter()
                result = grader.grade(bank, question, answer)
                tally.seconds.append(time.perf_counter() - started)
                tally.outcomes[outcome(result, events)] += 1
                if result.method != "llm":
                    tally.fallbacks[reason(result.fallback_reason)] += 1
                tally.prompt_tokens.append(result.usage.prompt_tokens)
                tally.completion_tokens.append(result.usage.completion_tokens)
                took, usage = tally.seconds[-1], result.usage
                print(
                    f"{name} | {bank}/{question}: {outcome(result, events)}, {took:.0f} s, "
                    f"{usage.prompt_tokens} + {usage.completion_tokens} tokens "
                    f"| {reason(result.fallback_reason) if result.method != 'llm' else ''}",
                    flush=True,
                )
    return tallies


def table(tallies: dict[str, Tally]) -> str:
    lines = [
        "| set-up | grades | how they ended | fell back because | prompt tokens (mean) "
        "| completion tokens (mean) | s per grade (median) |",
        "|---|---:|---|---|---:|---:|---:|",
    ]
    for name, t in tallies.items():
        ended = "; ".join(f"{k}: {v}" for k, v in t.outcomes.most_common())
        why = "; ".join(f"{k} ({v})" for k, v in t.fallbacks.most_common()) or "-"
        tokens = statistics.mean(t.prompt_tokens), statistics.mean(t.completion_tokens)
        lines.append(
            f"| {name} | {len(t.seconds)} | {ended} | {why} | {tokens[0]:.0f} | {tokens[1]:.0f} "
            f"| {statistics.median(t.seconds):.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N answers")
    parser.add_argument("--request-timeout", type=float, default=400.0)
    parser.add_argument("--setup", choices=list(SETUPS), help="only this set-up (default: all)")
    args = parser.parse_args()
    tallies = run(args)
    print(table(tallies))


if __name__ == "__main__":
    main()
