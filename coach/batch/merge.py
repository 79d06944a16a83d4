"""Merging the outputs of one job graded in parts (on several machines, `--shard K/N`) into one
file with one line per id.

Where more than one file holds a line for an id, a graded line is kept over an error line, and
otherwise the first file's line. Two graded lines that disagree on the score are a conflict
(the parts overlapped and were graded differently): the first is kept and the conflict is
counted and named. Lines that are not records with an id (a copy taken while a run was still
writing its last line) are counted and left out.

Memory holds the ids and where each kept line is, not the lines: the files are read twice, once
to choose and once to copy the chosen lines, byte for byte.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.batch.jsonl import OutputError
from coach.errors import CoachError


@dataclass
class MergeSummary:
    """What a merge found."""

    ids: int = 0  # lines written, one per id
    graded: int = 0
    errors: int = 0
    duplicates: int = 0  # lines for an id already kept that agree with it, or lose to it
    conflicts: list[str] = field(default_factory=list)  # ids graded with different scores
    unreadable: int = 0


@dataclass
class _Kept:
    source: int
    offset: int
    score: float | None  # None: an error line


def _read(path: Path) -> Any:
    try:
        return path.open("rb")
    except OSError as exc:
        raise CoachError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None


def _score(record: dict[str, Any]) -> float | None:
    result = record.get("result")
    if isinstance(result, dict) and isinstance(result.get("score"), (int, float)):
        return float(result["score"])
    return None


def merge_outputs(
    sources: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str]
) -> MergeSummary:
    """Merge the JSON-lines outputs `sources` into `out` (written whole, then swapped in)."""
    paths = [Path(source) for source in sources]
    summary = MergeSummary()
    kept: dict[str, _Kept] = {}
    for index, path in enumerate(paths):
        with _read(path) as handle:
            offset = 0
            for line in handle:
                here, offset = offset, offset + len(line)
                try:
                    record = json.loads(line) if line.endswith(b"\n") else None
                except ValueError:
                    record = None
                if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                    summary.unreadable += int(bool(line.strip()))
                    continue
                _choose(kept, record, _Kept(index, here, _score(record)), summary)
    chosen: list[set[int]] = [set() for _ in paths]
    for line in kept.values():
        chosen[line.source].add(line.offset)
    target = Path(out)
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("wb") as copy:
            for index, path in enumerate(paths):
                with _read(path) as handle:
                    offset = 0
                    for line in handle:
                        if offset in chosen[index]:
                            copy.write(line)
                        offset += len(line)
            copy.flush()
            os.fsync(copy.fileno())
        os.replace(partial, target)
    except OSError as exc:
        raise OutputError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
    summary.ids = len(kept)
    summary.graded = sum(1 for line in kept.values() if line.score is not None)
    summary.errors = summary.ids - summary.graded
    return summary


def _choose(
    kept: dict[str, _Kept], record: dict[str, Any], line: _Kept, summary: MergeSummary
) -> None:
    job_id = record["id"]
    before = kept.get(job_id)
    if before is None:
        kept[job_id] = line
        return
    summary.duplicates += 1
    if before.score is None and line.score is not None:
        kept[job_id] = line  # a grade is worth more than an error
    elif before.score is not None and line.score is not None and before.score != line.score:
        summary.conflicts.append(job_id)
