"""What a command loads: only its own module, and never the openai SDK when it grades offline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.cli.support import cli_env

# Runs the CLI's main() in a fresh interpreter, then names the modules it loaded of `watched`.
PROBE = """
import contextlib, io, json, sys
from coach.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    status = main(json.loads(sys.argv[1]))
watched = json.loads(sys.argv[2])
print(json.dumps([status, [name for name in watched if name in sys.modules]]))
"""
NETWORK = ["openai", "httpx", "httpx2"]
OTHER_COMMANDS = [
    *("coach.cli.eval", "coach.cli.derive", "coach.cli.practice", "coach.cli.batch"),
    "coach.cli.merge",
]
ANSWER = "我会先安抚客户情绪，核实身份，再说明解冻需要按规定审核。"


def loaded(argv: list[str], watched: list[str], cwd: Path) -> tuple[int, list[str]]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(watched)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=cli_env(),
        timeout=120,
        check=True,
    )
    status, names = json.loads(run.stdout.splitlines()[-1])
    return status, names


def test_offline_grade_loads_neither_the_sdk_nor_other_commands(tmp_path: Path) -> None:
    argv = ["grade", "finance-cs-manager", "s2", "--offline", "--answer", ANSWER]
    status, names = loaded(argv, [*NETWORK, *OTHER_COMMANDS, "coach.cli.grade"], tmp_path)
    assert status == 0
    assert names == ["coach.cli.grade"]


def test_offline_grade_file_never_loads_the_sdk(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    line = {"id": "a", "bank": "finance-cs-manager", "question": "s2", "answer": ANSWER}
    source.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    argv = ["grade-file", str(source), "--out", str(out), "--offline"]
    status, names = loaded(argv, [*NETWORK, "coach.grading.grader"], tmp_path)
    assert status == 0
    assert names == ["coach.grading.grader"]  # the batch driver ran, without the SDK
    assert json.loads(out.read_text(encoding="utf-8"))["result"]["method"] == "keyword"


def test_help_still_lists_every_command(tmp_path: Path) -> None:
    status, names = loaded(["banks"], OTHER_COMMANDS, tmp_path)
    assert status == 0 and names == []
    run = subprocess.run(
        [sys.executable, "-m", "coach", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=cli_env(),
        timeout=120,
        check=True,
    )
    listed = re.findall(r"^    (\S+)", run.stdout, re.MULTILINE)
    assert listed == [
        *("banks", "questions", "show", "grade", "grade-file", "batch", "merge-results"),
        *("eval", "derive"),
        *("calibrate", "cache", "validate", "lint", "schema", "demo", "practice", "history"),
    ]
