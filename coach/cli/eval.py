"""`coach eval`: how well a grader agrees with human scores on a labelled file.

    coach eval LABELS.jsonl [--offline] [--json] [--predictions OUT.jsonl] [--repeat N]
                            [--bootstrap N] [--seed S] [--confidence C] [--concurrency N]
                            [--model M] [--base-url URL]

The lines of LABELS.jsonl (`bank`, `question`, `answer`, the human `score`, optionally `id`) are
read by `coach.cli.labels`. Every usable line is graded with `Grader.grade_many` (`--offline`:
the keyword grader; otherwise `Grader()` in mode auto, which falls back to the keyword grader,
labelled, when no LLM is configured), and the statistics of `coach.eval.agreement` are printed
per question and overall with percentile bootstrap intervals. `--repeat N` grades every answer
N times: agreement with the humans uses run 1, and test-retest agreement between the runs is
added.

`--json` prints one object: `source`, `encoding`, `lines`, `evaluated`, `failed`, `repeat`,
`graders`, `fallback_reasons`, `failures` (line, id, type, message), `notes`; `agreement` (the
report of `coach.eval.agreement`: `overall` and `groups`, each with `n`, the scale, an estimate
{value, low, high, reason, resamples} per statistic and `confusion` {levels, counts: human
level x coach level}; `retest`; the bootstrap's settings); and `predictions`, one row per line
(`coach.cli.predictions`), which `--predictions OUT.jsonl` also writes, one JSON line each.

A line that cannot be used (see `coach.cli.labels`, and a grade that failed) is counted and
listed, never a crash. Exit status 0 when the evaluation ran; a file with no usable line at all
is a `CoachError` (exit 1 once the CLI reports it).
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, TextIO

from coach.batch.run import BatchItem
from coach.cli.common import (
    add_encoding_option,
    add_llm_options,
    at_least,
    llm_options,
    write_json,
)
from coach.cli.labels import Failure, Label, read_labels
from coach.cli.predictions import (
    check_writable,
    failed_row,
    graded_row,
    grader_name,
    write_predictions,
)
from coach.errors import CoachError
from coach.eval.agreement import Agreement, AgreementReport, Pair, evaluate
from coach.eval.statistics import Estimate
from coach.reports.text import table

if TYPE_CHECKING:
    from coach.result import GradeResult

SHOWN_FAILURES = 10  # failed lines listed in the text report (all of them in --json)
DETERMINISTIC_NOTE = (
    "every grade came from the keyword grader, which is deterministic: test-retest agreement "
    "is perfect by construction and says nothing about an LLM's consistency"
)


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value:g}")
    return value


def add_eval_parser(sub: Any) -> argparse.ArgumentParser:
    """Add `eval` to the CLI's subparsers (the object `add_subparsers()` returns)."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "eval",
        help="measure agreement with human scores on a labelled JSON-lines file",
        description="Grade every labelled answer and report QWK, Spearman, Pearson, MAE and "
        "exact/adjacent agreement with the human scores, per question and overall, with "
        "bootstrap confidence intervals.",
    )
    parser.add_argument(
        "labels",
        metavar="LABELS.jsonl",
        help="lines of {bank, question, answer, score[, id]}; score in the question's points",
    )
    parser.add_argument("--offline", action="store_true", help="keyword grader only, no network")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the numbers, confusion matrices and per-answer predictions as JSON",
    )
    parser.add_argument(
        "--predictions",
        metavar="OUT.jsonl",
        help="write one JSON line per labelled line: coach's score next to the human's, or "
        "why the line could not be used",
    )
    add_encoding_option(parser, "LABELS.jsonl (its JSON shows the one used)")
    parser.add_argument(
        "--repeat",
        type=at_least(1),
        default=1,
        metavar="N",
        help="grade each answer N times and add test-retest agreement (1)",
    )
    parser.add_argument(
        "--bootstrap",
        type=at_least(0),
        default=1000,
        metavar="N",
        help="bootstrap resamples for the confidence intervals; 0 for none (1000)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="seed of the bootstrap (0)"
    )
    parser.add_argument(
        "--confidence",
        type=_confidence,
        default=0.95,
        metavar="C",
        help="level of the confidence intervals (0.95)",
    )
    parser.add_argument(
        "--concurrency", type=at_least(1), default=8, metavar="N", help="in flight (8)"
    )
    add_llm_options(parser)
    return parser


# --- grading ---------------------------------------------------------------------------------


@dataclass
class Graded:
    """What grading the labels produced: the usable labels with each run's grade."""

    labels: list[Label]
    results: list[list[GradeResult]]  # results[i][run]
    failures: list[Failure]
    failed: dict[int, Label]  # by line: labels read whose grade failed
    graders: Counter[str]  # "llm", "keyword", "keyword (fallback)": grades made
    fallback_reasons: Counter[str]

    @property
    def scores(self) -> list[list[float]]:
        return [[result.score for result in runs] for runs in self.results]


def grade_labels(args: argparse.Namespace, labels: list[Label]) -> Graded:
    """Grade every label `args.repeat` times with one `grade_many` call."""
    from coach.grading.grader import Grader  # the openai SDK loads only when grading

    runs = args.repeat
    items = [
        BatchItem(bank=label.bank, question=label.question, answer=label.answer, id=label.id)
        for _ in range(runs)
        for label in labels
    ]
    grader = Grader(mode="keyword" if args.offline else "auto", **llm_options(args))
    with grader:
        outcomes = grader.grade_many(items, concurrency=args.concurrency)
    graders: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    kept: list[Label] = []
    results: list[list[GradeResult]] = []
    failures: list[Failure] = []
    failed: dict[int, Label] = {}
    count = len(labels)
    for i, label in enumerate(labels):
        mine = [outcomes[run * count + i] for run in range(runs)]
        broken = next((o for o in mine if o.result is None or o.result.status == "unscored"), None)
        if broken is not None:
            error = broken.error
            failures.append(
                Failure(
                    label.line,
                    label.id,
                    error.type if error else "Unscored",
                    error.message if error else "the grader gave no score",
                )
            )
            failed[label.line] = label
            continue
        grades = [o.result for o in mine if o.result is not None]
        for result in grades:
            graders[grader_name(result)] += 1
            if result.fallback_reason:
                reasons[result.fallback_reason] += 1
        kept.append(label)
        results.append(grades)
    return Graded(kept, results, failures, failed, graders, reasons)


# --- the command -----------------------------------------------------------------------------


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    """Run `coach eval`; raises `CoachError` when the file cannot be read or nothing is usable."""
    labels, failures, encoding = read_labels(args.labels, args.encoding)
    if not labels:
        raise CoachError(_nothing_usable(args.labels, failures))
    if args.predictions:
        check_writable(args.predictions)  # before the grading it would waste
    graded = grade_labels(args, labels)
    failures = sorted(failures + graded.failures, key=lambda f: f.line)
    rows = _rows(graded, failures)
    if args.predictions:
        write_predictions(args.predictions, rows)
    if not graded.labels:
        raise CoachError(_nothing_usable(args.labels, failures))
    pairs = [
        Pair(
            human=label.score,
            model=runs[0],
            max_score=label.question.points,
            group=f"{label.bank.id}/{label.question.id}",
        )
        for label, runs in zip(graded.labels, graded.scores, strict=True)
    ]
    report = evaluate(
        pairs,
        repeats=graded.scores if args.repeat > 1 else None,
        resamples=args.bootstrap,
        confidence=args.confidence,
        seed=args.seed,
    )
    notes = []
    if args.repeat > 1 and set(graded.graders) <= {"keyword", "keyword (fallback)"}:
        notes.append(DETERMINISTIC_NOTE)
    summary = {
        "source": str(args.labels),
        "encoding": encoding,
        "lines": len(graded.labels) + len(failures),
        "evaluated": len(graded.labels),
        "failed": len(failures),
        "repeat": args.repeat,
        "graders": dict(graded.graders),
        "fallback_reasons": dict(graded.fallback_reasons),
        "failures": [asdict(f) for f in failures],
        "notes": notes,
    }
    if args.json:
        document = {**summary, "agreement": report.to_dict(), "predictions": rows}
        write_json(out, document)
    else:
        out.write(_text(summary, report, failures))
        if args.predictions:
            out.write(f"predictions: {len(rows)} lines written to {args.predictions}\n")
    return 0


def _rows(graded: Graded, failures: list[Failure]) -> list[dict[str, Any]]:
    """Every line's prediction row, in line order."""
    rows = [
        (label.line, graded_row(label, results))
        for label, results in zip(graded.labels, graded.results, strict=True)
    ]
    rows += [(f.line, failed_row(f, graded.failed.get(f.line))) for f in failures]
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _nothing_usable(path: str, failures: list[Failure]) -> str:
    if not failures:
        return f"no labelled lines in {path!r}"
    kinds = Counter(f.type for f in failures)
    listed = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    first = failures[0]
    return (
        f"no line of {path!r} could be evaluated ({listed}); "
        f"line {first.line}: {first.type}: {first.message}"
    )


# --- the text report -------------------------------------------------------------------------


def _number(value: float | None, percent: bool) -> str:
    if value is None:
        return "-"
    return f"{value:.0%}" if percent else f"{value:.2f}"


def _cell(estimate: Estimate, percent: bool = False) -> str:
    """ "0.82 [0.61, 0.93]"; "-" when undefined (the reason is listed under the table)."""
    if estimate.value is None:
        return "-"
    text = _number(estimate.value, percent)
    if estimate.low is not None and estimate.high is not None:
        text += f" [{_number(estimate.low, percent)}, {_number(estimate.high, percent)}]"
    return text


_COLUMNS = (
    ("QWK", "qwk", False),
    ("Spearman", "spearman", False),
    ("Pearson", "pearson", False),
    ("MAE", "mae", False),
    ("exact", "exact", True),
    ("adjacent", "adjacent", True),
)


def _row(name: str, agreement: Agreement) -> list[str]:
    cells = [_cell(getattr(agreement, field), percent) for _, field, percent in _COLUMNS]
    return [name, str(agreement.n), f"{agreement.min_score}-{agreement.max_score}", *cells]


def _reasons(name: str, agreement: Agreement) -> list[str]:
    notes = []
    for label, field, _ in _COLUMNS:
        estimate: Estimate = getattr(agreement, field)
        if estimate.reason:
            notes.append(f"  {name} {label}: {estimate.reason}")
    return notes


def _text(summary: dict[str, Any], report: AgreementReport, failures: list[Failure]) -> str:
    lines = [
        f"coach eval {summary['source']}: {summary['lines']} lines, "
        f"{summary['evaluated']} evaluated, {summary['failed']} failed",
        "graded by: "
        + ", ".join(f"{name} {n}" for name, n in Counter(summary["graders"]).most_common()),
    ]
    for reason, n in Counter(summary["fallback_reasons"]).most_common(3):
        lines.append(f"fallback ({n}): {reason}")
    if report.resamples:
        lines.append(
            f"agreement with the human scores; [low, high] is a {report.confidence:.0%} "
            f"percentile bootstrap interval ({report.resamples} resamples, seed {report.seed})"
        )
    else:
        lines.append("agreement with the human scores (no bootstrap intervals)")
    if summary["repeat"] > 1:
        lines.append(f"model scores: run 1 of {summary['repeat']}")
    lines.append("")
    headers = ["question", "n", "scale", *(label for label, _, _ in _COLUMNS)]
    rows = [_row(group.group or "", group) for group in report.groups]
    rows.append(_row("overall", report.overall))
    lines.append(table(headers, rows, right=[1]).rstrip("\n"))
    lines.append(
        "QWK, exact and adjacent (|diff| <= 1) compare scores rounded to whole points; MAE is in "
        "points; overall pools every question on one scale."
    )
    reasons = [
        note for group in report.groups for note in _reasons(group.group or "", group)
    ] + _reasons("overall", report.overall)
    if reasons:
        lines.append("not computed:")
        lines.extend(reasons)
    if report.retest is not None:
        tested = report.retest
        lines += [
            "",
            f"test-retest: {tested.runs} runs of {tested.items} answers "
            "(QWK and Pearson averaged over pairs of runs)",
        ]
        lines.append(
            table(
                ["QWK", "Pearson", "mean spread (points)", "identical"],
                [
                    [
                        _cell(tested.qwk),
                        _cell(tested.pearson),
                        _cell(tested.mean_spread),
                        _cell(tested.identical, percent=True),
                    ]
                ],
            ).rstrip("\n")
        )
        for label, estimate in (("QWK", tested.qwk), ("Pearson", tested.pearson)):
            if estimate.reason:
                lines.append(f"  test-retest {label}: {estimate.reason}")
    for note in summary["notes"]:
        lines.append(f"note: {note}")
    if failures:
        kinds = Counter(f.type for f in failures)
        lines += ["", f"failed lines: {', '.join(f'{n} {k}' for k, n in kinds.most_common())}"]
        for failure in failures[:SHOWN_FAILURES]:
            lines.append(f"  line {failure.line} ({failure.id}): {failure.type}: {failure.message}")
        if len(failures) > SHOWN_FAILURES:
            lines.append(f"  ... {len(failures) - SHOWN_FAILURES} more (--json lists them all)")
    return "\n".join(lines) + "\n"
