"""`coach grade-file`: one outcome line per input line, error lines for bad input, resume."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import coach
from coach.batch.jobs import run_job
from coach.batch.jsonl import scan_output
from tests.cli.support import run_cli
from tests.support import MINI_ANSWER as ANSWER
from tests.support import write_lines


def lines_of(path: Path) -> list[str]:
    """The lines of a JSON-lines file, split at "\\n" alone, as any JSON-lines reader does."""
    text = path.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n"), "a torn last line"
    return text.split("\n")[:-1]


def read_out(path: Path) -> dict[str, dict[str, Any]]:
    records = [json.loads(line) for line in lines_of(path)]
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
    full = lines_of(out)
    # A crash after three lines, in the middle of writing the fourth:
    out.write_text("\n".join(full[:3]) + "\n" + full[3][:25], encoding="utf-8")
    scan = scan_output(out, lambda record: False)
    assert len(scan.done) == 3 and scan.repaired and len(lines_of(out)) == 3
    summary = run_job(grader, source, out, progress=False)
    assert summary.skipped == 3 and summary.graded + summary.failed == 5
    assert len(read_out(out)) == 8
    again = run_job(grader, source, out, progress=False)
    assert again.skipped == 8 and again.graded == again.failed == 0
    assert len(lines_of(out)) == 8


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


def test_the_output_file_may_be_named_as_most_tools_name_it(
    tmp_path: Path, mini_path: Path
) -> None:
    """`-o` and `--output` are `--out` (argparse would read `--output` as `--output-mode`)."""
    source = job_input(tmp_path, mini_path)
    for flag in ("-o", "--output"):
        out = tmp_path / f"out{flag}.jsonl"
        done = run_cli("grade-file", source, flag, out, "--offline")
        assert done.returncode == 0, done.stderr
        assert len(read_out(out)) == 8


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\n", b"\xef\xbb\xbf \r\n"])
def test_a_byte_order_mark_alone_on_the_first_line_is_no_input(
    tmp_path: Path, content: bytes
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(content)
    out = tmp_path / "out.jsonl"
    done = run_cli("grade-file", source, "--out", out, "--offline")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == b""


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


def test_a_line_in_another_encoding_is_an_error_line_and_the_rest_are_graded(
    tmp_path: Path, mini_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    good = {"bank": str(mini_path), "question": "atm", "answer": ANSWER}
    gbk = json.dumps({"id": "b", **good}, ensure_ascii=False).encode("gbk")
    # The other lines are UTF-8 text beyond ASCII, so the file is read as UTF-8.
    source.write_bytes(
        json.dumps({"id": "a", **good}, ensure_ascii=False).encode() + b"\n" + gbk + b"\n"
        b"\n" + json.dumps({"id": "c", **good}, ensure_ascii=False).encode() + b"\n"
    )
    out = tmp_path / "out.jsonl"
    done = run_cli("grade-file", source, "--out", out, "--offline")
    assert done.returncode == 0, done.stderr
    assert "3 ids: 2 graded, 1 errors" in done.stdout
    records = read_out(out)
    assert set(records) == {"a", "line-2", "c"} and "result" in records["c"]
    error = records["line-2"]["error"]
    assert error["type"] == "InvalidLine" and error["retry"] is False
    assert error["message"].startswith("line 2 is not UTF-8 text")


def test_ids_and_answers_with_line_separators_are_graded_once_across_reruns(
    tmp_path: Path, mini_path: Path
) -> None:
    odd = ["u\u2028v", "p\u2029q", "n\x85l", "f\x0cv\x1ce"]
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            {"id": job_id, "bank": str(mini_path), "question": "atm", "answer": ANSWER + job_id}
            for job_id in odd
        ],
    )
    assert len(source.read_text(encoding="utf-8").splitlines()) > len(odd)  # the trap is set
    out = tmp_path / "out.jsonl"
    command = ("grade-file", source, "--out", out, "--offline")
    for run in range(3):
        done = run_cli(*command)
        assert done.returncode == 0, done.stderr
        assert f"{4 if run else 0} already done" in done.stdout
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(odd)  # escaped on the way
    assert set(read_out(out)) == set(odd)


class Flaky:
    """A grader whose grades of the answers in `failing` fail once, as if the cache broke."""

    def __init__(self, inner: coach.Grader, failing: set[str]) -> None:
        self.inner = inner
        self.failing = failing
        self.max_tokens = inner.max_tokens
        self.clients = inner.clients
        self.calls = 0

    async def agrade(self, bank: Any, question: Any, answer: str) -> coach.GradeResult:
        self.calls += 1
        if answer in self.failing:
            self.failing.discard(answer)
            raise coach.CacheError("cache.sqlite: cannot read the cache (disk I/O error)")
        return await self.inner.agrade(bank, question, answer)


def test_errors_from_the_environment_are_graded_again_by_the_next_run(
    tmp_path: Path, mini_path: Path
) -> None:
    answers = [f"{ANSWER}{n}" for n in range(6)]
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            {"id": f"q{n}", "bank": str(mini_path), "question": "atm", "answer": answer}
            for n, answer in enumerate(answers)
        ]
        + [{"id": "bad", "bank": str(mini_path), "question": "nope", "answer": ANSWER}],
    )
    out = tmp_path / "out.jsonl"
    grader = Flaky(coach.Grader(mode="keyword"), {answers[1], answers[4]})
    first = run_job(grader, source, out, progress=False)
    assert (first.graded, first.failed, first.to_retry) == (4, 3, 2)
    assert first.first_retry is not None and first.first_retry.startswith("CacheError: ")
    records = read_out(out)
    assert records["q1"]["error"] == {
        "type": "CacheError",
        "message": "cache.sqlite: cannot read the cache (disk I/O error)",
        "retry": True,
    }
    assert records["bad"]["error"]["retry"] is False  # the item's own fault: it stays
    grader.calls = 0
    second = run_job(grader, source, out, progress=False)
    assert (second.retried, second.skipped, second.graded, second.failed) == (2, 5, 2, 0)
    assert grader.calls == 2  # the two retried, nothing else
    records = read_out(out)
    assert len(records) == 7 and "result" in records["q1"] and "result" in records["q4"]
    assert records["bad"]["error"]["type"] == "QuestionNotFoundError"


def test_retry_errors_grades_every_error_line_again(tmp_path: Path, mini_path: Path) -> None:
    bank = tmp_path / "later.yaml"  # not there yet: its lines are errors
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            {"id": "a", "bank": str(mini_path), "question": "atm", "answer": ANSWER},
            {"id": "b", "bank": str(bank), "question": "atm", "answer": ANSWER},
            {"id": "c", "bank": str(bank), "question": "calm", "answer": "我会深呼吸。"},
        ],
    )
    out = tmp_path / "out.jsonl"
    command = ("grade-file", source, "--out", out, "--offline")
    assert "1 graded, 2 errors" in run_cli(*command).stdout
    bank.write_text(mini_path.read_text(encoding="utf-8"), encoding="utf-8")
    again = run_cli(*command)  # not marked for retry: an unknown bank is the input's fault
    assert "0 graded, 0 errors, 3 already done" in again.stdout
    retried = run_cli(*command, "--retry-errors")
    assert retried.returncode == 0, retried.stderr
    assert "2 graded, 0 errors, 1 already done, 2 earlier errors tried again" in retried.stdout
    records = read_out(out)
    assert len(lines_of(out)) == 3 and all("result" in r for r in records.values())


def test_a_question_that_is_not_an_id_is_an_error_line(tmp_path: Path, mini_path: Path) -> None:
    good = {"bank": str(mini_path), "answer": ANSWER}
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            {"id": "n", "question": 3, **good},
            {"id": "l", "question": ["atm"], **good},
            {"id": "d", "question": {"id": "atm"}, **good},
            {"id": "ok", "question": "atm", **good},
        ],
    )
    out = tmp_path / "out.jsonl"
    summary = run_job(coach.Grader(mode="keyword"), source, out, progress=False)
    records = read_out(out)
    assert summary.graded == 1 and summary.failed == 3 and "result" in records["ok"]
    messages = {job: records[job]["error"]["message"] for job in ("n", "l", "d")}
    assert all(records[job]["error"]["type"] == "InvalidLine" for job in messages)
    assert messages["n"] == "line 1: question is neither a question id nor a question (int)"
    assert messages["l"].endswith("(list)") and messages["d"].endswith("(dict)")
