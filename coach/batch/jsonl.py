"""JSON Lines as a file job reads and writes them: one record a line, lines ended by "\\n" only.

`str.splitlines()` also breaks at "\\r", "\\v", "\\f", "\\x1c"-"\\x1e", "\\x85", U+2028 and
U+2029; JSON may hold the last three raw inside a string, and a reader that splits there sees
one record as two broken ones. So the input and the output are split on b"\\n" alone, and every
line written has those characters (and lone surrogates, which UTF-8 cannot encode) escaped, so
one record is always exactly one line whoever reads it.

Input is read as bytes and decoded line by line (`input_lines`), so a line in another encoding
is that line's problem, not the file's; it is the one place a job's text is decoded.

Output is appended with `OutcomeWriter`, whole lines gathered into blocks of up to 256 KB or
half a second (`coach.batch.blocks`); when a write fails (a full disk, a quota) whatever part of
the block got out is cut off again, so the file holds whole lines only and the error says what
happened. `scan_output` reads an earlier run's output back, and cuts off a last line a crash
left half-written.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from coach.batch.blocks import BLOCK_BYTES, LineFile
from coach.batch.blocks import OutputError as OutputError  # where it was first defined
from coach.errors import CoachError
from coach.result import GradeResult

_CHUNK = 1 << 16

# Raw characters JSON allows in a string that some line readers break at, C1 controls and lone
# surrogates: written as \\uXXXX escapes, which read back as the same characters.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps_line(record: dict[str, Any]) -> str:
    """`record` as one line of JSON ending in "\\n": readable non-ASCII text, nothing inside
    that any reader could take for a line break."""
    return _UNSAFE.sub(_escape, json.dumps(record, ensure_ascii=False)) + "\n"


# The UTF-8 of the characters `_UNSAFE` finds, but the surrogates, which UTF-8 cannot hold:
# U+007F, U+0080-U+009F (all behind the lead byte C2, like a few common symbols) and
# U+2028-U+2029 (E2 80 A8, E2 80 A9). A pattern that opens on a literal byte is searched for
# that byte first, in C: on a result of 5 KB with fifteen E2s (Chinese quotes, dashes, "…")
# 2 us, where a Python loop looking behind each E2 took 8 (and a 3-byte `in` 5 per needle).
_LINE_SEPARATOR = re.compile(rb"\xe2\x80[\xa8\xa9]")


def _may_need_escapes(body: bytes) -> bool:
    """Whether UTF-8 `body` may hold a character `_UNSAFE` finds: single bytes by memchr
    (a fraction of a regex pass over the characters), then the line separators."""
    if b"\x7f" in body or b"\xc2" in body:
        return True
    return _LINE_SEPARATOR.search(body) is not None


def result_bytes(job_id: str | None, result: GradeResult) -> bytes:
    """The line of a graded item, `{"id": ..., "result": ...}`, as `dumps_line` escapes it,
    in UTF-8; the result serialized by pydantic in one pass, about four times faster than
    building the dictionary and dumping it, which on an offline job is a quarter of the time
    per line. The result's JSON is searched as bytes for what may need escaping, and only
    where such bytes turn up is it escaped as text."""
    if job_id is not None and job_id.isascii() and job_id.isalnum():
        key = f'"{job_id}"'  # what `json.dumps` makes of letters and digits, without the call
    else:
        key = json.dumps(job_id, ensure_ascii=False)  # ids come from input
        if not key.isascii() or "\x7f" in key:
            key = _UNSAFE.sub(_escape, key)
    body = result.__pydantic_serializer__.to_json(result)  # `model_dump_json`, not decoded
    if _may_need_escapes(body):
        body = _UNSAFE.sub(_escape, body.decode("utf-8")).encode("utf-8")
    return b"".join((b'{"id": ', key.encode("utf-8"), b', "result": ', body, b"}\n"))  # one copy


def result_line(job_id: str | None, result: GradeResult) -> str:
    """`result_bytes` as text."""
    return result_bytes(job_id, result).decode("utf-8")


class InputLine(NamedTuple):
    """A non-blank line of a job file: its text, or why it could not be decoded."""

    number: int  # from 1, counting every line, blank ones too
    text: str | None
    problem: str | None = None


def input_lines(path: Path, encoding: str | None = None) -> Iterator[InputLine]:
    """Each non-blank line of a job file (UTF-8 unless `encoding` names another), streamed; a
    line that does not decode comes with a `problem` instead of text, and the others are read
    on. Lines end at "\n" only, whatever else a line holds."""
    name = encoding or "utf-8"
    if _WIDE.match(codecs.lookup(name).name):
        yield from _wide_lines(path, name)
        return
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise CoachError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    with handle:
        number = 0
        while True:
            try:
                raw = handle.readline()
            except OSError as exc:
                raise CoachError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
            if not raw:
                return
            number += 1
            try:
                text = raw.decode(name)
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 1].hex()
                label = "UTF-8" if encoding is None else name
                problem = f"line {number} is not {label} text (byte 0x{bad} at byte {exc.start})"
                yield InputLine(number, None, problem)
                continue
            if number == 1:
                text = text.removeprefix("\ufeff")  # a byte order mark is no part of the id
            if text.strip():  # (a first line may hold nothing but the byte order mark)
                yield InputLine(number, text.rstrip("\r\n"))


_WIDE = re.compile(r"utf[-_]?(16|32)")


def _wide_lines(path: Path, encoding: str) -> Iterator[InputLine]:
    """UTF-16 and UTF-32 files, whose newline is more than one byte: decoded as a whole stream
    (one bad sequence ends the file with a problem line)."""
    number = 0
    try:
        with path.open(encoding=encoding, newline="\n") as lines:
            for number, text in enumerate(lines, start=1):
                text = text.removeprefix("\ufeff")
                if text.strip():
                    yield InputLine(number, text.rstrip("\r\n"))
    except OSError as exc:
        raise CoachError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        yield InputLine(
            number + 1, None, f"line {number + 1} is not {encoding} text ({exc.reason})"
        )


@dataclass
class Scan:
    """What an earlier run's output holds, and what reading it back took out."""

    done: set[str] = field(default_factory=set)  # ids with a line that stays
    retried: int = 0  # error lines taken out to be tried again
    repeated: int = 0  # second lines for an id (two runs at once, before runs took a lock)
    unreadable: int = 0  # lines that are not a JSON object with an id
    repaired: bool = False  # a half-written last line was cut off


def _record_of(line: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except ValueError:  # UnicodeDecodeError included
        return None
    return record if isinstance(record, dict) and isinstance(record.get("id"), str) else None


def _sorted_lines(
    lines: Iterator[bytes], drop: Callable[[dict[str, Any]], bool], scan: Scan
) -> Iterator[bytes]:
    """The lines that stay: each id's first line that `drop` does not take out."""
    for line in lines:
        if stays(_record_of(line), drop, scan):
            yield line


def stays(
    record: dict[str, Any] | None, drop: Callable[[dict[str, Any]], bool], scan: Scan
) -> bool:
    """Whether a line read back (as `record`, None when unreadable) stays in the output: the
    first line of its id that `drop` does not take out. `scan` counts the others."""
    if record is None:
        scan.unreadable += 1
    elif drop(record):
        scan.retried += 1
    elif record["id"] in scan.done:
        scan.repeated += 1
    else:
        scan.done.add(record["id"])
        return True
    return False


def scan_output(path: Path, drop: Callable[[dict[str, Any]], bool]) -> Scan:
    """The ids `path` already holds a line for, read as a stream. A last line without its
    "\n" (a crash mid-write) is cut off. Lines for which `drop(record)` is true, second lines
    for an id and lines that are not records are taken out, by writing the rest beside the
    file and swapping it in, so that the file holds one line per id and the ids taken out are
    graded again."""
    scan = Scan()
    if not path.exists():
        return scan
    try:
        scan.repaired = cut_torn_tail(path)
        with path.open("rb") as handle:
            for _ in _sorted_lines(iter(handle), drop, scan):
                pass
        if scan.retried + scan.repeated + scan.unreadable == 0:
            return scan
        kept = path.with_name(path.name + ".rewrite")
        scan = Scan(repaired=scan.repaired)
        with path.open("rb") as handle, kept.open("wb") as copy:
            copy.writelines(_sorted_lines(iter(handle), drop, scan))
            copy.flush()
            os.fsync(copy.fileno())
        os.replace(kept, path)
    except OSError as exc:
        raise OutputError(f"cannot read back {str(path)!r}: {exc.strerror or exc}") from None
    return scan


def cut_torn_tail(path: Path) -> bool:
    """Cut off a last line that has no "\\n" after it; True when there was one."""
    with path.open("r+b") as handle:
        end = handle.seek(0, os.SEEK_END)
        if end == 0:
            return False
        handle.seek(end - 1)
        if handle.read(1) == b"\n":
            return False
        start = end
        while start > 0:  # back to the last "\n", a block at a time
            block = min(_CHUNK, start)
            handle.seek(start - block)
            chunk = handle.read(block)
            at = chunk.rfind(b"\n")
            if at >= 0:
                start = start - block + at + 1
                break
            start -= block
        handle.truncate(start)
        return True


class OutcomeWriter(LineFile):
    """Appends outcomes to an output file as whole lines, in blocks (`coach.batch.blocks`):
    when a write fails, the part that got out is cut off again and `OutputError` says why (a
    full disk: ENOSPC). Made directly, it writes every line at once; `append_to` writes blocks.
    """

    @classmethod
    def append_to(cls, path: Path, *, block_bytes: int = BLOCK_BYTES) -> OutcomeWriter:
        try:
            handle = path.open("ab", buffering=0)
        except OSError as exc:
            raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
        return cls(handle, str(path), block_bytes=block_bytes)

    def write(self, record: dict[str, Any]) -> None:
        self._write_bytes(self.encode(record))

    def write_line(self, text: str | bytes) -> None:
        """A line `dumps_line` or `result_bytes` made (elsewhere: a worker process), written
        as `write` does."""
        self._write_bytes(self.encode_line(text))

    def write_result(self, job_id: str | None, result: GradeResult) -> None:
        """The line of a graded item (`result_bytes`), written as `write` does."""
        self._write_bytes(self.encode_result(job_id, result))

    def encode(self, record: dict[str, Any]) -> bytes:
        """The bytes of one whole line of the file (a table writer writes a row instead)."""
        return dumps_line(record).encode("utf-8")

    def encode_line(self, text: str | bytes) -> bytes:
        """The bytes for a line `dumps_line` or `result_bytes` made (a table writer reads it
        back into a row)."""
        return text if isinstance(text, bytes) else text.encode("utf-8")

    def encode_result(self, job_id: str | None, result: GradeResult) -> bytes:
        """The bytes of a graded item's line (a table writer makes a row of it instead)."""
        return result_bytes(job_id, result)

    def __enter__(self) -> OutcomeWriter:
        return self
