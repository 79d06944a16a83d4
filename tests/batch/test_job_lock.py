"""`coach grade-file` in real processes: a second run on the same output refuses at once, the
lock goes with a killed run, and a run killed mid-job is finished by the next one with every
id exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.batch.test_jobs import lines_of, read_out
from tests.cli.support import cli_env, one_error_line, run_cli
from tests.support import MINI_ANSWER as ANSWER
from tests.support import ROOT, write_lines

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="signals and named pipes")

HOLD_LOCK = """
import sys
from pathlib import Path
from coach.batch.lock import OutputLock
with OutputLock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


def records(mini_path: Path, count: int) -> list[dict[str, str]]:
    return [
        {"id": f"q{n}", "bank": str(mini_path), "question": "atm", "answer": f"{ANSWER}{n}"}
        for n in range(count)
    ]


def coach_process(*args: str | os.PathLike[str], quiet: bool = False) -> subprocess.Popen[bytes]:
    """`coach ARGS` started in a child; its output is piped, or dropped when `quiet`."""
    command = [sys.executable, "-m", "coach", *(os.fspath(a) for a in args)]
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    return subprocess.Popen(
        command, env=cli_env(PYTHONPATH=str(ROOT)), stdout=output, stderr=output
    )


def wait_until(condition: Callable[[], bool], what: str, limit: float = 60.0) -> None:
    """Poll for a state another process reaches (not a timing assertion: `limit` only stops a
    test that would otherwise hang)."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.02)


def exit_code(run: subprocess.Popen[bytes], limit: float) -> int:
    """`run`'s exit status once it ends; a run still going after `limit` seconds (a hang) is
    killed, so that it fails this test alone rather than the next one too."""
    try:
        return run.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        run.kill()
        run.wait()
        raise AssertionError(f"still running after {limit} s: {run.args}") from None


@posix_only
def test_a_second_run_refuses_at_once_and_a_killed_holder_frees_the_lock(
    tmp_path: Path, mini_path: Path
) -> None:
    source = write_lines(tmp_path / "in.jsonl", records(mini_path, 2))
    out = tmp_path / "out.jsonl"
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out)],
        env=cli_env(PYTHONPATH=str(ROOT)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
            refused = run_cli("grade-file", source, "--out", out, "--offline")
            line = one_error_line(refused, "another run is writing", f"process {holder.pid} on ")
            assert repr(str(out) + ".lock") in line and not out.exists()
        finally:
            holder.send_signal(signal.SIGKILL)  # kill -9: no clean-up runs in the holder
            holder.wait(timeout=30)
    assert (tmp_path / "out.jsonl.lock").exists()  # left behind, but nobody holds it
    done = run_cli("grade-file", source, "--out", out, "--offline")
    assert done.returncode == 0, done.stderr
    assert len(read_out(out)) == 2 and not (tmp_path / "out.jsonl.lock").exists()


@posix_only
def test_two_runs_on_one_output_write_one_line_per_id(tmp_path: Path, mini_path: Path) -> None:
    jobs = records(mini_path, 40)
    source = write_lines(tmp_path / "in.jsonl", jobs)
    out = tmp_path / "out.jsonl"
    lock = tmp_path / "out.jsonl.lock"
    pipe = tmp_path / "in.pipe"
    os.mkfifo(pipe)
    # The first run reads a named pipe: it takes the lock, then waits for its input.
    first = coach_process("grade-file", pipe, "--out", out, "--offline")
    wait_until(lambda: lock.exists() and f"process {first.pid} " in lock.read_text(), "locked")
    second = coach_process("grade-file", source, "--out", out, "--offline")
    _, refused = second.communicate(timeout=60)
    assert second.returncode == 1 and "Traceback" not in refused.decode()
    assert f"another run is writing {str(out)!r} (coach grade-file, process {first.pid} " in (
        refused.decode()
    )
    pipe.write_bytes(source.read_bytes())  # now the first run gets its input
    summary, errors = first.communicate(timeout=120)
    assert first.returncode == 0, errors.decode()
    assert b"40 ids: 40 graded" in summary
    # Both at once, free-running: whichever order they end in, each id is written once.
    racing = [coach_process("grade-file", source, "--out", out, "--offline") for _ in range(2)]
    for proc in racing:
        stdout, stderr = proc.communicate(timeout=120)
        assert (proc.returncode == 0 and b"40 already done" in stdout) or (
            proc.returncode == 1 and b"another run is writing" in stderr
        ), stderr.decode()
    assert len(lines_of(out)) == 40 and set(read_out(out)) == {job["id"] for job in jobs}


@posix_only
def test_a_run_killed_mid_job_is_finished_by_the_next(tmp_path: Path, mini_path: Path) -> None:
    source = write_lines(tmp_path / "in.jsonl", records(mini_path, 600))
    out = tmp_path / "out.jsonl"
    for _ in range(2):  # killed twice, at different points
        run = coach_process(
            *(
                "grade-file",
                source,
                "--out",
                out,
                "--offline",
                "--workers",
                "1",
                "--concurrency",
                "1",
            ),
            quiet=True,
        )
        start = out.read_bytes().count(b"\n") if out.exists() else 0
        wait_until(
            lambda start=start: out.exists() and out.read_bytes().count(b"\n") >= start + 20,
            "twenty more lines",
        )
        run.send_signal(signal.SIGKILL)
        exit_code(run, 30)
    partial = out.read_bytes().count(b"\n")
    assert partial < 600  # killed before the end (else the test proves nothing)
    done = run_cli("grade-file", source, "--out", out, "--offline")
    assert done.returncode == 0, done.stderr
    assert f"{partial} already done" in done.stdout  # every whole line counted, a torn one not
    assert len(lines_of(out)) == 600 and len(read_out(out)) == 600


@posix_only
def test_a_run_on_workers_stopped_mid_job_is_finished_by_the_next(
    tmp_path: Path, mini_path: Path
) -> None:
    source = write_lines(tmp_path / "in.jsonl", records(mini_path, 4000))
    out = tmp_path / "out.jsonl"
    offline = ("--offline", "--workers", "2")
    for stop in (signal.SIGINT, signal.SIGKILL):  # Ctrl-C, then a kill
        run = coach_process("grade-file", source, "--out", out, *offline, quiet=True)
        start = out.read_bytes().count(b"\n") if out.exists() else 0
        wait_until(
            lambda start=start: out.exists() and out.read_bytes().count(b"\n") > start,
            "more lines",
        )
        run.send_signal(stop)
        code = exit_code(run, 60)
        assert code == (130 if stop == signal.SIGINT else -signal.SIGKILL)
    partial = out.read_bytes().count(b"\n")
    assert partial < 4000  # stopped before the end (else the test proves nothing)
    done = run_cli("grade-file", source, "--out", out, *offline)
    assert done.returncode == 0, done.stderr
    assert f"{partial} already done" in done.stdout
    # Written in input order throughout: the same bytes as one uninterrupted run.
    whole = tmp_path / "whole.jsonl"
    assert run_cli("grade-file", source, "--out", whole, *offline).returncode == 0
    assert out.read_bytes() == whole.read_bytes()
