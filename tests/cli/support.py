"""Running the `coach` command line in tests: in a child process, as a user runs it, or through
`main()` in this process for the cheap cases; and the checks every run is held to."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from coach.cli.main import main

TIMEOUT = 60  # seconds per CLI call; a normal call takes well under one
COACH_SCRIPT = Path(sys.executable).parent / ("coach.exe" if os.name == "nt" else "coach")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    args: list[str] = field(default_factory=list)
    stdout_bytes: bytes = b""


def cli_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a child: ours without an LLM (no OPENAI_*), a model, a history or
    colour chosen (COACH_MODEL, COACH_HISTORY, NO_COLOR), output in UTF-8, HOME at `home` when
    given (where the default history goes); then `extra`."""
    drop = ("COACH_MODEL", "COACH_HISTORY", "NO_COLOR")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_") and k not in drop}
    env["PYTHONIOENCODING"] = "utf-8"  # decode children's output reliably
    if home is not None:
        env["HOME"] = str(home)
    env.update(extra)
    return env


def run_cli(
    *args: str | os.PathLike[str],
    stdin: str | bytes = b"",
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    script: bool = False,
    timeout: float = TIMEOUT,
) -> Run:
    """`coach ARGS` in a child process (`python -m coach`, or the installed script), with the
    environment of `cli_env(home, **env)`; stdin is a pipe (never a TTY), closed after `stdin`."""
    argv = [os.fspath(a) for a in args]
    prefix: Sequence[str] = [os.fspath(COACH_SCRIPT)] if script else [sys.executable, "-m", "coach"]
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [*prefix, *argv],
        input=data,
        capture_output=True,
        env=cli_env(home, **(env or {})),
        timeout=timeout,
        check=False,
    )
    return Run(
        returncode=proc.returncode,
        stdout=proc.stdout.decode("utf-8"),
        stderr=proc.stderr.decode("utf-8"),
        args=argv,
        stdout_bytes=proc.stdout,
    )


def in_process(capsys: pytest.CaptureFixture[str], *args: str | os.PathLike[str]) -> Run:
    """`main()` in this process, for the cheap cases: it returns the status it would exit with."""
    argv = [os.fspath(arg) for arg in args]
    status = main(argv)
    captured = capsys.readouterr()
    return Run(status, captured.out, captured.err, argv, captured.out.encode("utf-8"))


def ok(run: Run) -> Run:
    """Assert a clean success and return the run."""
    assert run.returncode == 0, (run.args, run.stderr)
    assert run.stderr == "", run.stderr
    assert "Traceback" not in run.stdout
    return run


def one_error_line(run: Run, *fragments: str) -> str:
    """Assert a reported failure: exit status 1, one `coach: error:` line holding every
    fragment, no traceback; return the line."""
    assert run.returncode == 1, (run.args, run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("coach: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
