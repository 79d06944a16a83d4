"""`--html` and `--report` on `coach grade` and `coach practice`: the report files a user gets."""

from __future__ import annotations

import re
from pathlib import Path

import coach
from tests.cli.support import run_cli
from tests.support import MINI_ANSWER as ANSWER


def test_grade_writes_the_report_it_is_asked_for(tmp_path: Path, mini_path: Path) -> None:
    page = tmp_path / "grade.html"
    done = run_cli(
        "grade",
        str(mini_path),
        "atm",
        "--offline",
        "--answer",
        ANSWER,
        "--html",
        str(page),
        home=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    result = coach.grade_offline(coach.load_file(mini_path), "atm", ANSWER)
    assert html.startswith("<!DOCTYPE html>") and f"{result.score:g}" in html
    text = re.sub(r"<[^>]+>", "", html)  # evidence highlighting splits the answer into spans
    assert ANSWER in text and f"Report: {page}" in done.stdout
    notes = tmp_path / "grade.md"
    assert (
        run_cli(
            "grade",
            str(mini_path),
            "atm",
            "--offline",
            "--answer",
            ANSWER,
            "--json",
            "--report",
            str(notes),
            home=tmp_path,
        ).returncode
        == 0
    )
    assert notes.read_text(encoding="utf-8").startswith("# ")


def test_a_report_name_without_a_format_is_one_error_line(tmp_path: Path, mini_path: Path) -> None:
    done = run_cli(
        "grade",
        str(mini_path),
        "atm",
        "--offline",
        "--answer",
        ANSWER,
        "--report",
        str(tmp_path / "report.pdf"),
        home=tmp_path,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "report format" in done.stderr and "Traceback" not in done.stderr


def test_practice_writes_the_session_report(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    bank = coach.load_bank("finance-cs-manager")
    answers.write_text(
        "\n".join(f"- {q.model_answer!r}" for q in bank.questions[:2]), encoding="utf-8"
    )
    page = tmp_path / "session.html"
    done = run_cli(
        "practice",
        "finance-cs-manager",
        "--count",
        "2",
        "--seed",
        "7",
        "--answers",
        str(answers),
        "--no-follow-ups",
        "--history",
        str(tmp_path / "h.sqlite"),
        "--html",
        str(page),
        home=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") >= 2
