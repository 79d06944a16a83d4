"""The `coach demo` command: grade the bundled sample answers offline and print a table, so a
fresh install shows what coach does without an answer, a rubric file or an LLM.
"""

from __future__ import annotations

from typing import Any, TextIO

from coach.errors import CoachError
from coach.grading.keyword import KeywordGrader
from coach.grading.offline import find_question
from coach.reports.text import demo_table
from coach.resources import data_dir
from coach.rubric.loader import load_bank


def add_demo_parser(sub: Any) -> None:
    sub.add_parser("demo", help="grade bundled sample answers offline and print a table")


def _demo_samples() -> list[dict[str, Any]]:
    import yaml  # only the demo reads the bundled sample answers

    path = data_dir() / "examples" / "demo_answers.yaml"
    try:
        samples = yaml.safe_load(path.read_text("utf-8"))["answers"]
        if all({"bank", "question", "text"} <= set(sample) for sample in samples):
            return list(samples)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, KeyError):
        pass
    raise CoachError(f"the bundled sample answers ({path}) are missing or damaged; reinstall coach")


def cmd_demo(out: TextIO) -> int:
    grader = KeywordGrader()
    rows = []
    for sample in _demo_samples():
        bank = load_bank(sample["bank"])
        question = find_question(bank, sample["question"])
        rows.append((sample, grader.grade(bank, question, sample["text"])))
    out.write(demo_table(rows))
    return 0
