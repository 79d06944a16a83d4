"""Grading many answers: bounded concurrency, optional rate limits, results in input order.

Every item ends in a `BatchResult` holding either its `GradeResult` or the error that stopped
it, so nothing is lost and nothing is silently dropped. A budget (`max_cost_usd`,
`max_total_tokens`) stops a batch cleanly: once finished items have spent it no further item
starts (those in flight finish), and the rest are recorded as `BudgetExceeded`; a file job
leaves them for its next run. `BatchRun.results` fills in as items finish; when a run is
cancelled (or interrupted with Ctrl-C) the finished results stay there and the unfinished
items are recorded as cancelled before the cancellation goes on.

`grade_many` is the synchronous form; it works inside a running event loop (a Jupyter cell)
by running the batch on an event loop of its own in a worker thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict

from coach.batch.collect import YoungCollections
from coach.batch.progress import Progress, ProgressOption
from coach.errors import CacheError, CoachError, LLMRequestError, LLMUnavailableError
from coach.result import GradeResult, Usage
from coach.rubric.loader import BankRef
from coach.rubric.model import Question

if TYPE_CHECKING:  # the openai SDK stays unloaded for offline batches
    from coach.llm.clients import Clients


class AsyncGrader(Protocol):
    """What a batch needs of its grader; `coach.Grader` is one. A protocol, so that this stage
    needs nothing from the grading stage above it."""

    max_tokens: int | None  # the reply budget, for estimating a grade's tokens before it is sent
    clients: Clients  # those built for a batch's own event loop are closed when it ends

    async def agrade(self, bank: BankRef, question: str | Question, answer: str) -> GradeResult:
        """Grade one answer."""
        ...


class BatchItem(BaseModel):
    """One answer to grade; `id` is yours, carried through to its result."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    bank: Any  # a bank id, a path to a rubric file, or a Bank
    question: str | Question
    answer: Any  # checked by the grader, so a bad one becomes that item's error
    id: str | None = None


class BatchError(BaseModel):
    """Why an item has no result. `retry` is true when the cause was not the item but what it
    ran in (the network, a rate limit, a timeout, the cache, the disk; a cancelled or
    over-budget batch): the same item may well succeed when it is tried again."""

    model_config = ConfigDict(frozen=True)

    type: str
    message: str
    retry: bool = False


def is_environmental(exc: BaseException) -> bool:
    """Whether `exc` came from what a grade ran in rather than from the item: a file job
    records such errors with `retry: true` and grades their items again on its next run."""
    if isinstance(exc, (LLMUnavailableError, CacheError, OSError, MemoryError)):
        return True  # OSError includes TimeoutError and ConnectionError
    if isinstance(exc, LLMRequestError):
        # Refused for who sent it, not for what: a key, a permission, a model, a quota.
        return getattr(exc.last_error, "status_code", None) in (401, 403, 404, 429)
    return False


class BatchResult(BaseModel):
    """The outcome of one item: a result, or an error, never neither."""

    model_config = ConfigDict(frozen=True)

    index: int
    id: str | None = None
    result: GradeResult | None = None
    error: BatchError | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None


ItemLike = BatchItem | Mapping[str, Any] | Sequence[Any]


def as_item(item: ItemLike) -> BatchItem:
    """A `BatchItem` from an item, a mapping with bank/question/answer[/id], or a tuple."""
    if isinstance(item, BatchItem):
        return item
    if isinstance(item, Mapping):
        return BatchItem.model_validate(dict(item))
    if isinstance(item, Sequence) and not isinstance(item, str) and 3 <= len(item) <= 4:
        bank, question, answer, *rest = item
        return BatchItem(bank=bank, question=question, answer=answer, id=rest[0] if rest else None)
    raise CoachError(f"a batch item is (bank, question, answer[, id]) or a mapping, not {item!r}")


def _now() -> float:
    """The limiters' clock (a test may put a virtual one in its place, with `_wait`)."""
    return time.monotonic()


async def _wait(seconds: float) -> None:
    await asyncio.sleep(seconds)


class _Limiter:
    """A token bucket: `rate` units per minute, refilled continuously, allowed to go into debt
    when an estimate turns out low (the next requests then wait it off). Hand-written because
    the settling of estimates against real usage is what it is for, and aiolimiter's bucket
    has no debt."""

    def __init__(self, per_minute: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, per_minute / 6.0)  # at most ten seconds' worth in a burst
        self.level = self.capacity
        self.stamp = _now()
        self.lock = asyncio.Lock()

    def _refill(self) -> None:
        now = _now()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    async def take(self, amount: float) -> None:
        async with self.lock:
            self._refill()
            while self.level < min(amount, self.capacity):
                await _wait((min(amount, self.capacity) - self.level) / self.rate)
                self._refill()
            self.level -= amount

    def settle(self, estimated: float, actual: float) -> None:
        self.level += estimated - actual


_USAGE_BLOCK = 1000  # usages summed into one, when results are not kept
_ASYNC_YOUNG_EVERY = 100  # items between collections in an LLM batch, whose grades make cycles


class BatchRun:
    """One batch: run it with `await arun()` or `run()`; `results` fills in as it goes.

    `on_result` is called with each outcome as it finishes. With `keep_results=False` the
    batch streams: `items` may be any iterable (a generator reading a file), taken one item at
    a time as a worker frees up and never held whole; `results` keeps only the errors (the
    results went to `on_result`), so a long batch's memory stays flat; `usage` still adds up
    every result, and `unfinished` counts the items a spent budget left ungraded. `total`
    tells the progress bar how many items an iterator will give.
    """

    def __init__(
        self,
        grader: AsyncGrader,
        items: Iterable[ItemLike],
        *,
        concurrency: int = 8,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        progress: ProgressOption = None,
        on_result: Callable[[BatchResult], None] | None = None,
        max_cost_usd: float | None = None,
        max_total_tokens: int | None = None,
        keep_results: bool = True,
        total: int | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.grader = grader
        self.keep_results = keep_results
        if keep_results:
            self.items = [as_item(item) for item in items]
            self._stream: Iterator[BatchItem] | None = None
            self.total = len(self.items)
        else:
            self.items = []  # streamed, not held: see `_stream`
            self._stream = (as_item(item) for item in items)
            self.total = len(items) if total is None and isinstance(items, Sized) else total or 0
        self.concurrency = concurrency
        self._requests = _Limiter(requests_per_minute) if requests_per_minute else None
        self._tokens = _Limiter(tokens_per_minute) if tokens_per_minute else None
        self._progress = progress
        self._on_result = on_result  # called as each item finishes, e.g. to write it out
        self.max_cost_usd = max_cost_usd
        self.max_total_tokens = max_total_tokens
        self.spent_usd = 0.0
        self.spent_tokens = 0
        self.results: list[BatchResult | None] = [None] * len(self.items)
        # With `keep_results=False` (a file job, which writes each outcome out through
        # `on_result`) `results` keeps only the errors, appended as they come: a result takes
        # about 18 KB, so 100,000 kept answers would take gigabytes.
        self._settled = [False] * len(self.items)
        self._taken = 0  # items a streamed batch has taken from its iterator
        self._open: dict[int, BatchItem] = {}  # taken, not yet settled (streamed batches)
        self.unfinished = 0  # items left ungraded by a spent budget or a cancellation
        self._spent: list[Usage] = []  # usage of results not kept, summed in blocks
        self._collect = YoungCollections(_ASYNC_YOUNG_EVERY, cycles=True)  # in `arun`

    def _estimate(self, item: BatchItem) -> float:
        """Tokens a grade will cost, before it is sent: the answer, a typical rubric prompt,
        the reply budget. Settled against the real usage afterwards."""
        answer = item.answer if isinstance(item.answer, str) else ""
        return len(answer) + 1500.0 + (self.grader.max_tokens or 1000)

    def over_budget(self) -> bool:
        """True once the results so far have spent the budget: no further item is started."""
        over_cost = self.max_cost_usd is not None and self.spent_usd >= self.max_cost_usd
        tokens = self.max_total_tokens
        return over_cost or (tokens is not None and self.spent_tokens >= tokens)

    def _skipped(self, index: int) -> bool:
        """True when the budget is spent: item `index` is left unfinished (and resumable)."""
        if not self.over_budget():
            return False
        if self._stream is not None:  # not held, so counted now rather than recorded
            self._open.pop(index, None)
            self.unfinished += 1
        return True

    def _failed(self, index: int, item: BatchItem, exc: Exception, bar: Progress) -> None:
        error = BatchError(type=type(exc).__name__, message=str(exc), retry=is_environmental(exc))
        self._record(BatchResult(index=index, id=item.id, error=error))
        bar.advance(failed=True)

    async def _one(self, index: int, item: BatchItem, bar: Progress) -> None:
        if self._skipped(index):
            return
        estimate = self._estimate(item) if self._tokens else 0.0
        if self._requests:
            await self._requests.take(1)
        if self._tokens:
            await self._tokens.take(estimate)
        try:
            result = await self.grader.agrade(item.bank, item.question, item.answer)
        except Exception as exc:  # every item ends in a result or an error (a cancel goes on)
            self._failed(index, item, exc, bar)
            return
        if self._tokens:
            self._tokens.settle(estimate, result.usage.total_tokens)
        self._record(BatchResult(index=index, id=item.id, result=result))
        bar.advance()

    async def _work(self, queue: Iterator[tuple[int, BatchItem]], bar: Progress) -> None:
        """Grade items from the shared `queue` one after another until it is empty."""
        for index, item in queue:  # one iterator for every worker: each item is taken once
            await self._one(index, item, bar)
            self._collect.tick()

    def _queue(self) -> Iterator[tuple[int, BatchItem]]:
        """The items left to grade, with their indexes; a streamed batch's come from its
        iterator, one at a time, as workers ask."""
        if self._stream is None:
            todo = [(i, item) for i, item in enumerate(self.items) if not self._settled[i]]
            yield from todo
            return
        for item in self._stream:
            index = self._taken
            self._taken += 1
            self._open[index] = item
            yield index, item

    def _record(self, outcome: BatchResult) -> None:
        if self._stream is None:
            self._settled[outcome.index] = True
            if self.keep_results or outcome.result is None:
                self.results[outcome.index] = outcome
        else:
            self._open.pop(outcome.index, None)
            if outcome.result is None:
                self.results.append(outcome)
        if outcome.result is not None:
            usage = outcome.result.usage
            self.spent_tokens += usage.total_tokens
            self.spent_usd += usage.cost_usd or 0.0
            if not self.keep_results:
                self._spent.append(usage)
                if len(self._spent) >= _USAGE_BLOCK:  # bounded memory, rounded once a block
                    self._spent = [Usage.total(self._spent)]
        if self._on_result is not None:
            self._on_result(outcome)

    async def arun(self) -> list[BatchResult]:
        """Grade every item; the results, in input order."""
        # `concurrency` workers, not a task per item: a batch of 100,000 answers holds as many
        # coroutines as requests in flight, for the garbage collector to walk; which walks only
        # the young generations, every `_ASYNC_YOUNG_EVERY` items (full ones cost 0.8 ms an item).
        queue = self._queue()
        bar = Progress(self.total, self._progress)
        workers = self.concurrency
        if self._stream is None:
            workers = min(workers, self.total - sum(self._settled))
        tasks = [asyncio.ensure_future(self._work(queue, bar)) for _ in range(workers)]
        try:
            with self._collect:
                await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._mark_cancelled()
            raise
        finally:
            bar.close()
        if self.over_budget():
            self._mark_unfinished("BudgetExceeded", "the batch's budget was spent first")
        return self.finished()

    def run_inline(self, grade: Callable[[Any, Any, Any], GradeResult]) -> list[BatchResult]:
        """`run`'s outcomes, each item graded in turn by `grade` on this thread: no event loop,
        whose tasks and coroutines would cost more than a keyword grade (nor collections of
        the old generation: see `batch/collect.py`)."""
        bar = Progress(self.total, self._progress)
        try:
            with YoungCollections() as collect:
                for index, item in self._queue():
                    collect.tick()
                    if self._skipped(index):
                        continue
                    try:
                        result = grade(item.bank, item.question, item.answer)
                    except Exception as exc:  # every item ends in a result or a recorded error
                        collect.failed()
                        self._failed(index, item, exc, bar)
                        continue
                    self._record(BatchResult(index=index, id=item.id, result=result))
                    bar.advance()
        except BaseException:
            self._mark_cancelled()
            raise
        finally:
            bar.close()
        if self.over_budget():
            self._mark_unfinished("BudgetExceeded", "the batch's budget was spent first")
        return self.finished()

    def _mark_cancelled(self) -> None:
        self._mark_unfinished("Cancelled", "the batch stopped before this item")

    def _mark_unfinished(self, kind: str, message: str) -> None:
        """Items never graded get an error saying why (not passed to `on_result`, so a file
        job leaves them for its next run). A streamed batch records those it had taken; those
        it never took stay in its iterator."""
        error = BatchError(type=kind, message=message, retry=True)
        if self._stream is not None:
            for i, item in sorted(self._open.items()):
                self.results.append(BatchResult(index=i, id=item.id, error=error))
                self.unfinished += 1
            self._open.clear()
            return
        for i, item in enumerate(self.items):
            if not self._settled[i]:
                self.results[i] = BatchResult(index=i, id=item.id, error=error)
                self.unfinished += 1

    @property
    def usage(self) -> Usage:
        """Requests, tokens and estimated cost of every finished item, added up."""
        kept = (r.result.usage for r in self.results if r is not None and r.result is not None)
        return Usage.total([*kept, *self._spent])

    def finished(self) -> list[BatchResult]:
        """Every item's outcome so far, in input order (unfinished items are left out; with
        `keep_results=False`, only the errors)."""
        return sorted((r for r in self.results if r is not None), key=lambda r: r.index)

    def run(self) -> list[BatchResult]:
        """`arun` for synchronous code, also inside a running event loop (Jupyter). A grader
        whose `inline_grade()` gives a function (keyword grading) runs inline when no rate
        limit applies."""
        inline = getattr(self.grader, "inline_grade", None)
        grade = inline() if inline is not None and not (self._requests or self._tokens) else None
        if grade is not None:
            return self.run_inline(grade)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self._run_and_close())
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="coach-batch") as pool:
            return pool.submit(asyncio.run, self._run_and_close()).result()

    async def _run_and_close(self) -> list[BatchResult]:
        # A client the grader built for this loop must not outlive it.
        try:
            return await self.arun()
        finally:
            await self.grader.clients.aclose()
