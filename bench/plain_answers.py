"""Plain answers (tests/data/plain/): does the offline grader score them as an interviewer would?

What: for each built-in bank, its plain-answer set (three answers per question written the way
candidates talk, labelled with an interviewer's score before grading) graded by
``coach.Grader(mode="keyword")``: the Spearman correlation between label and offline percent,
the mean absolute error in points, the answers an interviewer credits (``covers`` non-empty)
that are flagged ``off_topic``, and how many answers carry a costly screening flag (one that
scales the offline grade down or caps the LLM's).

Why: an answer in everyday words that makes the right points should not lose them for not
using the rubric's phrasing. Targets (issue 15): rank agreement that only rises, and no
``off_topic`` on an answer that hits key points.

Run from a checkout: ``python bench/plain_answers.py`` (``--half dev|test`` for one half,
``--worst N`` to list the N largest misses, ``--strict`` to exit 1 when a credited answer is
flagged ``off_topic``). Standard library, PyYAML and coach; offline.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the harness lives in the test tree
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from tests.rubric.plain_answers import Figures, Graded


def _number(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _row(name: str, f: Figures) -> str:
    off = len(f.credited_off_topic)
    return (
        f"| {name} | {f.n} | {_number(f.spearman, 3)} | {_number(f.mae, 2)} | {off} "
        f"| {f.costly} | {f.deducted} |"
    )


HEADER = [
    "| answers | n | Spearman | MAE (points) | credited but off_topic | costly flag | "
    "credited but deducted |",
    "|---|---:|---:|---:|---:|---:|---:|",
]


def _short(g: Graded, width: int = 40) -> str:
    text = g.text.replace("\n", " ")
    return text if len(text) <= width else text[:width] + "…"


def render(banks: list[str], halves: tuple[str, ...]) -> str:
    from tests.rubric.plain_answers import figures, measure

    lines: list[str] = []
    everything: list[Graded] = []
    for bank_id in banks:
        graded = [g for g in measure(bank_id) if g.half in halves]
        everything += graded
        lines += ["", f"### {bank_id}", "", *HEADER]
        for half in halves:
            lines.append(_row(half, figures(g for g in graded if g.half == half)))
        if len(halves) > 1:
            lines.append(_row("all", figures(graded)))
        off = figures(graded).credited_off_topic
        if off:
            lines += ["", "Credited but flagged off_topic:", ""]
            lines += [f"- {g.question} (label {g.label:g}): {_short(g)}" for g in off]
    lines += ["", "### all banks", "", *HEADER, _row("all", figures(everything))]
    return "\n".join(lines)


def worst(banks: list[str], halves: tuple[str, ...], count: int) -> str:
    from tests.rubric.plain_answers import measure

    graded = [g for bank_id in banks for g in measure(bank_id) if g.half in halves]
    # Largest misses as a share of the question's points, so 5- and 12-point questions compare.
    graded.sort(key=lambda g: abs(g.miss) / g.max_score, reverse=True)
    lines = [
        "",
        f"### the {count} largest misses",
        "",
        "| bank | question | label | offline | flags | deductions | answer |",
        "|---|---|---:|---:|---|---|---|",
    ]
    for g in graded[:count]:
        lines.append(
            f"| {g.bank} | {g.question} | {g.label:g}/{g.max_score:g} | {g.score:g} "
            f"| {', '.join(g.flags) or '-'} | {', '.join(g.deductions) or '-'} | {_short(g)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import coach
    from tests.rubric.plain_answers import HALVES, figures, measure

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--half", choices=HALVES, help="one half only (default: both)")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list N worst misses")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 if a credited answer is flagged off_topic"
    )
    args = parser.parse_args(argv)
    halves = (args.half,) if args.half else HALVES
    banks = coach.builtin_bank_ids()

    started = time.perf_counter()
    print(render(banks, halves))
    if args.worst:
        print(worst(banks, halves, args.worst))
    elapsed = time.perf_counter() - started
    command = "python bench/plain_answers.py" + " ".join(
        [""] + (argv if argv is not None else sys.argv[1:])
    )
    print(f"\nGraded offline in {elapsed:.1f} s: `{command}`")
    off = sum(
        len(figures(g for g in measure(b) if g.half in halves).credited_off_topic) for b in banks
    )
    return 1 if args.strict and off else 0


if __name__ == "__main__":
    sys.exit(main())
