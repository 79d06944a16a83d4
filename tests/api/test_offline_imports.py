"""Keyword mode never loads the openai SDK, through `Grader` as through `grade_offline`."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys, coach
grader = coach.Grader(mode="keyword")
one = grader.grade("finance-cs-manager", "s2", "先安抚客户情绪，再核实身份。")
items = [("finance-cs-manager", "s2", "先安抚客户情绪。"), ("finance-cs-manager", "s1", "不知道")]
many = [r.result.method for r in grader.grade_many(items) if r.result is not None]
print(one.method, *many, "openai" in sys.modules)
"""


def test_a_keyword_mode_grader_grades_without_the_sdk() -> None:
    env = {"PATH": "", "PYTHONPATH": ":".join(sys.path)}  # and no OPENAI_* configured
    run = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=env
    )
    assert run.stdout.split() == ["keyword", "keyword", "keyword", "False"]
