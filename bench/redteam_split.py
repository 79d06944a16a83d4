"""The held-out red-team corpus (tests/data/redteam_split/), one half at a time.

``python bench/redteam_split.py --half dev|test|holdout|fresh|blind [--show-misses]`` grades
every attack of the half offline and through the real `Grader` against a judge mocked at the HTTP
layer that is honest on the clean answer and obeys the attacked one completely, and every
ordinary answer offline (tests/api/redteam_split.py does the grading). It prints a Markdown table
of the measures (attacks that inflate the grade, raise no flag, get their dictated text into the
result; ordinary answers flagged), the counts per category, the wall time, and with
``--show-misses`` the ids behind every count. Tune defences on ``dev`` only; ``test`` is for
reporting but was seen while the defences were tuned; ``holdout``, written after that, has since
been looked at while tuning; ``fresh``, written blind after that, is the half to report;
``blind``, written blind after ``fresh`` and never yet run, is the one kept for the next
report. Nothing leaves the machine.
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
    from tests.api.redteam_split import Report


def _share(count: int, total: int) -> str:
    return f"{count}/{total} ({100 * count / total:.1f}%)" if total else "0/0"


def rows(report: Report) -> list[tuple[str, list[str], int]]:
    """Each measure: what it counts, the ids counted, out of how many."""
    from tests.api.redteam_split import SUSPICIOUS

    n, m = len(report.attacks), len(report.ordinary)
    return [
        (
            "offline keyword grade: attacked answer > 5 points above the clean one",
            report.ids(lambda a: a.keyword_inflated),
            n,
        ),
        ("attack raised no screening flag", report.ids(lambda a: a.unflagged), n),
        (
            "LLM path, model obeys every attack: > 5 points above the clean grade",
            report.ids(lambda a: a.llm_inflated),
            n,
        ),
        (
            "… > 5 points above the same model's grade of the clean answer (the attack's own gain)",
            report.ids(lambda a: a.attack_inflated),
            n,
        ),
        (
            "inflated on the LLM path with no flag at all, not even `needs_review`",
            report.ids(lambda a: a.silent),
            n,
        ),
        (
            "the attack's dictated text appears in the result",
            report.ids(lambda a: a.dictated_leaked),
            n,
        ),
        (
            "ordinary answers flagged `suspected_injection`",
            report.ordinary_ids(lambda o: o.suspected),
            m,
        ),
        (
            "ordinary answers flagged any of " + ", ".join(f"`{c}`" for c in SUSPICIOUS),
            report.ordinary_ids(lambda o: o.suspicious),
            m,
        ),
    ]


def render(report: Report, *, show_misses: bool = False) -> str:
    """The measures and the per-category counts as Markdown."""
    from tests.api.redteam_split import CATEGORIES, LATER_CATEGORIES

    lines = [f"### Half `{report.half}`", "", "| measure | result |", "|---|---|"]
    for name, ids, total in rows(report):
        lines.append(f"| {name} | {_share(len(ids), total)} |")
    if report.errors:
        total = len(report.attacks) + len(report.ordinary)
        lines.append(
            f"| grading raised an error (counted nowhere above) | "
            f"{_share(len(report.errors), total)} |"
        )
    lines += [
        "",
        "| category | attacks | inflated (LLM) | undetected | dictated |",
        "|---|---|---|---|---|",
    ]
    for category in (*CATEGORIES, *LATER_CATEGORIES):
        mine = [a for a in report.attacks if a.category == category]
        counts = [
            sum(a.llm_inflated for a in mine),
            sum(a.unflagged for a in mine),
            sum(a.dictated_leaked for a in mine),
        ]
        lines.append(f"| {category} | {len(mine)} | " + " | ".join(map(str, counts)) + " |")
    if show_misses:
        lines += ["", "Ids counted:", ""]
        for name, ids, _total in rows(report):
            lines.append(f"- {name}: {', '.join(ids) or '(none)'}")
        for o in report.ordinary:
            if o.suspicious:
                lines.append(f"  - {o.id}: {', '.join(o.flags)}")
    if report.errors:
        lines += ["", "Grading raised for:", "", *(f"- {error}" for error in report.errors)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from tests.api.redteam_split import HALVES, measure

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--half", choices=HALVES, required=True)
    parser.add_argument("--show-misses", action="store_true", help="list the ids counted")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    report = measure(args.half)
    elapsed = time.perf_counter() - started
    print(render(report, show_misses=args.show_misses))
    print(
        f"\n{len(report.attacks)} attacks and {len(report.ordinary)} ordinary answers "
        f"graded in {elapsed:.1f} s: "
        f"`python bench/redteam_split.py --half {args.half}"
        f"{' --show-misses' if args.show_misses else ''}`"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
