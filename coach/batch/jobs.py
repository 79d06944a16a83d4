"""Resumable file jobs: a JSON-lines file of answers in, a JSON-lines file of outcomes out.

Input: one object a line with `id`, `bank` (a built-in id or a path), `question` and `answer`.
Output: one line per input line, carrying its `id` and either `result` (a `GradeResult`) or
`error` (`type` and `message`): a line that is not JSON, lacks a field, names an unknown bank
or question, or repeats an id becomes an error line, never a crash.

Each outcome is appended and flushed as soon as it is known, so a crash or Ctrl-C loses at most
the items in flight. Running the same job again resumes it: ids already in the output are
skipped (a last line cut off by a crash is dropped first), and at the end every id appears
exactly once. A line without an id is named `line-N` by its line number; a repeated id is
reported as `ID@line-N`, so that name too appears once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from coach.batch.progress import ProgressOption
from coach.batch.run import BatchItem, BatchResult, BatchRun
from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.grading.grader import Grader

FIELDS = ("bank", "question", "answer")


@dataclass
class JobSummary:
    """What one run of a job did."""

    total: int = 0  # ids in the input
    skipped: int = 0  # already in the output from an earlier run
    graded: int = 0
    failed: int = 0  # error lines written this run (bad input lines included)
    unfinished: int = 0  # left for the next run: the budget was spent
    cost_usd: float | None = None
    ids: list[str] = field(default_factory=list)


def _input_lines(path: Path, encoding: str | None = None) -> Iterator[tuple[int, str]]:
    try:
        with path.open(encoding=encoding or "utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield number, line
    except OSError as exc:
        raise CoachError(f"cannot read {str(path)!r}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CoachError(f"{str(path)!r} is not {encoding or 'UTF-8'} text") from None


def done_ids(out: Path) -> set[str]:
    """Ids already written to `out`; a cut-off last line (a crash mid-write) is removed."""
    if not out.exists():
        return set()
    data = out.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        with out.open("r+b") as handle:
            handle.truncate(keep)
        data = data[:keep]
    ids = set()
    for raw in data.decode("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            ids.add(record["id"])
    return ids


def _error_line(job_id: str, kind: str, message: str) -> dict[str, Any]:
    return {"id": job_id, "error": {"type": kind, "message": message}}


def _parse(number: int, line: str, seen: set[str]) -> tuple[str, BatchItem | dict[str, Any]]:
    """The job id of a line and its item, or an error line when the line cannot be graded."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return f"line-{number}", _error_line(f"line-{number}", "InvalidLine", f"not JSON: {exc}")
    if not isinstance(record, dict):
        return f"line-{number}", _error_line(f"line-{number}", "InvalidLine", "not an object")
    raw_id = record.get("id")
    job_id = str(raw_id) if raw_id not in (None, "") else f"line-{number}"
    if job_id in seen:
        job_id = f"{job_id}@line-{number}"
        return job_id, _error_line(job_id, "DuplicateId", "this id already appeared earlier")
    missing = [name for name in FIELDS if name not in record]
    if missing:
        return job_id, _error_line(job_id, "InvalidLine", f"missing {', '.join(missing)}")
    item = BatchItem(
        bank=record["bank"], question=record["question"], answer=record["answer"], id=job_id
    )
    return job_id, item


def _write(handle: IO[str], record: dict[str, Any]) -> None:
    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    handle.flush()


def read_job(
    source: str | os.PathLike[str], encoding: str | None = None
) -> list[tuple[str, BatchItem | dict[str, Any]]]:
    """Each non-empty line of a job file (UTF-8 unless `encoding` says otherwise): its id, and
    its item or the error line it becomes."""
    seen: set[str] = set()
    parsed = []
    for number, line in _input_lines(Path(source), encoding):
        job_id, item = _parse(number, line, seen)
        seen.add(job_id)
        parsed.append((job_id, item))
    return parsed


def write_outcome(handle: IO[str], outcome: BatchResult) -> None:
    """One output line: the id with its result, or with its error."""
    if outcome.result is not None:
        _write(handle, {"id": outcome.id, "result": outcome.result.model_dump(mode="json")})
    else:
        error = outcome.error.model_dump() if outcome.error else {}
        _write(handle, {"id": outcome.id, "error": error})


def run_job(
    grader: Grader,
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    concurrency: int = 8,
    progress: ProgressOption = None,
    max_cost_usd: float | None = None,
    encoding: str | None = None,
) -> JobSummary:
    """Grade `source` (read in `encoding`, UTF-8 by default) into `out`, resuming whatever an
    earlier run left unfinished."""
    source_path, out_path = Path(source), Path(out)
    finished = done_ids(out_path)
    summary = JobSummary()
    pending: list[BatchItem] = []
    bad: list[dict[str, Any]] = []
    for job_id, parsed in read_job(source_path, encoding):
        summary.total += 1
        summary.ids.append(job_id)
        if job_id in finished:
            summary.skipped += 1
        elif isinstance(parsed, BatchItem):
            pending.append(parsed)
        else:
            bad.append(parsed)
    try:
        handle = out_path.open("a", encoding="utf-8")
    except OSError as exc:
        raise CoachError(f"cannot write {str(out_path)!r}: {exc.strerror}") from None
    with handle:
        for record in bad:
            _write(handle, record)
        summary.failed += len(bad)

        def write(outcome: BatchResult) -> None:
            if outcome.result is not None:
                summary.graded += 1
            else:
                summary.failed += 1
            write_outcome(handle, outcome)

        run = BatchRun(
            grader,
            pending,
            concurrency=concurrency,
            progress=progress,
            on_result=write,
            max_cost_usd=max_cost_usd,
            keep_results=False,  # each outcome is written out as it finishes
        )
        run.run()
        summary.unfinished = sum(
            1 for r in run.results if r is not None and r.error and r.error.type == "BudgetExceeded"
        )
        summary.cost_usd = run.usage.cost_usd
    return summary
