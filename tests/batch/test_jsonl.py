"""JSON Lines for file jobs: lines split at "\\n" alone, records that stay one line, a torn last
line cut off, and a failed write that leaves the file whole."""

from __future__ import annotations

import errno
import io
import json
from pathlib import Path
from typing import Any

import pytest

from coach.batch.jsonl import (
    OutcomeWriter,
    OutputError,
    dumps_line,
    input_lines,
    scan_output,
)

BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines() breaks, besides \n


def keep_all(record: dict[str, Any]) -> bool:
    return False


def test_a_record_with_every_line_break_character_stays_one_line() -> None:
    record = {"id": f"a{BREAKS}b", "answer": f"x\n{BREAKS}\x00\ud800y"}
    line = dumps_line(record)
    assert line.endswith("\n") and len(line.splitlines()) == 1
    assert line.encode("utf-8").count(b"\n") == 1  # encodable: the lone surrogate is escaped
    assert json.loads(line) == record
    assert "中文" in dumps_line({"answer": "中文"})  # ordinary text stays readable


def test_input_is_split_at_newlines_alone_and_a_bad_line_is_that_lines_problem(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b'{"id": "a\xe2\x80\xa8b"}\r\n'  # U+2028 inside, and a Windows line end
        b"\n   \n"  # blank lines: skipped, but counted
        + "答案".encode("gbk")
        + b"\n"
        + b'{"id": "c\xc2\x85d"}'  # U+0085 inside; no line end at the very end
    )
    lines = list(input_lines(source))
    assert [(line.number, line.text) for line in lines] == [
        (1, '{"id": "a\u2028b"}'),
        (4, None),
        (5, '{"id": "c\x85d"}'),
    ]
    assert lines[1].problem == "line 4 is not UTF-8 text (byte 0xb4 at byte 0)"


def test_a_torn_last_line_is_cut_off(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    whole = [dumps_line({"id": str(n), "result": "x" * 100_000}) for n in range(3)]
    # Cut in the middle of the third line: longer than one block read back from the end.
    out.write_text(whole[0] + whole[1] + whole[2][:70_000], encoding="utf-8")
    scan = scan_output(out, keep_all)
    assert scan.repaired and scan.done == {"0", "1"}
    assert out.read_text(encoding="utf-8") == whole[0] + whole[1]
    again = scan_output(out, keep_all)
    assert not again.repaired and again.done == {"0", "1"}


def test_lines_to_retry_repeats_and_junk_are_taken_out(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lines = [
        dumps_line({"id": "a", "result": 1}),
        dumps_line({"id": "b", "error": {"type": "CacheError", "retry": True}}),
        dumps_line({"id": "c", "error": {"type": "InvalidLine", "retry": False}}),
        dumps_line({"id": "a", "result": 2}),  # two runs at once, before the lock
        "not json\n",
        dumps_line({"id": "d\u2028e", "result": 3}),
    ]
    out.write_text("".join(lines), encoding="utf-8")

    def marked(record: dict[str, Any]) -> bool:
        return bool(record.get("error", {}).get("retry"))

    scan = scan_output(out, marked)
    assert scan.done == {"a", "c", "d\u2028e"}
    assert (scan.retried, scan.repeated, scan.unreadable) == (1, 1, 1)
    assert out.read_text(encoding="utf-8") == lines[0] + lines[2] + lines[5]
    assert not (tmp_path / "out.jsonl.rewrite").exists()


def test_an_output_that_needs_nothing_taken_out_is_not_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(dumps_line({"id": "a", "result": 1}), encoding="utf-8")
    before = out.stat().st_ino
    assert scan_output(out, keep_all).done == {"a"}
    assert out.stat().st_ino == before


class FullDisk(io.FileIO):
    """A real file that takes `room` bytes and then fails as a full disk does: the write that
    crosses the limit gets part of its bytes out, the next one raises ENOSPC."""

    def __init__(self, path: Path, room: int) -> None:
        super().__init__(path, "ab")
        self.room = room

    def write(self, data: Any) -> int:
        left = self.room - self.tell()
        if left <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(bytes(data)[:left])


def test_a_full_disk_leaves_whole_lines_and_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    first = dumps_line({"id": "a", "result": "x" * 50})
    with OutcomeWriter(FullDisk(out, room=len(first) + 30), str(out)) as writer:
        writer.write({"id": "a", "result": "x" * 50})
        with pytest.raises(OutputError) as failed:
            writer.write({"id": "b", "result": "y" * 50})
        with pytest.raises(OutputError):  # nothing more once a write failed
            writer.write({"id": "c", "result": 1})
    assert out.read_text(encoding="utf-8") == first  # the 30 bytes of "b" were cut off again
    assert "No space left on device" in str(failed.value)
    assert "out.jsonl" in str(failed.value) and "\n" not in str(failed.value)


def test_a_write_error_that_cannot_be_undone_is_repaired_by_the_next_scan(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"

    class NoTruncate(FullDisk):
        def truncate(self, size: Any = None) -> int:
            raise OSError(errno.EIO, "Input/output error")

    first = dumps_line({"id": "a", "result": 1})
    with OutcomeWriter(NoTruncate(out, room=len(first) + 5), str(out)) as writer:
        writer.write({"id": "a", "result": 1})
        with pytest.raises(OutputError):
            writer.write({"id": "b", "result": 2})
    assert out.read_bytes() != first.encode()  # a torn line stayed behind...
    scan = scan_output(out, keep_all)
    assert scan.repaired and scan.done == {"a"}  # ...and the next run cuts it off
    assert out.read_text(encoding="utf-8") == first


def test_a_result_line_holds_what_dumping_the_record_holds() -> None:
    """`result_line` (pydantic's serializer) writes the same data as `dumps_line` of the
    record, with nothing a reader takes for a line break."""
    import coach
    from coach.batch.jsonl import dumps_line, result_line

    answer = "我会先道歉\u2028理解客户的心情，然后记录诉求并上报\x85处理。"
    result = coach.grade_offline("jd-finance-cs", "b1", answer)
    fast = result_line("id-1", result)
    slow = dumps_line({"id": "id-1", "result": result.model_dump(mode="json")})
    assert json.loads(fast) == json.loads(slow)
    assert fast.count("\n") == 1 and fast.endswith("\n")
    assert "\u2028" not in fast and "\x85" not in fast


def test_a_result_line_is_pydantics_json_with_only_the_unsafe_characters_escaped(
    tmp_path: Path,
) -> None:
    """The bytes of a result's line are pydantic's JSON of it, escaped where a reader could
    break the line; characters that share a first UTF-8 byte with those ("·", C2 B7) stay."""
    import coach
    from coach.batch.jsonl import result_bytes, result_line

    def escaped(text: str) -> str:
        unsafe = {*map(chr, range(0x7F, 0xA0)), "\u2028", "\u2029"}
        unsafe |= {char for char in text if 0xD800 <= ord(char) <= 0xDFFF}
        return "".join(f"\\u{ord(c):04x}" if c in unsafe else c for c in text)

    writer = OutcomeWriter.append_to(tmp_path / "out.jsonl")
    tails = ["", "·", "\x85", "\x9f", "\x7f", "\u2028", "\u2029", "“—”\u2028"]  # each alone
    ids = ["plain", "dot·", "\ud800", "c1", "del", "ls", "ps", "marks"]
    for job_id, tail in zip(ids, tails, strict=True):
        answer = f"我会先道歉{tail}理解客户的心情，然后记录诉求并上报处理。" * 2
        result = coach.grade_offline("jd-finance-cs", "b1", answer)
        expected = escaped(
            f'{{"id": {json.dumps(job_id, ensure_ascii=False)}, '
            f'"result": {result.model_dump_json()}}}'
        )
        assert all(c in result.model_dump_json() for c in tail)  # quoted: the line holds them
        assert result_bytes(job_id, result) == (expected + "\n").encode("utf-8")
        assert result_line(job_id, result) == expected + "\n"
        assert json.loads(expected)["id"] == job_id
        writer.write_result(job_id, result)
    writer.close()
    lines = (tmp_path / "out.jsonl").read_bytes().split(b"\n")
    assert [json.loads(line)["id"] for line in lines[:-1]] == ids
