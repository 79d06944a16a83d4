"""Batches: input order, an outcome for every item, the concurrency bound, cancellation, rate
limits, progress, and the synchronous form inside a running event loop."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import coach
import coach.batch.run as _batch
from coach.batch.run import BatchItem, _Limiter, as_item
from coach.llm.retry import RetryPolicy
from tests.llm.fake_openai import FakeOpenAI, Reply
from tests.support import MINI_ANSWER as ANSWER


def judge(server: FakeOpenAI, mini: coach.Bank, latency: float = 0.0) -> dict[str, int]:
    """Serve full marks after a delay that depends on the answer, counting requests in flight."""
    seen = {"now": 0, "most": 0}
    lock = threading.Lock()

    def reply(body: dict[str, Any]) -> Reply:
        user = body["messages"][1]["content"]
        with lock:
            seen["now"] += 1
            seen["most"] = max(seen["most"], seen["now"])
        delay = latency * (1 + user.count("慢"))  # "slow" answers take longer
        time.sleep(delay)
        with lock:
            seen["now"] -= 1
        criteria = body["response_format"]["json_schema"]["schema"]["properties"]["criteria"]
        grade = {
            "criteria": {
                cid: {
                    "evidence": [ANSWER[:10]],
                    "rationale": "ok",
                    "key_points": [],
                    "points": spec["properties"]["points"]["maximum"],
                }
                for cid, spec in criteria["properties"].items()
            }
        }
        return Reply(content=json.dumps(grade, ensure_ascii=False))

    server.default = reply
    return seen


def grader(server: FakeOpenAI) -> coach.Grader:
    return coach.Grader(base_url=server.base_url, policy=RetryPolicy(backoff=0.001))


def test_items_come_back_in_input_order_each_with_its_outcome(mini: coach.Bank) -> None:
    with FakeOpenAI() as server:
        judge(server, mini, latency=0.02)
        items = [
            (mini, "atm", ANSWER + "慢" * (5 - i), f"a{i}") for i in range(5)
        ]  # the first answers are the slowest
        items += [
            ("no-such-bank", "atm", ANSWER, "bad-bank"),
            (mini, "nope", ANSWER, "bad-question"),
            {"bank": mini, "question": "atm", "answer": 42, "id": "bad-answer"},
        ]
        results = grader(server).grade_many(items, concurrency=4, progress=False)
    assert [r.index for r in results] == list(range(8))
    assert [r.id for r in results] == [f"a{i}" for i in range(5)] + [
        "bad-bank",
        "bad-question",
        "bad-answer",
    ]
    assert all(r.ok and r.result is not None and r.result.method == "llm" for r in results[:5])
    errors = [r.error for r in results[5:]]
    assert all(e is not None for e in errors)
    assert [e.type for e in errors if e] == [
        "BankNotFoundError",
        "QuestionNotFoundError",
        "AnswerError",
    ]


def test_concurrency_is_bounded(mini: coach.Bank) -> None:
    with FakeOpenAI() as server:
        seen = judge(server, mini, latency=0.05)
        results = grader(server).grade_many(
            [(mini, "atm", ANSWER)] * 12, concurrency=3, progress=False
        )
    assert len(results) == 12 and all(r.ok for r in results)
    assert 2 <= seen["most"] <= 3


def test_a_long_batch_holds_a_task_per_slot_not_per_item(mini: coach.Bank) -> None:
    tasks: list[int] = []

    def count(done: int, total: int, failed: int) -> None:  # runs on the batch's event loop
        tasks.append(len(asyncio.all_tasks()))

    with FakeOpenAI() as server:
        judge(server, mini, latency=0.005)
        results = grader(server).grade_many(
            [(mini, "atm", ANSWER)] * 40, concurrency=4, progress=count
        )
    assert [r.index for r in results] == list(range(40)) and all(r.ok for r in results)
    assert len(tasks) >= 40 and max(tasks) <= 4 + 1  # the workers, and the batch itself


def test_a_run_that_hands_results_on_keeps_only_errors_and_the_usage(
    mini: coach.Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_batch, "_USAGE_BLOCK", 2)  # usages summed in blocks on the way
    items = [(mini, "atm", ANSWER)] * 5 + [("nope", "atm", ANSWER)]
    with FakeOpenAI() as server:
        judge(server, mini)
        kept = _batch.BatchRun(grader(server), items, progress=False)
        kept.run()
        handed: list[coach.BatchResult] = []
        lean = _batch.BatchRun(
            grader(server), items, progress=False, on_result=handed.append, keep_results=False
        )
        finished = lean.run()
    assert sorted(o.index for o in handed) == list(range(6))
    assert sum(o.ok for o in handed) == 5
    assert [(r.index, r.error.type if r.error else None) for r in finished] == [
        (5, "BankNotFoundError")
    ]
    assert lean.usage.requests == 5 and lean.usage == kept.usage


def test_cancellation_keeps_finished_results(mini: coach.Bank) -> None:
    with FakeOpenAI() as server:
        judge(server, mini, latency=0.05)
        g = grader(server)
        run = _batch.BatchRun(g, [(mini, "atm", ANSWER)] * 20, concurrency=2)

        async def main() -> None:
            async with g:  # the async client it builds is closed on this loop
                task = asyncio.ensure_future(run.arun())
                while sum(r is not None for r in run.results) < 3:
                    await asyncio.sleep(0.01)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task

        asyncio.run(main())
    done = [r for r in run.results if r is not None and r.ok]
    cancelled = [r for r in run.results if r is not None and r.error is not None]
    assert len(done) >= 3 and len(done) + len(cancelled) == 20
    assert all(r.error is not None and r.error.type == "Cancelled" for r in cancelled)


def test_the_sync_form_works_inside_a_running_loop(mini: coach.Bank) -> None:
    g = coach.Grader(mode="keyword")

    async def notebook_cell() -> list[_batch.BatchResult]:
        return g.grade_many([(mini, "atm", ANSWER), (mini, "calm", "我会深呼吸。")], progress=False)

    results = asyncio.run(notebook_cell())
    assert [r.result.question_id for r in results if r.result] == ["atm", "calm"]


def test_progress_is_reported_to_a_callable(mini: coach.Bank) -> None:
    calls: list[tuple[int, int, int]] = []
    items = [(mini, "atm", ANSWER), ("nope", "atm", ANSWER), (mini, "calm", "深呼吸")]
    coach.Grader(mode="keyword").grade_many(
        items, progress=lambda done, total, failed: calls.append((done, total, failed))
    )
    assert calls[-1] == (3, 3, 1)
    assert [c[0] for c in calls[:3]] == [1, 2, 3]


def test_a_terminal_gets_a_bar(mini: coach.Bank) -> None:
    import io

    from coach.batch.progress import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = Progress(2, None, stream)
    bar.advance()
    bar.advance(failed=True)
    bar.close()
    assert "2/2 graded, 1 failed" in stream.getvalue() and stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    Progress(1, None, quiet).advance()
    assert quiet.getvalue() == ""


def test_requests_per_minute_are_spaced(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = {"now": 1000.0}
    monkeypatch.setattr(_batch, "_now", lambda: clock["now"])

    async def fake_sleep(seconds: float) -> None:
        clock["now"] += seconds

    monkeypatch.setattr(_batch, "_wait", fake_sleep)

    async def take(limiter: _Limiter, count: int) -> None:
        for _ in range(count):
            await limiter.take(1)

    limiter = _Limiter(per_minute=60)  # one a second, ten in a burst
    asyncio.run(take(limiter, 10))
    assert clock["now"] == 1000.0
    asyncio.run(take(limiter, 5))
    assert clock["now"] == pytest.approx(1005.0)
    limiter.settle(estimated=1, actual=4)  # the last one cost more than estimated: pay it off
    asyncio.run(take(limiter, 1))
    assert clock["now"] == pytest.approx(1009.0)


def test_items_in_every_accepted_shape() -> None:
    assert as_item(("b", "q", "a")) == BatchItem(bank="b", question="q", answer="a")
    assert as_item(("b", "q", "a", "x")).id == "x"
    assert as_item({"bank": "b", "question": "q", "answer": "a"}).answer == "a"
    with pytest.raises(coach.CoachError):
        as_item(("b", "q"))
    with pytest.raises(ValueError):
        _batch.BatchRun(coach.Grader(mode="keyword"), [], concurrency=0)


def test_a_budget_stops_the_batch_cleanly(fake_judge: Any, mini: coach.Bank) -> None:
    run = _batch.BatchRun(
        fake_judge.grader(), [(mini, "atm", ANSWER)] * 6, concurrency=1, max_total_tokens=300
    )
    results = run.run()
    graded = [r for r in results if r.ok]
    assert len(graded) == 2  # each scripted reply reports 150 tokens
    assert [r.error.type for r in results if r.error] == ["BudgetExceeded"] * 4
    assert run.usage.total_tokens == 300 and run.usage.requests == 2
    assert len(fake_judge.requests) == 2


def test_a_streamed_run_takes_items_as_workers_free_up(mini: coach.Bank) -> None:
    taken = {"count": 0}
    at_first_result: list[int] = []

    def items() -> Iterator[tuple[coach.Bank, str, str]]:
        for _ in range(50):
            taken["count"] += 1
            yield (mini, "atm", ANSWER)

    def first(outcome: coach.BatchResult) -> None:
        if not at_first_result:
            at_first_result.append(taken["count"])

    run = _batch.BatchRun(
        coach.Grader(mode="keyword"),
        items(),
        concurrency=3,
        progress=False,
        on_result=first,
        keep_results=False,
    )
    assert taken["count"] == 0  # nothing read before the run
    assert run.run() == [] and taken["count"] == 50
    assert at_first_result[0] <= 3 + 1  # the workers' items, not the whole input
    assert run.usage.requests == 0 and run.unfinished == 0


def test_a_streamed_run_over_budget_counts_what_it_left(fake_judge: Any, mini: coach.Bank) -> None:
    run = _batch.BatchRun(
        fake_judge.grader(),
        iter([(mini, "atm", ANSWER)] * 6),
        concurrency=1,
        max_total_tokens=300,
        keep_results=False,
        progress=False,
    )
    assert run.run() == [] and run.unfinished == 4 and len(fake_judge.requests) == 2


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (
            coach.CacheError("c.sqlite: cannot read the cache (database disk image is malformed)"),
            True,
        ),
        (TimeoutError("timed out"), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (coach.LLMUnavailableError("429 after 3 requests", attempts=3), True),
        (coach.DeadlineError("no reply within 60 s", attempts=2), True),
        (coach.BankNotFoundError("no bank 'x'"), False),
        (coach.QuestionNotFoundError("no question 'q'"), False),
        (coach.LLMReplyError("never validated", attempts=2), False),
        (coach.LLMRefusalError("refused", attempts=1), False),
        (ValueError("answer must be text"), False),
    ],
)
def test_errors_from_the_environment_are_told_from_the_items_own(
    error: Exception, retry: bool
) -> None:
    assert _batch.is_environmental(error) is retry


def test_a_request_refused_for_its_sender_is_retried_and_one_refused_for_itself_is_not() -> None:
    class Refused(Exception):
        def __init__(self, status_code: int) -> None:
            self.status_code = status_code

    def refused(status: int) -> coach.LLMRequestError:
        return coach.LLMRequestError("rejected", attempts=1, last_error=Refused(status))

    assert all(_batch.is_environmental(refused(status)) for status in (401, 403, 404, 429))
    assert not _batch.is_environmental(refused(400))  # e.g. the answer is over the context


def test_a_bar_without_a_total_shows_the_count() -> None:
    import io

    from coach.batch.progress import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = Progress(0, None, stream)
    bar.advance()
    bar.advance(failed=True)
    bar.close()
    assert stream.getvalue().endswith("\r2 graded, 1 failed\n") and "/0" not in stream.getvalue()
