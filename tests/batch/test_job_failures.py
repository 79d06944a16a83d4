"""`coach grade-file` when what it runs in fails: a write error, a corrupt cache, a rate-limited
LLM. Each ends in one clear line and a non-zero status, never a traceback or a torn line, and
the next run picks up what was left."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import coach
from tests.batch.test_batch import judge
from tests.batch.test_jobs import lines_of, read_out
from tests.cli.support import cli_env, one_error_line, run_cli
from tests.llm.fake_openai import FakeOpenAI, rate_limited
from tests.support import MINI_ANSWER as ANSWER
from tests.support import write_lines


def job(tmp_path: Path, mini_path: Path, count: int) -> Path:
    return write_lines(
        tmp_path / "in.jsonl",
        [
            {"id": f"q{n}", "bank": str(mini_path), "question": "atm", "answer": f"{ANSWER}{n}"}
            for n in range(count)
        ],
    )


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX resource limits")
@pytest.mark.parametrize(("count", "workers"), [(30, "1"), (600, "2")])  # 600: on a pool
def test_a_write_error_is_one_line_and_leaves_whole_lines(
    tmp_path: Path, mini_path: Path, count: int, workers: str
) -> None:
    import resource

    source = job(tmp_path, mini_path, count)
    out = tmp_path / "out.jsonl"
    limit = 15_000  # bytes a file may grow to: room for a few results, as on a full disk

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "coach", "grade-file", str(source), "--out", str(out)]
    proc = subprocess.run(
        [*command, "--offline", "--concurrency", "2", "--workers", workers],
        capture_output=True,
        env=cli_env(),
        preexec_fn=small_files,
        timeout=60,
        check=False,
    )
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and "Traceback" not in stderr
    assert stderr.startswith("coach: error: cannot write ") and stderr.count("\n") == 1
    assert "File too large" in stderr and "again resumes" in stderr
    kept = lines_of(out)  # whole lines only: lines_of refuses a torn last line
    assert 0 < len(kept) < count and out.stat().st_size <= limit
    done = run_cli("grade-file", source, "--out", out, "--offline")
    assert done.returncode == 0, done.stderr
    assert f"{len(kept)} already done" in done.stdout
    assert len(read_out(out)) == count


def test_a_corrupt_cache_stops_the_job_before_anything_is_written(
    tmp_path: Path, mini_path: Path
) -> None:
    source = job(tmp_path, mini_path, 3)
    out = tmp_path / "out.jsonl"
    out.write_text("", encoding="utf-8")
    cache = tmp_path / "replies.sqlite"
    cache.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)  # a header, then garbage
    with FakeOpenAI() as server:
        run = run_cli(
            *("grade-file", source, "--out", out, "--cache", cache),
            *("--base-url", server.base_url, "--model", "gpt-fake"),
        )
        assert server.completion_requests == []
    one_error_line(run, "--cache: ", str(cache), "leave out --cache")
    assert out.read_bytes() == b"" and not (tmp_path / "out.jsonl.lock").exists()
    offline = run_cli("grade-file", source, "--out", out, "--cache", cache, "--offline")
    assert offline.returncode == 0, offline.stderr  # an unused cache stops nothing


def test_rate_limited_grades_are_error_lines_the_next_run_grades(
    tmp_path: Path, mini_path: Path, mini: coach.Bank
) -> None:
    source = job(tmp_path, mini_path, 3)
    out = tmp_path / "out.jsonl"
    llm = ("--mode", "llm", "--model", "gpt-fake", "--concurrency", "1")
    with FakeOpenAI(rate_limited(retry_after=0)) as server:
        first = run_cli("grade-file", source, "--out", out, "--base-url", server.base_url, *llm)
    line = one_error_line(first, "3 items failed for a reason outside the input")
    assert "LLMUnavailableError" in line and "running the same command again" in line
    assert "3 ids: 0 graded, 3 errors" in first.stdout
    records = read_out(out)
    assert all(r["error"]["retry"] is True for r in records.values())
    assert all(r["error"]["type"] == "LLMUnavailableError" for r in records.values())
    with FakeOpenAI() as server:
        judge(server, mini)
        second = run_cli("grade-file", source, "--out", out, "--base-url", server.base_url, *llm)
    assert second.returncode == 0, second.stderr
    assert "3 graded, 0 errors, 0 already done, 3 earlier errors tried again" in second.stdout
    records = read_out(out)
    assert len(lines_of(out)) == 3 and all(r["result"]["method"] == "llm" for r in records.values())
