"""Garbage collection during an LLM batch (`BatchRun.arun`): automatic collection paused while
the workers run, the young generations collected every so many items, and collection back on
afterwards, also when the batch is cancelled."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import pytest

import coach
from coach.batch import run as batch_run
from coach.batch.run import BatchRun
from coach.result import GradeResult
from tests.support import MINI_ANSWER as ANSWER


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations collected while automatic collection was paused (before and after, the
    interpreter may collect on its own)."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start" and not gc.isenabled():
            seen.append(info["generation"])

    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)


class Recording:
    """An `AsyncGrader` grading by keywords after a pause, noting whether collection ran."""

    max_tokens = None
    clients: Any = None

    def __init__(self, stall: float = 0.0) -> None:
        self.keyword = coach.KeywordGrader()
        self.enabled: list[bool] = []
        self.stall = stall

    async def agrade(self, bank: Any, question: Any, answer: str) -> GradeResult:
        self.enabled.append(gc.isenabled())
        await asyncio.sleep(self.stall)
        return self.keyword.grade(bank, question, answer)


def test_an_async_batch_collects_young_generations_only(
    mini: coach.Bank, collections: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_run, "_ASYNC_YOUNG_EVERY", 4)
    grader = Recording()
    items = [(mini, "atm", ANSWER)] * 10
    results = asyncio.run(BatchRun(grader, items, concurrency=3).arun())
    assert [r.ok for r in results] == [True] * 10
    assert grader.enabled == [False] * 10  # paused while the workers ran
    assert gc.isenabled()
    assert collections.count(1) == 3 and 2 not in collections  # after items 4 and 8, at the end


def test_a_cancelled_async_batch_turns_collection_back_on(mini: coach.Bank) -> None:
    grader = Recording(stall=10.0)
    run = BatchRun(grader, [(mini, "atm", ANSWER)] * 4, concurrency=2)

    async def cancel_soon() -> None:
        task = asyncio.ensure_future(run.arun())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_soon())
    assert grader.enabled == [False, False]
    assert gc.isenabled()
    assert [r.error.type for r in run.finished() if r.error] == ["Cancelled"] * 4
