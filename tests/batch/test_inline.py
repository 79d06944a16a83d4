"""Keyword batches graded inline, without an event loop: the same outcomes as the event-loop
run, in input order, with every error recorded, the budget and cancellation kept."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

import coach
import coach.batch.run as _batch
from coach.batch.jobs import run_job
from tests.support import MINI_ANSWER as ANSWER
from tests.support import write_lines


def _no_loop(*args: object, **kwargs: object) -> None:
    raise AssertionError("a keyword batch started an event loop")


def _items(mini: coach.Bank) -> list[tuple[object, ...]]:
    return [
        (mini, "atm", ANSWER, "a"),
        ("no-such-bank", "atm", ANSWER, "b"),
        (mini, "calm", "我会深呼吸，然后冷静下来，再跟客户沟通。", "c"),
        (mini, "atm", None, "d"),  # not text: that item's error
        (mini, "no-such-question", ANSWER, "e"),
        (mini, "calm", "不知道", "f"),
    ]


def test_inline_outcomes_match_the_event_loop_run(
    mini: coach.Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    grader = coach.Grader(mode="keyword")
    looped = asyncio.run(_batch.BatchRun(grader, _items(mini)).arun())
    monkeypatch.setattr(asyncio, "run", _no_loop)
    inline = grader.grade_many(_items(mini))
    assert [r.model_dump_json() for r in inline] == [r.model_dump_json() for r in looped]
    assert [r.id for r in inline] == ["a", "b", "c", "d", "e", "f"]
    assert [r.ok for r in inline] == [True, False, True, False, False, True]
    errors = {r.id: r.error.type for r in inline if r.error is not None}
    assert errors == {"b": "BankNotFoundError", "d": "AnswerError", "e": "QuestionNotFoundError"}


def test_a_spent_budget_leaves_every_item_unfinished_inline(mini: coach.Bank) -> None:
    grader = coach.Grader(mode="keyword")
    inline = grader.grade_many(_items(mini), max_cost_usd=0.0)
    looped = asyncio.run(_batch.BatchRun(grader, _items(mini), max_cost_usd=0.0).arun())
    assert [r.model_dump_json() for r in inline] == [r.model_dump_json() for r in looped]
    assert {r.error.type for r in inline if r.error is not None} == {"BudgetExceeded"}
    assert len(inline) == 6


def test_an_interrupted_inline_batch_records_the_rest_as_cancelled(mini: coach.Bank) -> None:
    grader = coach.Grader(mode="keyword")
    run = _batch.BatchRun(grader, _items(mini))
    graded: list[str] = []

    def grade(bank: object, question: object, answer: object) -> coach.GradeResult:
        if len(graded) == 2:
            raise KeyboardInterrupt
        graded.append(str(question))
        return grader.grade(bank, question, answer)  # type: ignore[arg-type]

    with pytest.raises(KeyboardInterrupt):
        run.run_inline(grade)
    outcomes = [r for r in run.results if r is not None]
    assert len(outcomes) == 6
    assert [r.error.type for r in outcomes[2:] if r.error is not None] == ["Cancelled"] * 4


def test_a_keyword_file_job_runs_inline(
    tmp_path: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        {"id": "a", "bank": str(mini_path), "question": "atm", "answer": ANSWER},
        {"id": "b", "bank": str(mini_path), "question": "nope", "answer": ANSWER},
    ]
    source = write_lines(tmp_path / "in.jsonl", lines)
    monkeypatch.setattr(asyncio, "run", _no_loop)
    summary = run_job(coach.Grader(mode="keyword"), source, tmp_path / "out.jsonl")
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert (summary.graded, summary.failed) == (1, 1)
    assert [r["id"] for r in records] == ["a", "b"] and "result" in records[0]


def test_rate_limits_keep_the_event_loop(mini: coach.Bank, monkeypatch: pytest.MonkeyPatch) -> None:
    loops: list[object] = []
    real_run = asyncio.run

    def counted(main: Any) -> Any:
        loops.append(main)
        return real_run(main)

    monkeypatch.setattr(asyncio, "run", counted)
    grader = coach.Grader(mode="keyword")
    limited = grader.grade_many(_items(mini), requests_per_minute=6000)
    assert len(loops) == 1
    assert [r.ok for r in limited] == [r.ok for r in grader.grade_many(_items(mini))]
    assert len(loops) == 1  # the unlimited batch ran inline
