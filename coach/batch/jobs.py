"""Resumable file jobs: a JSON-lines file of answers in, a JSON-lines file of outcomes out.

Input: one object a line with `id`, `bank` (a built-in id or a path), `question` and `answer`.
Output: one line per input line, carrying its `id` and either `result` (a `GradeResult`) or
`error` (`type`, `message` and `retry`): a line that is not UTF-8 or not JSON, lacks a field,
names an unknown bank or question, or repeats an id becomes an error line, never a crash.

The input is read as a stream, a line at a time as workers free up, so memory does not grow
with the file (only the set of ids seen does). Each outcome is appended as a whole line, in
blocks of up to 256 KB or half a second (see `coach.batch.blocks`), so Ctrl-C loses at most the
items in flight, a crash at most the lines of the last half second, and a failed write stops
the job with the file holding whole lines. A lock beside the output
(`OUT.lock`, see `coach.batch.lock`) keeps a second run off the same output.

Running the same job again resumes it: ids already in the output are skipped (a last line cut
off by a crash is dropped first), and at the end every id appears exactly once. An error line
with `retry: true` came from the environment (the network, a rate limit, a timeout, the cache,
the disk), not from its item: the next run takes it out and grades that item again, as
`retry_errors=True` does for every error line. A line without an id is named `line-N` by its
line number; a repeated id is reported as `ID@line-N`, so that name too appears once.

The input may also be a table and the output a table (`coach.batch.table_in`, `table_out`),
and `shard` grades one part of a job split across machines (`coach.batch.shard`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pydantic import ValidationError

from coach.batch.jsonl import (
    OutcomeWriter,
    Scan,
    dumps_line,
    input_lines,
    result_line,
    scan_output,
)
from coach.batch.lock import OutputLock
from coach.batch.progress import Progress, ProgressOption, will_show
from coach.batch.run import BatchItem, BatchResult, BatchRun
from coach.batch.shard import Shard
from coach.batch.table_in import Columns, TableItem, TableSource, table_format
from coach.batch.table_out import (
    Output,
    export_table,
    header_for,
    open_table_writer,
    output_for,
    scan_table,
)
from coach.batch.workers import Processes, graded_in_order
from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.batch.run import AsyncGrader

FIELDS = ("bank", "question", "answer")
FIELDS_SET = frozenset(FIELDS)

Parsed = BatchItem | dict[str, Any]  # a gradable item, or the error line a bad line becomes


@dataclass
class JobSummary:
    """What one run of a job did."""

    total: int = 0  # ids in the input
    skipped: int = 0  # already in the output from an earlier run
    graded: int = 0
    failed: int = 0  # error lines written this run (bad input lines included)
    to_retry: int = 0  # of those, errors from the environment: the next run tries them again
    retried: int = 0  # error lines of an earlier run taken out to be tried again
    repaired: int = 0  # torn, repeated or unreadable lines taken out of the output
    unfinished: int = 0  # left for the next run: the budget was spent
    cost_usd: float | None = None
    first_retry: str | None = None  # the first environment error, "Type: message"


def _error_line(job_id: str, kind: str, message: str) -> dict[str, Any]:
    return {"id": job_id, "error": {"type": kind, "message": message, "retry": False}}


def _parse(
    number: int, line: str | None, problem: str | None, seen: set[str]
) -> tuple[str, Parsed]:
    """The job id of a line and its item, or an error line when the line cannot be graded."""
    name = f"line-{number}"
    if line is None:
        return name, _error_line(name, "InvalidLine", problem or f"line {number} is unreadable")
    try:
        record = json.loads(line)
    except ValueError as exc:
        return name, _error_line(name, "InvalidLine", f"line {number} is not JSON: {exc}")
    if not isinstance(record, dict):
        return name, _error_line(name, "InvalidLine", f"line {number} is not a JSON object")
    raw_id = record.get("id")
    job_id = str(raw_id) if raw_id not in (None, "") else name
    if not _is_text(job_id):  # "\udc80" in JSON: no output table or terminal can show it
        return name, _error_line(
            name, "InvalidLine", f"line {number}: its id {job_id!r} holds a lone surrogate"
        )
    if job_id in seen:
        job_id = f"{job_id}@{name}"
        return job_id, _error_line(job_id, "DuplicateId", "this id already appeared earlier")
    if not record.keys() >= FIELDS_SET:
        missing = [field for field in FIELDS if field not in record]
        return job_id, _error_line(
            job_id, "InvalidLine", f"line {number} lacks {', '.join(missing)}"
        )
    try:
        item = BatchItem(
            bank=record["bank"], question=record["question"], answer=record["answer"], id=job_id
        )
    except ValidationError:  # a question that is a number, a list: neither an id nor a rubric
        kind = type(record["question"]).__name__
        message = f"line {number}: question is neither a question id nor a question ({kind})"
        return job_id, _error_line(job_id, "InvalidLine", message)
    return job_id, item


def _is_text(value: str) -> bool:
    if value.isascii():  # most ids: nothing to encode
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def iter_job(
    source: str | os.PathLike[str], encoding: str | None = None
) -> Iterator[tuple[str, Parsed]]:
    """Each non-blank line of a job file as it is read: its id, and its item or the error
    line it becomes. Holds the ids seen (to name repeats), not the lines."""
    seen: set[str] = set()
    for line in input_lines(Path(source), encoding):
        job_id, parsed = _parse(line.number, line.text, line.problem, seen)
        seen.add(job_id)
        yield job_id, parsed


def read_job(
    source: str | os.PathLike[str], encoding: str | None = None
) -> list[tuple[str, Parsed]]:
    """`iter_job` as a list, for jobs that need every line at once (the Batch API)."""
    return list(iter_job(source, encoding))


def outcome_record(outcome: BatchResult) -> dict[str, Any]:
    """The output line of an outcome: the id with its result, or with its error."""
    if outcome.result is not None:
        return {"id": outcome.id, "result": outcome.result.model_dump(mode="json")}
    error = outcome.error.model_dump() if outcome.error else {}
    return {"id": outcome.id, "error": error}


def outcome_line(outcome: BatchResult) -> str:
    """The output line of an outcome (`outcome_record`, as `dumps_line` writes it)."""
    if outcome.result is not None:
        return result_line(outcome.id, outcome.result)
    return dumps_line(outcome_record(outcome))


def write_outcome(handle: IO[str], outcome: BatchResult) -> None:
    """One output line on a text stream: the id with its result, or with its error."""
    handle.write(outcome_line(outcome))
    handle.flush()


def _retry_marked(record: dict[str, Any]) -> bool:
    error = record.get("error")
    return isinstance(error, dict) and error.get("retry") is True


def _any_error(record: dict[str, Any]) -> bool:
    return "error" in record


Rows = Callable[[], Iterator[tuple[str, Parsed]]]  # a fresh pass over a job file's items


class _Job:
    """One run's bookkeeping: feeds the batch the items to grade and writes every line."""

    def __init__(self, writer: OutcomeWriter, done: set[str], summary: JobSummary) -> None:
        self.writer = writer
        self.done = done
        self.summary = summary
        self.extra: dict[str, dict[str, str]] = {}  # a table row's other columns, in flight

    def items(self, rows: Rows) -> Iterator[BatchItem]:
        """The items to grade, read as the batch asks for them; bad lines are written out on
        the way, ids already done are counted and passed over."""
        for parsed in self._entries(rows):
            if isinstance(parsed, BatchItem):
                yield parsed
            else:
                self._write_bad(parsed)

    def grade_on(
        self, processes: Processes, rows: Rows, progress: ProgressOption, total: int | None
    ) -> None:
        """Grade on worker processes: every line written in input order, bad lines too."""
        bar = Progress(total or 0, progress)
        outcomes = graded_in_order(processes, self._entries(rows), lines=True)
        try:
            for graded in outcomes:
                if isinstance(graded, dict):  # a bad input line's error line
                    self._write_bad(graded)
                elif graded.line is not None:
                    extra = self.extra.pop(graded.id, None) if graded.id is not None else None
                    if extra:  # a table row's other columns go with its result
                        self.writer.write({**json.loads(graded.line), "row": extra})
                    else:
                        self.writer.write_line(graded.line)
                    self.summary.graded += 1
                    bar.advance()
                else:
                    self.write(BatchResult(index=graded.index, id=graded.id, error=graded.error))
                    bar.advance(failed=True)
        finally:  # a failed write or Ctrl-C stops the workers too
            outcomes.close()
            bar.close()

    def _entries(self, rows: Rows) -> Iterator[Parsed]:
        """The items to grade and the error lines of bad lines, in input order; ids already
        done are counted and passed over."""
        for job_id, parsed in rows():
            self.summary.total += 1
            if job_id in self.done:
                self.summary.skipped += 1
                continue
            if isinstance(parsed, TableItem) and parsed.extra:
                self.extra[job_id] = parsed.extra
            yield parsed

    def _write_bad(self, record: dict[str, Any]) -> None:
        self.summary.failed += 1
        self.writer.write(record)

    def write(self, outcome: BatchResult) -> None:
        extra = self.extra.pop(outcome.id, None) if self.extra and outcome.id is not None else None
        if extra:  # a table row's other columns go with its outcome
            self.writer.write({**outcome_record(outcome), "row": extra})
        elif outcome.result is not None:
            self.writer.write_result(outcome.id, outcome.result)
        else:
            self.writer.write_line(outcome_line(outcome))
        if outcome.result is not None:
            self.summary.graded += 1
            return
        self.summary.failed += 1
        if outcome.error is not None and outcome.error.retry:
            self.summary.to_retry += 1
            if self.summary.first_retry is None:
                self.summary.first_retry = f"{outcome.error.type}: {outcome.error.message}"


def _count_items(source: Path, done: set[str], rows: Rows) -> int | None:
    """How many items a regular file will give to grade, for the progress bar; None for a
    pipe, which can be read only once."""
    try:
        if not source.is_file():
            return None
    except OSError:
        return None
    return sum(
        1 for job_id, parsed in rows() if isinstance(parsed, BatchItem) and job_id not in done
    )


def _sharded(rows: Rows, shard: Shard | None) -> Rows:
    if shard is None:
        return rows
    return lambda: ((job_id, parsed) for job_id, parsed in rows() if shard.takes(job_id))


def _open(
    output: Output, drop: Callable[[dict[str, Any]], bool], extra_columns: tuple[str, ...]
) -> tuple[Scan, OutcomeWriter]:
    """An earlier run's output read back (and repaired), and a writer appending to it."""
    if output.format in ("csv", "tsv"):
        delimiter = "\t" if output.format == "tsv" else ","
        scan, found = scan_table(output.journal, drop, delimiter)
        header = found or header_for(extra_columns)
        return scan, open_table_writer(output.journal, header, delimiter)
    return scan_output(output.journal, drop), OutcomeWriter.append_to(output.journal)


def run_job(
    grader: AsyncGrader,
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    concurrency: int = 8,
    progress: ProgressOption = None,
    max_cost_usd: float | None = None,
    retry_errors: bool = False,
    before_writing: Callable[[], None] | None = None,
    encoding: str | None = None,
    input_format: str | None = None,
    columns: Columns | None = None,
    shard: Shard | None = None,
    processes: Processes | None = None,
) -> JobSummary:
    """Grade `source` into `out`, resuming whatever an earlier run left unfinished.

    Error lines marked `retry` (and, with `retry_errors`, every error line) are taken out of
    `out` and graded again. `before_writing` is called once the lock is held, before the
    output is touched: a check that should stop the job with nothing written. `source` is
    UTF-8 unless `encoding` names another.

    A `source` whose suffix (or `input_format`) says CSV, TSV, xlsx or Parquet is read as a
    table with `columns` (see `coach.batch.table_in`); an `out` ending in .csv or .tsv is
    written as rows, and one ending in .xlsx or .parquet from the journal `OUT.xlsx.jsonl`
    beside it (see `coach.batch.table_out`). With `shard`, only the ids of that part. With
    `processes` (an offline grade), the items are graded on worker processes instead of by
    `grader` (see `coach.batch.workers`).
    `OutputLocked` when another run holds `out`; `OutputError` when a write fails.
    """
    source_path, output = Path(source), output_for(out)
    try:
        source_path.stat()  # not opened: a named pipe can be read only once
    except OSError as exc:
        raise CoachError(f"cannot read {str(source_path)!r}: {exc.strerror or exc}") from None
    extra_columns: tuple[str, ...] = ()
    if table_format(source_path, input_format) == "jsonl":
        rows: Rows = lambda: iter_job(source_path, encoding)  # noqa: E731
    else:
        table = TableSource(source_path, columns or Columns(), input_format, encoding)
        rows, extra_columns = table.items, table.extra_columns
    rows = _sharded(rows, shard)
    summary = JobSummary()
    with OutputLock(output.journal):
        if before_writing is not None:
            before_writing()
        scan, writer = _open(output, _any_error if retry_errors else _retry_marked, extra_columns)
        summary.retried = scan.retried
        summary.repaired = scan.repeated + scan.unreadable + int(scan.repaired)
        with writer:
            total = _count_items(source_path, scan.done, rows) if will_show(progress) else None
            job = _Job(writer, scan.done, summary)
            run: BatchRun | None = None
            if processes is not None:
                job.grade_on(processes, rows, progress, total)
            else:
                run = BatchRun(
                    grader,
                    job.items(rows),
                    concurrency=concurrency,
                    progress=progress,
                    on_result=job.write,
                    max_cost_usd=max_cost_usd,
                    keep_results=False,  # streamed in, each outcome written out as it finishes
                    total=total,
                )
                run.run()
        if output.exported:
            export_table(output.journal, output.path, output.format)
    if run is not None:
        summary.unfinished = run.unfinished
        summary.cost_usd = run.usage.cost_usd
    return summary
