"""Answers, jobs, labels and references saved the way Chinese Windows saves them (GBK/GB18030,
Big5, UTF-16 with or without a byte order mark), read by every command that reads them: graded
exactly as the same text in UTF-8, with a note on stderr naming the encoding, `--encoding` to
say it, and a byte order mark that never shifts an evidence offset."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import opencc
import pytest

import coach
from tests.cli.support import in_process, ok, one_error_line, run_cli
from tests.cli.test_cli import TINY_BANK, TINY_STRONG, TINY_WEAK

TRADITIONAL = opencc.OpenCC("s2tw").convert(TINY_STRONG)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_BANK, encoding="utf-8")
    return path


def _grade(*args: str | Path, stdin: bytes = b"") -> tuple[dict[str, object], str]:
    run = run_cli("grade", *args, "--offline", "--json", stdin=stdin)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout), run.stderr


def _evidence(result: dict[str, object]) -> list[tuple[str, int, int]]:
    found = []
    for criterion in result["criteria"]:  # type: ignore[attr-defined]
        found += [(e["quote"], e["start"], e["end"]) for e in criterion["evidence"]]
    return found


@pytest.mark.parametrize(
    ("text", "data", "said"),
    [
        (TINY_STRONG, TINY_STRONG.encode("gbk"), "GB18030 (detected)"),
        (TINY_STRONG + "€", (TINY_STRONG + "€").encode("gb18030"), "GB18030 (detected)"),
        (TRADITIONAL, TRADITIONAL.encode("big5"), "BIG5 (detected)"),
        (TINY_STRONG, TINY_STRONG.encode("utf-16"), "UTF-16 LE (detected)"),
        (TINY_STRONG, codecs.BOM_UTF16_BE + TINY_STRONG.encode("utf-16-be"), "UTF-16 BE"),
        (TINY_STRONG, TINY_STRONG.encode("utf-16-le"), "UTF-16 LE (detected)"),
        (TINY_STRONG, TINY_STRONG.encode("utf-16-be"), "UTF-16 BE (detected)"),
    ],
    ids=["gbk", "gb18030", "big5", "utf16-bom", "utf16be-bom", "utf16le", "utf16be"],
)
def test_an_answer_file_in_a_windows_encoding_grades_like_utf8(
    tiny: Path, tmp_path: Path, text: str, data: bytes, said: str
) -> None:
    plain, _ = _grade(tiny, "freeze", "--answer", text)
    answer = tmp_path / "answer.txt"
    answer.write_bytes(data)
    result, stderr = _grade(tiny, "freeze", "--answer-file", answer)
    assert result == plain
    assert stderr.startswith(f"coach: note: answer file {str(answer)!r} read as {said}")
    assert len(stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (TINY_STRONG.encode("gbk"), "GB18030"),
        (TINY_STRONG.encode("utf-16"), "UTF-16 LE"),
        (TRADITIONAL.encode("big5"), "BIG5"),
    ],
    ids=["gbk", "utf16", "big5"],
)
def test_an_answer_on_stdin_in_a_windows_encoding(tiny: Path, data: bytes, said: str) -> None:
    expected = TRADITIONAL if said == "BIG5" else TINY_STRONG
    plain, _ = _grade(tiny, "freeze", "--answer", expected)
    result, stderr = _grade(tiny, "freeze", stdin=data)
    assert result == plain
    assert stderr == f"coach: note: the answer on stdin read as {said} (detected)\n"


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_a_utf8_byte_order_mark_does_not_shift_evidence(
    tiny: Path, tmp_path: Path, how: str
) -> None:
    data = codecs.BOM_UTF8 + TINY_STRONG.encode()
    answer = tmp_path / "bom.txt"
    answer.write_bytes(data)
    if how == "file":
        run = run_cli("grade", tiny, "freeze", "--offline", "--json", "--answer-file", answer)
    else:
        run = run_cli("grade", tiny, "freeze", "--offline", "--json", stdin=data)
    result = json.loads(ok(run).stdout)  # UTF-8 with a mark: nothing to note
    evidence = _evidence(result)
    assert evidence and evidence[0][1] == 0  # "start": 0, as without the mark
    for quote, start, end in evidence:
        assert TINY_STRONG[start:end] == quote
    plain, _ = _grade(tiny, "freeze", "--answer", TINY_STRONG)
    assert result == plain


def test_a_declared_encoding_is_used_without_a_note(tiny: Path, tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_bytes(TINY_STRONG.encode("gbk"))
    declared = ok(
        run_cli("grade", tiny, "freeze", "--offline", "--answer-file", answer, "--encoding", "GBK")
    )
    assert "Score: 10 / 10" in declared.stdout
    wrong = run_cli(
        "grade", tiny, "freeze", "--offline", "--answer-file", answer, "--encoding", "big5"
    )
    one_error_line(wrong, f"cannot read answer file {str(answer)!r}: it is not big5 text")
    unknown = run_cli("grade", tiny, "freeze", "--answer", "x", "--encoding", "klingon")
    assert unknown.returncode == 2 and "unknown encoding 'klingon'" in unknown.stderr


def test_a_short_guess_says_how_to_correct_it(tiny: Path) -> None:
    run = run_cli("grade", tiny, "freeze", "--offline", stdin="审核".encode("gbk"))
    assert run.returncode == 0
    assert run.stderr == (
        "coach: note: the answer on stdin read as GB18030 (a guess); "
        "pass --encoding NAME if that is wrong\n"
    )


def test_a_gbk_rubric_and_answer_grade_together(tiny: Path, tmp_path: Path) -> None:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_bytes(TINY_BANK.encode("gbk"))
    answer = tmp_path / "answer.txt"
    answer.write_bytes(TINY_STRONG.encode("gbk"))
    plain, _ = _grade(tiny, "freeze", "--answer", TINY_STRONG)
    result, stderr = _grade(rubric, "freeze", "--answer-file", answer)
    assert result == plain
    assert stderr.splitlines() == [
        f"coach: note: rubric file {str(rubric)!r} read as GB18030 (detected)",
        f"coach: note: answer file {str(answer)!r} read as GB18030 (detected)",
    ]
    # One --encoding for both, and a UTF-8 rubric beside a GBK answer still reads as UTF-8.
    both, _ = _grade(rubric, "freeze", "--answer-file", answer, "--encoding", "gbk")
    mixed, stderr = _grade(tiny, "freeze", "--answer-file", answer, "--encoding", "gbk")
    assert both == mixed == plain and stderr == ""


@pytest.mark.parametrize("codec", ["gbk", "utf-16"])
def test_practice_reads_an_answers_file_in_a_windows_encoding(
    tiny: Path, tmp_path: Path, codec: str
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(f"- {TINY_STRONG}\n".encode(codec))
    run = run_cli(
        "practice", tiny, "--count", "1", "--offline", "--no-history", "--answers", answers
    )
    assert run.returncode == 0, run.stderr
    assert "Total: 10 / 10 (100%)" in run.stdout
    assert f"answers file {str(answers)!r} read as" in run.stderr


def test_practice_reads_piped_answers_in_gbk(tiny: Path) -> None:
    piped = (TINY_STRONG + "\n\n").encode("gbk")
    run = run_cli("practice", tiny, "--count", "1", "--offline", "--no-history", stdin=piped)
    assert run.returncode == 0, run.stderr
    assert "Total: 10 / 10 (100%)" in run.stdout
    assert run.stderr == "coach: note: the answers on stdin read as GB18030 (detected)\n"


def test_grade_file_reads_a_job_in_the_declared_encoding(tiny: Path, tmp_path: Path) -> None:
    lines = [
        {"id": "a", "bank": str(tiny), "question": "freeze", "answer": TINY_STRONG},
        {"id": "b", "bank": str(tiny), "question": "freeze", "answer": TINY_WEAK},
    ]
    for codec in ("gb18030", "utf-16"):
        source = tmp_path / f"in-{codec}.jsonl"
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        source.write_bytes(text.encode(codec))
        out = tmp_path / f"out-{codec}.jsonl"
        run = run_cli("grade-file", source, "--out", out, "--offline", "--encoding", codec)
        assert run.returncode == 0, run.stderr
        assert "2 ids: 2 graded, 0 errors" in run.stdout
        scores = {
            record["id"]: record["result"]["score"]
            for record in map(json.loads, out.read_text(encoding="utf-8").splitlines())
        }
        assert scores["a"] == 10 and scores["b"] < 10


def test_eval_reads_gbk_labels_and_says_so_in_json(
    capsys: pytest.CaptureFixture[str], tiny: Path, tmp_path: Path
) -> None:
    labels = tmp_path / "labels.jsonl"
    rows = [(TINY_STRONG, 10), (TINY_WEAK, 1), ("我会先安抚客户的情绪，再记录下来。", 4)]
    text = "".join(
        json.dumps(
            {"bank": str(tiny), "question": "freeze", "answer": a, "score": s}, ensure_ascii=False
        )
        + "\n"
        for a, s in rows
    )
    labels.write_bytes(text.encode("gbk"))
    run = in_process(capsys, "eval", labels, "--offline", "--json", "--bootstrap", "0")
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["encoding"] == "gb18030" and document["evaluated"] == 3
    assert run.stderr == f"coach: note: {str(labels)!r} read as GB18030 (detected)\n"
    utf8 = tmp_path / "utf8.jsonl"
    utf8.write_text(text, encoding="utf-8")
    again = json.loads(in_process(capsys, "eval", utf8, "--offline", "--json").stdout)
    assert again["encoding"] == "utf-8"


def test_derive_reads_references_in_big5(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    record = {
        "q_id": "q1",
        "question": "客戶的銀行卡被凍結，你會怎麼做？",
        "reference1": TRADITIONAL,
    }
    source = tmp_path / "refs.jsonl"
    source.write_bytes((json.dumps(record, ensure_ascii=False) + "\n").encode("big5"))
    run = in_process(capsys, "derive", source)
    assert run.returncode == 0, run.stderr
    assert coach.parse_bank(run.stdout).questions[0].prompt == record["question"]
    assert "read as BIG5 (detected)" in run.stderr


def test_grade_file_drops_a_utf8_byte_order_mark(tiny: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    line = {"id": "a", "bank": str(tiny), "question": "freeze", "answer": TINY_STRONG}
    source.write_bytes(b"\xef\xbb\xbf" + json.dumps(line, ensure_ascii=False).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    run = run_cli("grade-file", source, "--out", out, "--offline")
    assert run.returncode == 0, run.stderr
    (record,) = map(json.loads, out.read_text(encoding="utf-8").splitlines())
    assert record["id"] == "a" and record["result"]["score"] == 10


def test_grade_file_detects_a_gbk_job_and_says_so(tiny: Path, tmp_path: Path) -> None:
    lines = [
        {"id": "a", "bank": str(tiny), "question": "freeze", "answer": TINY_STRONG},
        {"id": "b", "bank": str(tiny), "question": "freeze", "answer": TINY_WEAK},
    ]
    source = tmp_path / "in.jsonl"
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    source.write_bytes(text.encode("gbk"))
    out = tmp_path / "out.jsonl"
    run = run_cli("grade-file", source, "--out", out, "--offline")
    assert run.returncode == 0, run.stderr
    assert "read as GB18030" in run.stderr and "2 graded, 0 errors" in run.stdout
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["id"]: r["result"]["score"] for r in records}["a"] == 10
