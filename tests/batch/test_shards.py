"""A job graded in parts (`--shard K/N`, as on N machines) and merged (`coach merge-results`)
ends as the same one line per id, with the same scores, as the job graded on one machine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import coach
from coach.batch.jobs import run_job
from coach.batch.merge import merge_outputs
from coach.batch.shard import Shard
from coach.cli.main import main
from coach.errors import CoachError
from tests.cli.support import run_cli
from tests.support import MINI_ANSWER as ANSWER
from tests.support import write_lines

GRADER = coach.Grader(mode="keyword")
PHRASES = ["我会先安抚客户的情绪", "别着急", "并记录诉求", "说明需要审核", "请提供凭证", "核实身份"]


def read_out(path: Path) -> dict[str, dict[str, Any]]:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids)), "an id appears twice"
    return {record["id"]: record for record in records}


def outcome(record: dict[str, Any]) -> tuple[str, float | str]:
    if "result" in record:
        return "score", record["result"]["score"]
    return "error", record["error"]["type"]


def job(tmp_path: Path, mini_path: Path) -> Path:
    """Sixty answers that score differently, with the lines a job turns into errors."""
    lines: list[Any] = []
    for n in range(60):
        answer = "，".join(PHRASES[: n % len(PHRASES) + 1]) + "。"
        lines.append({"id": f"c{n}", "bank": str(mini_path), "question": "atm", "answer": answer})
    lines[7] = "{not json"
    lines[9] = {"id": "c9", "bank": "no-such-bank", "question": "atm", "answer": ANSWER}
    lines.append({"id": "c3", "bank": str(mini_path), "question": "atm", "answer": ANSWER})
    lines.append({"bank": str(mini_path), "question": "atm", "answer": ANSWER})
    return write_lines(tmp_path / "in.jsonl", lines)


def test_shards_merged_equal_one_machine(tmp_path: Path, mini_path: Path) -> None:
    source = job(tmp_path, mini_path)
    whole = tmp_path / "whole.jsonl"
    run_job(GRADER, source, whole, progress=False)
    parts = [tmp_path / f"part{k}.jsonl" for k in (1, 2, 3)]
    for k, part in enumerate(parts, start=1):
        summary = run_job(GRADER, source, part, shard=Shard(k, 3), progress=False)
        assert 5 < summary.total < 45  # every part does a share of the work
    shares = [set(read_out(part)) for part in parts]
    assert not (shares[0] & shares[1]) and not (shares[1] & shares[2])
    assert not (shares[0] & shares[2])
    # A repeated id goes with its first line, so it is named as one machine names it.
    assert any({"c3", "c3@line-61"} <= share for share in shares)
    merged = tmp_path / "all.jsonl"
    summary = merge_outputs(parts, merged)
    assert summary.ids == 62 and summary.duplicates == 0 and not summary.conflicts
    expected = {job_id: outcome(r) for job_id, r in read_out(whole).items()}
    assert {job_id: outcome(r) for job_id, r in read_out(merged).items()} == expected
    assert len({score for kind, score in expected.values() if kind == "score"}) > 3


def test_a_graded_line_wins_over_an_error_line_and_a_conflict_is_named(
    tmp_path: Path, mini_path: Path
) -> None:
    graded = {"id": "x", "result": {"score": 4.0}}
    first = write_lines(
        tmp_path / "a.jsonl",
        [
            {"id": "x", "error": {"type": "LLMUnavailableError", "message": "m", "retry": True}},
            {"id": "y", "result": {"score": 2.0}},
            {"id": "z", "error": {"type": "InvalidLine", "message": "m", "retry": False}},
        ],
    )
    second = write_lines(
        tmp_path / "b.jsonl",
        [graded, {"id": "y", "result": {"score": 3.0}}, {"id": "z", "error": {"type": "T"}}],
    )
    (tmp_path / "b.jsonl").write_bytes(second.read_bytes() + b'{"id": "w", "res')  # a torn copy
    merged = tmp_path / "all.jsonl"
    summary = merge_outputs([first, second], merged)
    records = read_out(merged)
    assert records["x"] == graded
    assert records["y"]["result"]["score"] == 2.0 and summary.conflicts == ["y"]
    assert records["z"]["error"]["type"] == "InvalidLine"  # the first of two errors
    assert summary.unreadable == 1 and summary.duplicates == 3 and summary.ids == 3
    run = run_cli("merge-results", first, second, "--out", tmp_path / "cli.jsonl")
    assert run.returncode == 1 and "1 ids were graded with different scores" in run.stderr
    assert "'y'" in run.stderr and read_out(tmp_path / "cli.jsonl") == records


def test_the_cli_shards_and_merges_into_a_csv(tmp_path: Path, mini_path: Path) -> None:
    source = job(tmp_path, mini_path)
    parts = []
    for k in (1, 2):
        part = tmp_path / f"p{k}.jsonl"
        run = run_cli("grade-file", source, "--out", part, "--offline", "--shard", f"{k}/2")
        assert run.returncode == 0, run.stderr
        parts.append(part)
    run = run_cli("merge-results", *parts, "--out", tmp_path / "all.csv")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("62 ids from 2 files: 59 graded, 3 errors")
    text = (tmp_path / "all.csv").read_text("utf-8-sig")
    assert len(text.splitlines()) == 63 and text.startswith("id,bank,question,score")


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0"])
def test_a_bad_shard_is_refused(text: str) -> None:
    with pytest.raises(CoachError, match="--shard takes K/N"):
        Shard.parse(text)


def test_merge_results_takes_json_lines_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    part = tmp_path / "part1.csv"
    part.write_text("id,score\n1,2\n", encoding="utf-8")
    assert main(["merge-results", str(part), "--out", str(tmp_path / "all.jsonl")]) == 1
    assert "merge-results reads the JSON-lines outputs" in capsys.readouterr().err
    assert not (tmp_path / "all.jsonl").exists()
