"""`tools/check_bank.py`: a bank that meets the bars passes, and each bar a bank misses is named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.support import cli_env
from tests.support import MINI_BANK

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "check_bank.py"


def _check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *map(str, paths)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_env(),
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("bank", sorted((ROOT / "rubrics").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_built_in_banks_pass(bank: Path) -> None:
    done = _check(bank)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("0 problem(s)")


def test_each_missed_bar_is_named(tmp_path: Path) -> None:
    good = tmp_path / "mini.yaml"
    good.write_text(MINI_BANK, encoding="utf-8")
    assert _check(good).returncode == 0, _check(good).stdout
    # A model answer that no longer makes most of its key points.
    weak = MINI_BANK.replace(
        "我会先安抚客户的情绪，告诉他别着急，并把他的诉求记录下来。然后向他说明，按银行规定，",
        "我会处理好。",
    )
    assert weak != MINI_BANK
    bad = tmp_path / "bad.yaml"
    bad.write_text(weak, encoding="utf-8")
    done = _check(bad)
    assert done.returncode == 1, done.stdout
    problems = [line for line in done.stdout.splitlines() if line.startswith(" - ")]
    assert problems and done.stdout.rstrip().splitlines()[-len(problems) - 1] == (
        f"{len(problems)} problem(s)"
    )
    assert any("mini/atm: model answer scores" in p and "(< 80.0)" in p for p in problems), problems


def test_an_unreadable_bank_is_a_clear_failure(tmp_path: Path) -> None:
    done = _check(tmp_path / "missing.yaml")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("check_bank: error: ") and "missing.yaml" in line
