"""`coach grade-file`: one outcome line per input line, error lines for bad input, resume."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import coach
from coach.batch.jobs import done_ids, run_job
from tests.cli.support import run_cli
from tests.support import MINI_ANSWER as ANSWER
from tests.support import write_lines


def read_out(path: Path) -> dict[str, dict[str, Any]]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an id appears twice"
    return {r["id"]: r for r in records}


def job_input(tmp_path: Path, mini_path: Path) -> Path:
    return write_lines(
        tmp_path / "in.jsonl",
        [
            {"id": "a", "bank": str(mini_path), "question": "atm", "answer": ANSWER},
            {"id": "b", "bank": "finance-cs-manager", "question": "s2", "answer": ANSWER},
            "{not json",
            {"id": "c", "bank": "no-such-bank", "question": "s2", "answer": ANSWER},
            {"id": "d", "bank": str(mini_path), "question": "nope", "answer": ANSWER},
            {"id": "e", "bank": str(mini_path), "question": "atm"},
            {"id": "a", "bank": str(mini_path), "question": "atm", "answer": ANSWER},
            {"bank": str(mini_path), "question": "calm", "answer": "压力大时我会深呼吸。"},
        ],
    )


def test_every_line_gets_one_outcome(tmp_path: Path, mini_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    summary = run_job(
        coach.Grader(mode="keyword"), job_input(tmp_path, mini_path), out, progress=False
    )
    records = read_out(out)
    assert set(records) == {"a", "b", "line-3", "c", "d", "e", "a@line-7", "line-8"}
    assert summary.total == 8 and summary.graded == 3 and summary.failed == 5
    assert (
        records["a"]["result"]["score"]
        == coach.grade_offline(coach.load_file(mini_path), "atm", ANSWER).score
    )
    kinds = {job: rec["error"]["type"] for job, rec in records.items() if "error" in rec}
    assert kinds == {
        "line-3": "InvalidLine",
        "c": "BankNotFoundError",
        "d": "QuestionNotFoundError",
        "e": "InvalidLine",
        "a@line-7": "DuplicateId",
    }


def test_a_rerun_resumes_and_repairs_a_cut_off_line(tmp_path: Path, mini_path: Path) -> None:
    source = job_input(tmp_path, mini_path)
    out = tmp_path / "out.jsonl"
    grader = coach.Grader(mode="keyword")
    run_job(grader, source, out, progress=False)
    full = out.read_text(encoding="utf-8").splitlines()
    # A crash after three lines, in the middle of writing the fourth:
    out.write_text("\n".join(full[:3]) + "\n" + full[3][:25], encoding="utf-8")
    assert len(done_ids(out)) == 3 and out.read_text(encoding="utf-8").endswith("\n")
    summary = run_job(grader, source, out, progress=False)
    assert summary.skipped == 3 and summary.graded + summary.failed == 5
    assert len(read_out(out)) == 8
    again = run_job(grader, source, out, progress=False)
    assert again.skipped == 8 and again.graded == again.failed == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 8


def test_the_command_line(tmp_path: Path, mini_path: Path) -> None:
    source = job_input(tmp_path, mini_path)
    out = tmp_path / "out.jsonl"
    command = ("grade-file", source, "--out", out, "--offline", "--concurrency", "2")
    done = run_cli(*command)
    assert done.returncode == 0, done.stderr
    assert "8 ids: 3 graded, 5 errors, 0 already done" in done.stdout
    rerun = run_cli(*command)
    assert "8 already done" in rerun.stdout and len(read_out(out)) == 8
    missing = run_cli("grade-file", tmp_path / "nope.jsonl", "--out", out)
    assert missing.returncode == 1 and missing.stderr.startswith("coach: error: cannot read")


def test_a_spent_budget_leaves_the_rest_for_the_next_run(
    tmp_path: Path, mini_path: Path, fake_judge: Any
) -> None:
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            {"id": f"q{i}", "bank": str(mini_path), "question": "atm", "answer": ANSWER}
            for i in range(5)
        ],
    )
    out = tmp_path / "out.jsonl"
    price = {"gpt-4o-mini": coach.Price(input_usd_per_mtok=1000, output_usd_per_mtok=0)}
    grader = fake_judge.grader(prices=price)  # 100 prompt tokens = $0.10 a grade
    first = run_job(grader, source, out, concurrency=1, progress=False, max_cost_usd=0.25)
    assert first.graded == 3 and first.unfinished == 2 and len(read_out(out)) == 3
    rest = run_job(grader, source, out, concurrency=1, progress=False)
    assert rest.skipped == 3 and rest.graded == 2 and len(read_out(out)) == 5
