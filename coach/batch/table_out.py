"""Outcomes as table rows: a CSV or TSV output appended a row at a time, and Excel or Parquet
files written whole from a JSON-lines journal.

A row holds `FIELDS` (the id, the bank and question ids, score, max, percent, method, status,
the flag codes, the error as "Type: message" and whether it will be retried), then the input
row's other columns. A CSV or TSV output is a journal of its own: each row is one physical line
(line breaks inside a value are written as spaces), appended whole in blocks as JSON lines
are (`coach.batch.blocks`), so resuming works as for JSON lines: a torn last row is cut off,
ids already present are skipped, rows to retry are taken out. A new CSV file starts with a
UTF-8 byte order mark, without which Excel reads Chinese text as the wrong encoding.

An Excel workbook or a Parquet file cannot be appended to, so the job appends to the JSON-lines
journal `OUT.xlsx.jsonl` beside it (which is what resumes) and the table is written from it,
whole, at the end of every run (to a temporary file first, then swapped in).
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.batch.jsonl import (
    OutcomeWriter,
    OutputError,
    Scan,
    cut_torn_tail,
    result_bytes,
    stays,
)
from coach.batch.table_in import SUFFIXES, need_extra
from coach.errors import CoachError
from coach.result import GradeResult

FIELDS = (
    "id",
    "bank",
    "question",
    "score",
    "max",
    "percent",
    "method",
    "status",
    "flags",
    "error",
    "retry",
)
_BREAKS = re.compile(r"\r\n|[\r\n\x00]")
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # XML 1.0 refuses them
_CHUNK_ROWS = 1000  # rows per Parquet row group written


def extra_name(column: str) -> str:
    """The output name of an input column; one that clashes with a field is prefixed."""
    return f"input {column}" if column in FIELDS else column


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """The table row of one output record (a result or an error, and the input's columns)."""
    row: dict[str, Any] = dict.fromkeys(FIELDS)
    row["id"] = record.get("id")
    result = record.get("result")
    if isinstance(result, dict):
        flags = result.get("flags") or []
        row.update(
            bank=result.get("bank_id"),
            question=result.get("question_id"),
            score=result.get("score"),
            max=result.get("max_score"),
            percent=result.get("percent"),
            method=result.get("method"),
            status=result.get("status"),
            flags=";".join(str(flag.get("code")) for flag in flags if isinstance(flag, dict)),
        )
    error = record.get("error")
    if isinstance(error, dict):
        row["error"] = f"{error.get('type')}: {error.get('message')}"
        row["retry"] = error.get("retry") is True
    extra = record.get("row")
    if isinstance(extra, dict):
        row.update({extra_name(str(k)): v for k, v in extra.items()})
    return row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, float):
        text = str(round(value, 4))
        return text.removesuffix(".0")
    return _BREAKS.sub(" ", str(value))


def csv_line(values: Sequence[Any], delimiter: str) -> str:
    """One row as one physical CSV or TSV line ending in "\\n"."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerow(
        [_text(value) for value in values]
    )
    return buffer.getvalue()


def _delimiter(fmt: str) -> str:
    return "\t" if fmt == "tsv" else ","


class TableWriter(OutcomeWriter):
    """Appends outcomes to a CSV or TSV file as rows under `header`, whole rows or none; the
    first row written to an empty file brings the byte order mark and the header with it."""

    header: list[str]
    delimiter: str
    start: bytes = b""

    def encode(self, record: dict[str, Any]) -> bytes:
        row = flat_row(record)
        line = csv_line([row.get(column) for column in self.header], self.delimiter).encode()
        start, self.start = self.start, b""
        return start + line

    def encode_line(self, text: str | bytes) -> bytes:
        return self.encode(json.loads(text))

    def encode_result(self, job_id: str | None, result: GradeResult) -> bytes:
        return self.encode_line(result_bytes(job_id, result))


def open_table_writer(path: Path, header: list[str], delimiter: str) -> TableWriter:
    """A writer appending rows to `path` (which a scan has already read back)."""
    writer = TableWriter.append_to(path)
    assert isinstance(writer, TableWriter)
    writer.header, writer.delimiter = header, delimiter
    if path.stat().st_size == 0:
        writer.start = b"\xef\xbb\xbf" + csv_line(header, delimiter).encode()
    return writer


def _cells(line: bytes, delimiter: str) -> list[str] | None:
    try:
        text = line.decode("utf-8").removeprefix("\ufeff")
        return next(csv.reader([text], delimiter=delimiter))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None


def scan_table(
    path: Path, drop: Callable[[dict[str, Any]], bool], delimiter: str
) -> tuple[Scan, list[str] | None]:
    """`scan_output` for a CSV or TSV output: the ids it holds and its header (None for a new
    file); a torn last row is cut off, and rows to drop, repeats and unreadable rows taken out.
    `CoachError` for a file that is no output of coach (its header lacks the fields)."""
    scan = Scan()
    try:
        if not path.exists() or path.stat().st_size == 0:
            return scan, None
        scan.repaired = cut_torn_tail(path)
        with path.open("rb") as handle:
            first = handle.readline()
            header = _cells(first, delimiter) if first else None
            if header is None:
                return scan, None
            missing = [field for field in FIELDS if field not in header]
            if missing:
                raise CoachError(
                    f"{str(path)!r} is not an output of coach grade-file (its first row lacks "
                    f"{', '.join(missing)}); name a new file with --out"
                )
            for _ in _kept(handle, header, drop, delimiter, scan):
                pass
        if scan.retried + scan.repeated + scan.unreadable == 0:
            return scan, header
        kept = path.with_name(path.name + ".rewrite")
        scan = Scan(repaired=scan.repaired)
        with path.open("rb") as handle, kept.open("wb") as copy:
            copy.write(handle.readline())
            copy.writelines(_kept(handle, header, drop, delimiter, scan))
            copy.flush()
            os.fsync(copy.fileno())
        os.replace(kept, path)
    except OSError as exc:
        raise OutputError(f"cannot read back {str(path)!r}: {exc.strerror or exc}") from None
    return scan, header


def _kept(
    lines: Any,
    header: list[str],
    drop: Callable[[dict[str, Any]], bool],
    delimiter: str,
    scan: Scan,
) -> Iterator[bytes]:
    at = {name: index for index, name in enumerate(header)}
    for line in lines:
        cells = _cells(line, delimiter)
        record: dict[str, Any] | None = None
        if cells is not None and len(cells) == len(header) and cells[at["id"]]:
            record = {"id": cells[at["id"]]}
            if cells[at["error"]]:
                record["error"] = {"retry": cells[at["retry"]] == "true"}
        if stays(record, drop, scan):
            yield line


@dataclass(frozen=True)
class Output:
    """Where a job's outcomes go: `journal` is appended to (and locked), `path` is what the
    user named; they differ for a workbook or a Parquet file, written from the journal."""

    path: Path
    format: str  # jsonl, csv, tsv, xlsx, parquet
    journal: Path

    @property
    def exported(self) -> bool:
        return self.journal != self.path


def output_for(path: str | os.PathLike[str]) -> Output:
    """The output of `path` by its suffix; a workbook or Parquet file's extra is checked now,
    before any grading."""
    target = Path(path)
    fmt = SUFFIXES.get(target.suffix.lower(), "jsonl")
    if fmt in ("xlsx", "parquet"):
        need_extra(fmt)
        return Output(target, fmt, target.with_name(target.name + ".jsonl"))
    return Output(target, fmt, target)


def header_for(extra_columns: Sequence[str]) -> list[str]:
    return [*FIELDS, *(extra_name(column) for column in extra_columns)]


def _records(journal: Path) -> Iterator[dict[str, Any]]:
    with journal.open("rb") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a torn last line: the next run cuts it off
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                yield record


def export_table(journal: Path, out: Path, fmt: str) -> int:
    """Write the table `out` (csv, tsv, xlsx, parquet) from a JSON-lines journal, whole, by
    way of a temporary file; the number of rows."""
    extra: dict[str, None] = {}  # the input's columns, in the order first seen
    if journal.exists():
        for record in _records(journal):
            if isinstance(record.get("row"), dict):
                extra.update(dict.fromkeys(map(str, record["row"])))
    header = header_for(list(extra))
    rows = (flat_row(record) for record in _records(journal)) if journal.exists() else iter(())
    partial = out.with_name(out.name + ".partial")
    try:
        count = _WRITERS[fmt](partial, header, rows)
        os.replace(partial, out)
    except OSError as exc:
        raise OutputError(f"cannot write {str(out)!r}: {exc.strerror or exc}") from None
    return count


def _write_csv(path: Path, header: list[str], rows: Iterator[dict[str, Any]], tab: bool) -> int:
    delimiter = "\t" if tab else ","
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(csv_line(header, delimiter))
        for row in rows:
            handle.write(csv_line([row.get(column) for column in header], delimiter))
            count += 1
    return count


def _write_xlsx(path: Path, header: list[str], rows: Iterator[dict[str, Any]]) -> int:
    openpyxl = need_extra("xlsx")
    write_only_cell = importlib.import_module("openpyxl.cell").WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("grades")
    sheet.append(header)
    count = 0
    for row in rows:
        cells = []
        for column in header:
            value = row.get(column)
            if isinstance(value, str):
                cell = write_only_cell(sheet, value=_ILLEGAL_IN_XLSX.sub(" ", value))
                cell.data_type = "s"  # text stays text: "=1+1" is no formula
            else:
                cell = write_only_cell(sheet, value=value)
            cells.append(cell)
        sheet.append(cells)
        count += 1
    book.save(path)
    return count


def _write_parquet(path: Path, header: list[str], rows: Iterator[dict[str, Any]]) -> int:
    parquet = need_extra("parquet")
    pyarrow = importlib.import_module("pyarrow")

    numbers = {"score", "max", "percent"}
    schema = pyarrow.schema(
        [
            (
                column,
                pyarrow.float64()
                if column in numbers
                else pyarrow.bool_()
                if column == "retry"
                else pyarrow.string(),
            )
            for column in header
        ]
    )
    count = 0
    with parquet.ParquetWriter(path, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append({c: _typed(row.get(c), c in numbers or c == "retry") for c in header})
            if len(chunk) == _CHUNK_ROWS:
                writer.write_table(pyarrow.Table.from_pylist(chunk, schema=schema))
                count, chunk = count + len(chunk), []
        if chunk or count == 0:
            writer.write_table(pyarrow.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count


def _typed(value: Any, native: bool) -> Any:
    if native or value is None:
        return value
    return str(value)


_WRITERS: dict[str, Callable[[Path, list[str], Iterator[dict[str, Any]]], int]] = {
    "csv": lambda path, header, rows: _write_csv(path, header, rows, tab=False),
    "tsv": lambda path, header, rows: _write_csv(path, header, rows, tab=True),
    "xlsx": _write_xlsx,
    "parquet": _write_parquet,
}
