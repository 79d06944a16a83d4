"""`coach.report` and the notebook views of results and sessions."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

import coach
from coach.reports.text import render_result
from tests.reports.support import turn
from tests.support import MINI_ANSWER as ANSWER


def session_of(results: list[tuple[coach.Question, str, coach.GradeResult]]) -> coach.SessionRecord:
    turns = [
        turn(i, q, a, r, datetime(2026, 12, 1, 10, i, tzinfo=timezone.utc))
        for i, (q, a, r) in enumerate(results, start=1)
    ]
    return coach.SessionRecord(
        id="s1",
        started_at=datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc),
        bank_ids=["mini"],
        method="keyword",
        turns=turns,
    )


def test_a_result_shows_itself_as_a_report_in_notebooks(mini: coach.Bank) -> None:
    result = coach.grade_offline(mini, "atm", ANSWER)
    fragment = result._repr_html_()
    assert fragment.startswith('<div class="coach-report"') and "<html" not in fragment
    assert f"{result.score:g}" in fragment
    assert str(result) == render_result(result)
    printed: list[str] = []

    class Printer:
        def text(self, value: str) -> None:
            printed.append(value)

    result._repr_pretty_(Printer(), False)
    assert printed == [str(result)]


def test_report_formats_and_save(mini: coach.Bank, tmp_path: Path) -> None:
    question = mini.question("atm")
    result = coach.grade_offline(mini, question, ANSWER)
    rendered = coach.report(result, prompt=question.prompt, answer=ANSWER)
    assert rendered.html.startswith("<!DOCTYPE html>") and question.prompt in rendered.html
    assert question.prompt in rendered.markdown and question.prompt in rendered.text
    for suffix, marker in ((".html", "<!DOCTYPE html>"), (".md", "# "), (".txt", "Question atm")):
        saved = rendered.save(tmp_path / f"report{suffix}")
        assert saved.read_text(encoding="utf-8").startswith(marker), suffix
    with pytest.raises(coach.CoachError, match="report format"):
        rendered.save(tmp_path / "report.pdf")
    with pytest.raises(coach.CoachError, match="cannot write"):
        rendered.save(tmp_path / "missing" / "report.html")
    assert repr(rendered) == f"<Report of a GradeResult: {result.percent:g}%>"


def test_a_session_report(mini: coach.Bank) -> None:
    graded = [
        (q, a, coach.grade_offline(mini, q, a))
        for q, a in ((mini.question("atm"), ANSWER), (mini.question("calm"), "我会深呼吸。"))
    ]
    session = session_of(graded)
    history = [(datetime(2026, 11, d, tzinfo=timezone.utc), 20.0 * d / 10) for d in (1, 5, 9)]
    rendered = coach.report(session, history=history)
    assert "<svg" in rendered.html and "s1" in rendered.html
    assert session._repr_html_().startswith('<div class="coach-report"')
    assert "Session s1" in str(session) and "atm" in rendered.text
    for competency in session.competencies():
        assert competency.competency in rendered.text


def test_report_refuses_other_things() -> None:
    with pytest.raises(TypeError):
        coach.report("not a result")  # type: ignore[arg-type]
