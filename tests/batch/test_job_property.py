"""Property: whatever bytes a job file holds (records in other encodings, every character some
reader takes for a line break, NULs, junk, blank lines, a missing last newline), and however
often a run is interrupted (after any number of lines, leaving a torn line behind), the runs
together write exactly one line per non-blank input line, each id once."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coach
from coach.batch.jobs import run_job
from coach.batch.jsonl import OutcomeWriter
from tests.support import MINI_BANK

ODD = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00\ufeff\ud800"
ALPHABET = [*ODD, *'ab安抚记录审核凭证 \t"\\{}:,']
TEXT = st.text(alphabet=st.sampled_from(ALPHABET), max_size=12)
ODD_TEXT = st.builds(lambda a, odd, b: a + odd + b, TEXT, st.sampled_from(ODD), TEXT)
ENCODINGS = ["utf-8", "utf-8", "gbk", "big5", "utf-16", "latin-1"]
GRADER = coach.Grader(mode="keyword")


class Interrupted(Exception):
    """Stands for a crash or Ctrl-C after some lines were written."""


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("bank") / "mini.yaml"
    path.write_text(MINI_BANK, encoding="utf-8")
    return str(path)


@st.composite
def job_line(draw: st.DrawFn, bank: str) -> bytes:
    kind = draw(st.sampled_from(["record", "record", "record", "junk", "blank"]))
    if kind == "junk":
        return draw(st.binary(max_size=30))
    if kind == "blank":
        return draw(st.sampled_from([b"", b"  ", b"\t\r", "\u3000".encode(), b"\x0c"]))
    record: dict[str, Any] = {
        "id": draw(st.one_of(st.none(), ODD_TEXT, st.integers(-3, 3), st.sampled_from("ab"))),
        "bank": draw(st.sampled_from([bank, "no-such-bank"])),
        "question": draw(st.sampled_from(["atm", "calm", "nope"])),
        "answer": draw(st.one_of(ODD_TEXT, st.just("我会安抚客户，记录诉求，说明需要审核。"))),
    }
    for name in draw(st.lists(st.sampled_from(sorted(record)), max_size=2)):
        record.pop(name, None)
    text = json.dumps(record, ensure_ascii=draw(st.booleans()))
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, "surrogatepass" if encoding == "utf-8" else "replace")


@st.composite
def job_file(draw: st.DrawFn, bank: str) -> bytes:
    lines = draw(st.lists(job_line(bank), max_size=10))
    ends = draw(st.lists(st.sampled_from([b"\n", b"\r\n"]), min_size=len(lines)))
    data = b"".join(line + end for line, end in zip(lines, ends[: len(lines)], strict=True))
    return data[:-1] if data.endswith(b"\n") and draw(st.booleans()) else data


def non_blank_lines(data: bytes) -> int:
    """What the output must hold: a line for each line with text in it, or with bytes that
    are not UTF-8 text (a byte order mark opening the file is no text)."""
    count = 0
    for segment in data.removeprefix(b"\xef\xbb\xbf").split(b"\n"):
        try:
            count += bool(segment.decode("utf-8").strip())
        except UnicodeDecodeError:
            count += 1
    return count


def interrupted_run(source: Path, out: Path, after: int | None) -> None:
    """A run that stops after `after` lines written (None: runs to the end)."""
    written = {"lines": 0}
    real = OutcomeWriter.write

    def write(self: OutcomeWriter, record: dict[str, Any]) -> None:
        if after is not None and written["lines"] >= after:
            raise Interrupted
        real(self, record)
        written["lines"] += 1

    with mock.patch.object(OutcomeWriter, "write", write), contextlib.suppress(Interrupted):
        run_job(GRADER, source, out, progress=False, concurrency=3)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_one_line_per_input_line_across_interrupted_runs(bank: str, data: st.DataObject) -> None:
    content = data.draw(job_file(bank), label="job file")
    stops = data.draw(st.lists(st.integers(0, 8), max_size=3), label="interrupted after")
    torn = data.draw(st.binary(min_size=1, max_size=20).filter(lambda b: b"\n" not in b))
    with tempfile.TemporaryDirectory() as scratch:
        source, out = Path(scratch, "in.jsonl"), Path(scratch, "out.jsonl")
        source.write_bytes(content)
        for after in stops:
            interrupted_run(source, out, after)
            with out.open("ab") as tail:  # killed in the middle of writing a line
                tail.write(torn)
        interrupted_run(source, out, None)
        written = out.read_bytes()
        assert written.endswith(b"\n") or written == b""
        records = [json.loads(line) for line in written.split(b"\n")[:-1]]
        ids = [record["id"] for record in records]
        assert len(ids) == non_blank_lines(content) and len(set(ids)) == len(ids)
        assert len(written.decode("utf-8").splitlines()) == len(ids)  # so every reader agrees
        assert all(("result" in r) != ("error" in r) for r in records)
        summary = run_job(GRADER, source, out, progress=False)
        assert summary.total == len(ids) and summary.skipped == len(ids)
        assert out.read_bytes() == written  # a finished job stays as it is
