"""The per-answer rows of `coach eval`: what coach gave each labelled answer, next to the human.

One row per non-blank line of the labels file, in line order, for `--json` (`predictions`)
and for `--predictions OUT.jsonl` (one JSON object a line). A graded answer's row:

    {"line": 3, "id": "s2-ok", "bank": "finance-cs-manager", "question": "s2",
     "human": 7.0, "coach": 6.5, "human_level": 7, "coach_level": 7, "max_score": 12.0,
     "percent": 54.2, "grader": "keyword", "status": "graded", "flags": ["too_short"],
     "fallback_reason": null, "runs": [6.5]}

`human` and `coach` are in the question's points (the scores the statistics compare; `coach`
is run 1 with `--repeat`), `*_level` those scores rounded to whole points as QWK, exact and
adjacent agreement and the confusion matrix count them, `percent` coach's score as a share of
the question's points, `grader` "keyword", "llm" or "keyword (fallback)", and `runs` every
run's score. A line that could not be used has `line`, `id` and `error` ({"type",
"message"}), and `bank`, `question` and `human` too when the line was read but its grade failed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from coach.cli.labels import Failure, Label
from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.result import GradeResult


def grader_name(result: GradeResult) -> str:
    """ "llm", "keyword" or "keyword (fallback)": which grader made this grade."""
    return f"{result.method} (fallback)" if result.status == "fallback" else result.method


def _level(score: float) -> int:
    # as `coach.eval.statistics.to_scale` rounds: halves up
    return int(score + 0.5)


def graded_row(label: Label, results: list[GradeResult]) -> dict[str, Any]:
    """The row of a label graded once per run (`results[0]` is run 1)."""
    first = results[0]
    return {
        "line": label.line,
        "id": label.id,
        "bank": label.bank.id,
        "question": label.question.id,
        "human": label.score,
        "coach": first.score,
        "human_level": _level(label.score),
        "coach_level": _level(first.score),
        "max_score": label.question.points,
        "percent": round(first.percent, 1),
        "grader": grader_name(first),
        "status": first.status,
        "flags": first.flag_codes,
        "fallback_reason": first.fallback_reason,
        "runs": [result.score for result in results],
    }


def failed_row(failure: Failure, label: Label | None = None) -> dict[str, Any]:
    """The row of a line left out; `label` when it was read and only its grade failed."""
    row: dict[str, Any] = {"line": failure.line, "id": failure.id}
    if label is not None:
        row |= {"bank": label.bank.id, "question": label.question.id, "human": label.score}
    row["error"] = {"type": failure.type, "message": failure.message}
    return row


def check_writable(path: str) -> None:
    """Raise `CoachError` now, before any grading, when `path` cannot be written."""
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise CoachError(f"cannot write {path!r}: {exc.strerror}") from None


def write_predictions(path: str, rows: list[dict[str, Any]]) -> None:
    """The rows as JSON lines (non-ASCII text kept readable), replacing the file."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise CoachError(f"cannot write {path!r}: {exc.strerror}") from None
