"""Reading the labelled files of `coach eval`: each line checked and resolved to its question,
or set aside with the reason, so that one bad line never stops an evaluation.

Each line of a labels file is an object with `bank` (a built-in id or a path to a rubric file;
a relative path is looked up beside the labels file first, then from the working directory),
`question` (the question's id), `answer`, the human `score` in the question's points (a number
or a numeric string, 0 to the question's points) and optionally `id`. A line that cannot be used
(not JSON, a missing field, an unknown bank or question, a score that is not a number in range,
a repeated id) becomes a `Failure`. `human_score` is shared with `coach calibrate` and
`coach derive`, which read scores in the same format.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.cli.common import read_decoded
from coach.errors import CoachError
from coach.grading.offline import find_question
from coach.rubric.loader import builtin_bank_ids, load_bank
from coach.rubric.model import Bank, Question

FIELDS = ("bank", "question", "answer", "score")


@dataclass(frozen=True, slots=True)
class Label:
    """One usable line: the answer, its question and the human score."""

    line: int
    id: str
    bank: Bank
    question: Question
    answer: str
    score: float


@dataclass(frozen=True, slots=True)
class Failure:
    """A line left out of the evaluation, and why."""

    line: int
    id: str
    type: str
    message: str


class _Banks:
    """Loads each bank reference once; relative paths are tried beside the labels file first."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.loaded: dict[str, Bank | CoachError] = {}
        self.builtin = set(builtin_bank_ids())

    def get(self, ref: str) -> Bank:
        found = self.loaded.get(ref)
        if found is None:
            try:
                found = load_bank(self._resolve(ref))
            except CoachError as exc:
                found = exc
            self.loaded[ref] = found
        if isinstance(found, CoachError):
            raise found
        return found

    def _resolve(self, ref: str) -> str:
        if ref in self.builtin or os.path.isabs(ref):
            return ref
        beside = self.base / ref
        return str(beside) if beside.is_file() else ref


def human_score(value: Any) -> float | None:
    """A finite number from a JSON number or a numeric string (ads-zh stores "7")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def _parse(number: int, line: str, banks: _Banks, seen: set[str]) -> Label | Failure:
    name = f"line-{number}"
    try:
        record = json.loads(line)
    except ValueError as exc:
        return Failure(number, name, "InvalidLine", f"not JSON: {exc}")
    if not isinstance(record, dict):
        return Failure(number, name, "InvalidLine", "not a JSON object")
    raw_id = record.get("id")
    label_id = str(raw_id) if raw_id not in (None, "") else name
    if label_id in seen:
        return Failure(number, label_id, "DuplicateId", "this id already appeared earlier")
    seen.add(label_id)
    missing = [field for field in FIELDS if record.get(field) is None]
    if missing:
        return Failure(number, label_id, "MissingField", f"missing {', '.join(missing)}")
    if not isinstance(record["bank"], str) or not isinstance(record["question"], str):
        return Failure(number, label_id, "InvalidLine", "bank and question must be strings")
    if not isinstance(record["answer"], str):
        return Failure(number, label_id, "InvalidLine", "answer must be a string")
    try:
        bank = banks.get(record["bank"])
        question = find_question(bank, record["question"])
    except CoachError as exc:
        return Failure(number, label_id, type(exc).__name__, str(exc))
    score = human_score(record["score"])
    if score is None or not 0 <= score <= question.points:
        return Failure(
            number,
            label_id,
            "InvalidScore",
            f"score {record['score']!r} is not a number from 0 to {question.points:g} "
            f"(the points of {bank.id}/{question.id})",
        )
    return Label(number, label_id, bank, question, record["answer"], score)


def read_labels(
    path: str | os.PathLike[str], encoding: str | None = None
) -> tuple[list[Label], list[Failure], str]:
    """The usable lines of a labels file, the failures of the others (blank lines skipped), and
    the encoding it was read in (`encoding`, or the one found)."""
    source = Path(path)
    decoded = read_decoded(source, encoding=encoding)
    text = decoded.text
    banks = _Banks(source.parent)
    seen: set[str] = set()
    labels: list[Label] = []
    failures: list[Failure] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parsed = _parse(number, line, banks, seen)
        if isinstance(parsed, Label):
            labels.append(parsed)
        else:
            failures.append(parsed)
    return labels, failures, decoded.encoding
