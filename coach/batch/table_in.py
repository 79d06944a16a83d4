"""Job files that are tables: CSV, TSV, Excel workbooks and Parquet files, read row by row into
the same items and error lines a JSON-lines job gives.

The first row (CSV, TSV, the first sheet of a workbook) or the schema (Parquet) names the
columns. `Columns` says which hold the id, the answer, the bank and the question, and which
bank and question to use when a file has no column for them (a file of answers to one
question). A column asked for that the file lacks stops the job before anything is written,
with the names the file has. Rows are numbered from 1 after the header: a row without an id
is `row-N` (the same N on every run, blank rows counted), a repeated id `ID@row-N`. A row with
an empty answer, no bank or no question, or bytes that do not decode becomes an error line.
The other columns ride along with the row's outcome (`Parsed` items are `TableItem`s).

CSV and TSV are read with the standard `csv` module, a physical line at a time from the bytes,
so memory stays flat and one line in another encoding spoils only its own row; a byte order
mark (Excel writes one) is dropped before the first column's name. Workbooks need openpyxl and
Parquet files pyarrow, imported only when such a file is read (`pip install
'interview-coach[excel]'`, `'interview-coach[parquet]'`).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import importlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import Field

from coach.batch.run import BatchItem
from coach.errors import CoachError

Row = tuple[int, list[str] | None, str | None]  # number (0: the header), cells, or a problem
Parsed = BatchItem | dict[str, Any]  # a gradable item, or the error line a bad row becomes

SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
}
FORMATS = ("jsonl", "csv", "tsv", "xlsx", "parquet")
EXTRAS = {"xlsx": ("openpyxl", "excel"), "parquet": ("pyarrow.parquet", "parquet")}


def table_format(path: str | Path, declared: str | None = None) -> str:
    """The format of a file: `declared` if given, else by its suffix; JSON lines otherwise."""
    if declared:
        return declared
    return SUFFIXES.get(Path(path).suffix.lower(), "jsonl")


def need_extra(fmt: str) -> ModuleType:
    """The optional module a format needs, imported now; a clear error when it is missing."""
    module, extra = EXTRAS[fmt]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise CoachError(
            f"{fmt} files need {module.split('.')[0]}: pip install 'interview-coach[{extra}]'"
        ) from None


class TableItem(BatchItem):
    """An item read from a table, with the row's other columns, to be written beside it."""

    extra: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class Columns:
    """Which columns of a table hold what; `bank`/`question` fill in where a row has none."""

    id: str = "id"
    answer: str = "answer"
    bank_col: str = "bank"
    question_col: str = "question"
    bank: str | None = None
    question: str | None = None
    id_required: bool = False  # named by the user: then the file must have it

    def check(self, header: Sequence[str], name: str) -> None:
        """`CoachError` naming the columns the file has when one asked for is missing."""
        missing = [repr(self.answer)] if self.answer not in header else []
        if self.id_required and self.id not in header:
            missing.append(repr(self.id))
        for column, default, option in (
            (self.bank_col, self.bank, "--bank"),
            (self.question_col, self.question, "--question"),
        ):
            if column not in header and default is None:
                missing.append(f"{column!r} (or {option} for every row)")
        if missing:
            has = ", ".join(repr(column) for column in header) or "none"
            raise CoachError(f"{name} has no column {', '.join(missing)}; its columns are {has}")

    def used(self) -> set[str]:
        return {self.id, self.answer, self.bank_col, self.question_col}


class TableSource:
    """A table job file: its header, checked at once, and its rows as items on each call."""

    def __init__(
        self,
        path: str | Path,
        columns: Columns,
        fmt: str | None = None,
        encoding: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.columns = columns
        self.format = table_format(self.path, fmt)
        if self.format == "jsonl":
            raise CoachError(f"{str(self.path)!r} is JSON lines, not a table")
        self.encoding = encoding
        if not self.path.is_file():  # read twice: its header now, its rows when grading
            raise CoachError(f"{str(self.path)!r} is not a file: a table cannot come from a pipe")
        if self.format in EXTRAS:
            need_extra(self.format)
        rows = self._rows()
        try:
            self.header = _header(next(rows, (0, [], None)), self.path)
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()
        columns.check(self.header, repr(str(self.path)))
        used = columns.used()
        self.extra_columns = tuple(c for c in self.header if c not in used and c)

    def _rows(self) -> Iterator[Row]:
        readers: dict[str, Callable[[], Iterator[Row]]] = {
            "csv": lambda: _csv_rows(self.path, ",", self.encoding),
            "tsv": lambda: _csv_rows(self.path, "\t", self.encoding),
            "xlsx": lambda: _xlsx_rows(self.path),
            "parquet": lambda: _parquet_rows(self.path),
        }
        return readers[self.format]()

    def items(self) -> Iterator[tuple[str, Parsed]]:
        """Each data row as it is read: its id, and its item or the error line it becomes."""
        rows = self._rows()
        header = _header(next(rows, (0, [], None)), self.path)
        where = {name: at for at, name in reversed(list(enumerate(header)))}  # first wins
        seen: set[str] = set()
        for number, cells, problem in rows:
            if cells is not None and not any(cell.strip() for cell in cells):
                continue  # a blank row: counted for the numbering, not an item
            job_id, parsed = self._parse(number, cells, problem, where, seen)
            seen.add(job_id)
            yield job_id, parsed

    def _parse(
        self,
        number: int,
        cells: list[str] | None,
        problem: str | None,
        where: dict[str, int],
        seen: set[str],
    ) -> tuple[str, Parsed]:
        name = f"row-{number}"
        if cells is None:
            return name, _error_line(name, problem or f"row {number} is unreadable")

        def cell(column: str) -> str:
            at = where.get(column)
            return cells[at].strip() if at is not None and at < len(cells) else ""

        job_id = cell(self.columns.id) or name
        if job_id in seen:
            job_id = f"{job_id}@{name}"
            return job_id, _error_line(job_id, "this id already appeared earlier", "DuplicateId")
        extra = {column: cell(column) for column in self.extra_columns}
        answer_at = where[self.columns.answer]
        answer = cells[answer_at] if answer_at < len(cells) else ""
        bank = cell(self.columns.bank_col) or self.columns.bank
        question = cell(self.columns.question_col) or self.columns.question
        if not answer.strip() or not bank or not question:
            lacks = [
                what
                for what, value in (
                    ("an answer", answer.strip()),
                    ("a bank", bank),
                    ("a question", question),
                )
                if not value
            ]
            line = _error_line(job_id, f"row {number} lacks {', '.join(lacks)}")
            return job_id, line | ({"row": extra} if extra else {})
        item = TableItem(bank=bank, question=question, answer=answer, id=job_id, extra=extra)
        return job_id, item


def _error_line(job_id: str, message: str, kind: str = "InvalidRow") -> dict[str, Any]:
    return {"id": job_id, "error": {"type": kind, "message": message, "retry": False}}


def _header(first: Row, path: Path) -> list[str]:
    _, cells, problem = first
    if cells is None:
        raise CoachError(f"cannot read the header of {str(path)!r}: {problem}")
    header = [cell.strip() for cell in cells]
    if header:
        header[0] = header[0].removeprefix("\ufeff")
    return header


_WIDE = re.compile(r"utf[-_]?(16|32)")


def _csv_rows(path: Path, delimiter: str, encoding: str | None) -> Iterator[Row]:
    """The header (number 0), then each record of a CSV or TSV file; a record holding a line
    that does not decode comes as a problem. Quoted fields may span lines."""
    name = encoding or "utf-8"
    wide = _WIDE.match(codecs.lookup(name).name) is not None
    bad: list[int] = []  # physical lines that did not decode, as the reader takes them
    try:
        handle = path.open("rb") if not wide else path.open(encoding=name, newline="")
    except OSError as exc:
        raise CoachError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    with handle:
        lines = _wide_lines(handle, name) if wide else _decoded_lines(handle, name, bad)
        reader = csv.reader(lines, delimiter=delimiter)
        number = -1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                bad.clear()  # its lines are this row's, turned down already
                yield number, None, f"row {number} is not {_label(delimiter)}: {exc}"
                continue
            except (UnicodeDecodeError, _WideFailure) as exc:
                number += 1
                yield number, None, f"row {number} is not {name} text ({exc}); the rest is unread"
                return
            number += 1
            spoiled = bad[:]  # the reader has taken exactly this record's lines since the last
            bad.clear()
            if spoiled and number > 0:
                yield number, None, f"row {number} is not {name} text (line {spoiled[0]})"
            elif spoiled:
                raise CoachError(f"the header of {str(path)!r} is not {name} text")
            else:
                yield number, cells, None


def _label(delimiter: str) -> str:
    return "CSV" if delimiter == "," else "TSV"


def _decoded_lines(handle: Any, encoding: str, bad: list[int]) -> Iterator[str]:
    """Each physical line, decoded; one that does not decode is noted in `bad` and read with
    replacement characters, so the reader keeps its place and its row is turned down."""
    for number, raw in enumerate(iter(handle.readline, b""), start=1):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            bad.append(number)
            text = raw.decode(encoding, "replace")
        yield text.removeprefix("\ufeff") if number == 1 else text


class _WideFailure(Exception):
    pass


def _wide_lines(handle: Any, encoding: str) -> Iterator[str]:
    """UTF-16 and UTF-32 text, decoded as a stream: one bad sequence ends the file."""
    try:
        for number, text in enumerate(handle, start=1):
            yield text.removeprefix("\ufeff") if number == 1 else text
    except UnicodeDecodeError as exc:
        raise _WideFailure(exc.reason) from None


def cell_text(value: object) -> str:
    """A workbook or Parquet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as 17 is read back by Excel as 17.0
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[Row]:
    openpyxl = need_extra("xlsx")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a zip error, a missing part: whatever openpyxl raises
        raise CoachError(f"cannot read {str(path)!r} as an Excel workbook: {exc}") from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True)):
            yield number, [cell_text(value) for value in values], None
    finally:
        book.close()


def _parquet_rows(path: Path) -> Iterator[Row]:
    parquet = need_extra("parquet")
    try:
        table = parquet.ParquetFile(path)
    except Exception as exc:  # ArrowInvalid and the like
        raise CoachError(f"cannot read {str(path)!r} as a Parquet file: {exc}") from None
    yield 0, list(table.schema_arrow.names), None
    number = 0
    for batch in table.iter_batches(batch_size=1024):
        for values in zip(*(column.to_pylist() for column in batch.columns), strict=True):
            number += 1
            yield number, [cell_text(value) for value in values], None
